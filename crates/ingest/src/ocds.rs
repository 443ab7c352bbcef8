//! OCDS JSON in every packaging, and the OCDS merge of releases into compiled releases.
//!
//! ```text
//! paths ──► files (.json, .jsonl, .ndjson; .gz/.xz/.zip through crate::input, within Limits)
//!       ──► documents (one JSON text, JSON Lines, or JSON texts one after another)
//!       ──► releases (release package, record package, single release, compiled release, list)
//!       ──► group by ocid ──► compile (OCDS 1.1 merge routine) ──► one compiled release per ocid
//! ```
//!
//! **Packagings read** (OCDS 1.1 "Packaging"): a release package (`releases`); a record
//! package (`records[]`, each with embedded `releases` and/or a `compiledRelease`; linked
//! releases, which only give a `url`, are reported and not followed); a single release (an
//! object with `ocid`); a JSON array of any of these; JSON Lines or concatenated JSON texts
//! of any of these (one release or package per line, as `ocdskit` and bulk downloads write).
//! A record whose releases are embedded is read from them (its `compiledRelease` is derived
//! from them and not counted again); a record with only a `compiledRelease` is read as that.
//!
//! **Accounting.** Every release found is either [`Release`] (kept) or rejected with an
//! [`Issue`] naming the file, the JSON path (`column`, a JSON Pointer such as
//! `/releases/3/ocid`), the value and the reason: no `ocid`, a `date` missing or not an
//! RFC 3339 date-time (OCDS `date-time` format; the merge orders releases by it), not an
//! object. A document that is not JSON is a file-level issue with its line and column; in
//! JSON Lines or concatenated texts reading resumes at the next line that starts a JSON
//! object, so the rest of the file is read.
//!
//! **Limits.** Files are opened with [`crate::input::open_with`] (size, decompression ratio,
//! nested archives). JSON nesting is bounded by serde_json's recursion limit (128 levels),
//! which also bounds the recursion of the merge; a deeper document is refused with that
//! reason. At most `max_rows` releases are read from one file.
//!
//! **Merge** ([`compile`]): the OCDS 1.1 merge routine ("Merging" in the standard, with the
//! merge rules of the 1.1.5 release schema, [`WHOLE_LIST_MERGE`]): releases in chronological
//! order by `date` (ties keep input order); `id`, `date` and `tag` are omitted when merged;
//! a field set to `null` is removed; objects merge field by field; arrays of objects merge by
//! `id` (an object without an `id` is appended, as the reference implementation ocdsmerge
//! does); arrays of anything else, and the arrays the schema marks `wholeListMerge`, are
//! replaced whole; an empty object or array in a later release changes nothing. The
//! compiled release gets `tag: ["compiled"]`, the latest `date`, and `id` =
//! `{ocid}-{date}`, as the standard's note and ocdsmerge do.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::input;
use crate::limits::Limits;
use crate::report::{Issue, Outcome};

/// Arrays replaced whole when merged, by their path of field names (array positions left
/// out): the `wholeListMerge` fields of the OCDS 1.1.5 release schema
/// (github.com/open-contracting/standard, tag `1__1__5`), as ocdsmerge derives them.
/// Arrays of non-objects (e.g. `parties/roles`) are replaced whole in any case.
pub const WHOLE_LIST_MERGE: [&str; 21] = [
    "awards.amendment.changes",
    "awards.amendments.changes",
    "awards.items.additionalClassifications",
    "awards.suppliers.additionalIdentifiers",
    "buyer.additionalIdentifiers",
    "contracts.amendment.changes",
    "contracts.amendments.changes",
    "contracts.implementation.transactions.payee.additionalIdentifiers",
    "contracts.implementation.transactions.payer.additionalIdentifiers",
    "contracts.items.additionalClassifications",
    "contracts.relatedProcesses.relationship",
    "parties.additionalIdentifiers",
    "parties.roles",
    "relatedProcesses.relationship",
    "tender.additionalProcurementCategories",
    "tender.amendment.changes",
    "tender.amendments.changes",
    "tender.items.additionalClassifications",
    "tender.procuringEntity.additionalIdentifiers",
    "tender.submissionMethod",
    "tender.tenderers.additionalIdentifiers",
];

