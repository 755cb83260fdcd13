//! The queries behind the Pegawai screen and `luring-cli pegawai`: search-as-you-type, filtered and sorted pages
//! with keyset pagination, facet counts, and a pegawai's profile.
//!
//! Search puts an exact NIP first, then NIP-prefix matches, then rows where every word starts a word of the name
//! (`pegawai_nama_fts`), then rows where every word starts a word of the name, the jabatan or the unor, or the NIP
//! (case and diacritics folded; a word longer than the indexed prefixes matched whole first). Jabatan and unor
//! words are indexed once per distinct name (`search_value_fts`, migration 0006) and lead to the pegawai through
//! B-tree indexes. Each stage takes its first candidates in index order (at most [`SEARCH_CANDIDATES`]) and
//! shows them by nama, so that a very common word stays fast. Pages use keyset pagination (the last row's sort
//! key), never OFFSET. Anomaly filters add the date-dependent IKD codes (TIM_3, TIM_5) for "today", which is an
//! argument.

use chrono::{Datelike, NaiveDate};
use model::Pegawai;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params_from_iter};
use serde::{Deserialize, Serialize};

use crate::document;
use crate::{Error, Result};

/// How many candidates are read at most per stage (names, then every column); beyond that, the first candidates
/// in index order are taken, so a very common word stays fast and the officer refines by typing more.
pub const SEARCH_CANDIDATES: usize = 400;

/// One pegawai as a list row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PegawaiRingkas {
    /// Internal row id (stable for the life of the replica; used as the tie-break of keyset pagination).
    pub rowid: i64,
    /// NIP / NI PPPK.
    pub nip: String,
    /// Nama with gelar.
    pub nama_lengkap: String,
    /// Nama without gelar.
    pub nama: String,
    /// PNS, CPNS, PPPK.
    pub jenis_asn: Option<String>,
    /// Golongan id.
    pub golongan_id: Option<String>,
    /// Jabatan name.
    pub jabatan_nama: Option<String>,
    /// Unor id.
    pub unor_id: Option<String>,
    /// Unor name.
    pub unor_nama: Option<String>,
    /// Kedudukan hukum id.
    pub kedudukan_hukum_id: Option<String>,
    /// TMT pensiun, `yyyy-mm-dd`.
    pub tmt_pensiun: Option<String>,
    /// The next KP reguler period on or after today, `yyyy-mm-dd`.
    pub kp_berikutnya: Option<String>,
    /// IKD anomalies today (stored codes plus TIM_3/TIM_5 for today).
    pub ikd_count: i64,
}

/// Filters of the pegawai list; every set field narrows the list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Filter {
    /// Only pegawai in this unor or below it.
    pub unor: Option<String>,
    /// Golongan from (id, e.g. `"31"`), inclusive.
    pub golongan_dari: Option<String>,
    /// Golongan to (id), inclusive.
    pub golongan_sampai: Option<String>,
    /// Jenis jabatan ids (1, 2, 4).
    pub jenis_jabatan: Vec<String>,
    /// Jenis ASN (PNS, CPNS, PPPK).
    pub jenis_asn: Vec<String>,
    /// Kedudukan hukum ids.
    pub kedudukan: Vec<String>,
    /// Only pegawai with (true) or without (false) an IKD anomaly today.
    pub ada_anomali: Option<bool>,
    /// Only pegawai with this IKD code today.
    pub ikd: Option<String>,
    /// Only pegawai whose TMT pensiun is within this many months from today (including past ones).
    pub bup_dalam_bulan: Option<u32>,
    /// Only pegawai whose 4 years in pangkat are reached by this KP period date (KP reguler possible then).
    pub kp_pada: Option<NaiveDate>,
}

/// Sort orders; every order ends with the row id so pages are stable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Urutan {
    /// By nama (without gelar).
    #[default]
    Nama,
    /// By NIP.
    Nip,
    /// By golongan, highest first, then nama.
    Golongan,
    /// By TMT pensiun, soonest first.
    TmtPensiun,
}

/// Where the next page starts: the sort key and row id of the last row shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cursor {
    /// The last row's sort value as text (empty for NULL).
    pub kunci: String,
    /// The last row's row id.
    pub rowid: i64,
}

/// One page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Halaman {
    /// The rows.
    pub rows: Vec<PegawaiRingkas>,
    /// The cursor of the next page, `None` on the last page.
    pub berikutnya: Option<Cursor>,
}

/// Counts per value under the current filter, for the filter panel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    /// Total rows.
    pub total: i64,
    /// By golongan id.
    pub golongan: Vec<(String, i64)>,
    /// By jenis ASN.
    pub jenis_asn: Vec<(String, i64)>,
    /// By jenis jabatan id.
    pub jenis_jabatan: Vec<(String, i64)>,
    /// By kedudukan hukum id.
    pub kedudukan: Vec<(String, i64)>,
    /// Rows with an IKD anomaly today.
    pub ada_anomali: i64,
}

const COLUMNS: &str = "p.document_rowid, p.nip, p.nama_lengkap, p.nama, p.jenis_asn, p.golongan_id, p.jabatan_nama, \
    p.unor_id, p.unor_nama, p.kedudukan_hukum_id, p.tmt_pensiun, p.kp_pertama";

