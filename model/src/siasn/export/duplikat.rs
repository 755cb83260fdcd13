//! Which rows of an export are one pegawai: the first pass of the decoder.
//!
//! A NIP appearing twice is not proof of one person: a spreadsheet that turned `197603012006011001` into
//! `1.97603E+17`, or kept only 15 digits (`197603012006011000`), gives different pegawai the same "NIP". Rows are
//! merged only when the NIP is a valid 18-digit NIP, was not written in scientific notation, does not end in the
//! sequence `000`, and the rows agree on `pns_id` (when both have one) or else on nama and tanggal lahir. Every
//! other repeated NIP keeps all its rows, each reported. The index keeps a few numbers per row, not the rows, so a
//! file of any size is planned in little memory and in linear time.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::CsvRow;
use super::rows::Row;
use crate::date::Tanggal;
use crate::id::Nip;
use crate::rules::nip;
use crate::siasn::data_utama::keys;
use crate::siasn::field::FieldReader;
use crate::warning::{Warning, WarningKind};

/// How many other lines a duplicate note names before it says "and N more".
const LINES_SHOWN: usize = 5;

/// What one row says about who it is.
#[derive(Debug, Clone, Copy)]
struct Member {
    ordinal: usize,
    line: usize,
    pns_id: Option<u64>,
    /// Nama (case and spacing folded) with tanggal lahir; `None` without a nama.
    person: Option<u64>,
    /// TMT jabatan, TMT golongan: the later row wins a merge (then the later line).
    recency: (Option<Tanggal>, Option<Tanggal>),
}

/// The rows seen in the first pass, grouped by NIP.
#[derive(Debug, Default)]
pub(super) struct Index {
    /// Valid NIPs (as numbers) seen once, and the further rows of those seen again.
    first: HashMap<u64, Member>,
    again: HashMap<u64, Vec<Member>>,
    /// NIPs that cannot identify a pegawai (mangled, not 18 digits): (ordinal, line) of each row.
    mangled_first: HashMap<String, (usize, usize)>,
    mangled_again: HashMap<String, Vec<(usize, usize)>>,
    scratch: Vec<Warning>,
}

impl Index {
    /// Notes one data row.
    pub(super) fn add(&mut self, row: &Row, columns: &HashMap<String, (usize, String)>) {
        let source = CsvRow { columns, record: &row.record };
        self.scratch.clear();
        let nip_text = FieldReader::new(&source, "", "", &mut self.scratch).code(keys::NIP);
        let scientific = self.scratch.iter().any(|warning| warning.kind == WarningKind::ScientificNotation);
        let nip = Nip::clean(&nip_text.unwrap_or_default());
        if nip.as_str().is_empty() {
            return;
        }
        let valid = nip::parse(&nip).is_ok_and(|parts| parts.urut != 0);
        let number = nip.as_str().parse::<u64>().ok().filter(|_| valid && !scientific);
        let Some(number) = number else {
            let entry = (row.ordinal, row.line);
            match self.mangled_first.get(nip.as_str()) {
                None => {
                    self.mangled_first.insert(nip.as_str().to_owned(), entry);
                }
                Some(_) => self.mangled_again.entry(nip.as_str().to_owned()).or_default().push(entry),
            }
            return;
        };
        let mut reader = FieldReader::new(&source, "", "", &mut self.scratch);
        let pns_id = reader.code(keys::PNS_ID).map(|id| hash(&id));
        let nama = reader.text(keys::NAMA).map(|nama| nama.split_whitespace().collect::<Vec<_>>().join(" "));
        let tgl_lahir = reader.date(keys::TGL_LAHIR);
        let recency = (reader.date(keys::TMT_JABATAN), reader.date(keys::TMT_GOLONGAN));
        let person = nama.filter(|nama| !nama.is_empty()).map(|nama| hash(&(nama.to_uppercase(), tgl_lahir)));
        let member = Member { ordinal: row.ordinal, line: row.line, pns_id, person, recency };
        match self.first.get(&number) {
            None => {
                self.first.insert(number, member);
            }
            Some(_) => self.again.entry(number).or_default().push(member),
        }
    }

    /// Decides, for every row that shares its NIP, whether it merges into another or stands alone.
    pub(super) fn into_plan(self) -> Plan {
        let mut plan = Plan::default();
        for (number, again) in self.again {
            let Some(first) = self.first.get(&number) else { continue };
            let mut members = Vec::with_capacity(again.len() + 1);
            members.push(*first);
            members.extend(again);
            plan.add_group(&members);
        }
        for (nip, again) in self.mangled_again {
            let Some(first) = self.mangled_first.get(&nip) else { continue };
            let mut rows = Vec::with_capacity(again.len() + 1);
            rows.push(*first);
            rows.extend(again);
            let lines: Vec<usize> = rows.iter().map(|(_, line)| *line).collect();
            for (ordinal, line) in &rows {
                let note = format!(
                    "NIP '{nip}' juga dipakai di {}; NIP ini tidak utuh (bukan 18 angka, notasi E, atau 3 digit \
                     terakhir 000) sehingga tidak dapat dipastikan pegawai yang sama: semua baris disimpan. Periksa \
                     NIP di SIASN dan format kolom NIP sebagai teks",
                    other_lines(&lines, *line)
                );
                plan.roles.insert(*ordinal, Role::Alone(note));
            }
        }
        plan
    }
}