/// One release read, with where it came from.
#[derive(Debug, Clone)]
pub struct Release {
    /// Source file (or `archive.zip!member`).
    pub file: String,
    /// JSON Pointer of the release in its document (`/releases/0`; empty for a single
    /// release), prefixed `line N:` in JSON Lines.
    pub path: String,
    /// Its `ocid`.
    pub ocid: String,
    /// Its `date`, parsed.
    pub date: DateTime<FixedOffset>,
    /// The release as published.
    pub json: Value,
}

/// How one file was read.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OcdsFile {
    /// Source name.
    pub file: String,
    /// Packagings found (`release package`, `record package`, `release`, `JSON Lines`…).
    pub packaging: String,
    /// Releases found.
    pub releases_read: u64,
    /// Releases kept.
    pub accepted: u64,
    /// Releases rejected (each with an issue).
    pub rejected: u64,
    /// JSON texts that could not be parsed (each with an issue).
    pub unreadable: u64,
    /// Set when the whole file could not be opened.
    pub error: Option<String>,
}

impl OcdsFile {
    /// releases read = accepted + rejected.
    pub fn reconciles(&self) -> bool {
        self.releases_read == self.accepted + self.rejected
    }
}

/// Everything read from a set of OCDS inputs.
#[derive(Debug, Default)]
pub struct OcdsRead {
    /// Releases kept, in input order.
    pub releases: Vec<Release>,
    /// Per-file reconciliation.
    pub files: Vec<OcdsFile>,
    /// Rejected releases, unreadable documents and files, with where and why.
    pub issues: Vec<Issue>,
}

impl OcdsRead {
    /// Releases found in all files.
    pub fn releases_read(&self) -> u64 {
        self.files.iter().map(|f| f.releases_read).sum()
    }
    /// Releases rejected in all files.
    pub fn rejected(&self) -> u64 {
        self.files.iter().map(|f| f.rejected).sum()
    }
}

/// Whether a file name looks like OCDS JSON (after compression suffixes).
pub fn is_json_file(p: &Path) -> bool {
    let name = p
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let s = input::strip_compression(&name);
    s.ends_with(".json")
        || s.ends_with(".jsonl")
        || s.ends_with(".ndjson")
        || name.ends_with(".zip")
}

