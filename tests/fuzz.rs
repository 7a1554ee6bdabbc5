#![cfg(not(target_arch = "wasm32"))]
//! Fuzz-style properties of the whole engine (issue 14, point 10): random and mutated data
//! text through parsing and every form × every loss × every variable; random laws, budgets and
//! targets through prediction, inversion and planning; random and damaged share links; hostile
//! input to the command line. Nothing may panic, an `Ok` holds only finite numbers where the
//! page shows them, and every error says something in both languages.
//!
//! Time is bounded by keeping inputs small (at most [`MAX_ROWS`] rows, a few laws per case),
//! never by a clock: no case measures how long it takes. The one exception is the command line,
//! run as a child process that is killed after [`HANG_GUARD`]: a hang guard (a process that
//! never ends would stall the suite), not a speed check.
//!
//! The default case counts keep the file well under a minute in release
//! (`cargo test --release --test fuzz`); `PROPTEST_CASES=2000` raises every property (the
//! slow epoch-grid property a twentieth of it, the command line a quarter).

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use scaling_calc::chart::{
    band_xs, chart_data, law_chart, plan_chart, residual_data, to_svg, Axes, AxisKind, ChartStyle,
};
use scaling_calc::engine::dataset::{parse_dataset, Dataset, RawTable};
use scaling_calc::engine::export::{data_csv, fit_json};
use scaling_calc::engine::fit::bootstrap::{band, bootstrap};
use scaling_calc::engine::fit::problem::Problem;
use scaling_calc::engine::fit::{fit, Fit, FitOptions, Loss, Starts};
use scaling_calc::engine::flops::FlopConvention;
use scaling_calc::engine::law::{Law, ModelId, Variable};
use scaling_calc::engine::plan::{
    bottleneck, budget_for_loss, compute_optimal, cost, floor, frontier, frontier_exponents,
    invert, predict, predict_nd, Allocation, CostInputs,
};
use scaling_calc::engine::share::{from_fragment, ShareState};
use scaling_calc::engine::units::{
    format_param, format_sci, format_si, format_value, parse_quantity, trim_number,
};
use scaling_calc::text::{bottleneck_sentences, Lang, Render};

/// Rows of a generated table at most (before mutations that duplicate rows).
const MAX_ROWS: usize = 10;

/// How long the command line may run on one input before it counts as hung. A hang guard,
/// not a speed check: a healthy run takes well under a second.
const HANG_GUARD: std::time::Duration = std::time::Duration::from_secs(120);

/// The case count: `PROPTEST_CASES / divisor` (at least 1) when set, else `default`.
fn cases(default: u32, divisor: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse::<u32>().ok())
        .map_or(default, |n| (n / divisor).max(1))
}

fn config(default: u32, divisor: u32) -> ProptestConfig {
    ProptestConfig {
        cases: cases(default, divisor),
        // Shrinking a table re-runs every fit many times; a few hundred steps find the gist.
        max_shrink_iters: 512,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Numbers
// ---------------------------------------------------------------------------------------

/// Finite numbers of every kind: ordinary, tiny, huge, subnormal, zero, negative.
fn wild() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -3.0f64..3.0,
        3 => (-30.0f64..30.0).prop_map(|e| 10f64.powf(e)),
        2 => (-308.0f64..308.0, any::<bool>())
            .prop_map(|(e, neg)| if neg { -10f64.powf(e) } else { 10f64.powf(e) }),
        2 => prop::sample::select(vec![
            0.0, -0.0, 5e-324, -5e-324, 1e-320, f64::MIN_POSITIVE, 1e-308, 1e-300, 1e-12,
            0.5, 1.0, 2.0, 6.0, 1e12, 1e300, 1e308, f64::MAX, -f64::MAX, -1.0,
        ]),
        1 => prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO,
    ]
}

/// A positive scale (budget, target, k, N, D) from 5e-324 to 1.8e308, mostly 1e-300 .. 1e300,
/// and now and then something that is not one (zero, negative, NaN, infinite).
fn scale() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (-300.0f64..300.0).prop_map(|e| 10f64.powf(e)),
        3 => (0.0f64..40.0).prop_map(|e| 10f64.powf(e)),
        2 => prop::sample::select(vec![
            5e-324, 1e-320, f64::MIN_POSITIVE, 1e-300, 1e-12, 1.0, 2.0, 6.0, 1e10, 1e23,
            5.76e23, 1e40, 1e300, 1e308, f64::MAX,
        ]),
        1 => prop::sample::select(vec![
            0.0, -0.0, -1.0, -1e23, f64::NAN, f64::INFINITY, f64::NEG_INFINITY,
        ]),
    ]
}

// ---------------------------------------------------------------------------------------
// Data text
// ---------------------------------------------------------------------------------------

/// Header names: every alias the contract lists, spelled several ways, and junk.
const HEADERS: &[&str] = &[
    "N",
    "n",
    "params",
    "Parameters",
    "model size",
    "N (params)",
    "D",
    "tokens",
    "Data",
    "training tokens",
    "D [tokens]",
    "C",
    "flops",
    "compute",
    "Training FLOP",
    "C (FLOP)",
    "L",
    "loss",
    "Loss",
    "validation loss",
    "val_loss",
    "P",
    "performance",
    "accuracy",
    "score",
    "model",
    "name",
    "run",
    "label",
    "",
    " ",
    "x",
    "foo",
    "N2",
    "loss loss",
    "\"N\"",
    "損失",
    "(N)",
    "[",
    "#",
    "n#",
    "N;D",
    "L\tP",
];

/// Cells that are not ordinary numbers.
const HOSTILE: &[&str] = &[
    "1e308",
    "5e-324",
    "1e-308",
    "1e-320",
    "1.7976931348623157e308",
    "2.2250738585072014e-308",
    "1e309",
    "1e-400",
    "-1",
    "-0",
    "0",
    "0.0",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "",
    " ",
    "abc",
    "1.5B",
    "175b",
    "300e9",
    "3640 PF-days",
    "1 pfd",
    "20k",
    "1.4T",
    "1P",
    "1e300P",
    "1e308T",
    "1,234,567",
    "1,23",
    "\"",
    "\"\"",
    "1e",
    "e5",
    "0x10",
    "１２３",
    "+5",
    "--5",
    "1e300",
    "1e-300",
    "999999999999999999999999",
    "0.999999999999",
    "1.0000000001",
    "0.5",
    "1 2",
    "1e9b",
    "3.14e23 FLOPs",
    "7B params",
    "1_000",
    "\u{feff}1",
    "1\u{0}",
    "💥",
    "#",
    "1;2",
    "1\t2",
    "1\n2",
];

