//! Exports: the fit as JSON (parameters, intervals, options, version) and the data with the
//! fitted values and predictions as CSV.

use super::dataset::{Dataset, Quantity};
use super::fit::bootstrap::Bootstrap;
use super::fit::{Fit, FitOptions, Loss, Starts};
use super::law::Inputs;
use crate::text::{Lang, Render};
use serde_json::{json, Map, Value};

/// The calculator's version, written into every export.
pub const VERSION: &str = concat!("scaling-calc ", env!("CARGO_PKG_VERSION"));

/// The fit as a JSON document.
pub fn fit_json(
    fit: &Fit,
    options: &FitOptions,
    boot: Option<&Bootstrap>,
    prediction: Option<(f64, f64)>,
) -> String {
    let names = fit.law.model.param_names();
    let by_name = |values: &[f64]| -> Value {
        Value::Object(
            names
                .iter()
                .zip(values)
                .map(|(n, v)| (n.to_string(), json!(v)))
                .collect::<Map<String, Value>>(),
        )
    };
    let mut loss = json!({ "kind": options.loss.id() });
    match options.loss {
        Loss::Huber { delta } => loss["delta"] = json!(delta),
        Loss::Asymmetric { weight } => loss["weight"] = json!(weight),
        Loss::LeastSquares => {}
    }
    let mut out = json!({
        "version": VERSION,
        "model": fit.law.model.id(),
        "formula": fit.law.model.formula(fit.law.x),
        "x": fit.law.x.symbol(),
        "options": {
            "loss": loss,
            "starts": match options.starts { Starts::Auto => "auto", Starts::EpochGrid => "epoch-grid" },
        },
        "params": by_name(&fit.law.params),
        "objective": fit.objective,
        "points": fit.points,
        "r2_log": fit.r2,
        "converged": fit.converged,
        "warnings": fit.warnings.iter().map(|w| json!({"code": w.code(), "message": w.render(Lang::En)})).collect::<Vec<_>>(),
    });
    if let Some(se) = &fit.std_errors {
        out["std_errors"] = by_name(se);
    }
    if let Some(boot) = boot {
        let intervals: Map<String, Value> = names
            .iter()
            .enumerate()
            .filter_map(|(i, n)| Some((n.to_string(), json!(boot.interval(i, 0.95)?))))
            .collect();
        out["intervals"] = json!({
            "level": 0.95,
            "method": "bootstrap percentile",
            "resamples": boot.samples.len(),
            "failed": boot.failed,
            "params": intervals,
        });
    }
    if let Some((at, value)) = prediction {
        out["prediction"] = json!({ "at": { fit.law.x.symbol(): at }, "value": value });
    }
    serde_json::to_string_pretty(&out).unwrap_or_default()
}

/// The data with the law's value at each row and its residual, then the prediction, as CSV.
/// Columns: kind, N, D, C, observed, fitted, residual_percent, excluded.
pub fn data_csv(data: &Dataset, fit: &Fit, prediction: Option<(f64, f64)>) -> String {
    let response = if data.has(fit.law.model.response()) {
        fit.law.model.response()
    } else {
        Quantity::L
    };
    let cell = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v}"));
    let mut out = String::from("kind,N,D,C,observed,fitted,residual_percent,excluded\n");
    for p in &data.points {
        let fitted = fit.law.value(&Inputs::of(p));
        let observed = p.get(response);
        let residual = match (observed, fitted) {
            (Some(o), Some(f)) => Some(100.0 * (o / f - 1.0)),
            _ => None,
        };
        out.push_str(&format!(
            "data,{},{},{},{},{},{},{}\n",
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
        out.push_str(&format!("prediction,{},,{value},,false\n", row.join(",")));
    }
    out
}