/// The files a path stands for: the file itself, or every JSON file under a directory
/// (recursively, sorted by path so that ties in `date` merge in a stable order).
pub fn json_files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for e in std::fs::read_dir(dir)? {
            let p = e?.path();
            if p.is_dir() {
                walk(&p, out)?;
            } else if is_json_file(&p) {
                out.push(p);
            }
        }
        Ok(())
    }
    if path.is_dir() {
        let mut out = Vec::new();
        walk(path, &mut out)?;
        out.sort();
        Ok(out)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// Read files and directories of OCDS JSON within `limits`.
pub fn read_paths(paths: &[PathBuf], limits: &Limits) -> OcdsRead {
    let mut out = OcdsRead::default();
    for p in paths {
        let files = match json_files(p) {
            Ok(f) => f,
            Err(e) => {
                file_error(&mut out, &p.to_string_lossy(), e.to_string());
                continue;
            }
        };
        for f in files {
            match input::open_with(&f, limits) {
                Ok(sources) => {
                    for s in sources {
                        read_bytes(&s.name, &s.bytes, limits, &mut out);
                    }
                }
                Err(e) => file_error(&mut out, &f.to_string_lossy(), e.message),
            }
        }
    }
    out
}

fn file_error(out: &mut OcdsRead, name: &str, message: String) {
    out.issues.push(Issue {
        file: name.to_string(),
        line: 0,
        column: String::new(),
        value: String::new(),
        problem: message.clone(),
        outcome: Outcome::FileError,
    });
    out.files.push(OcdsFile {
        file: name.to_string(),
        error: Some(message),
        ..OcdsFile::default()
    });
}

/// Read one decompressed input named `name`.
pub fn read_bytes(name: &str, bytes: &[u8], limits: &Limits, out: &mut OcdsRead) {
    let mut report = OcdsFile {
        file: name.to_string(),
        ..OcdsFile::default()
    };
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut kinds: Vec<&'static str> = Vec::new();
    let mut start = 0usize;
    let mut texts = 0u64;
    // Lines are counted forward once, not from the start of the file for every text.
    let mut lines = LineCounter::default();
    while start < bytes.len() {
        let mut stream = serde_json::Deserializer::from_slice(&bytes[start..]).into_iter::<Value>();
        let mut failed = None;
        let mut failed_at;
        loop {
            let before = start + stream.byte_offset();
            failed_at = before
                + bytes[before..]
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
            let Some(item) = stream.next() else { break };
            match item {
                Ok(v) => {
                    texts += 1;
                    let at = before
                        + bytes[before..]
                            .iter()
                            .take_while(|b| b.is_ascii_whitespace())
                            .count();
                    // Lines are named only where a file holds several texts.
                    let several = texts > 1
                        || start > 0
                        || !only_whitespace(&bytes[start + stream.byte_offset()..]);
                    let line = several.then(|| lines.line_at(bytes, at));
                    let kind = walk_document(name, line, &v, limits, &mut report, out);
                    if !kinds.contains(&kind) {
                        kinds.push(kind);
                    }
                }
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        drop(stream);
        let Some(e) = failed else { break };
        // The error's place, counted in the whole file, and the line the failed text began.
        let first_line = lines.line_at(bytes, start) as usize;
        let line = first_line + e.line().saturating_sub(1);
        let text_line = lines.line_at(bytes, failed_at);
        report.unreadable += 1;
        let problem = if e.to_string().contains("recursion limit") {
            "JSON nested deeper than 128 levels (the reader's nesting limit); this text is not read"
                .to_string()
        } else if text_line as usize != line {
            format!("not JSON: the text starting on this line: {e} (line {line} of the file)")
        } else {
            format!("not JSON: {e}")
        };
        out.issues.push(Issue {
            file: name.to_string(),
            line: text_line,
            column: format!("column {}", e.column()),
            value: snippet(bytes, failed_at),
            problem,
            outcome: Outcome::Rejected,
        });
        // Resume at the next line after the start of the failed text that starts a JSON
        // object or array in its first column, so that one bad line of JSON Lines does not
        // lose the rest of the file (an indented document has no such line inside it).
        let next_line = bytes[failed_at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |k| failed_at + k + 1);
        match next_text_start(bytes, next_line) {
            Some(s) => start = s,
            None => break,
        }
    }
    if texts > 1 {
        kinds.push("JSON Lines / several JSON texts");
    }
    report.packaging = kinds.join(", ");
    out.files.push(report);
}

fn only_whitespace(b: &[u8]) -> bool {
    b.iter().all(|c| c.is_ascii_whitespace())
}

/// 1-based line numbers of byte offsets asked in increasing order.
#[derive(Default)]
struct LineCounter {
    pos: usize,
    line: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], at: usize) -> u64 {
        let at = at.min(bytes.len());
        if at < self.pos {
            self.pos = 0;
            self.line = 0;
        }
        self.line += bytes[self.pos..at].iter().filter(|&&b| b == b'\n').count() as u64;
        self.pos = at;
        self.line + 1
    }
}

/// The first line at or after `from` whose first non-blank byte is `{` in column 1.
fn next_text_start(bytes: &[u8], mut from: usize) -> Option<usize> {
    while from < bytes.len() {
        if bytes[from] == b'{' || bytes[from] == b'[' {
            return Some(from);
        }
        match bytes[from..].iter().position(|&b| b == b'\n') {
            Some(k) => from += k + 1,
            None => return None,
        }
    }
    None
}

fn snippet(bytes: &[u8], at: usize) -> String {
    let s = at.min(bytes.len());
    let e = (s + 60).min(bytes.len());
    String::from_utf8_lossy(&bytes[s..e])
        .lines()
        .next()
        .unwrap_or("")
        .to_string()
}

/// Find the releases of one JSON text; returns the packaging seen.
fn walk_document(
    file: &str,
    line: Option<u64>,
    v: &Value,
    limits: &Limits,
    report: &mut OcdsFile,
    out: &mut OcdsRead,
) -> &'static str {
    let prefix = line.map(|l| format!("line {l}:")).unwrap_or_default();
    let mut found: Vec<(String, &Value)> = Vec::new();
    let kind = collect(v, String::new(), &mut found);
    for (path, rel) in found {
        report.releases_read += 1;
        let path = format!("{prefix}{path}");
        if report.releases_read > limits.max_rows {
            reject(out, report, file, &path, "", "over the limit max_rows releases in one file; raise it with `max_rows = …` under [limits] in anchornet.toml, or ANCHORNET_LIMIT_MAX_ROWS".into());
            continue;
        }
        match check(rel) {
            Ok((ocid, date)) => {
                report.accepted += 1;
                out.releases.push(Release {
                    file: file.to_string(),
                    path,
                    ocid,
                    date,
                    json: rel.clone(),
                });
            }
            Err((field, value, problem)) => {
                let at = format!("{path}{field}");
                reject(out, report, file, &at, &value, problem);
            }
        }
    }
    kind
}