/// Search-as-you-type: exact NIP first, then NIP prefixes, then name matches, then matches in any column (see the
/// module doc; not ranked). At most `limit`.
///
/// # Errors
/// SQLite errors. A query with no searchable characters returns no rows.
pub fn search(conn: &Connection, query: &str, limit: usize, today: NaiveDate) -> Result<Vec<PegawaiRingkas>> {
    let query = query.trim();
    let mut rows = Vec::new();
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    if !digits.is_empty() && digits.len() == query.chars().filter(|c| !c.is_whitespace()).count() {
        // A NIP or its prefix: an index range scan in NIP order, which puts an exact match first (a string sorts
        // before every longer one it starts). Sorting by anything else would sort the whole range: every NIP
        // starts with "1" or "2", so the first keystroke of a NIP would sort the replica.
        let mut upper = digits.clone();
        upper.push(':'); // ':' sorts right after '9'
        let sql = format!(
            "SELECT {COLUMNS}, {ikd} FROM pegawai p WHERE p.nip >= ?1 AND p.nip < ?2 ORDER BY p.nip LIMIT ?3",
            ikd = ikd_today_sql("?4")
        );
        let mut statement = conn.prepare_cached(&sql)?;
        let mapped = statement
            .query_map(rusqlite::params![digits, upper, limit as i64, today.to_string()], |row| read_row(row, today))?;
        for row in mapped {
            rows.push(row?);
        }
        if rows.len() >= limit || digits.len() >= 8 {
            return Ok(rows);
        }
    }
    let words = search_words(query);
    if words.is_empty() {
        return Ok(rows);
    }
    if let [word] = words.as_slice()
        && let Some(letter) = single_letter(word)
    {
        // The first keystroke of a name: names starting with that letter, in name order, through the
        // `pegawai_nama` index. The index of names has no one-letter prefixes, and a one-letter prefix query would
        // merge the doclists of every name word starting with it (thousands) before returning a row.
        // SI-ASN writes names in upper case: those first, then names starting with the lower-case letter (an
        // import from elsewhere); a name starting otherwise ("'AINI") is found by the later stages or the next key.
        let sql = format!(
            "SELECT {COLUMNS}, {ikd} FROM pegawai p WHERE p.nama >= ?1 AND p.nama < ?2 \
             ORDER BY p.nama, p.document_rowid LIMIT ?3",
            ikd = ikd_today_sql("?4")
        );
        for letter in [letter, letter.to_ascii_lowercase()] {
            if rows.len() >= limit {
                break;
            }
            let (from, to) = (char::from(letter).to_string(), char::from(letter + 1).to_string());
            let mut statement = conn.prepare_cached(&sql)?;
            let mapped = statement
                .query_map(rusqlite::params![from, to, (limit - rows.len()) as i64, today.to_string()], |row| {
                    read_row(row, today)
                })?;
            for row in mapped {
                let row = row?;
                if !rows.iter().any(|seen: &PegawaiRingkas| seen.rowid == row.rowid) {
                    rows.push(row);
                }
            }
        }
        if rows.len() >= limit {
            rows.truncate(limit);
            return Ok(rows);
        }
    }
    // Names first (the index of names alone), then matches in any column (name, NIP, jabatan, unor; words may span
    // them: "sri guru"); each a capped, unranked read (bm25 would count the term in every row that has it, which is
    // most of the index for a common word) ordered by nama. In the index of names every row of a word's doclist
    // is a name match, so the read stops at the cap. A word longer than the indexed prefixes is first matched as a
    // whole word: its prefix query would merge the doclists of every term it starts before returning a row, slow
    // for a common word; the whole word reads one doclist up to the cap.
    let long = words.iter().any(|word| word.chars().count() > MAX_INDEXED_PREFIX);
    let forms: &[Form] = if long { &[Form::Whole, Form::Prefix] } else { &[Form::Prefix] };
    let mut stages: Vec<(String, Vec<SqlValue>)> = Vec::with_capacity(4);
    for &form in forms {
        stages.push((
            "SELECT rowid AS r FROM pegawai_nama_fts WHERE pegawai_nama_fts MATCH ?1".to_owned(),
            vec![SqlValue::Text(fts_words(&words, form))],
        ));
    }
    for &form in forms {
        stages.push(any_column(conn, &words, form)?);
    }
    for (candidates, mut params) in stages {
        if rows.len() >= limit {
            break;
        }
        let next = params.len() + 1;
        let sql = format!(
            "SELECT {COLUMNS}, {ikd} FROM ({candidates} LIMIT ?{next}) AS hit \
             CROSS JOIN pegawai p ON p.document_rowid = hit.r ORDER BY p.nama, p.document_rowid LIMIT ?{}",
            next + 1,
            ikd = ikd_today_sql(&format!("?{}", next + 2))
        );
        params.extend([
            SqlValue::Integer(SEARCH_CANDIDATES as i64),
            SqlValue::Integer(limit as i64),
            SqlValue::Text(today.to_string()),
        ]);
        let mut statement = conn.prepare_cached(&sql)?;
        let mapped = statement.query_map(params_from_iter(params), |row| read_row(row, today))?;
        for row in mapped {
            let row = row?;
            if rows.len() >= limit {
                break;
            }
            if !rows.iter().any(|seen: &PegawaiRingkas| seen.rowid == row.rowid) {
                rows.push(row);
            }
        }
    }
    Ok(rows)
}

