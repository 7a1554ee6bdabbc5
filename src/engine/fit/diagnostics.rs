//! What a fit can and cannot say, in words: standard errors, correlations and warnings.

use super::problem::{Column, Problem};
use super::stop::Stop;
use super::Fit;
use crate::engine::dataset::Quantity;
use crate::engine::tolerances::FEW_POINTS_MARGIN;
pub use crate::engine::tolerances::{CORRELATION_LIMIT, MIN_DECADES};
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// What a careful analyst would warn about a fit: a value with its numbers, rendered in
/// words by `text` in each language. [`Warning::code`] is stable for tests and the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Warning {
    /// Few points for the parameters: little freedom left to show the error.
    FewPoints { points: usize, params: usize },
    /// A variable spans less than [`MIN_DECADES`].
    NarrowRange { variable: String, decades: f64 },
    /// A bounded parameter sits at its lower bound 0.
    AtLowerBound { param: String },
    /// A floor sits at its upper bound, the smallest observed value.
    AtSmallestObserved { param: String },
    /// An exponent that should be positive is not.
    NotPositive { param: String, value: f64 },
    /// A column is a product of the others and was left out of the fit.
    NotIdentifiable { column: Quantity },
    /// Two parameters are correlated beyond [`CORRELATION_LIMIT`].
    Correlated { a: String, b: String, r: f64 },
    /// The solver stopped before converging, for this reason.
    NotConverged { stop: Stop },
    /// A variable the form reads takes fewer than [`MIN_DISTINCT`] distinct values.
    FewValues { variable: String, count: usize },
    /// Two variables move together: ln of one is nearly a linear function of ln of the other
    /// (|r| above [`COLLINEAR_LIMIT`]), so the data cannot tell their effects apart.
    Collinear { a: String, b: String, r: f64 },
    /// Parameters the data leaves loose: a standard error larger than the value itself.
    Loose { params: Vec<String> },
}

impl Warning {
    /// A stable code: `few-points`, `narrow-range`, `at-bound`, `not-identifiable`,
    /// `correlated`, `not-converged`, `few-values`, `collinear` or `loose`.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::FewPoints { .. } => "few-points",
            Warning::NarrowRange { .. } => "narrow-range",
            Warning::AtLowerBound { .. }
            | Warning::AtSmallestObserved { .. }
            | Warning::NotPositive { .. } => "at-bound",
            Warning::NotIdentifiable { .. } => "not-identifiable",
            Warning::Correlated { .. } => "correlated",
            Warning::NotConverged { .. } => "not-converged",
            Warning::FewValues { .. } => "few-values",
            Warning::Collinear { .. } => "collinear",
            Warning::Loose { .. } => "loose",
        }
    }
}

/// Standard errors and the correlation matrix of the natural parameters:
/// Cov(θ) = s² (JᵀJ)⁻¹ with s² = Σr² / (m − f), carried to natural units by the delta method.
///
/// J and the count f are over the free internal parameters only: one the data leaves fixed
/// ([`Problem::fixed`], e.g. the exponent of a column `multiplicative` leaves out) has a zero
/// Jacobian column, which would make JᵀJ singular; it is known exactly, so its standard error
/// is 0 and its correlations 0.
pub fn standard_errors(
    problem: &Problem,
    theta: &[f64],
    jacobian: &[f64],
    residual_ss: f64,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let k = problem.dim();
    let m = problem.samples.len();
    let fixed = problem.fixed();
    let free: Vec<usize> = (0..k).filter(|&i| !fixed[i]).collect();
    let f = free.len();
    if f == 0 || m <= f {
        return None;
    }
    let j = DMatrix::from_fn(m, f, |row, col| jacobian[row * k + free[col]]);
    let information = j.transpose() * &j;
    let inverse = information.try_inverse()?;
    let s2 = residual_ss / (m - f) as f64;
    // Natural parameters: as many as the form has, whatever the constraints leave free.
    let p = problem.model.param_names().len();
    let natural = DMatrix::from_row_slice(p, k, &problem.natural_jacobian(theta));
    let g = DMatrix::from_fn(p, f, |row, col| natural[(row, free[col])]);
    let cov = &g * (inverse * s2) * g.transpose();
    let se: Vec<f64> = (0..p).map(|i| cov[(i, i)].max(0.0).sqrt()).collect();
    let mut corr = vec![0.0; p * p];
    for a in 0..p {
        for b in 0..p {
            let denom = se[a] * se[b];
            corr[a * p + b] = if denom > 0.0 {
                cov[(a, b)] / denom
            } else if a == b {
                1.0
            } else {
                0.0
            };
        }
    }
    (se.iter().all(|v| v.is_finite())).then_some((se, corr))
}