fn reject(
    out: &mut OcdsRead,
    report: &mut OcdsFile,
    file: &str,
    path: &str,
    value: &str,
    problem: String,
) {
    report.rejected += 1;
    out.issues.push(Issue {
        file: file.to_string(),
        line: 0,
        column: path.to_string(),
        value: value.to_string(),
        problem,
        outcome: Outcome::Rejected,
    });
}

/// Gather the releases of `v` with their JSON Pointers; returns the packaging.
fn collect<'a>(v: &'a Value, at: String, found: &mut Vec<(String, &'a Value)>) -> &'static str {
    match v {
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                collect(x, format!("{at}/{i}"), found);
            }
            "list"
        }
        Value::Object(o) => {
            // A release always has a `date`; a package or record never does.
            let container = !o.contains_key("date");
            if let Some(rs) = o.get("releases").filter(|_| container) {
                each(rs, &format!("{at}/releases"), found);
                if o.contains_key("ocid") {
                    "record"
                } else {
                    "release package"
                }
            } else if let Some(recs) = o.get("records").filter(|_| container) {
                match recs {
                    Value::Array(recs) => {
                        for (i, rec) in recs.iter().enumerate() {
                            let rat = format!("{at}/records/{i}");
                            match rec.get("releases").and_then(Value::as_array) {
                                Some(rs) if !rs.is_empty() => {
                                    each(&rec["releases"], &format!("{rat}/releases"), found)
                                }
                                _ => match rec.get("compiledRelease") {
                                    Some(c) => found.push((format!("{rat}/compiledRelease"), c)),
                                    None => found.push((rat, rec)),
                                },
                            }
                        }
                    }
                    other => found.push((format!("{at}/records"), other)),
                }
                "record package"
            } else if let Some(c) = o.get("compiledRelease").filter(|_| container) {
                found.push((format!("{at}/compiledRelease"), c));
                "record"
            } else {
                found.push((at, v));
                "release"
            }
        }
        _ => {
            found.push((at, v));
            "release"
        }
    }
}

fn each<'a>(v: &'a Value, at: &str, found: &mut Vec<(String, &'a Value)>) {
    match v {
        Value::Array(items) => {
            for (i, x) in items.iter().enumerate() {
                found.push((format!("{at}/{i}"), x));
            }
        }
        other => found.push((at.to_string(), other)),
    }
}

type Rejection = (&'static str, String, String);

/// A release's `ocid` and `date`, or which field is wrong, its value and why.
fn check(rel: &Value) -> Result<(String, DateTime<FixedOffset>), Rejection> {
    let Some(o) = rel.as_object() else {
        return Err(("", short(rel), "not a release: not a JSON object".into()));
    };
    if o.contains_key("url") && !o.contains_key("ocid") {
        return Err((
            "/url",
            short(&o["url"]),
            "linked release (only a url): read the release package it points to".into(),
        ));
    }
    let ocid = match o.get("ocid") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(v) => return Err(("/ocid", short(v), "release without a usable ocid".into())),
        None => return Err(("/ocid", String::new(), "release without an ocid".into())),
    };
    let date = match o.get("date") {
        Some(Value::String(s)) => parse_date_time(s).ok_or_else(|| {
            (
                "/date",
                s.clone(),
                "release date is not an RFC 3339 date-time (OCDS `date-time`, e.g. 2025-01-23T14:59:07Z); the merge orders releases by it".to_string(),
            )
        })?,
        Some(v) => return Err(("/date", short(v), "release date is not a string".into())),
        None => {
            return Err((
                "/date",
                String::new(),
                "release without a date (the merge orders releases by it)".into(),
            ))
        }
    };
    Ok((ocid, date))
}