/// The upper-case letter of a one-letter search word of `a`–`z` (`None` otherwise: a longer word, a digit, or a
/// letter whose case folding is not one to one, such as `ß`, which the later stages match correctly).
fn single_letter(word: &str) -> Option<u8> {
    match word.as_bytes() {
        [letter] if letter.is_ascii_alphabetic() => Some(letter.to_ascii_uppercase()),
        _ => None,
    }
}

/// How a search word is matched against indexed words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// The word is a prefix of an indexed word (`"kata"*`).
    Prefix,
    /// The word is an indexed word (`"kata"`).
    Whole,
}

/// The FTS5 query of one word.
fn fts_word(word: &str, form: Form) -> String {
    match form {
        Form::Prefix => format!("\"{word}\"*"),
        Form::Whole => format!("\"{word}\""),
    }
}

/// The FTS5 query of every word, AND-ed (`"sri"* "wah"*` for [`Form::Prefix`]).
pub(crate) fn fts_words(words: &[String], form: Form) -> String {
    words.iter().map(|word| fts_word(word, form)).collect::<Vec<_>>().join(" ")
}

/// The candidates (one column `r`, a pegawai row id, each once) of the any-column stage of a search: pegawai for
/// whom EVERY word is found in the name (`pegawai_nama_fts`), the NIP (a word of digits is a NIP prefix), the
/// jabatan name or the unor name (`search_value_fts`, then the `pegawai_jabatan_nama` / `pegawai_unor_nama`
/// indexes). The rows come from the word expected to match fewest pegawai (one found in no jabatan or unor name
/// must be in the name or NIP; otherwise the one found in fewest jabatan and unor names), each checked for the
/// other words, so a caller's LIMIT stops the read early. Joins are CROSS JOINs, which fix SQLite's loop order:
/// with the statistics of `ANALYZE`, the planner otherwise scanned all of `pegawai` and probed the candidates
/// (80 ms instead of 2 for "guru" at 250,000 pegawai). Returns the SQL and its parameters (`?1`, `?2`, …).
///
/// # Errors
/// SQLite errors (counting the values a word matches).
pub(crate) fn any_column(conn: &Connection, words: &[String], form: Form) -> Result<(String, Vec<SqlValue>)> {
    let mut values_matched = Vec::with_capacity(words.len());
    for word in words {
        let count: i64 = conn
            .prepare_cached("SELECT count(*) FROM search_value_fts WHERE search_value_fts MATCH ?1")?
            .query_row([fts_word(word, form)], |row| row.get(0))?;
        values_matched.push(count);
    }
    let driver = (0..words.len())
        .min_by_key(|&at| (values_matched[at], std::cmp::Reverse(words[at].chars().count())))
        .unwrap_or(0);
    let mut params: Vec<SqlValue> = Vec::new();
    let mut bind = |value: SqlValue| {
        params.push(value);
        params.len()
    };
    // The driver's rows stream: value after value from the small index, its pegawai through the B-tree index, so
    // a LIMIT stops early however many values match ("negeri" is in thousands of school names).
    // `kind` is "jabatan" or "unor": a column of search_value_fts, a value of search_value.kind.
    let source_of = |kind: &str, column: &str, at: usize| {
        format!(
            "SELECT q.document_rowid FROM search_value_fts \
             CROSS JOIN search_value v ON v.id = search_value_fts.rowid \
             CROSS JOIN pegawai q ON q.{column} = v.value \
             WHERE search_value_fts MATCH '{kind} : ' || ?{at}"
        )
    };
    // Another word is checked on each candidate row: its value's id among the word's values (read once).
    let holds = |kind: &str, column: &str, at: usize| {
        format!(
            "EXISTS (SELECT 1 FROM search_value v WHERE v.kind = '{kind}' AND v.value = p.{column} \
             AND v.id IN (SELECT rowid FROM search_value_fts WHERE search_value_fts MATCH '{kind} : ' || ?{at}))"
        )
    };
    let nip_range = |word: &str| {
        (word.chars().all(|c| c.is_ascii_digit())).then(|| (word.to_owned(), format!("{word}:"))) // ':' follows '9'
    };
    // While a bulk load runs, the jabatan and unor indexes are not there (`import`): without them the value sources
    // would scan every pegawai per value, so jabatan and unor are left out of the search until the load ends.
    let by_value = index_exists(conn, "pegawai_jabatan_nama")? && index_exists(conn, "pegawai_unor_nama")?;
    let mut sources = Vec::with_capacity(4);
    let mut conditions = Vec::with_capacity(words.len());
    for (at, word) in words.iter().enumerate() {
        let fts = bind(SqlValue::Text(fts_word(word, form)));
        let nip = nip_range(word).map(|(low, high)| (bind(SqlValue::Text(low)), bind(SqlValue::Text(high))));
        if at == driver {
            sources.push(format!("SELECT rowid AS r FROM pegawai_nama_fts WHERE pegawai_nama_fts MATCH ?{fts}"));
            if values_matched[at] > 0 && by_value {
                sources.push(source_of("jabatan", "jabatan_nama", fts));
                sources.push(source_of("unor", "unor_nama", fts));
            }
            if let Some((low, high)) = nip {
                sources.push(format!("SELECT document_rowid FROM pegawai WHERE nip >= ?{low} AND nip < ?{high}"));
            }
        } else {
            let mut either = vec![format!(
                "p.document_rowid IN (SELECT rowid FROM pegawai_nama_fts WHERE pegawai_nama_fts MATCH ?{fts})"
            )];
            if by_value {
                either.extend([holds("jabatan", "jabatan_nama", fts), holds("unor", "unor_nama", fts)]);
            }
            if let Some((low, high)) = nip {
                either.push(format!("(p.nip >= ?{low} AND p.nip < ?{high})"));
            }
            conditions.push(format!("({})", either.join(" OR ")));
        }
    }
    let filter = if conditions.is_empty() { String::new() } else { format!(" WHERE {}", conditions.join(" AND ")) };
    Ok((
        format!(
            "SELECT DISTINCT p.document_rowid AS r FROM ({}) AS source \
             CROSS JOIN pegawai p ON p.document_rowid = source.r{filter}",
            sources.join(" UNION ALL ")
        ),
        params,
    ))
}

