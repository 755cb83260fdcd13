# The private session of `cargo xtask test`: start an unlocked gnome-keyring Secret Service on this D-Bus session,
# run the command given as arguments with LURING_SECRET_SERVICE=1 when the service answers, then stop the daemon.
#
# xtask writes this file into a throwaway folder (mode 700) and runs, with XDG_RUNTIME_DIR and XDG_DATA_HOME inside
# that folder:   dbus-run-session -- sh <folder>/secret_service.sh COMMAND...
# so the keyring, its control socket and its password are throwaway and the user's own keyring is never opened.
# The exit status is the command's. Messages go to standard error, prefixed `secret-service:`. The pids of the bus
# and of the daemon go to $XDG_RUNTIME_DIR/pids, for xtask to make sure that neither outlives the session.
set -u

say() { printf 'secret-service: %s\n' "$*" >&2; }

# Ask the bus driver about bus name $2 (never the Secret Service itself, which D-Bus activation could start).
bus_driver() {
    dbus-send --session --print-reply --reply-timeout=2000 --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        "org.freedesktop.DBus.$1" "string:$2" 2>/dev/null
}

# The pid of the process owning bus name $1 (the bus itself for org.freedesktop.DBus).
pid_of() {
    bus_driver GetConnectionUnixProcessID "$1" | sed -n 's/^ *uint32 \([0-9][0-9]*\)$/\1/p'
}

# Whether process $1 still runs (a zombie waiting for its reaper counts as stopped).
running() {
    [ -r "/proc/$1/stat" ] || return 1
    state=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
    [ -n "$state" ] && [ "$state" != Z ]
}

keyring_pid=
stop_keyring() {
    [ -n "$keyring_pid" ] || return 0
    kill "$keyring_pid" 2>/dev/null || return 0
    tries=0
    while running "$keyring_pid" && [ "$tries" -lt 50 ]; do
        sleep 0.1
        tries=$((tries + 1))
    done
    if running "$keyring_pid"; then
        kill -9 "$keyring_pid" 2>/dev/null
        say "gnome-keyring-daemon (pid $keyring_pid) ignored TERM for 5 s: killed"
    fi
}
trap stop_keyring EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

unset LURING_SECRET_SERVICE
log="$XDG_RUNTIME_DIR/gnome-keyring.log"
# --unlock reads the password on standard input and creates the `login` keyring (the default collection) with it.
printf '%s' luring-throwaway | gnome-keyring-daemon --unlock --components=secrets >"$log" 2>&1
started=$?

# The daemon forks into the background; wait until it owns its bus name, then ask whether the default collection
# is unlocked (what a keyring client needs to store an item without a prompt).
tries=0
until [ "$started" -ne 0 ] || bus_driver NameHasOwner org.freedesktop.secrets | grep -q 'boolean true'; do
    tries=$((tries + 1))
    [ "$tries" -lt 50 ] || break
    sleep 0.1
done
keyring_pid=$(pid_of org.freedesktop.secrets)
# xtask waits for these after dbus-run-session returns, which stops the bus without waiting for it.
printf '%s\n' "$(pid_of org.freedesktop.DBus)" "$keyring_pid" >"$XDG_RUNTIME_DIR/pids"
locked="no daemon owns org.freedesktop.secrets"
if [ -n "$keyring_pid" ]; then
    locked=$(dbus-send --session --print-reply --reply-timeout=5000 --dest=org.freedesktop.secrets \
        /org/freedesktop/secrets/aliases/default org.freedesktop.DBus.Properties.Get \
        string:org.freedesktop.Secret.Collection string:Locked 2>&1)
fi

if printf '%s\n' "$locked" | grep -q '^ *variant *boolean false$'; then
    export LURING_SECRET_SERVICE=1
    say "private D-Bus session with an unlocked gnome-keyring (pid $keyring_pid): LURING_SECRET_SERVICE=1"
else
    say "warning: gnome-keyring did not come up unlocked (daemon exit status $started): running without"
    say "warning: LURING_SECRET_SERVICE, so the real keyring round trip is skipped (it fails under CI)"
    sed 's/^/secret-service:   gnome-keyring-daemon: /' "$log" >&2
    printf '%s\n' "$locked" | sed 's/^/secret-service:   default collection: /' >&2
fi

"$@"
exit $?