/// What a column of a generated table holds.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Column {
    N,
    D,
    C,
    L,
    P,
    Label,
    Junk,
}

/// A table before it is written as text.
#[derive(Clone, Debug)]
struct Table {
    separator: char,
    header: Vec<String>,
    rows: Vec<Row>,
    crlf: bool,
    /// Quote every cell (RFC 4180), not only those that need it.
    quote_all: bool,
    /// Lines inserted as they are: (before row index, text).
    inserts: Vec<(usize, String)>,
}

#[derive(Clone, Debug)]
struct Row {
    excluded: bool,
    cells: Vec<String>,
}

impl Table {
    fn render(&self) -> String {
        let newline = if self.crlf { "\r\n" } else { "\n" };
        let write = |cells: &[String]| -> String {
            cells
                .iter()
                .map(|c| {
                    let needs = c.contains(self.separator)
                        || c.contains('"')
                        || c.contains('\n')
                        || c.contains('\r');
                    if self.quote_all || needs {
                        format!("\"{}\"", c.replace('"', "\"\""))
                    } else {
                        c.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(&self.separator.to_string())
        };
        let mut text = write(&self.header);
        text.push_str(newline);
        for (i, row) in self.rows.iter().enumerate() {
            for (_, line) in self.inserts.iter().filter(|(at, _)| *at == i) {
                text.push_str(line);
                text.push_str(newline);
            }
            if row.excluded {
                text.push('#');
            }
            text.push_str(&write(&row.cells));
            text.push_str(newline);
        }
        text
    }
}

/// A number written as data people paste: plain, scientific, or with a unit suffix.
fn written(value: f64, style: u8) -> String {
    match style % 6 {
        0 => format!("{value:e}"),
        1 => format!("{value}"),
        2 if (1e9..1e18).contains(&value) => format!("{}B", value / 1e9),
        3 if (1e6..1e15).contains(&value) => format!("{}M", value / 1e6),
        4 if (1e3..1e15).contains(&value) => format!("{}k", value / 1e3),
        5 if value > 8.64e19 => format!("{} PF-days", value / 8.64e19),
        _ => format!("{value:.6e}"),
    }
}

/// Builds a plausible table: columns `columns`, `rows` runs along a smooth law with noise.
fn plausible(columns: &[Column], rows: usize, u: &[f64], style: u8) -> Vec<Row> {
    let alpha = 0.05 + 0.5 * u[0];
    let a = 2.0 + 40.0 * u[1];
    let e = 1.5 * u[2];
    let spread = 1.0 + 5.0 * u[3];
    (0..rows)
        .map(|i| {
            let t = if rows > 1 {
                i as f64 / (rows - 1) as f64
            } else {
                0.5
            };
            let n = 1e6 * 10f64.powf(spread * t);
            let d = n * 10f64.powf(1.0 + (((i * 7) % 11) as f64) / 5.0);
            let c = 6.0 * n * d;
            let wobble = 1.0 + 0.02 * (u[(4 + i) % u.len()] - 0.5);
            let l = (e + a * n.powf(-alpha)) * wobble;
            let p = 1.0 / (1.0 + (1e8 / n).powf(alpha) * wobble);
            let cells = columns
                .iter()
                .map(|col| match col {
                    Column::N => written(n, style),
                    Column::D => written(d, style.wrapping_add(1)),
                    Column::C => written(c, style.wrapping_add(2)),
                    Column::L => written(l, 0),
                    Column::P => written(p, 1),
                    Column::Label => format!("run-{i}"),
                    Column::Junk => format!("{}", u[i % u.len()]),
                })
                .collect();
            Row {
                excluded: false,
                cells,
            }
        })
        .collect()
}

/// One change to a table.
#[derive(Clone, Debug)]
enum Mutation {
    /// Put a hostile text in a cell.
    Cell(usize, usize, &'static str),
    /// Put a generated number in a cell.
    Number(usize, usize, f64),
    /// Append a unit suffix to a cell.
    Suffix(usize, usize, &'static str),
    /// A long cell (length, what it is made of).
    Long(usize, usize, usize, u8),
    /// Multiply a whole column by 10^e (e from −320 to 320): extreme but consistent data.
    ScaleColumn(usize, i32),
    /// Give every row the same value in a column (a degenerate design).
    SameColumn(usize),
    DuplicateRow(usize),
    ExcludeRow(usize),
    ExcludeAll,
    KeepOneRow(usize),
    AllRowsEqual(usize),
    DropCell(usize),
    ExtraCell(usize, &'static str),
    Header(usize, &'static str),
    BlankLine(usize),
    CommentLine(usize, &'static str),
    NoRows,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let idx = 0usize..64;
    prop_oneof![
        6 => (idx.clone(), idx.clone(), prop::sample::select(HOSTILE))
            .prop_map(|(r, c, s)| Mutation::Cell(r, c, s)),
        2 => (idx.clone(), idx.clone(), wild()).prop_map(|(r, c, v)| Mutation::Number(r, c, v)),
        3 => (idx.clone(), idx.clone(), scale().prop_filter("positive", |v| *v > 0.0 && v.is_finite()))
            .prop_map(|(r, c, v)| Mutation::Number(r, c, v)),
        2 => (idx.clone(), idx.clone(),
              prop::sample::select(&["B", "M", "k", "T", "P", "G", " PF-days", " flops", " tokens", "x", "e5", "%"][..]))
            .prop_map(|(r, c, s)| Mutation::Suffix(r, c, s)),
        1 => (idx.clone(), idx.clone(),
              prop::sample::select(&[64usize, 1_000, 10_000, 100_000][..]), any::<u8>())
            .prop_map(|(r, c, n, k)| Mutation::Long(r, c, n, k)),
        2 => (idx.clone(), -320i32..=320).prop_map(|(c, e)| Mutation::ScaleColumn(c, e)),
        1 => idx.clone().prop_map(Mutation::SameColumn),
        2 => idx.clone().prop_map(Mutation::DuplicateRow),
        2 => idx.clone().prop_map(Mutation::ExcludeRow),
        1 => Just(Mutation::ExcludeAll),
        1 => idx.clone().prop_map(Mutation::KeepOneRow),
        1 => idx.clone().prop_map(Mutation::AllRowsEqual),
        1 => idx.clone().prop_map(Mutation::DropCell),
        1 => (idx.clone(), prop::sample::select(HOSTILE)).prop_map(|(r, s)| Mutation::ExtraCell(r, s)),
        2 => (idx.clone(), prop::sample::select(HEADERS)).prop_map(|(c, h)| Mutation::Header(c, h)),
        1 => idx.clone().prop_map(Mutation::BlankLine),
        1 => (idx, prop::sample::select(&["#", "# a note", "#1e308,1e308", "   ", "\t", ";;;", ",,,"][..]))
            .prop_map(|(r, s)| Mutation::CommentLine(r, s)),
        1 => Just(Mutation::NoRows),
    ]
}

/// A long cell: digits, a number with many zeros, junk, or text with separators and breaks.
fn long_cell(length: usize, kind: u8) -> String {
    match kind % 5 {
        0 => "9".repeat(length),
        1 => format!("1{}", "0".repeat(length)),
        2 => format!("0.{}1", "0".repeat(length)),
        3 => "ab".repeat(length / 2),
        _ => ",;\t\n\"x".repeat(length / 6),
    }
}

impl Mutation {
    fn apply(&self, t: &mut Table) {
        let rows = t.rows.len();
        let cols = t.header.len().max(1);
        fn cell(t: &mut Table, r: usize, c: usize) -> Option<&mut String> {
            let n = t.rows.len();
            let row = t.rows.get_mut(r % n.max(1))?;
            let len = row.cells.len();
            row.cells.get_mut(c % len.max(1))
        }
        match self {
            Mutation::Cell(r, c, s) => {
                if let Some(cell) = cell(t, *r, *c) {
                    *cell = s.to_string();
                }
            }
            Mutation::Number(r, c, v) => {
                if let Some(cell) = cell(t, *r, *c) {
                    *cell = format!("{v:e}");
                }
            }
            Mutation::Suffix(r, c, s) => {
                if let Some(cell) = cell(t, *r, *c) {
                    cell.push_str(s);
                }
            }
            Mutation::Long(r, c, n, k) => {
                if let Some(cell) = cell(t, *r, *c) {
                    *cell = long_cell(*n, *k);
                }
            }
            Mutation::ScaleColumn(c, e) => {
                for row in &mut t.rows {
                    let len = row.cells.len().max(1);
                    if let Some(cell) = row.cells.get_mut(c % len) {
                        if let Ok(v) = parse_quantity(cell) {
                            *cell = format!("{:e}", v * 10f64.powi(*e));
                        }
                    }
                }
            }
            Mutation::SameColumn(c) if rows > 0 => {
                let first = t.rows[0]
                    .cells
                    .get(c % t.rows[0].cells.len().max(1))
                    .cloned();
                for row in &mut t.rows {
                    let len = row.cells.len().max(1);
                    if let (Some(cell), Some(v)) = (row.cells.get_mut(c % len), &first) {
                        *cell = v.clone();
                    }
                }
            }
            Mutation::DuplicateRow(r) if rows > 0 => {
                let row = t.rows[r % rows].clone();
                t.rows.insert(r % rows, row);
            }
            Mutation::ExcludeRow(r) if rows > 0 => t.rows[r % rows].excluded = true,
            Mutation::ExcludeAll => t.rows.iter_mut().for_each(|r| r.excluded = true),
            Mutation::KeepOneRow(r) if rows > 0 => {
                let row = t.rows[r % rows].clone();
                t.rows = vec![row];
            }
            Mutation::AllRowsEqual(r) if rows > 0 => {
                let row = t.rows[r % rows].clone();
                t.rows.iter_mut().for_each(|x| *x = row.clone());
            }
            Mutation::DropCell(r) if rows > 0 => {
                t.rows[r % rows].cells.pop();
            }
            Mutation::ExtraCell(r, s) if rows > 0 => t.rows[r % rows].cells.push(s.to_string()),
            Mutation::Header(c, h) => t.header[c % cols] = h.to_string(),
            Mutation::BlankLine(r) => t.inserts.push((r % rows.max(1), String::new())),
            Mutation::CommentLine(r, s) => t.inserts.push((r % rows.max(1), s.to_string())),
            Mutation::NoRows => t.rows.clear(),
            _ => {}
        }
    }
}

/// Column sets a table may have: the usual ones and odd ones.
const LAYOUTS: &[&[Column]] = &[
    &[Column::N, Column::L],
    &[Column::D, Column::L],
    &[Column::C, Column::L],
    &[Column::N, Column::D, Column::L],
    &[Column::N, Column::C, Column::L],
    &[Column::N, Column::D, Column::C, Column::L],
    &[Column::Label, Column::N, Column::D, Column::L, Column::Junk],
    &[Column::N, Column::P],
    &[Column::N, Column::D, Column::P],
    &[Column::C, Column::P, Column::L],
    &[Column::N],
    &[Column::L],
    &[Column::Junk, Column::Label],
];

/// Column sets every form of N and D can be fitted to (before mutations).
const TWO_VARIABLE_LAYOUTS: &[&[Column]] = &[
    &[Column::N, Column::D, Column::L],
    &[Column::Label, Column::N, Column::D, Column::C, Column::L],
];

/// A header name for a column (an alias, chosen by `pick`).
fn header_for(col: Column, pick: u8) -> String {
    let names: &[&str] = match col {
        Column::N => &["N", "params", "Parameters", "model size", "N (params)"],
        Column::D => &["D", "tokens", "data", "training tokens", "D [tokens]"],
        Column::C => &["C", "flops", "compute", "Training FLOP", "C (FLOP)"],
        Column::L => &["L", "loss", "Loss", "validation loss", "val_loss"],
        Column::P => &["P", "performance", "accuracy", "score"],
        Column::Label => &["model", "name", "run", "label"],
        Column::Junk => &["notes", "x", "seed"],
    };
    names[pick as usize % names.len()].to_string()
}

/// Random and mutated tables, written as text.
fn data_text() -> impl Strategy<Value = String> {
    data_text_of(LAYOUTS)
}

/// Random and mutated tables with one of `layouts`, written as text.
fn data_text_of(layouts: &'static [&'static [Column]]) -> impl Strategy<Value = String> {
    (
        prop::sample::select(layouts),
        1usize..=MAX_ROWS,
        prop::collection::vec(0.0f64..1.0, 8),
        any::<u8>(),
        prop::sample::select(&[',', ';', '\t'][..]),
        any::<(bool, bool, u8)>(),
        prop::collection::vec(mutation(), 0..5),
        prop::option::weighted(0.3, prop::collection::vec(positive(), 4 * MAX_ROWS)),
    )
        .prop_map(
            |(layout, rows, u, style, separator, (crlf, quote_all, pick), mutations, chaos)| {
                let mut rows = plausible(layout, rows, &u, style);
                if let Some(values) = chaos {
                    scatter(layout, &mut rows, &values);
                }
                let mut table = Table {
                    separator,
                    header: layout
                        .iter()
                        .enumerate()
                        .map(|(i, c)| header_for(*c, pick.wrapping_add(i as u8)))
                        .collect(),
                    rows,
                    crlf,
                    quote_all,
                    inserts: Vec::new(),
                };
                for m in &mutations {
                    m.apply(&mut table);
                }
                table.render()
            },
        )
}

/// Positive finite numbers of any size, 5e-324 to 1.8e308.
fn positive() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => (-323.0f64..308.0).prop_map(|e| 10f64.powf(e)),
        4 => (-3.0f64..12.0).prop_map(|e| 10f64.powf(e)),
        1 => prop::sample::select(vec![5e-324, f64::MIN_POSITIVE, 1.0, f64::MAX]),
    ]
}

/// Replaces the numbers of a table with unrelated positive values of any size (a bounded
/// metric gets v / (1 + v), in (0, 1) when it can be).
fn scatter(layout: &[Column], rows: &mut [Row], values: &[f64]) {
    let mut next = values.iter().cycle();
    for row in rows {
        for (cell, col) in row.cells.iter_mut().zip(layout) {
            let v = *next.next().expect("values are not empty");
            match col {
                Column::N | Column::D | Column::C | Column::L => *cell = format!("{v:e}"),
                Column::P => *cell = format!("{:e}", v / (1.0 + v)),
                Column::Label | Column::Junk => {}
            }
        }
    }
}

/// Text that is not a table at all: random characters and separators.
fn junk_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[,;\t\n\r#\" a-zA-Z0-9.eE+-]{0,200}",
        "(N|L|D|C|P|loss|tokens)[,;\t](N|L|D|C|P|loss)\n([0-9eE.+\\-#\"]{0,12}[,;\t]?){0,30}",
        any::<String>(),
    ]
}

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

/// An error says something in both languages.
fn renders(what: &str, err: &impl Render) -> Result<(), TestCaseError> {
    for lang in Lang::ALL {
        let text = err.render(lang);
        prop_assert!(!text.trim().is_empty(), "{what}: empty message in {lang:?}");
    }
    Ok(())
}

/// A fit that succeeded holds finite numbers.
fn check_fit(options: &FitOptions, result: &Fit) -> Result<(), TestCaseError> {
    let FitOptions { model, x, loss, .. } = options;
    prop_assert!(
        result.law.params.iter().all(|p| p.is_finite()),
        "{model} x={x:?} {loss:?}: parameters not finite: {:?}",
        result.law.params
    );
    prop_assert!(
        result.objective.is_finite() && result.objective >= 0.0,
        "{model} x={x:?} {loss:?}: objective {}",
        result.objective
    );
    prop_assert!(
        result.fitted.iter().all(|v| v.is_finite()),
        "{model} x={x:?} {loss:?}: fitted values not finite: {:?} (params {:?})",
        result.fitted,
        result.law.params
    );
    for w in &result.warnings {
        renders("warning", w)?;
    }
    Ok(())
}

/// An allocation the planner returned: positive finite numbers throughout.
fn check_allocation(what: &str, a: &Allocation) -> Result<(), TestCaseError> {
    for (name, v) in [
        ("N_opt", a.n),
        ("D_opt", a.d),
        ("loss", a.loss),
        ("tokens_per_param", a.tokens_per_param),
        ("budget", a.budget),
    ] {
        prop_assert!(v.is_finite() && v > 0.0, "{what}: {name} = {v} in {a:?}");
    }
    Ok(())
}

/// The losses a fit is tried with: least squares, Huber with `delta`, asymmetric with `weight`.
fn losses(delta: f64, weight: f64) -> [Loss; 3] {
    [
        Loss::LeastSquares,
        Loss::Huber { delta },
        Loss::Asymmetric { weight },
    ]
}

/// Fits every form with every loss (single-variable forms against each of N, D, C) and checks
/// each outcome; then predicts, inverts and plans with every law that came out.
fn fit_everything(
    data: &Dataset,
    delta: f64,
    weight: f64,
) -> Result<Vec<(FitOptions, Fit)>, TestCaseError> {
    let mut fits = Vec::new();
    for model in ModelId::ALL {
        let xs: &[Variable] = if model.is_single_variable() {
            &Variable::ALL
        } else {
            &[Variable::N]
        };
        for &x in xs {
            for loss in losses(delta, weight) {
                let options = FitOptions {
                    model,
                    x,
                    loss,
                    starts: Starts::Auto,
                    constraints: Default::default(),
                };
                match fit(data, &options) {
                    Ok(result) => {
                        check_fit(&options, &result)?;
                        fits.push((options, result));
                    }
                    Err(err) => renders("fit error", &err)?,
                }
            }
        }
    }
    Ok(fits)
}

/// What the page does with a law: predict at a target, invert a loss, plan a budget.
fn use_law(law: &Law, at: f64, target: f64, budget: f64, k: f64) -> Result<(), TestCaseError> {
    let _ = predict(law, at);
    let _ = predict_nd(law, at, at * 20.0, k);
    let _ = floor(law);
    match invert(law, target) {
        Ok(x) => prop_assert!(x.is_finite() && x > 0.0, "invert {law:?} at {target}: {x}"),
        Err(e) => renders("invert", &e)?,
    }
    match compute_optimal(law, budget, k) {
        Ok(a) => check_allocation(&format!("compute_optimal {law:?} C={budget} k={k}"), &a)?,
        Err(e) => renders("compute_optimal", &e)?,
    }
    match budget_for_loss(law, target, k) {
        Ok(a) => check_allocation(&format!("budget_for_loss {law:?} L={target} k={k}"), &a)?,
        Err(e) => renders("budget_for_loss", &e)?,
    }
    match frontier_exponents(law, budget, k) {
        Ok((a, b)) => prop_assert!(
            a.is_finite() && b.is_finite(),
            "frontier_exponents {law:?} C={budget}: {a} {b}"
        ),
        Err(e) => renders("frontier_exponents", &e)?,
    }
    for a in frontier(law, budget / 1e3, budget * 1e3, 5, k) {
        check_allocation(&format!("frontier {law:?} around {budget}"), &a)?;
    }
    match bottleneck(law, at, at * 20.0, k) {
        Ok(b) => {
            let _ = (b.grow(), b.training(), b.gain_ratio());
            for (name, v) in [
                ("budget", b.budget),
                ("gain_per_flop_params", b.gain_per_flop_params),
                ("gain_per_flop_data", b.gain_per_flop_data),
            ] {
                prop_assert!(
                    v.is_finite(),
                    "bottleneck {law:?} at N={at}, k={k}: {name} = {v}"
                );
            }
            if let Some(a) = &b.optimum {
                check_allocation(&format!("bottleneck optimum {law:?}"), a)?;
            }
            for lang in Lang::ALL {
                let sentences = bottleneck_sentences(&b, lang);
                prop_assert!(sentences.iter().all(|s| !s.trim().is_empty()));
            }
        }
        Err(e) => renders("bottleneck", &e)?,
    }
    Ok(())
}

/// Random finite parameters for `model` (zero, negative, tiny and huge included).
fn random_law() -> impl Strategy<Value = Law> {
    (
        prop::sample::select(ModelId::ALL.to_vec()),
        prop::sample::select(Variable::ALL.to_vec()),
        prop::collection::vec(wild(), 8),
    )
        .prop_map(|(model, x, values)| {
            let k = model.param_names().len();
            Law::new(model, x, values[..k].to_vec()).expect("finite parameters make a law")
        })
}

/// A law near one that makes sense (a published-looking law with one parameter pushed).
fn nudged_law() -> impl Strategy<Value = Law> {
    (
        prop::sample::select(ModelId::ALL.to_vec()),
        prop::sample::select(Variable::ALL.to_vec()),
        0usize..8,
        wild(),
    )
        .prop_map(|(model, x, which, value)| {
            let mut params: Vec<f64> = match model.param_names().len() {
                2 => vec![1e13, 0.076],
                3 => vec![1.7, 400.0, 0.34],
                4 => vec![8.8e13, 5.4e13, 0.076, 0.095],
                5 => vec![1.69, 406.4, 410.7, 0.34, 0.28],
                n => vec![0.5; n],
            };
            if model == ModelId::Multiplicative {
                params = vec![30.0, 0.05, 0.05, 0.0];
            }
            let k = params.len();
            params[which % k] = value;
            Law::new(model, x, params).expect("finite parameters make a law")
        })
}

fn cost_inputs() -> impl Strategy<Value = CostInputs> {
    (scale(), scale(), wild(), wild(), wild(), scale(), wild()).prop_map(
        |(flops, peak_flops, mfu, price_per_hour, watts, count, carbon_per_kwh)| CostInputs {
            flops,
            peak_flops,
            mfu,
            price_per_hour,
            watts,
            count,
            carbon_per_kwh,
        },
    )
}

/// A Huber δ or asymmetric weight: mostly valid, from tiny to huge; sometimes not valid.
fn setting() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => (-4.0f64..2.0).prop_map(|e| 10f64.powf(e)),
        2 => prop::sample::select(vec![5e-324, 1e-300, 1e-12, 1e12, 1e300, f64::MAX]),
        1 => prop::sample::select(vec![0.0, -1.0, f64::NAN, f64::INFINITY]),
    ]
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(64, 1))]