/// One page of pegawai under `filter`, sorted by `urutan`, starting after `after`.
///
/// # Errors
/// SQLite errors.
pub fn list(
    conn: &Connection,
    filter: &Filter,
    urutan: Urutan,
    after: Option<&Cursor>,
    limit: usize,
    today: NaiveDate,
) -> Result<Halaman> {
    let (key_sql, order_sql, sort_index) = match urutan {
        Urutan::Nama => ("p.nama", "p.nama, p.document_rowid", Some("pegawai_nama")),
        Urutan::Nip => ("p.nip", "p.nip, p.document_rowid", Some("pegawai_nip")),
        Urutan::Golongan => (
            "printf('%02d', 99 - coalesce(p.golongan_urutan, 0)) || p.nama",
            "99 - coalesce(p.golongan_urutan, 0), p.nama, p.document_rowid",
            None,
        ),
        // Soonest first, rows without a TMT pensiun (no tanggal lahir) at the start.
        Urutan::TmtPensiun => ("p.tmt_pensiun", "p.tmt_pensiun, p.document_rowid", Some("pegawai_tmt_pensiun")),
    };
    // Two plans. "Walk": read the next rows in sort order from the sort's index, a bounded window of them, and keep
    // those matching the filter; one page of a broad filter is found in a few thousand rows. "Seek": let SQLite pick
    // a filter's index and sort what matches; right for a narrow filter. Walk first; seek when the window was used up
    // without filling the page. The sort index is missing while a bulk import runs (`import`): then seek.
    let walk = sort_index.filter(|index| index_exists(conn, index).unwrap_or(false));
    if let Some(index) = walk.filter(|_| !narrow_by_index(conn, filter, today).unwrap_or(false)) {
        let walk = run_list(conn, filter, urutan, after, limit, today, key_sql, order_sql, Some(index))?;
        if let Some(page) = walk {
            return Ok(page);
        }
    }
    run_list(conn, filter, urutan, after, limit, today, key_sql, order_sql, None)
        .map(|page| page.unwrap_or(Halaman { rows: Vec::new(), berikutnya: None }))
}

/// Rows under which a filter of indexed equalities alone is narrow enough to seek and sort (~2 ms) rather than walk.
const NARROW_ROWS: i64 = 5_000;

/// Whether `filter` narrows the list only by jenis ASN, kedudukan and jenis jabatan (each served by its own
/// `(…, nama)` index) and keeps fewer than [`NARROW_ROWS`] rows, counted through that index (at most that many
/// entries read, well under a millisecond). Such a filter, e.g. PPPK aktif sorted by NIP, would fail the walk (its
/// rows are rare in the first 2,000 of the sort order, and NI PPPK cluster at the end of NIP order) and only then
/// seek: 9–13 ms at 250,000 pegawai, against ~2 ms seeking at once.
fn narrow_by_index(conn: &Connection, filter: &Filter, today: NaiveDate) -> Result<bool> {
    // Every field named, so that a new filter field must be considered here.
    let Filter {
        unor,
        golongan_dari,
        golongan_sampai,
        jenis_jabatan,
        jenis_asn,
        kedudukan,
        ada_anomali,
        ikd,
        bup_dalam_bulan,
        kp_pada,
    } = filter;
    let only_equalities = unor.is_none()
        && golongan_dari.is_none()
        && golongan_sampai.is_none()
        && ada_anomali.is_none()
        && ikd.is_none()
        && bup_dalam_bulan.is_none()
        && kp_pada.is_none();
    let narrows = !(jenis_asn.is_empty() && kedudukan.is_empty() && jenis_jabatan.is_empty());
    if !(only_equalities && narrows) {
        return Ok(false);
    }
    let mut params: Vec<SqlValue> = vec![SqlValue::Text(today.to_string())];
    let mut clauses = where_clauses(filter, today, &mut params);
    // Today is always bound as ?1; keep it referenced.
    clauses.insert(0, "?1 IS NOT NULL".into());
    let sql =
        format!("SELECT count(*) FROM (SELECT 1 FROM pegawai p WHERE {} LIMIT {NARROW_ROWS})", clauses.join(" AND "));
    let kept: i64 = conn.prepare_cached(&sql)?.query_row(params_from_iter(params), |row| row.get(0))?;
    Ok(kept < NARROW_ROWS)
}