/// An OCDS `date-time` (RFC 3339, with an offset or `Z`).
pub fn parse_date_time(s: &str) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(s.trim()).ok()
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

/// The releases grouped by `ocid` (in order of first appearance) and merged.
pub fn compile_all(releases: &[Release]) -> Vec<Compiled> {
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    let mut order: Vec<&str> = Vec::new();
    for (i, r) in releases.iter().enumerate() {
        let g = groups.entry(&r.ocid).or_default();
        if g.is_empty() {
            order.push(&r.ocid);
        }
        g.push(i);
    }
    order
        .into_iter()
        .map(|ocid| {
            let idx = &groups[ocid];
            let rs: Vec<&Release> = idx.iter().map(|&i| &releases[i]).collect();
            Compiled {
                ocid: ocid.to_string(),
                releases: idx.clone(),
                json: compile(&rs),
            }
        })
        .collect()
}

/// One procurement's compiled release.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Its `ocid`.
    pub ocid: String,
    /// Indexes (into the releases given) of the releases merged, in input order.
    pub releases: Vec<usize>,
    /// The compiled release.
    pub json: Value,
}

/// Merge releases of one `ocid` into a compiled release (see the module docs).
pub fn compile(releases: &[&Release]) -> Value {
    let mut sorted: Vec<&Release> = releases.to_vec();
    // Stable: releases with the same date merge in input order.
    sorted.sort_by_key(|r| r.date);
    let mut out = Map::new();
    let mut path: Vec<String> = Vec::new();
    for r in &sorted {
        if let Value::Object(o) = &r.json {
            merge_object(&mut out, o, &mut path, true);
        }
    }
    if let Some(last) = sorted.last() {
        let date = last.json.get("date").cloned().unwrap_or(Value::Null);
        let date_text = date.as_str().unwrap_or("").to_string();
        out.insert("ocid".into(), Value::String(last.ocid.clone()));
        out.insert(
            "id".into(),
            Value::String(format!("{}-{}", last.ocid, date_text)),
        );
        out.insert("date".into(), date);
        out.insert(
            "tag".into(),
            Value::Array(vec![Value::String("compiled".into())]),
        );
    }
    Value::Object(out)
}

fn whole_list(path: &[String]) -> bool {
    let dotted = path.join(".");
    WHOLE_LIST_MERGE.contains(&dotted.as_str())
}

fn merge_object(
    out: &mut Map<String, Value>,
    input: &Map<String, Value>,
    path: &mut Vec<String>,
    top: bool,
) {
    for (k, v) in input {
        // `omitWhenMerged`: the release's own metadata.
        if top && matches!(k.as_str(), "id" | "date" | "tag") {
            continue;
        }
        path.push(k.clone());
        match v {
            Value::Null => {
                out.remove(k);
            }
            Value::Object(m) => {
                if !m.is_empty() {
                    let slot = out
                        .entry(k.clone())
                        .or_insert_with(|| Value::Object(Map::new()));
                    if !slot.is_object() {
                        *slot = Value::Object(Map::new());
                    }
                    if let Value::Object(so) = slot {
                        merge_object(so, m, path, false);
                    }
                }
            }
            Value::Array(items) => {
                if whole_list(path) || items.iter().any(|x| !x.is_object()) {
                    out.insert(k.clone(), v.clone());
                } else if !items.is_empty() {
                    let slot = out
                        .entry(k.clone())
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if !slot
                        .as_array()
                        .is_some_and(|a| a.iter().all(Value::is_object))
                    {
                        *slot = Value::Array(Vec::new());
                    }
                    if let Value::Array(sa) = slot {
                        merge_by_id(sa, items, path);
                    }
                }
            }
            literal => {
                out.insert(k.clone(), literal.clone());
            }
        }
        path.pop();
    }
}