    /// Data text → dataset → every form × every loss × every variable → what the page does
    /// with each law that comes out (prediction, inversion, planning, the charts).
    #[test]
    fn data_text_through_every_fit(
        text in data_text(),
        delta in setting(),
        weight in setting(),
        at in scale(),
        target in scale(),
        budget in scale(),
    ) {
        let data = match parse_dataset(&text) {
            Ok(data) => data,
            Err(err) => return renders("data error", &err),
        };
        let _ = RawTable::parse(&text).render();
        let fits = fit_everything(&data, delta, weight)?;
        for (_, result) in &fits {
            use_law(&result.law, at, target, budget, 6.0)?;
        }
        // A few fits through the bootstrap, the exports and the charts, as the page does.
        for (options, result) in fits.iter().step_by(7).take(3) {
            bootstrap_and_export(&data, options, result, at)?;
            draw_fit_charts(&data, result, at)?;
        }
    }

    /// Text that is barely a table at all.
    #[test]
    fn junk_text_never_panics(text in junk_text()) {
        let _ = RawTable::parse(&text);
        match parse_dataset(&text) {
            Ok(data) => {
                fit_everything(&data, 1e-3, 10.0)?;
            }
            Err(err) => renders("data error", &err)?,
        }
    }

}

proptest! {
    #![proptest_config(config(256, 1))]

    /// Random laws, budgets, targets and FLOP conventions through every planning function.
    #[test]
    fn random_laws_through_every_plan(
        law in prop_oneof![random_law(), nudged_law()],
        at in scale(),
        target in scale(),
        budget in scale(),
        k in prop_oneof![4 => Just(6.0), 1 => scale()],
    ) {
        use_law(&law, at, target, budget, k)?;
        draw_law_charts(&law, budget, k, at)?;
    }

    /// What a run costs, for any inputs.
    #[test]
    fn cost_never_panics(inputs in cost_inputs()) {
        match cost(&inputs) {
            Ok(c) => {
                for (name, v) in [
                    ("accelerator_hours", c.accelerator_hours),
                    ("wall_days", c.wall_days),
                    ("money", c.money),
                    ("energy_kwh", c.energy_kwh),
                    ("co2_kg", c.co2_kg),
                ] {
                    prop_assert!(v.is_finite() && v >= 0.0, "cost {inputs:?}: {name} = {v}");
                }
            }
            Err(e) => renders("cost", &e)?,
        }
    }

    /// Every number the page writes for people, for any finite value: no "inf" or "NaN" in
    /// the text of a finite number, and short (a gain ratio of 1e300 once ran 300 digits wide
    /// and widened the page).
    #[test]
    fn finite_numbers_are_written_as_numbers(v in wild()) {
        for (name, text) in [
            ("format_si", format_si(v)),
            ("format_sci", format_sci(v)),
            ("format_param", format_param(v)),
            ("format_value", format_value(v)),
            ("trim_number", trim_number(v, 3)),
        ] {
            prop_assert!(!text.is_empty(), "{name}({v:e}) is empty");
            // Short enough for a label, however large or small the number.
            prop_assert!(text.chars().count() <= 20, "{name}({v:e}) = {text}");
            let lower = text.to_ascii_lowercase();
            prop_assert!(!lower.contains("inf") && !lower.contains("nan"), "{name}({v:e}) = {text}");
        }
    }

    /// Cells of every kind through the unit parser.
    #[test]
    fn quantities_parse_or_say_why(text in prop_oneof![
        prop::sample::select(HOSTILE).prop_map(String::from),
        "[0-9eE.,+\\- kMBGTPpfdaysFLOPtokens_]{0,40}",
        any::<String>(),
    ]) {
        match parse_quantity(&text) {
            Ok(v) => prop_assert!(v.is_finite(), "{text:?} parsed as {v}"),
            Err(e) => renders("unit error", &e)?,
        }
    }
}