/// Whether the index `name` exists (a bulk import drops the list indexes for its run).
fn index_exists(conn: &Connection, name: &str) -> Result<bool> {
    let mut statement =
        conn.prepare_cached("SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1)")?;
    Ok(statement.query_row([name], |row| row.get(0))?)
}

/// Rows the walk plan reads in sort order before it gives up on filling a page.
const WALK_WINDOW: i64 = 2_000;

/// One plan of [`list`]. With `walk_index`, returns `None` when the window was exhausted before a page filled.
#[allow(clippy::too_many_arguments, reason = "the plan's parts, computed once by the caller")]
fn run_list(
    conn: &Connection,
    filter: &Filter,
    urutan: Urutan,
    after: Option<&Cursor>,
    limit: usize,
    today: NaiveDate,
    key_sql: &str,
    order_sql: &str,
    walk_index: Option<&str>,
) -> Result<Option<Halaman>> {
    let mut params: Vec<SqlValue> = vec![SqlValue::Text(today.to_string())];
    let mut clauses = where_clauses(filter, today, &mut params);
    let cursor_clause = after.map(|cursor| {
        params.push(SqlValue::Text(cursor.kunci.clone()));
        let key = params.len();
        params.push(SqlValue::Integer(cursor.rowid));
        let rowid = params.len();
        if urutan == Urutan::TmtPensiun && cursor.kunci.is_empty() {
            // The last row shown had no TMT pensiun: the rest of those, then every row that has one.
            format!(
                "((p.tmt_pensiun IS NULL AND p.document_rowid > ?{rowid}) OR p.tmt_pensiun IS NOT NULL) AND ?{key} = ''"
            )
        } else {
            format!("({key_sql}, p.document_rowid) > (?{key}, ?{rowid})")
        }
    });
    params.push(SqlValue::Integer(limit as i64 + 1));
    let limit_param = params.len();
    let sql = match walk_index {
        Some(index) => {
            params.push(SqlValue::Integer(WALK_WINDOW));
            let window_param = params.len();
            let window_where = cursor_clause.map(|clause| format!("WHERE {clause}")).unwrap_or_default();
            let filter_where =
                if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
            // No ORDER BY outside the window: the materialized window is read back in the order it was written
            // (the sort order), so the read stops at the page's last row. Sorting again made SQLite read and sort
            // every row of the window first (~2,000 row lookups, 5-9 ms at 250,000 pegawai). The order is checked
            // below; a page out of order falls back to the seek plan.
            format!(
                "WITH window AS MATERIALIZED (SELECT p.document_rowid AS r FROM pegawai p INDEXED BY {index} \
                 {window_where} ORDER BY {order_sql} LIMIT ?{window_param}) \
                 SELECT {COLUMNS}, {ikd}, {key_sql}, (SELECT count(*) FROM window) FROM window w \
                 CROSS JOIN pegawai p ON p.document_rowid = w.r {filter_where} LIMIT ?{limit_param}",
                ikd = ikd_today_sql("?1"),
            )
        }
        None => {
            clauses.extend(cursor_clause);
            let where_sql = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
            format!(
                "SELECT {COLUMNS}, {ikd}, {key_sql}, 0 FROM pegawai p {where_sql} ORDER BY {order_sql} LIMIT ?{limit_param}",
                ikd = ikd_today_sql("?1"),
            )
        }
    };
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = Vec::with_capacity(limit + 1);
    let mut keys = Vec::with_capacity(limit + 1);
    let mut window_used = 0i64;
    let mut query = statement.query(params_from_iter(params.iter()))?;
    while let Some(row) = query.next()? {
        rows.push(read_row(row, today)?);
        keys.push(row.get::<_, Option<String>>(13)?.unwrap_or_default());
        window_used = row.get::<_, Option<i64>>(14)?.unwrap_or(0);
    }
    if walk_index.is_some() {
        // The walk's rows must come in sort order (see above); they always have, but a page out of order would
        // skip or repeat rows, so it is never returned.
        let ordered = keys
            .iter()
            .zip(&rows)
            .zip(keys.iter().zip(&rows).skip(1))
            .all(|((key, row), (next_key, next_row))| (key, row.rowid) < (next_key, next_row.rowid));
        if !ordered {
            return Ok(None);
        }
    }
    if walk_index.is_some() && rows.len() <= limit {
        // Not a full page: fine if the window reached the end of the list, otherwise the seek plan must look further.
        let window_full = if rows.is_empty() {
            // No row matched, so the window size is unknown from the rows: ask for it.
            let window_where = match after {
                Some(_) => return Ok(None),
                None => String::new(),
            };
            let count: i64 = conn.query_row(
                &format!("SELECT count(*) FROM (SELECT 1 FROM pegawai p {window_where} LIMIT {WALK_WINDOW})"),
                [],
                |row| row.get(0),
            )?;
            count >= WALK_WINDOW
        } else {
            window_used >= WALK_WINDOW
        };
        if window_full {
            return Ok(None);
        }
    }
    let berikutnya = if rows.len() > limit {
        rows.truncate(limit);
        rows.last().map(|last| Cursor { kunci: keys[limit - 1].clone(), rowid: last.rowid })
    } else {
        None
    };
    Ok(Some(Halaman { rows, berikutnya }))
}

