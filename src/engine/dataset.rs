//! The data text (CSV or TSV with a header row) parsed into a validated [`Dataset`].
//!
//! Columns are matched by name, case-insensitive (docs/CONTRACT.md): `N` (params, parameters,
//! model size), `D` (tokens, data), `C` (flops, compute, training flop), `L` (loss) and `P`
//! (performance, accuracy, score), and `U` (unique tokens, for data-constrained laws). Unknown
//! columns are ignored. When `D` is missing it is derived as D = C / (kN); when `C` is
//! missing, C = kND ([`FlopConvention`], k = 6 by default). A row starting with `#` is kept but
//! excluded from the fit.
//!
//! Longer than 400 lines: the validated parse and the raw table the page edits cell by cell
//! ([`RawTable`]) share their header, separator and record rules and are read together.

use super::columns::{ColumnMap, Role};
use super::csv;
use super::flops::FlopConvention;
use super::units::{parse_quantity, UnitError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// One of the quantities a column can hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Quantity {
    N,
    D,
    C,
    L,
    P,
    /// Unique tokens: how much of D is distinct data (D / U epochs).
    U,
}

impl Quantity {
    pub const ALL: [Quantity; 6] = [
        Quantity::N,
        Quantity::D,
        Quantity::C,
        Quantity::L,
        Quantity::P,
        Quantity::U,
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            Quantity::N => "N",
            Quantity::D => "D",
            Quantity::C => "C",
            Quantity::L => "L",
            Quantity::P => "P",
            Quantity::U => "U",
        }
    }

    /// The quantity a header names, if any: the name lower-cased, with anything in
    /// parentheses and every non-alphanumeric character removed, against the aliases.
    pub fn from_header(header: &str) -> Option<Quantity> {
        let without_parens: String = {
            let mut depth = 0usize;
            header
                .chars()
                .filter(|&c| {
                    match c {
                        '(' | '[' => depth += 1,
                        ')' | ']' => depth = depth.saturating_sub(1),
                        _ => return depth == 0,
                    }
                    false
                })
                .collect()
        };
        let key: String = without_parens
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        match key.as_str() {
            "n" | "params" | "parameters" | "modelsize" | "nparams" | "parametercount" | "size" => {
                Some(Quantity::N)
            }
            "d" | "tokens" | "data" | "trainingtokens" | "ntokens" | "datasize" => {
                Some(Quantity::D)
            }
            "c" | "flops" | "flop" | "compute" | "trainingflop" | "trainingflops"
            | "trainingcompute" => Some(Quantity::C),
            "l" | "loss" | "validationloss" | "valloss" | "testloss" | "evalloss" => {
                Some(Quantity::L)
            }
            "p" | "performance" | "accuracy" | "score" | "acc" => Some(Quantity::P),
            "u" | "uniquetokens" | "unique" => Some(Quantity::U),
            _ => None,
        }
    }
}

/// One row of data. Derived values (D = C/6N, C = 6ND) are filled in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub n: Option<f64>,
    pub d: Option<f64>,
    pub c: Option<f64>,
    pub l: Option<f64>,
    pub p: Option<f64>,
    /// Unique tokens (never derived).
    #[serde(default)]
    pub u: Option<f64>,
    /// The 1-based line of the text this row came from (the header is line 1).
    pub line: usize,
    /// Kept on the chart, left out of the fit.
    pub excluded: bool,
    /// A name for the point (a `model`, `name`, `run` or `label` column), shown on the chart.
    pub label: Option<String>,
}

impl Point {
    pub fn get(&self, q: Quantity) -> Option<f64> {
        match q {
            Quantity::N => self.n,
            Quantity::D => self.d,
            Quantity::C => self.c,
            Quantity::L => self.l,
            Quantity::P => self.p,
            Quantity::U => self.u,
        }
    }
}

/// A problem in the data text, with where it is.
#[derive(Clone, Debug, PartialEq)]
pub struct DataError {
    /// 1-based line in the text (the header is line 1), when the problem has one.
    pub line: Option<usize>,
    /// The column's header as written, when the problem has one.
    pub column: Option<String>,
    pub problem: DataProblem,
}