proptest! {
    #![proptest_config(config(128, 1))]

    /// Random strings as share links and fragments.
    #[test]
    fn random_links_never_panic(s in prop_oneof![
        "[A-Za-z0-9_\\-=]{0,300}",
        any::<String>(),
        "#?(s=[A-Za-z0-9_\\-]{0,80}&?){0,3}",
    ]) {
        let _ = ShareState::decode(&s);
        let _ = ShareState::from_json(s.as_bytes());
        let _ = from_fragment(&s);
        let _ = from_fragment(&format!("#s={s}"));
    }

    /// Valid links, damaged: characters flipped, cut, inserted; then opened as the page does
    /// (the state's text parsed and fitted with its model, variable and loss).
    #[test]
    fn damaged_links_open_or_say_why(
        text in data_text(),
        model in prop::sample::select(ModelId::ALL.to_vec()),
        x in prop::sample::select(&["N", "D", "C", "", "Q"][..]),
        loss in prop::sample::select(&["least-squares", "huber", "asymmetric", "", "x"][..]),
        delta in prop::sample::select(&["0.001", "1e-300", "5e-324", "0", "-1", "NaN", "1e308", ""][..]),
        numbers in prop::collection::vec(prop::sample::select(HOSTILE), 6),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..4, any::<char>()), 0..4),
    ) {
        let state = ShareState {
            text,
            model: model.id().to_string(),
            x: x.to_string(),
            loss: loss.to_string(),
            delta: delta.to_string(),
            weight: delta.to_string(),
            predict: numbers[0].to_string(),
            budget: numbers[1].to_string(),
            invert: numbers[2].to_string(),
            at_n: numbers[3].to_string(),
            at_d: numbers[4].to_string(),
            flop_k: numbers[5].to_string(),
            ..ShareState::default()
        };
        let mut link: Vec<char> = state.encode().chars().collect();
        for (at, how, ch) in &edits {
            if link.is_empty() {
                break;
            }
            let i = at.index(link.len());
            match how {
                0 => link[i] = *ch,
                1 => link.truncate(i),
                2 => link.insert(i, *ch),
                _ => { link.remove(i); }
            }
        }
        let link: String = link.into_iter().collect();
        match from_fragment(&format!("#s={link}")) {
            Some(Ok(opened)) => open_like_the_page(&opened)?,
            Some(Err(e)) => prop_assert!(!e.to_string().is_empty()),
            None => {}
        }
        // An undamaged link opens to what was written.
        if edits.is_empty() {
            prop_assert_eq!(ShareState::decode(&state.encode()).ok(), Some(state));
        }
    }
}