/// What happens to a row that shares its NIP with another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Role {
    /// Kept as its own record, with this [`WarningKind::DuplicateRecord`] note.
    Alone(String),
    /// One of the rows of `cluster`, all one pegawai; `winner` is the row kept; `sama` says what matched.
    Member { cluster: usize, winner: bool, sama: &'static str },
}

/// A pegawai found on several rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Cluster {
    /// The line of the row kept.
    pub(super) winner_line: usize,
    /// Rows not processed yet in the second pass; the record is emitted when it reaches 0.
    pub(super) remaining: usize,
    /// When other rows share the NIP but are someone else: the note saying so.
    pub(super) note: Option<String>,
}

/// The outcome of the first pass: a role for every row that shares its NIP (other rows are plain records).
#[derive(Debug, Default)]
pub(super) struct Plan {
    pub(super) roles: HashMap<usize, Role>,
    pub(super) clusters: Vec<Cluster>,
}

impl Plan {
    /// Splits the rows of one valid NIP (in file order) into pegawai, and plans each.
    fn add_group(&mut self, members: &[Member]) {
        // A row joins the first pegawai whose first row agrees with it: on pns_id when both have one, else on
        // nama and tanggal lahir. Lookups by key keep this linear however many rows share the NIP.
        let mut people: Vec<Vec<(Member, &'static str)>> = Vec::new();
        let mut by_pns_id: HashMap<u64, usize> = HashMap::new();
        let mut by_person: HashMap<u64, usize> = HashMap::new();
        let mut by_person_without_pns_id: HashMap<u64, usize> = HashMap::new();
        for member in members {
            let joined = match (member.pns_id, member.person) {
                (Some(pns_id), person) => by_pns_id.get(&pns_id).map(|&index| (index, "pns_id")).or_else(|| {
                    person
                        .and_then(|person| by_person_without_pns_id.get(&person))
                        .map(|&i| (i, "nama dan tanggal lahir"))
                }),
                (None, Some(person)) => by_person.get(&person).map(|&index| (index, "nama dan tanggal lahir")),
                (None, None) => None,
            };
            match joined {
                Some((index, sama)) => people[index].push((*member, sama)),
                None => {
                    let index = people.len();
                    if let Some(pns_id) = member.pns_id {
                        by_pns_id.insert(pns_id, index);
                    }
                    if let Some(person) = member.person {
                        by_person.entry(person).or_insert(index);
                        if member.pns_id.is_none() {
                            by_person_without_pns_id.entry(person).or_insert(index);
                        }
                    }
                    people.push(vec![(*member, "")]);
                }
            }
        }
        let firsts: Vec<usize> = people.iter().map(|rows| rows[0].0.line).collect();
        for rows in &people {
            let note = (people.len() > 1).then(|| {
                format!(
                    "NIP sama dengan {}, data berbeda (pns_id atau nama dan tanggal lahir tidak cocok); keduanya \
                     disimpan. Periksa di SIASN",
                    other_lines(&firsts, rows[0].0.line)
                )
            });
            if rows.len() == 1 {
                if let Some(note) = note {
                    self.roles.insert(rows[0].0.ordinal, Role::Alone(note));
                }
                continue;
            }
            let winner = rows
                .iter()
                .map(|(member, _)| member)
                .max_by_key(|member| (member.recency, member.line))
                .map_or(rows[0].0.ordinal, |member| member.ordinal);
            let cluster = self.clusters.len();
            let winner_line = rows.iter().find(|(member, _)| member.ordinal == winner).map_or(0, |(m, _)| m.line);
            self.clusters.push(Cluster { winner_line, remaining: rows.len(), note });
            for (position, (member, sama)) in rows.iter().enumerate() {
                // The first row matched nothing before it: it shares what the second row matched it on.
                let sama = if position == 0 { rows[1].1 } else { *sama };
                let is_winner = member.ordinal == winner;
                self.roles.insert(member.ordinal, Role::Member { cluster, winner: is_winner, sama });
            }
        }
    }
}

/// `baris 3, 9` (at most [`LINES_SHOWN`], then `dan N lainnya`): the lines of `lines` other than `own`.
/// `own` is one of `lines`; only the first few others are looked at, so a note costs the same however many rows
/// share the NIP.
fn other_lines(lines: &[usize], own: usize) -> String {
    let shown: Vec<String> =
        lines.iter().filter(|line| **line != own).take(LINES_SHOWN).map(ToString::to_string).collect();
    let others = lines.len().saturating_sub(1);
    let mut text = format!("baris {}", shown.join(", "));
    if others > LINES_SHOWN {
        text.push_str(&format!(" dan {} baris lainnya", others - LINES_SHOWN));
    }
    text
}

fn hash(value: &impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}