/// What is wrong with the data text, with its numbers; said in words by `text`.
#[derive(Clone, Debug, PartialEq)]
pub enum DataProblem {
    /// No header row.
    NoData,
    /// Two columns mean the same quantity.
    SameQuantity {
        first: String,
        second: String,
        quantity: Quantity,
    },
    /// No column of N, D or C.
    NoScaleColumn,
    /// A cell is not a number.
    Cell(UnitError),
    /// A bounded metric outside (0, 1).
    NotAFraction(f64),
    /// A scale or loss that is not positive.
    NotPositive(f64),
    /// A derived C (= kND) or D (= C/(kN)) outside the range of f64.
    DerivedOutOfRange(Quantity),
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

impl std::error::Error for DataError {}

/// Validated data: every value present is finite and positive (P in (0, 1)).
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Dataset {
    /// Sent to a worker as bytes (engine::wire).
    #[serde(with = "super::wire::points")]
    pub points: Vec<Point>,
    /// The quantities the text has as columns (derived ones are not listed).
    pub given: Vec<Quantity>,
    /// The quantities derived from others (C = 6ND or D = C/6N).
    pub derived: Vec<Quantity>,
}

impl Dataset {
    /// Has this quantity for every point (given or derived).
    pub fn has(&self, q: Quantity) -> bool {
        self.given.contains(&q) || self.derived.contains(&q)
    }

    /// The points that take part in the fit.
    pub fn included(&self) -> impl Iterator<Item = &Point> {
        self.points.iter().filter(|p| !p.excluded)
    }
}

/// How a missing column is computed from a point under a FLOP convention.
type Derivation = fn(&FlopConvention, &Point) -> f64;

/// Parses the data text. Blank lines are skipped; a line starting with `#` is a point kept
/// but excluded from the fit.
pub fn parse_dataset(text: &str) -> Result<Dataset, DataError> {
    parse_dataset_with(text, FlopConvention::default())
}

/// [`parse_dataset`], deriving a missing C or D with the given FLOP convention.
pub fn parse_dataset_with(text: &str, flops: FlopConvention) -> Result<Dataset, DataError> {
    parse_dataset_mapped(text, flops, &ColumnMap::default())
}

/// [`parse_dataset_with`], each column holding what `columns` says (the person's choices, else
/// what its header names).
pub fn parse_dataset_mapped(
    text: &str,
    flops: FlopConvention,
    columns_chosen: &ColumnMap,
) -> Result<Dataset, DataError> {
    Dataset::from_table(&RawTable::parse(text), flops, columns_chosen)
}

impl Dataset {
    /// The dataset a table of raw cells holds ([`parse_dataset_mapped`] of its text): the
    /// page reads its text into one [`RawTable`], which both its table and its fit use.
    pub fn from_table(
        table: &RawTable,
        flops: FlopConvention,
        columns_chosen: &ColumnMap,
    ) -> Result<Dataset, DataError> {
        let (header_line, headers) = (table.header_line, &table.header);
        if headers.is_empty() {
            return Err(DataError {
                line: None,
                column: None,
                problem: DataProblem::NoData,
            });
        }
        let mut columns: Vec<(usize, Quantity, String)> = Vec::new();
        for (index, name) in headers.iter().enumerate() {
            if let Role::Quantity(q) = columns_chosen.role(name) {
                if let Some((_, _, first)) = columns.iter().find(|(_, other, _)| *other == q) {
                    return Err(DataError {
                        line: Some(header_line),
                        column: Some(name.clone()),
                        problem: DataProblem::SameQuantity {
                            first: first.clone(),
                            second: name.clone(),
                            quantity: q,
                        },
                    });
                }
                columns.push((index, q, name.clone()));
            }
        }
        let label_column = headers
            .iter()
            .position(|h| columns_chosen.role(h) == Role::Name);
        let given: Vec<Quantity> = {
            let mut g: Vec<Quantity> = columns.iter().map(|(_, q, _)| *q).collect();
            g.sort();
            g
        };
        // A table without a loss column is still data (runs to plan against a published law);
        // fitting it says why it cannot.
        if ![Quantity::N, Quantity::D, Quantity::C]
            .iter()
            .any(|q| given.contains(q))
        {
            return Err(DataError {
                line: Some(header_line),
                column: None,
                problem: DataProblem::NoScaleColumn,
            });
        }

        let mut points = Vec::with_capacity(table.rows.len());
        for RawRow {
            line,
            excluded,
            cells,
        } in &table.rows
        {
            let (line, excluded) = (*line, *excluded);
            let mut point = Point {
                n: None,
                d: None,
                c: None,
                l: None,
                p: None,
                u: None,
                line,
                excluded,
                label: label_column
                    .and_then(|i| cells.get(i))
                    .filter(|c| !c.is_empty())
                    .cloned(),
            };
            for (index, q, name) in &columns {
                let at = |problem: DataProblem| DataError {
                    line: Some(line),
                    column: Some(name.clone()),
                    problem,
                };
                let cell = cells.get(*index).map(String::as_str).unwrap_or("");
                let value = parse_quantity(cell).map_err(|e| at(DataProblem::Cell(e)))?;
                match q {
                    Quantity::P if !(value > 0.0 && value < 1.0) => {
                        return Err(at(DataProblem::NotAFraction(value)))
                    }
                    Quantity::P => {}
                    _ if value <= 0.0 => return Err(at(DataProblem::NotPositive(value))),
                    _ => {}
                }
                match q {
                    Quantity::N => point.n = Some(value),
                    Quantity::D => point.d = Some(value),
                    Quantity::C => point.c = Some(value),
                    Quantity::L => point.l = Some(value),
                    Quantity::P => point.p = Some(value),
                    Quantity::U => point.u = Some(value),
                }
            }
            points.push(point);
        }

        let mut derived = Vec::new();
        let has = |q| given.contains(&q);
        let derive: Option<(Quantity, Derivation)> =
            if !has(Quantity::D) && has(Quantity::N) && has(Quantity::C) {
                Some((Quantity::D, |f, p| {
                    f.tokens(p.c.unwrap_or(f64::NAN), p.n.unwrap_or(f64::NAN))
                }))
            } else if !has(Quantity::C) && has(Quantity::N) && has(Quantity::D) {
                Some((Quantity::C, |f, p| {
                    f.compute(p.n.unwrap_or(f64::NAN), p.d.unwrap_or(f64::NAN))
                }))
            } else {
                None
            };
        if let Some((quantity, value_of)) = derive {
            derived.push(quantity);
            for p in &mut points {
                let value = value_of(&flops, p);
                // A product of huge or tiny values leaves the range of f64: say where.
                if !(value.is_finite() && value > 0.0) {
                    return Err(DataError {
                        line: Some(p.line),
                        column: None,
                        problem: DataProblem::DerivedOutOfRange(quantity),
                    });
                }
                match quantity {
                    Quantity::D => p.d = Some(value),
                    _ => p.c = Some(value),
                }
            }
        }
        Ok(Dataset {
            points,
            given,
            derived,
        })
    }
}

/// The data text as a table of raw cells, for editing it cell by cell: every edit is made on
/// the text, which stays the one source of truth.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RawTable {
    pub separator: char,
    /// 1-based line of the header (0 where the text has none).
    pub header_line: usize,
    pub header: Vec<String>,
    pub rows: Vec<RawRow>,
}

