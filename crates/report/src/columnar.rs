//! A small, typed Parquet table writer for Anchornet's outputs (payments, and later the
//! resolved and located payments of the analysis), so analysts can continue in DuckDB, Spark
//! or pandas.
//!
//! It uses the `parquet` crate's low-level column writers directly, without Arrow: rows are
//! buffered per column and flushed as a row group every [`ROW_GROUP_ROWS`] rows, so memory
//! stays bounded on a multi-million-row ledger. Money is `INT64` pence, dates are `DATE`
//! (days since 1970-01-01), text is UTF-8; absent values are nulls, never empty strings.
//! Column chunks are Snappy-compressed.

use std::io::Write;
use std::sync::Arc;

use ::parquet::basic::{Compression, LogicalType, Repetition, Type as Physical};
use ::parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use ::parquet::errors::ParquetError;
use ::parquet::file::properties::WriterProperties;
use ::parquet::file::writer::SerializedFileWriter;
use ::parquet::schema::types::Type;
use anchornet_core::PaymentDate;

/// Rows per row group: large enough for good compression and fast scans, small enough that
/// the buffered columns of a wide table stay in the tens of megabytes.
pub const ROW_GROUP_ROWS: usize = 128 * 1024;

/// The type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// UTF-8 text.
    Str,
    /// A 64-bit integer (pence, line numbers, counts).
    I64,
    /// A calendar date.
    Date,
    /// A boolean flag.
    Bool,
}

/// One column of a table: its name, type and whether it may be null.
#[derive(Debug, Clone, Copy)]
pub struct ColumnSpec {
    /// Column name (a plain identifier).
    pub name: &'static str,
    /// Value type.
    pub ty: ColType,
    /// Whether values may be absent.
    pub nullable: bool,
}

impl ColumnSpec {
    /// A column that is always present.
    pub const fn required(name: &'static str, ty: ColType) -> ColumnSpec {
        ColumnSpec {
            name,
            ty,
            nullable: false,
        }
    }
    /// A column that may be null.
    pub const fn optional(name: &'static str, ty: ColType) -> ColumnSpec {
        ColumnSpec {
            name,
            ty,
            nullable: true,
        }
    }
}

/// One value of a row, in the column's type.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// Text.
    Str(Option<&'a str>),
    /// Integer.
    I64(Option<i64>),
    /// Date.
    Date(Option<PaymentDate>),
    /// Flag.
    Bool(Option<bool>),
}

/// Column buffers for the current row group: present values plus definition levels.
enum Buf {
    Str(StrBuf),
    I64(Vec<i64>),
    Date(Vec<i32>),
    Bool(Vec<bool>),
}

/// A row group's texts in one buffer, each value a range of it: no allocation per cell. At
/// flush the buffer becomes one shared `Bytes` and each value a slice of it.
#[derive(Default)]
struct StrBuf {
    data: Vec<u8>,
    ranges: Vec<(usize, usize)>,
}

impl StrBuf {
    fn push(&mut self, s: &str) {
        // Runs of one value (anchor, file, year) share one range.
        if let Some(&(a, b)) = self.ranges.last() {
            if &self.data[a..b] == s.as_bytes() {
                self.ranges.push((a, b));
                return;
            }
        }
        let a = self.data.len();
        self.data.extend_from_slice(s.as_bytes());
        self.ranges.push((a, self.data.len()));
    }

    /// The values, as slices of one shared buffer; the buffer is left empty.
    fn take(&mut self) -> Vec<ByteArray> {
        let bytes = bytes::Bytes::from(std::mem::take(&mut self.data));
        let out = self
            .ranges
            .iter()
            .map(|&(a, b)| ByteArray::from(bytes.slice(a..b)))
            .collect();
        self.ranges.clear();
        out
    }
}

struct Column {
    spec: ColumnSpec,
    values: Buf,
    defs: Vec<i16>,
}

/// Writes rows of a fixed schema to a Parquet file.
pub struct ParquetTable<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    columns: Vec<Column>,
    rows: usize,
    group_rows: usize,
}

/// Days from 1970-01-01, Parquet's `DATE`.
fn epoch_days(d: PaymentDate) -> i32 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid date");
    (d.naive() - epoch).num_days() as i32
}