proptest! {
    #![proptest_config(config(6, 20))]

    /// The 4,500-start epoch grid on mutated data, for every form and loss (slow: few cases).
    #[test]
    fn epoch_grid_on_mutated_data(text in data_text_of(TWO_VARIABLE_LAYOUTS), delta in setting()) {
        let Ok(data) = parse_dataset(&text) else { return Ok(()) };
        for model in ModelId::ALL {
            for loss in losses(delta, 10.0) {
                let options = FitOptions { model, x: Variable::N, loss, starts: Starts::EpochGrid, constraints: Default::default() };
                match fit(&data, &options) {
                    Ok(result) => check_fit(&options, &result)?,
                    Err(err) => renders("fit error", &err)?,
                }
            }
        }
    }
}

/// The state a link opened: its text parsed and fitted with its settings, as the page does.
fn open_like_the_page(state: &ShareState) -> Result<(), TestCaseError> {
    let Ok(data) = parse_dataset(&state.text) else {
        return Ok(());
    };
    let Ok(model) = state.model.parse::<ModelId>() else {
        return Ok(());
    };
    let x = state.x.parse::<Variable>().unwrap_or_default();
    let number = |s: &str| parse_quantity(s).unwrap_or(f64::NAN);
    let loss = match state.loss.as_str() {
        "huber" => Loss::Huber {
            delta: number(&state.delta),
        },
        "asymmetric" => Loss::Asymmetric {
            weight: number(&state.weight),
        },
        _ => Loss::LeastSquares,
    };
    let options = FitOptions {
        model,
        x,
        loss,
        starts: Starts::Auto,
        constraints: Default::default(),
    };
    match fit(&data, &options) {
        Ok(result) => {
            check_fit(&options, &result)?;
            // The planning panel with the link's numbers.
            let k = number(&state.flop_k);
            use_law(
                &result.law,
                number(&state.predict),
                number(&state.invert),
                number(&state.budget),
                k,
            )?;
            if let (Ok(n), Ok(d)) = (parse_quantity(&state.at_n), parse_quantity(&state.at_d)) {
                if let Err(e) = bottleneck(&result.law, n, d, k) {
                    renders("bottleneck", &e)?;
                }
            }
            Ok(())
        }
        Err(err) => renders("fit error", &err),
    }
}