/// One data row of the text.
#[derive(Clone, Debug, PartialEq)]
pub struct RawRow {
    /// 1-based line of the text.
    pub line: usize,
    pub excluded: bool,
    pub cells: Vec<String>,
}

impl RawTable {
    /// Splits the text into header and rows (blank lines dropped; `#` rows marked excluded).
    pub fn parse(text: &str) -> RawTable {
        let separator = csv::separator_of(text);
        let trimmed =
            |cells: Vec<String>| cells.into_iter().map(|c| c.trim().to_string()).collect();
        let mut records = csv::read(text, separator).into_iter();
        let Some(header) = records.next() else {
            return RawTable {
                separator,
                ..RawTable::default()
            };
        };
        let rows = records
            .map(|r| RawRow {
                line: r.line,
                excluded: r.excluded,
                cells: trimmed(r.cells),
            })
            .collect();
        RawTable {
            separator,
            header_line: header.line,
            header: trimmed(header.cells),
            rows,
        }
    }

    /// The table written back as text, RFC 4180 quoting where a cell needs it.
    pub fn render(&self) -> String {
        let mut text = csv::write_record(&self.header, self.separator, false);
        text.push('\n');
        for row in &self.rows {
            text.push_str(&csv::write_record(&row.cells, self.separator, row.excluded));
            text.push('\n');
        }
        text
    }

    /// Sets a cell (row and column 0-based, columns as in the header), padding short rows.
    pub fn set_cell(&mut self, row: usize, column: usize, value: &str) {
        if let Some(r) = self.rows.get_mut(row) {
            if r.cells.len() <= column {
                r.cells.resize(column + 1, String::new());
            }
            r.cells[column] = value.trim().to_string();
        }
    }

    /// Renames a column's header.
    pub fn set_header(&mut self, column: usize, name: &str) {
        if let Some(h) = self.header.get_mut(column) {
            *h = name.trim().to_string();
        }
    }

    /// Appends an empty row.
    pub fn add_row(&mut self) {
        let line = self.rows.last().map_or(2, |r| r.line + 1);
        self.rows.push(RawRow {
            line,
            excluded: false,
            cells: vec![String::new(); self.header.len()],
        });
    }

    pub fn delete_row(&mut self, row: usize) {
        if row < self.rows.len() {
            self.rows.remove(row);
        }
    }

    /// Keeps a row on the chart but in or out of the fit.
    pub fn set_excluded(&mut self, row: usize, excluded: bool) {
        if let Some(r) = self.rows.get_mut(row) {
            r.excluded = excluded;
        }
    }
}
