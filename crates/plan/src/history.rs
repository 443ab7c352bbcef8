//! The plan's change log: an append-only CSV (`plan-history.csv`,
//! `at,action,field,from,to`) with one row for every change between runs of an action's
//! status, target, current figure, owner, deadline or title, and for actions added to or
//! removed from the plan. Each run replays the log to learn the last recorded state of every
//! action, compares it with this run's, and appends only what differs; rows are never
//! rewritten, so the log is the plan's history.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// The fields whose changes are logged, in order.
pub const FIELDS: [&str; 6] = ["title", "owner", "deadline", "target", "current", "status"];

/// The log's header.
pub const HEADER: [&str; 5] = ["at", "action", "field", "from", "to"];

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// When the run that saw it happened (RFC 3339, UTC).
    pub at: String,
    /// The action's id.
    pub action: String,
    /// Which field (one of [`FIELDS`], or `action` for added/removed).
    pub field: String,
    /// The value before (empty when added).
    pub from: String,
    /// The value now (empty when removed).
    pub to: String,
}

/// The state of each action: its id → field → value.
pub type State = BTreeMap<String, BTreeMap<String, String>>;

/// Why the log could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// Reading or writing.
    #[error("{file}: {source}")]
    Io {
        /// The log.
        file: String,
        /// Cause.
        source: std::io::Error,
    },
    /// A row that is not a change.
    #[error("{file}: line {line}: {problem}")]
    Row {
        /// The log.
        file: String,
        /// Line.
        line: u64,
        /// What is wrong.
        problem: String,
    },
}

/// Read the log (an absent file is an empty log).
pub fn read(path: &Path) -> Result<Vec<Change>, HistoryError> {
    let file = path.display().to_string();
    if !path.exists() {
        return Ok(Vec::new());
    }
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| HistoryError::Io {
            file: file.clone(),
            source: std::io::Error::other(e),
        })?;
    let header: Vec<String> = r
        .headers()
        .map_err(|e| HistoryError::Row {
            file: file.clone(),
            line: 1,
            problem: e.to_string(),
        })?
        .iter()
        .map(str::to_string)
        .collect();
    if header != HEADER {
        return Err(HistoryError::Row {
            file,
            line: 1,
            problem: format!(
                "expected the header {}, found {}",
                HEADER.join(","),
                header.join(",")
            ),
        });
    }
    let mut out = Vec::new();
    for rec in r.records() {
        let rec = rec.map_err(|e| HistoryError::Row {
            file: file.clone(),
            line: e.position().map_or(0, |p| p.line()),
            problem: e.to_string(),
        })?;
        let line = rec.position().map_or(0, |p| p.line());
        if rec.len() != HEADER.len() {
            return Err(HistoryError::Row {
                file: file.clone(),
                line,
                problem: format!("{} fields, expected {}", rec.len(), HEADER.len()),
            });
        }
        out.push(Change {
            at: rec[0].to_string(),
            action: rec[1].to_string(),
            field: rec[2].to_string(),
            from: rec[3].to_string(),
            to: rec[4].to_string(),
        });
    }
    Ok(out)
}

/// The state the log ends in.
pub fn replay(log: &[Change]) -> State {
    let mut s = State::new();
    for c in log {
        if c.field == "action" {
            if c.to.is_empty() {
                s.remove(&c.action);
            } else {
                s.entry(c.action.clone()).or_default();
            }
        } else {
            s.entry(c.action.clone())
                .or_default()
                .insert(c.field.clone(), c.to.clone());
        }
    }
    s
}

/// The changes from `before` to `now`, stamped `at`: actions added (an `action` row, then
/// each field from empty), fields changed, actions removed.
pub fn diff(before: &State, now: &State, at: &str) -> Vec<Change> {
    let mut out = Vec::new();
    let ch = |action: &str, field: &str, from: &str, to: &str| Change {
        at: at.to_string(),
        action: action.to_string(),
        field: field.to_string(),
        from: from.to_string(),
        to: to.to_string(),
    };
    for (id, fields) in now {
        let old = before.get(id);
        if old.is_none() {
            out.push(ch(id, "action", "", "added"));
        }
        for f in FIELDS {
            let new = fields.get(f).map_or("", String::as_str);
            let was = old.and_then(|o| o.get(f)).map_or("", String::as_str);
            if new != was {
                out.push(ch(id, f, was, new));
            }
        }
    }
    for id in before.keys() {
        if !now.contains_key(id) {
            out.push(ch(id, "action", "added", ""));
        }
    }
    out
}

/// Unix seconds as RFC 3339, UTC, to the second (`2026-02-01T00:00:00Z`): the log's `at`.
pub fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// Append changes to the log (creating it with its header).
pub fn append(path: &Path, changes: &[Change]) -> Result<(), HistoryError> {
    let io = |source| HistoryError::Io {
        file: path.display().to_string(),
        source,
    };
    let fresh = std::fs::metadata(path)
        .map(|m| m.len() == 0)
        .unwrap_or(true);
    let f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
    let e = |e: csv::Error| HistoryError::Io {
        file: path.display().to_string(),
        source: std::io::Error::other(e),
    };
    if fresh {
        w.write_record(HEADER).map_err(e)?;
    }
    for c in changes {
        w.write_record([&c.at, &c.action, &c.field, &c.from, &c.to])
            .map_err(e)?;
    }
    w.flush().map_err(io)?;
    let mut inner = w.into_inner().map_err(|e| io(e.into_error()))?;
    inner.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state(rows: &[(&str, &str, &str)]) -> State {
        let mut s = State::new();
        for (a, f, v) in rows {
            s.entry(a.to_string())
                .or_default()
                .insert(f.to_string(), v.to_string());
        }
        s
    }

    #[test]
    fn times_are_rfc3339() {
        // `date -u -d @1770000000 +%FT%TZ` and `@951782400` (29 February 2000).
        assert_eq!(rfc3339(1_770_000_000), "2026-02-02T02:40:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn only_what_changed_is_logged_and_the_log_replays_to_the_last_state() {
        let one = state(&[("P1", "status", "on track"), ("P2", "status", "at risk")]);
        let first = diff(&State::new(), &one, "t1");
        assert_eq!(first.len(), 4);
        assert_eq!(replay(&first), one);
        let two = state(&[("P1", "status", "off track")]);
        let second = diff(&one, &two, "t2");
        assert_eq!(
            second,
            vec![
                Change {
                    at: "t2".into(),
                    action: "P1".into(),
                    field: "status".into(),
                    from: "on track".into(),
                    to: "off track".into()
                },
                Change {
                    at: "t2".into(),
                    action: "P2".into(),
                    field: "action".into(),
                    from: "added".into(),
                    to: String::new()
                }
            ]
        );
        let all: Vec<Change> = first.into_iter().chain(second).collect();
        assert_eq!(replay(&all), two);
        assert!(diff(&two, &two, "t3").is_empty());
    }
}
