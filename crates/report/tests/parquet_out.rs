//! Parquet output: real payments written to Parquet and read back field by field, across
//! several row groups, with nulls kept as nulls.

use anchornet_report::write::{OutFormat, PaymentSink, PAYMENT_PARQUET};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::{Field, Row, RowAccessor};

/// The payments of one real spend file in `../shared/data/spend`.
fn payments(rel: &str) -> Vec<anchornet_core::Payment> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/spend")
        .join(rel);
    assert!(
        path.exists(),
        "{} is missing: the tests read the shared data beside the clone",
        path.display()
    );
    anchornet_ingest::Ingest::default()
        .payments(&[path.display().to_string()], |_| true)
        .unwrap()
        .0
}

fn opt_str(row: &Row, i: usize) -> Option<String> {
    match row.get_column_iter().nth(i).expect("column").1 {
        Field::Null => None,
        Field::Str(s) => Some(s.clone()),
        other => panic!("column {i}: expected text, got {other:?}"),
    }
}

fn opt_long(row: &Row, i: usize) -> Option<i64> {
    match row.get_column_iter().nth(i).expect("column").1 {
        Field::Null => None,
        Field::Long(n) => Some(*n),
        other => panic!("column {i}: expected integer, got {other:?}"),
    }
}

#[test]
fn real_payments_round_trip_through_parquet() {
    // Salford's original layout: net, gross and VAT, expense types, and many blank fields.
    let ps = payments("original_layouts/salford/2021-07.csv.xz");
    assert!(ps.len() > 1000, "{} payments", ps.len());
    let mut sink =
        PaymentSink::with_row_group_rows(Vec::new(), OutFormat::Parquet, 500).expect("sink");
    for p in &ps {
        sink.payment(p).unwrap();
    }
    let bytes = bytes::Bytes::from(sink.finish().unwrap());
    let reader = SerializedFileReader::new(bytes).expect("valid parquet");
    let meta = reader.metadata();
    assert_eq!(meta.file_metadata().num_rows() as usize, ps.len());
    assert_eq!(meta.num_row_groups(), ps.len().div_ceil(500));
    let names: Vec<_> = meta
        .file_metadata()
        .schema_descr()
        .columns()
        .iter()
        .map(|c| c.name().to_string())
        .collect();
    let expected: Vec<_> = PAYMENT_PARQUET.iter().map(|c| c.name.to_string()).collect();
    assert_eq!(names, expected);

    let mut n = 0;
    let mut total = 0i64;
    for (row, p) in reader.get_row_iter(None).unwrap().zip(&ps) {
        let row = row.unwrap();
        assert_eq!(row.get_string(0).unwrap(), &p.anchor);
        assert_eq!(row.get_string(1).unwrap(), &p.source_file);
        assert_eq!(row.get_long(2).unwrap() as u64, p.line);
        let days = match row.get_column_iter().nth(3).unwrap().1 {
            Field::Date(d) => *d,
            other => panic!("date column holds {other:?}"),
        };
        let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        assert_eq!(epoch + chrono::Days::new(days as u64), p.date.naive());
        assert_eq!(row.get_string(4).unwrap(), &p.financial_year.to_string());
        assert_eq!(row.get_long(5).unwrap(), p.amount.0);
        assert_eq!(opt_long(&row, 6), p.gross.map(|g| g.0));
        assert_eq!(opt_long(&row, 7), p.vat.map(|g| g.0));
        assert_eq!(row.get_string(8).unwrap(), &p.supplier_name);
        assert_eq!(row.get_bool(9).unwrap(), p.redacted);
        assert_eq!(opt_str(&row, 10), p.supplier_id);
        assert_eq!(opt_str(&row, 15), p.expense_type);
        assert_eq!(opt_str(&row, 18), p.service_area);
        assert_eq!(opt_str(&row, 21), p.description);
        total += row.get_long(5).unwrap();
        n += 1;
    }
    assert_eq!(n, ps.len());
    assert_eq!(total, ps.iter().map(|p| p.amount.0).sum::<i64>());
    // The file gives gross and VAT, so they are present, not null.
    assert!(ps.iter().all(|p| p.gross.is_some()));
}

#[test]
fn a_wrong_cell_is_an_error_not_a_corrupt_file() {
    use anchornet_report::columnar::{Cell, ColType, ColumnSpec, ParquetTable};
    let specs = [
        ColumnSpec::required("name", ColType::Str),
        ColumnSpec::required("pence", ColType::I64),
    ];
    let mut t = ParquetTable::new(Vec::new(), "t", &specs).unwrap();
    let e = t
        .push(&[Cell::Str(Some("x")), Cell::Str(Some("12"))])
        .unwrap_err();
    assert!(e.to_string().contains("column pence"), "{e}");
    let e = t.push(&[Cell::Str(None), Cell::I64(Some(1))]).unwrap_err();
    assert!(e.to_string().contains("name is required"), "{e}");
    let e = t.push(&[Cell::Str(Some("x"))]).unwrap_err();
    assert!(e.to_string().contains("1 cells"), "{e}");
}