/// A few bootstrap resamples, their intervals and band, and the JSON and CSV exports.
fn bootstrap_and_export(
    data: &Dataset,
    options: &FitOptions,
    result: &Fit,
    at: f64,
) -> Result<(), TestCaseError> {
    let problem = Problem::new(options.model, options.x, data)
        .map_err(|e| TestCaseError::fail(format!("a fitted problem cannot be rebuilt: {e}")))?;
    let boot = bootstrap(&problem, &options.loss, result, 4, 7);
    for i in 0..result.law.params.len() {
        if let Some((lo, hi)) = boot.interval(i, 0.95) {
            prop_assert!(lo <= hi, "interval {lo} > {hi}");
        }
    }
    let chart = chart_data(
        data,
        result,
        options.x,
        Some(at),
        false,
        FlopConvention::default(),
    );
    let _ = band(&result.law, &boot, &band_xs(&chart), 0.95);
    let prediction = predict(&result.law, at).map(|v| (at, v));
    let json = fit_json(result, data, Some(&boot), prediction);
    prop_assert!(
        serde_json::from_str::<serde_json::Value>(&json).is_ok(),
        "fit_json is not JSON: {json}"
    );
    let _ = data_csv(data, result, prediction);
    Ok(())
}

/// Every axis style the page offers.
fn styles() -> Vec<ChartStyle> {
    [
        (AxisKind::Log, AxisKind::Log),
        (AxisKind::Linear, AxisKind::Log),
        (AxisKind::Log, AxisKind::Linear),
        (AxisKind::Linear, AxisKind::Linear),
    ]
    .into_iter()
    .map(|(x, y)| ChartStyle {
        width: 320,
        height: 200,
        ..ChartStyle::default().with_axes(Axes { x, y })
    })
    .collect()
}

/// The main chart and the residual plot of a fit, drawn in every axis style.
fn draw_fit_charts(data: &Dataset, result: &Fit, target: f64) -> Result<(), TestCaseError> {
    let flops = FlopConvention::default();
    for x in Variable::ALL {
        let chart = chart_data(data, result, x, Some(target), false, flops);
        let residuals = residual_data(data, result, x, flops);
        for style in styles() {
            let _ = to_svg(&chart, &style);
            let _ = to_svg(&residuals, &style);
        }
    }
    Ok(())
}