/// Counts by golongan, jenis ASN, jenis jabatan, kedudukan and anomaly under `filter`.
///
/// # Errors
/// SQLite errors.
pub fn facets(conn: &Connection, filter: &Filter, today: NaiveDate) -> Result<Facets> {
    let mut params: Vec<SqlValue> = vec![SqlValue::Text(today.to_string())];
    let mut clauses = where_clauses(filter, today, &mut params);
    // Today is always bound as ?1 (the date-dependent IKD clauses use it); keep it referenced.
    clauses.insert(0, "?1 IS NOT NULL".into());
    let where_sql = format!("WHERE {}", clauses.join(" AND "));
    let count_by = |column: &str| -> Result<Vec<(String, i64)>> {
        let sql = format!("SELECT coalesce({column}, '?'), count(*) FROM pegawai p {where_sql} GROUP BY 1 ORDER BY 1");
        let mut statement = conn.prepare_cached(&sql)?;
        let rows = statement
            .query_map(params_from_iter(params.iter()), |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    };
    let golongan = count_by("p.golongan_id")?;
    let total = golongan.iter().map(|(_, count)| count).sum();
    let ada_anomali: i64 = conn.query_row(
        &format!("SELECT count(*) FROM pegawai p {where_sql} AND ({}) > 0", ikd_today_sql("?1")),
        params_from_iter(params.iter()),
        |row| row.get(0),
    )?;
    Ok(Facets {
        total,
        golongan,
        jenis_asn: count_by("p.jenis_asn")?,
        jenis_jabatan: count_by("p.jenis_jabatan_id")?,
        kedudukan: count_by("p.kedudukan_hukum_id")?,
        ada_anomali,
    })
}

/// A pegawai's whole profile: the hydrated document, its row id and document id.
#[derive(Debug, Clone, PartialEq)]
pub struct Profil {
    /// Internal row id.
    pub rowid: i64,
    /// Document id (UUID text).
    pub id: String,
    /// The pegawai document.
    pub pegawai: Pegawai,
    /// Same-field conflicts: (path, values as JSON text).
    pub konflik: Vec<(String, String)>,
}

/// The row id of the pegawai document to show or change: the one at `rowid` when given (it must be a readable
/// pegawai with `nip`), else the oldest document with `nip`.
///
/// # Errors
/// [`Error::NotFound`] when there is no such pegawai, the document at `rowid` has another NIP, or it is
/// quarantined; SQLite errors.
pub fn pegawai_rowid(conn: &Connection, nip: &str, rowid: Option<i64>) -> Result<i64> {
    let nip = nip.trim();
    let found: Option<i64> = match rowid {
        Some(rowid) => conn
            .prepare_cached("SELECT document_rowid FROM pegawai WHERE document_rowid = ?1 AND nip = ?2")?
            .query_row(rusqlite::params![rowid, nip], |row| row.get(0))
            .optional()?,
        None => conn
            .prepare_cached("SELECT document_rowid FROM pegawai WHERE nip = ?1 ORDER BY document_rowid LIMIT 1")?
            .query_row([nip], |row| row.get(0))
            .optional()?,
    };
    found.ok_or_else(|| Error::NotFound(format!("pegawai dengan NIP {nip}")))
}

/// Pegawai under `filter` (one `count(*)`; the list's first page shows it).
///
/// # Errors
/// SQLite errors.
pub fn count(conn: &Connection, filter: &Filter, today: NaiveDate) -> Result<i64> {
    let mut params: Vec<SqlValue> = vec![SqlValue::Text(today.to_string())];
    let mut clauses = where_clauses(filter, today, &mut params);
    // Today is always bound as ?1 (the date-dependent IKD clauses use it); keep it referenced.
    clauses.insert(0, "?1 IS NOT NULL".into());
    let sql = format!("SELECT count(*) FROM pegawai p WHERE {}", clauses.join(" AND "));
    Ok(conn.prepare_cached(&sql)?.query_row(params_from_iter(params.iter()), |row| row.get(0))?)
}

/// Loads the profile of the pegawai with `nip` (the first one when a NIP is shared after a correction).
///
/// # Errors
/// [`Error::NotFound`], [`Error::CorruptDocument`] (the caller should quarantine), SQLite errors.
pub fn profil(conn: &Connection, nip: &str) -> Result<Profil> {
    profil_by_rowid(conn, pegawai_rowid(conn, nip, None)?)
}

/// Loads the profile of the pegawai document at `rowid`.
///
/// # Errors
/// As [`profil`].
pub fn profil_by_rowid(conn: &Connection, rowid: i64) -> Result<Profil> {
    let (stored, value) = document::load_value(conn, rowid)?;
    let pegawai: Pegawai = serde_json::from_value(value).map_err(|error| Error::Shape(error.to_string()))?;
    let mut statement =
        conn.prepare_cached("SELECT path, values_json FROM field_conflict WHERE document_rowid = ?1 ORDER BY path")?;
    let konflik = statement.query_map([rowid], |row| Ok((row.get(0)?, row.get(1)?)))?.collect::<Result<_, _>>()?;
    Ok(Profil { rowid, id: stored.id.to_string(), pegawai, konflik })
}

/// How many pegawai documents [`instansi_nama`] reads at most.
const INSTANSI_PROBE: usize = 5;

/// The name of instansi `id` (SI-ASN `instansiKerjaId` / `instansiIndukId`) as the replica knows it: the unor of
/// that id when the tree has it, else `instansiKerjaNama` (or `instansiIndukNama`) of the first of the oldest
/// [`INSTANSI_PROBE`] readable pegawai documents that names it. `None` when none does (an empty replica, or no
/// pegawai of that instansi); a document that does not read is passed over, not reported (the replica's own
/// checks report it).
///
/// # Errors
/// SQLite errors.
pub fn instansi_nama(conn: &Connection, id: &str) -> Result<Option<String>> {
    if let Some(nama) = crate::ringkasan::unor_nama(conn, id)? {
        return Ok(Some(nama));
    }
    let rowids: Vec<i64> = conn
        .prepare_cached("SELECT document_rowid FROM pegawai ORDER BY document_rowid LIMIT ?1")?
        .query_map([INSTANSI_PROBE as i64], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    for rowid in rowids {
        let utama = match profil_by_rowid(conn, rowid) {
            Ok(profil) => profil.pegawai.data_utama,
            Err(Error::Sqlite(error)) => return Err(Error::Sqlite(error)),
            Err(_) => continue,
        };
        let named = |other: &Option<String>, nama: Option<String>| {
            nama.filter(|nama| other.as_deref() == Some(id) && !nama.trim().is_empty())
        };
        if let Some(nama) = named(&utama.instansi_kerja_id, utama.instansi_kerja_nama.clone())
            .or_else(|| named(&utama.instansi_induk_id, utama.instansi_induk_nama.clone()))
        {
            return Ok(Some(nama.trim().to_owned()));
        }
    }
    Ok(None)
}

/// Turns what an officer typed into an FTS5 query: every word a prefix, AND-ed; quotes and operators removed.
/// Typing is capped at [`MAX_SEARCH_WORDS`] distinct words of at most [`MAX_WORD_CHARS`] characters each, and
/// one-letter words are dropped when a longer word is present (an unindexed one-letter prefix matches everything).
pub fn fts_query(text: &str) -> Option<String> {
    let words = search_words(text);
    (!words.is_empty()).then(|| fts_words(&words, Form::Prefix))
}

/// The longest prefix (in characters) the FTS indexes hold (`prefix = '2 3 4 5 6'`, migrations 0005 and 0006).
pub const MAX_INDEXED_PREFIX: usize = 6;

/// The words of a search, lower-cased, deduplicated and capped as [`fts_query`] describes.
pub(crate) fn search_words(text: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|word| !word.is_empty()) {
        let word: String = word.to_lowercase().chars().take(MAX_WORD_CHARS).collect();
        if !words.contains(&word) {
            words.push(word);
        }
        if words.len() == MAX_SEARCH_WORDS {
            break;
        }
    }
    if words.iter().any(|word| word.chars().count() > 1) {
        words.retain(|word| word.chars().count() > 1);
    }
    words
}

/// At most this many words of a search are used.
pub const MAX_SEARCH_WORDS: usize = 8;
/// At most this many characters of a search word are used.
pub const MAX_WORD_CHARS: usize = 40;

/// SQL for the number of IKD anomalies today: stored codes plus TIM_3 (CPNS over a year) and TIM_5 (at BUP, still
/// aktif), with `today` bound at `param` (`yyyy-mm-dd`). NULL-safe: a row with no jenis ASN, kedudukan or dates
/// counts 0 for those codes, never NULL.
fn ikd_today_sql(param: &str) -> String {
    format!(
        "(p.ikd_count \
          + coalesce(p.jenis_asn IS 'CPNS' AND p.tmt_cpns < date({param}, '-1 year'), 0) \
          + coalesce(p.kedudukan_hukum_id IS '01' AND p.tmt_pensiun <= {param}, 0))"
    )
}

fn where_clauses(filter: &Filter, today: NaiveDate, params: &mut Vec<SqlValue>) -> Vec<String> {
    let mut clauses = Vec::new();
    let bind = |params: &mut Vec<SqlValue>, value: SqlValue| -> String {
        params.push(value);
        format!("?{}", params.len())
    };
    if let Some(unor) = &filter.unor {
        // The subtree: every path that contains `/<unor>/`; resolved to a path prefix through the unor table.
        let unor_param = bind(params, SqlValue::Text(unor.clone()));
        clauses.push(format!(
            "p.unor_path >= coalesce((SELECT path FROM unor WHERE id = {unor_param}), '/' || {unor_param} || '/') \
             AND p.unor_path < coalesce((SELECT path FROM unor WHERE id = {unor_param}), '/' || {unor_param} || '/') || x'ff'"
        ));
    }
    let urutan = |id: &Option<String>| id.as_deref().and_then(|id| model::referensi::referensi().golongan_urutan(id));
    // A golongan range keeps a large share of the rows: a leading `+` keeps SQLite from picking its index and then
    // sorting that share, so it walks the sort order's index and stops after one page. Jenis ASN, kedudukan and
    // jenis jabatan have (…, nama) indexes, so an equality on them seeks and still walks in nama order.
    if let Some(from) = urutan(&filter.golongan_dari) {
        let param = bind(params, SqlValue::Integer(i64::from(from)));
        clauses.push(format!("+p.golongan_urutan >= {param}"));
    }
    if let Some(to) = urutan(&filter.golongan_sampai) {
        let param = bind(params, SqlValue::Integer(i64::from(to)));
        clauses.push(format!("+p.golongan_urutan <= {param}"));
    }
    for (column, values) in [
        ("p.jenis_jabatan_id", &filter.jenis_jabatan),
        ("p.jenis_asn", &filter.jenis_asn),
        ("p.kedudukan_hukum_id", &filter.kedudukan),
    ] {
        if !values.is_empty() {
            let list: Vec<String> = values.iter().map(|value| bind(params, SqlValue::Text(value.clone()))).collect();
            clauses.push(format!("{column} IN ({})", list.join(", ")));
        }
    }
    match filter.ada_anomali {
        Some(true) => clauses.push(format!("{} > 0", ikd_today_sql("?1"))),
        Some(false) => clauses.push(format!("{} = 0", ikd_today_sql("?1"))),
        None => {}
    }
    if let Some(kode) = &filter.ikd {
        match kode.as_str() {
            "TIM_3" => clauses
                .push("(p.jenis_asn = 'CPNS' AND p.tmt_cpns IS NOT NULL AND p.tmt_cpns < date(?1, '-1 year'))".into()),
            "TIM_5" => clauses
                .push("(p.kedudukan_hukum_id = '01' AND p.tmt_pensiun IS NOT NULL AND p.tmt_pensiun <= ?1)".into()),
            _ => {
                let param = bind(params, SqlValue::Text(kode.clone()));
                clauses.push(format!(
                    "EXISTS (SELECT 1 FROM ikd_anomali a WHERE a.document_rowid = p.document_rowid AND a.kode = {param})"
                ));
            }
        }
    }
    if let Some(months) = filter.bup_dalam_bulan {
        // Beyond 100 years every TMT pensiun is in range; clamping keeps the date arithmetic in bounds.
        let horizon = add_months(today, months.min(1_200));
        let param = bind(params, SqlValue::Text(horizon.to_string()));
        clauses.push(format!("p.tmt_pensiun <= {param}"));
    }
    if let Some(period) = filter.kp_pada {
        let param = bind(params, SqlValue::Text(period.to_string()));
        clauses.push(format!(
            "p.kp_pertama <= {param} AND p.kp_status <> 'tidak_memenuhi' AND (p.tmt_pensiun IS NULL OR p.tmt_pensiun > {param})"
        ));
    }
    clauses
}

fn read_row(row: &rusqlite::Row<'_>, today: NaiveDate) -> rusqlite::Result<PegawaiRingkas> {
    let kp_pertama: Option<String> = row.get(11)?;
    let kp_berikutnya = kp_pertama
        .and_then(|text| text.parse::<NaiveDate>().ok())
        .map(|first| if first >= today { first } else { model::referensi::referensi().tmt_kp_berikutnya(today) });
    Ok(PegawaiRingkas {
        rowid: row.get(0)?,
        nip: row.get(1)?,
        nama_lengkap: row.get(2)?,
        nama: row.get(3)?,
        jenis_asn: row.get(4)?,
        golongan_id: row.get(5)?,
        jabatan_nama: row.get(6)?,
        unor_id: row.get(7)?,
        unor_nama: row.get(8)?,
        kedudukan_hukum_id: row.get(9)?,
        tmt_pensiun: row.get(10)?,
        kp_berikutnya: kp_berikutnya.map(|date| date.to_string()),
        ikd_count: row.get(12)?,
    })
}

/// `date` plus `months` months, on the same day or the month's last day.
fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    let total = date.year() * 12 + date.month0() as i32 + months as i32;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    (0..4).find_map(|back| NaiveDate::from_ymd_opt(year, month, date.day().saturating_sub(back).max(1))).unwrap_or(date)
}

/// The eselon of the unor `id` from the replica's unor tree, if known.
///
/// # Errors
/// SQLite errors.
pub fn eselon_unor(conn: &Connection, id: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT eselon_id FROM unor WHERE id = ?1")?
        .query_row([id], |row| row.get::<_, Option<String>>(0))
        .optional()?
        .flatten())
}
