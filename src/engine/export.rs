//! Exports: the fit as JSON (the [`FitReport`] the command line prints, with the version and
//! the prediction) and the data with the fitted values and predictions as CSV.

use super::csv;
use super::dataset::{Dataset, Quantity};
use super::fit::bootstrap::Bootstrap;
use super::fit::Fit;
use super::law::Inputs;
use super::report::{FitReport, Named};
use serde::Serialize;

/// The calculator's version, written into every export.
pub const VERSION: &str = concat!("scaling-calc ", env!("CARGO_PKG_VERSION"));

/// The JSON export: the version, the fit's report, the prediction.
#[derive(Serialize)]
struct FitExport {
    version: &'static str,
    #[serde(flatten)]
    report: FitReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    prediction: Option<Prediction>,
}

/// A single-variable law's value at a target.
#[derive(Serialize)]
struct Prediction {
    at: Named<f64>,
    value: f64,
}

/// The fit as a JSON document, with the options that made it (which the fit carries), its
/// bootstrap, the rows of `data` it left out as it predicts them, and the prediction
/// `(at, value)` when there are some.
pub fn fit_json(
    fit: &Fit,
    data: &Dataset,
    boot: Option<&Bootstrap>,
    prediction: Option<(f64, f64)>,
) -> String {
    let export = FitExport {
        version: VERSION,
        report: FitReport::new(fit, boot).with_held_out(fit, data, boot),
        prediction: prediction.map(|(at, value)| Prediction {
            at: Named(vec![(fit.law.x.symbol(), at)]),
            value,
        }),
    };
    serde_json::to_string_pretty(&export).unwrap_or_default()
}

/// The data with the law's value at each row and its residual, then the prediction, as CSV.
/// Columns: name, kind, N, D, C, observed, fitted, residual_percent, excluded; a point's name
/// (the data's `model`, `name`, `run` or `label` column) is quoted as RFC 4180 asks.
pub fn data_csv(data: &Dataset, fit: &Fit, prediction: Option<(f64, f64)>) -> String {
    let response = if data.has(fit.law.model.response()) {
        fit.law.model.response()
    } else {
        Quantity::L
    };
    let cell = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v}"));
    let mut out = String::from("name,kind,N,D,C,observed,fitted,residual_percent,excluded\n");
    for p in &data.points {
        let fitted = fit.law.value(&Inputs::of(p));
        let observed = p.get(response);
        let residual = match (observed, fitted) {
            (Some(o), Some(f)) => Some(100.0 * (o / f - 1.0)),
            _ => None,
        };
        out.push_str(&format!(
            "{},data,{},{},{},{},{},{},{}\n",
            csv::write_cell(p.label.as_deref().unwrap_or_default(), ','),
            cell(p.n),
            cell(p.d),
            cell(p.c),
            cell(observed),
            cell(fitted),
            cell(residual),
            p.excluded
        ));
    }
    if let Some((at, value)) = prediction {
        let mut row = vec![String::new(); 3];
        let index = match fit.law.x {
            super::law::Variable::N => 0,
            super::law::Variable::D => 1,
            super::law::Variable::C => 2,
        };
        row[index] = format!("{at}");
        out.push_str(&format!(",prediction,{},,{value},,false\n", row.join(",")));
    }
    out
}