/// The charts of a law alone (no fit) and its planning chart, drawn in every axis style.
fn draw_law_charts(law: &Law, budget: f64, k: f64, target: f64) -> Result<(), TestCaseError> {
    let flops = FlopConvention::new(k).unwrap_or_default();
    let chart = law_chart(law, None, law.x, Some(target), flops);
    let plan = plan_chart(law, Some(budget), flops);
    for style in styles() {
        let _ = to_svg(&chart, &style);
        if let Some(plan) = &plan {
            let _ = to_svg(plan, &style);
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------

/// Runs the binary with `args` and `stdin`; returns (status code, stdout, stderr). Killed
/// after [`HANG_GUARD`] (a hang guard, not a speed check).
fn run_cli(args: &[String], stdin: &str) -> (Option<i32>, String, String) {
    use std::io::{Read, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_scaling-calc"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut input = child.stdin.take().expect("stdin is piped");
    let text = stdin.to_string();
    let writer = std::thread::spawn(move || {
        // A command that fails on its arguments may exit before reading.
        let _ = input.write_all(text.as_bytes());
    });
    let mut out = child.stdout.take().expect("stdout is piped");
    let mut err = child.stderr.take().expect("stderr is piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        if start.elapsed() > HANG_GUARD {
            let _ = child.kill();
            let _ = child.wait();
            panic!("scaling-calc {args:?} hung (killed after {HANG_GUARD:?})");
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    };
    let _ = writer.join();
    (
        status.code(),
        out.join().unwrap_or_default(),
        err.join().unwrap_or_default(),
    )
}

/// A command line made of hostile pieces.
fn cli_args() -> impl Strategy<Value = Vec<String>> {
    let model = prop::sample::select(
        ModelId::ALL
            .iter()
            .map(|m| m.id().to_string())
            .chain(["nope".to_string(), String::new()])
            .collect::<Vec<_>>(),
    );
    let number = prop_oneof![
        prop::sample::select(HOSTILE).prop_map(String::from),
        wild().prop_map(|v| format!("{v:e}")),
    ];
    let fit = (
        model.clone(),
        prop::sample::select(&["N", "D", "C", "Q"][..]),
        prop::sample::select(&["", "least-squares", "huber", "asymmetric", "bogus"][..]),
        prop::option::of(number.clone()),
        any::<bool>(),
        prop::sample::select(&["", "0", "3", "1000000000", "-1", "x", "1e3"][..]),
    )
        .prop_map(|(model, x, loss, setting, json, resamples)| {
            let mut a: Vec<String> = ["fit", "-", "--model", &model, "--x", x]
                .iter()
                .map(|s| s.to_string())
                .collect();
            if !loss.is_empty() {
                a.extend(["--loss".into(), loss.into()]);
                if let Some(s) = setting {
                    let flag = if loss == "asymmetric" {
                        "--weight"
                    } else {
                        "--delta"
                    };
                    a.extend([flag.into(), s]);
                }
            }
            if json {
                a.push("--json".into());
            }
            if !resamples.is_empty() {
                a.extend([
                    "--bootstrap".into(),
                    resamples.into(),
                    "--seed".into(),
                    "7".into(),
                ]);
            }
            a
        });
    let published = prop::sample::select(
        &[
            "hoffmann-2022",
            "hoffmann-2022-unrounded",
            "besiroglu-2024",
            "kaplan-2020-joint",
            "kaplan-2020-n",
            "kaplan-2020-d",
            "kaplan-2020-c",
            "cerebras-gpt",
            "gpt3-envelope",
            "nope",
        ][..],
    )
    .prop_map(|id| vec!["--law".to_string(), id.to_string()]);
    let given = (model, prop::collection::vec(number.clone(), 6)).prop_map(|(model, values)| {
        let names = model
            .parse::<ModelId>()
            .map(|m| m.param_names().to_vec())
            .unwrap_or(vec!["A", "alpha"]);
        let params: Vec<String> = names
            .iter()
            .zip(&values)
            .map(|(n, v)| format!("{n}={v}"))
            .collect();
        vec![
            "--model".to_string(),
            model,
            "--params".to_string(),
            params.join(","),
        ]
    });
    let law = prop_oneof![3 => given, 1 => published];
    let predict = (law.clone(), number.clone(), number.clone()).prop_map(|(law, n, d)| {
        let mut a = vec!["predict".to_string()];
        a.extend(law);
        a.extend(["--at".into(), format!("N={n},D={d}"), "--json".into()]);
        a
    });
    let plan = (law, number.clone(), prop::option::of(number)).prop_map(|(law, budget, k)| {
        let mut a = vec!["plan".to_string()];
        a.extend(law);
        a.extend(["--budget".into(), budget]);
        if let Some(k) = k {
            a.extend(["--flop-per-param-token".into(), k]);
        }
        a
    });
    // A process cannot be given an argument with a NUL in it.
    prop_oneof![3 => fit, 1 => predict, 1 => plan]
        .prop_map(|args| args.into_iter().map(|a| a.replace('\0', "")).collect())
}

proptest! {
    #![proptest_config(config(12, 4))]

    /// Hostile input through the binary: status 0 or 2 (never a panic's 101), and a failure
    /// is one line on stderr.
    #[test]
    fn cli_fails_in_one_line(args in cli_args(), text in prop_oneof![3 => data_text(), 1 => junk_text()]) {
        let (code, stdout, stderr) = run_cli(&args, &text);
        prop_assert!(matches!(code, Some(0) | Some(2)), "{args:?} exited {code:?}; stderr: {stderr}\ninput: {text:?}");
        if code == Some(2) {
            prop_assert_eq!(stderr.lines().count(), 1, "{:?}: stderr {:?}", args, stderr);
            prop_assert!(stderr.starts_with("scaling-calc: "), "{args:?}: stderr {stderr:?}");
        } else {
            prop_assert!(!stdout.trim().is_empty(), "{args:?}: nothing printed");
            let words: Vec<&str> = stdout.split(|c: char| !c.is_alphanumeric()).collect();
            prop_assert!(!words.iter().any(|w| matches!(*w, "null" | "NaN" | "inf")),
                "{args:?}: {stdout}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Regressions: inputs the properties above found, fixed, kept as plain tests
// ---------------------------------------------------------------------------------------

/// Valid cost inputs far apart in size made an "infinite" wall-clock time (a count of 1e-179
/// accelerators): now an error in words.
#[test]
fn a_cost_out_of_range_is_an_error() {
    let inputs = CostInputs {
        flops: 1.0,
        peak_flops: 3.0493266247853517e-211,
        mfu: 1.0,
        price_per_hour: 0.0,
        watts: 0.0,
        count: 9.168215902521996e-180,
        carbon_per_kwh: 1e-320,
    };
    let err = cost(&inputs).expect_err("the wall-clock time overflows");
    for lang in Lang::ALL {
        assert!(!err.render(lang).is_empty());
    }
}

/// The smallest subnormal was written "infe-323" (10^-324 underflows to zero and the mantissa
/// was the value divided by it); a budget of 1e-300 showed a cost of "infe-317" on the page.
#[test]
fn subnormal_numbers_are_written_as_numbers() {
    assert_eq!(format_sci(5e-324), "4.94e-324");
    assert_eq!(format_si(5e-324), "4.94e-324");
    assert_eq!(format_sci(1e-317), "1e-317");
    assert_eq!(format_sci(-2.5e-320), "-2.5e-320");
    assert_eq!(format_sci(f64::MAX), "1.8e308");
    assert_eq!(format_sci(9.996e22), "1e23");
}

/// A chinchilla law with a tiny A split 1 FLOP into N = 2.4e-200, D = 6.8e198: each finite, but
/// tokens per parameter overflowed to infinity in an `Ok`.
#[test]
fn an_extreme_split_is_an_error_not_infinite_tokens_per_param() {
    let law = Law::new(
        ModelId::Chinchilla,
        Variable::N,
        vec![1.69, 9.722043382302176e-122, 410.7, 0.34, 0.28],
    )
    .unwrap();
    match compute_optimal(&law, 1.0, 6.0) {
        Ok(a) => assert!(a.tokens_per_param.is_finite(), "{a:?}"),
        Err(e) => assert!(!e.render(Lang::ZhHant).is_empty()),
    }
}

/// A run of N = 1e230, D = 2e231 has C = 6ND beyond f64: the bottleneck gave budget = inf in
/// an `Ok` (the page would say "inf FLOP").
#[test]
fn a_run_beyond_the_range_of_numbers_has_no_bottleneck_verdict() {
    let law = Law::new(
        ModelId::Chinchilla,
        Variable::N,
        vec![1.69, 406.4, 410.7, 0.34, 0.28],
    )
    .unwrap();
    let err = bottleneck(&law, 1e230, 2e231, 6.0).expect_err("C = 6ND overflows");
    for lang in Lang::ALL {
        assert!(!err.render(lang).is_empty());
    }
    // A tiny k makes the gains per FLOP overflow instead.
    assert!(bottleneck(&law, 1e-20, 1e-20, 1e-300).is_err());
}

/// A bootstrapped `multiplicative` fit whose law has no compute-optimal split printed
/// `"derived": {"N_opt_exponent": {"value": null, "interval": null}, …}`: now the exponents
/// are left out with a note that says why.
#[test]
fn the_cli_says_why_instead_of_printing_null() {
    let args: Vec<String> = [
        "fit",
        "-",
        "--model",
        "multiplicative",
        "--loss",
        "huber",
        "--json",
        "--bootstrap",
        "1e3",
        "--seed",
        "7",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let text = "model,params,data,validation loss,x\n\
        run-0,1e6,10000000,9.923507225819991e-1,0\n\
        run-0,1e6,10000000,9.923507225819991e-1,0\n\
        run-1,3.1622776601683795e6,794328234.7242814,9.368394927437314e-1,0\n\
        run-2,1e7,398107170.5534973,8.844335124589069e-1,0\n";
    let (code, stdout, stderr) = run_cli(&args, text);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(!stdout.contains("null"), "{stdout}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(json.get("derived").is_none(), "{stdout}");
    let notes = json["notes"].as_array().expect("a note says why");
    assert!(notes
        .iter()
        .any(|n| n.as_str().unwrap().contains("exponents")));
}

/// A carry in the third digit moved the number, not the suffix: 999.6 was written "1000" and
/// 999,996 "1000k"; a loss of 1e300 was written with 301 digits.
#[test]
fn numbers_for_people_carry_into_the_suffix_and_stay_short() {
    assert_eq!(format_si(999.6), "1k");
    assert_eq!(format_si(999_996.0), "1M");
    assert_eq!(format_si(9.9996e17), "1e18");
    assert_eq!(format_si(0.009996), "0.01");
    assert_eq!(format_si(175e9), "175B");
    assert_eq!(format_value(1e300), "1e300");
    assert_eq!(format_value(1e-300), "1e-300");
    assert_eq!(format_value(2.345678), "2.346");
    assert_eq!(format_value(0.999968), "0.999968");
}

/// With an asymmetric weight of 5e-324 a curve above the points costs nothing: `kaplan` came
/// back `Ok` with Xc = 4e-9, alpha = -24, whose values at the data are infinite. Now an error.
#[test]
fn a_fit_whose_curve_is_infinite_at_the_data_is_an_error() {
    let text = "N,loss\n1e6,1.5645128755854005e184\n1.7782794100389227e6,9.641956998284089e-1\n\
        1e0,9.368394927437314e-1\n5.623413251903491e6,9.102594372911269e-1\n\
        1e7,8.844335124589069e-1\n";
    let data = parse_dataset(text).unwrap();
    let options = FitOptions {
        model: ModelId::Kaplan,
        x: Variable::N,
        loss: Loss::Asymmetric { weight: 5e-324 },
        starts: Starts::Auto,
        constraints: Default::default(),
    };
    match fit(&data, &options) {
        Ok(result) => assert!(
            result.fitted.iter().all(|v| v.is_finite()),
            "{:?}",
            result.fitted
        ),
        Err(e) => assert!(!e.render(Lang::ZhHant).is_empty()),
    }
}

/// Found when the new forms joined the fuzz: a line search whose step was not finite panicked
/// in `f64::clamp` (a loss of 1.6e184 among losses near 1e-4).
#[test]
fn a_line_search_with_a_step_that_is_not_finite_does_not_panic() {
    let text = "N,loss\n1e6,1.5645128755854005e184\n1.034070248055502e7,3.454066173705338e-3\n\
        3.6608731956828655e20,1.1200183566607606e-3\n1.1057326376981468e9,3.645451227506867e-4\n\
        1.1434052229475885e10,1.2147567446089094e-4\n1.1823613225213681e11,3.922773697073627e-5\n";
    let data = parse_dataset(text).unwrap();
    for model in ModelId::ALL {
        for loss in [
            Loss::LeastSquares,
            Loss::Huber {
                delta: 0.004338219322120551,
            },
            Loss::Asymmetric { weight: 1.0 },
        ] {
            let mut options = FitOptions::new(model, Variable::N);
            options.loss = loss;
            if let Ok(result) = fit(&data, &options) {
                assert!(result.law.params.iter().all(|p| p.is_finite()));
            }
        }
    }
}