/// The warnings a careful analyst would give about this fit.
pub fn warnings(problem: &Problem, fit: &Fit) -> Vec<Warning> {
    let mut out = Vec::new();
    let form = problem.model.form();
    let k = problem.dim();
    let m = problem.samples.len();
    let names = problem.model.param_names();
    if m <= k + FEW_POINTS_MARGIN {
        out.push(Warning::FewPoints {
            points: m,
            params: k,
        });
    }
    let span = |f: Column| {
        let (lo, hi) = problem
            .samples
            .iter()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        (hi - lo) / std::f64::consts::LN_10
    };
    let spans: Vec<(&str, f64)> = if form.is_single_variable() {
        vec![(problem.x.symbol(), span(|s| s.ln_x))]
    } else if problem.regressors.iter().any(|&r| r) {
        problem
            .regressor_names()
            .into_iter()
            .map(|(name, f)| (name, span(f)))
            .collect()
    } else {
        form.needs(problem.x)
            .into_iter()
            .filter_map(|q| Some((q.symbol(), span(log_column(q)?))))
            .collect()
    };
    // The design: distinct values of each variable read, and two variables moving together.
    let columns: Vec<(&str, Column)> = if form.is_single_variable() {
        vec![(problem.x.symbol(), |s| s.ln_x)]
    } else {
        form.needs(problem.x)
            .into_iter()
            .filter_map(|q| Some((q.symbol(), log_column(q)?)))
            .collect()
    };
    for &(name, f) in &columns {
        let mut values: Vec<f64> = problem.samples.iter().map(f).collect();
        values.sort_by(f64::total_cmp);
        values.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * b.abs().max(1.0));
        if values.len() < MIN_DISTINCT {
            out.push(Warning::FewValues {
                variable: name.to_string(),
                count: values.len(),
            });
        }
    }
    for (i, &(a, fa)) in columns.iter().enumerate() {
        for &(b, fb) in &columns[i + 1..] {
            let r = correlation(problem.samples.iter().map(|s| (fa(s), fb(s))));
            if r.is_some_and(|r| r.abs() > COLLINEAR_LIMIT) {
                out.push(Warning::Collinear {
                    a: a.to_string(),
                    b: b.to_string(),
                    r: r.unwrap_or_default(),
                });
            }
        }
    }
    if let Some(errors) = &fit.std_errors {
        let loose: Vec<String> = errors
            .iter()
            .zip(&fit.law.params)
            .zip(names)
            .filter(|((se, value), _)| se.is_finite() && **se > value.abs() && **se > 0.0)
            .map(|(_, name)| name.to_string())
            .collect();
        if !loose.is_empty() {
            out.push(Warning::Loose { params: loose });
        }
    }
    for (name, decades) in spans {
        if decades < MIN_DECADES {
            out.push(Warning::NarrowRange {
                variable: name.to_string(),
                decades,
            });
        }
    }
    out.extend(form.warnings(problem, &fit.law.params));
    for &i in form.exponents() {
        if fit.law.params[i] <= 0.0 {
            out.push(Warning::NotPositive {
                param: names[i].to_string(),
                value: fit.law.params[i],
            });
        }
    }
    if let Some(corr) = &fit.correlation {
        let p = names.len();
        for a in 0..p {
            for b in (a + 1)..p {
                let r = corr[a * p + b];
                // Tied parameters move as one by construction.
                if r.abs() > CORRELATION_LIMIT && !fit.constraints.ties(names[a], names[b]) {
                    out.push(Warning::Correlated {
                        a: names[a].to_string(),
                        b: names[b].to_string(),
                        r,
                    });
                }
            }
        }
    }
    if !fit.stop.is_converged() {
        out.push(Warning::NotConverged { stop: fit.stop });
    }
    out
}

/// Fewer distinct values of a variable than this cannot show a curve's shape.
pub const MIN_DISTINCT: usize = 3;
/// |r| of two log variables above this: they move together.
pub const COLLINEAR_LIMIT: f64 = 0.98;

/// Pearson's r of pairs; None when either side does not vary.
fn correlation(pairs: impl Iterator<Item = (f64, f64)> + Clone) -> Option<f64> {
    let n = pairs.clone().count() as f64;
    let (mx, my) = pairs
        .clone()
        .fold((0.0, 0.0), |(x, y), (a, b)| (x + a / n, y + b / n));
    let (sxy, sxx, syy) = pairs.fold((0.0, 0.0, 0.0), |(xy, xx, yy), (a, b)| {
        let (da, db) = (a - mx, b - my);
        (xy + da * db, xx + da * da, yy + db * db)
    });
    (sxx > 0.0 && syy > 0.0).then(|| sxy / (sxx * syy).sqrt())
}

/// The log-column of a scale quantity.
fn log_column(q: Quantity) -> Option<Column> {
    match q {
        Quantity::N => Some(|s| s.ln_n),
        Quantity::D => Some(|s| s.ln_d),
        Quantity::C => Some(|s| s.ln_c),
        _ => None,
    }
}