fn io(e: ParquetError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl<W: Write + Send> ParquetTable<W> {
    /// Start a table named `message` with these columns, written to `w`.
    pub fn new(w: W, message: &str, specs: &[ColumnSpec]) -> std::io::Result<Self> {
        let mut fields = Vec::with_capacity(specs.len());
        for s in specs {
            let (physical, logical) = match s.ty {
                ColType::Str => (Physical::BYTE_ARRAY, Some(LogicalType::String)),
                ColType::I64 => (Physical::INT64, None),
                ColType::Date => (Physical::INT32, Some(LogicalType::Date)),
                ColType::Bool => (Physical::BOOLEAN, None),
            };
            let rep = if s.nullable {
                Repetition::OPTIONAL
            } else {
                Repetition::REQUIRED
            };
            let t = Type::primitive_type_builder(s.name, physical)
                .with_repetition(rep)
                .with_logical_type(logical)
                .build()
                .map_err(io)?;
            fields.push(Arc::new(t));
        }
        let schema = Type::group_type_builder(message)
            .with_fields(fields)
            .build()
            .map_err(io)?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("anchornet {}", env!("CARGO_PKG_VERSION")))
            .build();
        let writer = SerializedFileWriter::new(w, Arc::new(schema), Arc::new(props)).map_err(io)?;
        let columns = specs
            .iter()
            .map(|&spec| Column {
                spec,
                values: match spec.ty {
                    ColType::Str => Buf::Str(StrBuf::default()),
                    ColType::I64 => Buf::I64(Vec::new()),
                    ColType::Date => Buf::Date(Vec::new()),
                    ColType::Bool => Buf::Bool(Vec::new()),
                },
                defs: Vec::new(),
            })
            .collect();
        Ok(ParquetTable {
            writer,
            columns,
            rows: 0,
            group_rows: ROW_GROUP_ROWS,
        })
    }

    /// Use row groups of `n` rows (at least 1) instead of [`ROW_GROUP_ROWS`].
    pub fn with_row_group_rows(mut self, n: usize) -> Self {
        self.group_rows = n.max(1);
        self
    }

    /// Append one row; `cells` must match the columns in number, order and type.
    pub fn push(&mut self, cells: &[Cell<'_>]) -> std::io::Result<()> {
        if cells.len() != self.columns.len() {
            return Err(std::io::Error::other(format!(
                "row has {} cells, table has {} columns",
                cells.len(),
                self.columns.len()
            )));
        }
        for (c, cell) in self.columns.iter_mut().zip(cells) {
            let present = match (&mut c.values, *cell) {
                (Buf::Str(v), Cell::Str(x)) => x.map(|s| v.push(s)).is_some(),
                (Buf::I64(v), Cell::I64(x)) => x.map(|n| v.push(n)).is_some(),
                (Buf::Date(v), Cell::Date(x)) => x.map(|d| v.push(epoch_days(d))).is_some(),
                (Buf::Bool(v), Cell::Bool(x)) => x.map(|b| v.push(b)).is_some(),
                (_, cell) => {
                    return Err(std::io::Error::other(format!(
                        "column {}: value {cell:?} is not of type {:?}",
                        c.spec.name, c.spec.ty
                    )))
                }
            };
            if !present && !c.spec.nullable {
                return Err(std::io::Error::other(format!(
                    "column {} is required but the value is missing",
                    c.spec.name
                )));
            }
            c.defs.push(i16::from(present));
        }
        self.rows += 1;
        if self.rows >= self.group_rows {
            self.flush_group()?;
        }
        Ok(())
    }

    fn flush_group(&mut self) -> std::io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut rg = self.writer.next_row_group().map_err(io)?;
        for c in &mut self.columns {
            let mut cw = rg
                .next_column()
                .map_err(io)?
                .ok_or_else(|| std::io::Error::other("schema has fewer columns than the table"))?;
            let defs = c.spec.nullable.then_some(c.defs.as_slice());
            match &mut c.values {
                Buf::Str(v) => {
                    cw.typed::<ByteArrayType>()
                        .write_batch(&v.take(), defs, None)
                        .map_err(io)?;
                }
                Buf::I64(v) => {
                    cw.typed::<Int64Type>()
                        .write_batch(v, defs, None)
                        .map_err(io)?;
                    v.clear();
                }
                Buf::Date(v) => {
                    cw.typed::<Int32Type>()
                        .write_batch(v, defs, None)
                        .map_err(io)?;
                    v.clear();
                }
                Buf::Bool(v) => {
                    cw.typed::<BoolType>()
                        .write_batch(v, defs, None)
                        .map_err(io)?;
                    v.clear();
                }
            }
            c.defs.clear();
            cw.close().map_err(io)?;
        }
        rg.close().map_err(io)?;
        self.rows = 0;
        Ok(())
    }

    /// Write the last row group and the footer, and give back the inner writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.flush_group()?;
        self.writer.into_inner().map_err(io)
    }
}
