//! The issues report every workforce command writes (`issues.csv`): one row per rejected row
//! or warning, with file, line, column, value, problem and outcome. One table, so that
//! `anchornet workforce`, `anchornet jobs match` and `anchornet jobs funnel` write it alike
//! (through the report's formula-safe CSV writer).

use anchornet_ingest::Issue;
use anchornet_report::tables::{Cell, Column, Table};

/// The columns of `issues.csv`.
pub const COLUMNS: [&str; 6] = ["file", "line", "column", "value", "problem", "outcome"];

/// The issues as a table (write it with `anchornet_report::csv_set::to_bytes`).
pub fn table(issues: &[Issue]) -> Table {
    Table {
        file: "issues",
        sheet: "Issues",
        about: "one row per problem",
        columns: COLUMNS.iter().map(|c| Column::new(c, c, "")).collect(),
        rows: issues
            .iter()
            .map(|i| {
                let outcome = serde_json::to_value(i.outcome)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default();
                vec![
                    Cell::Text(i.file.clone()),
                    Cell::Text(i.line.to_string()),
                    Cell::Text(i.column.clone()),
                    Cell::Text(i.value.clone()),
                    Cell::Text(i.problem.clone()),
                    Cell::Text(outcome),
                ]
            })
            .collect(),
    }
}

/// `issues.csv` as bytes.
pub fn csv(issues: &[Issue]) -> Vec<u8> {
    anchornet_report::csv_set::to_bytes(&table(issues))
}