/// An `id` as text: ocdsmerge matches `1` and `"1"` as the same identifier.
fn id_text(v: &Value) -> Option<String> {
    match v.get("id")? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn merge_by_id(out: &mut Vec<Value>, items: &[Value], path: &mut Vec<String>) {
    for item in items {
        let Value::Object(m) = item else { continue };
        let id = id_text(item);
        let found = id
            .as_ref()
            .and_then(|id| out.iter().position(|o| id_text(o).as_ref() == Some(id)));
        match found {
            Some(i) => {
                if let Value::Object(o) = &mut out[i] {
                    merge_object(o, m, path, false);
                }
            }
            None => {
                let mut fresh = Map::new();
                merge_object(&mut fresh, m, path, false);
                if item.get("id").is_some_and(|v| !v.is_null()) {
                    fresh.insert("id".into(), item["id"].clone());
                }
                out.push(Value::Object(fresh));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(text: &str) -> OcdsRead {
        let mut out = OcdsRead::default();
        read_bytes("t.json", text.as_bytes(), &Limits::default(), &mut out);
        out
    }

    #[test]
    fn merge_follows_the_standard_worked_rules() {
        let text = r#"{"releases":[
          {"ocid":"o","id":"2","date":"2020-02-01T00:00:00Z","tag":["award"],
           "tender":{"title":"B","value":null},"awards":[{"id":"a1","status":"active"},{"id":"a2"}],
           "parties":[{"id":"p","roles":["supplier"]}]},
          {"ocid":"o","id":"1","date":"2020-01-01T00:00:00Z","tag":["tender"],
           "tender":{"title":"A","value":{"amount":5},"status":"active"},
           "awards":[{"id":"a1","status":"pending","date":"2020-01-01"}],
           "parties":[{"id":"p","roles":["buyer","supplier"]}]}]}"#;
        let r = read(text);
        assert_eq!(r.releases.len(), 2);
        let c = compile_all(&r.releases);
        assert_eq!(c.len(), 1);
        let j = &c[0].json;
        // Latest release wins a literal; null removes; other fields survive.
        assert_eq!(j["tender"]["title"], json!("B"));
        assert!(j["tender"].get("value").is_none());
        assert_eq!(j["tender"]["status"], json!("active"));
        // Identifier merge: a1 merged field by field, a2 appended.
        assert_eq!(
            j["awards"][0],
            json!({"id":"a1","status":"active","date":"2020-01-01"})
        );
        assert_eq!(j["awards"][1]["id"], json!("a2"));
        // Arrays of strings are replaced whole.
        assert_eq!(j["parties"][0]["roles"], json!(["supplier"]));
        assert_eq!(j["id"], json!("o-2020-02-01T00:00:00Z"));
        assert_eq!(j["tag"], json!(["compiled"]));
    }

    #[test]
    fn every_packaging_is_read() {
        let rel = r#"{"ocid":"o","id":"1","date":"2020-01-01T00:00:00Z"}"#;
        assert_eq!(read(rel).releases.len(), 1);
        let lines = format!("{rel}\n{rel}\n");
        assert_eq!(read(&lines).releases.len(), 2);
        let rec = format!(
            r#"{{"records":[{{"ocid":"o","releases":[{rel}],"compiledRelease":{rel}}},{{"ocid":"p","compiledRelease":{rel}}}]}}"#
        );
        assert_eq!(read(&rec).releases.len(), 2);
        let list = format!("[{rel},{{\"releases\":[{rel}]}}]");
        assert_eq!(read(&list).releases.len(), 2);
    }

    #[test]
    fn bad_releases_are_reported_and_the_rest_read() {
        let text = "{\"ocid\":\"o\",\"id\":\"1\",\"date\":\"2020-01-01T00:00:00Z\"}\n{\"ocid\": oops}\n{\"id\":\"2\",\"date\":\"2020-01-01T00:00:00Z\"}\n{\"ocid\":\"q\",\"date\":\"01/02/2020\"}\n{\"ocid\":\"r\",\"date\":\"2020-01-02T00:00:00Z\"}\n";
        let r = read(text);
        assert_eq!(r.releases.len(), 2, "{:?}", r.issues);
        let f = &r.files[0];
        assert_eq!(
            (f.releases_read, f.accepted, f.rejected, f.unreadable),
            (4, 2, 2, 1)
        );
        assert!(f.reconciles());
        assert!(r
            .issues
            .iter()
            .any(|i| i.line == 2 && i.problem.starts_with("not JSON")));
        assert!(r.issues.iter().any(|i| i.column == "line 3:/ocid"));
        assert!(r
            .issues
            .iter()
            .any(|i| i.column == "line 4:/date" && i.value == "01/02/2020"));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
        let r = read(&text);
        assert_eq!(r.files[0].unreadable, 1);
        assert!(r.issues[0].problem.contains("nested deeper"));
    }
}
