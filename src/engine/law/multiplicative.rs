//! `multiplicative`: L = k · N^(−a) · D^(−b) · C^(−c), over the columns the data has that
//! it can tell apart (a column left out keeps its exponent at 0).

use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::{Dataset, Quantity};
use crate::engine::fit::diagnostics::Warning;
use crate::engine::fit::linear;
use crate::engine::fit::problem::{Column, Problem, Sample};
use crate::engine::fit::{FitError, Loss, Starts};

pub struct Multiplicative;

/// Smallest singular value, relative to the largest, that the centred and unit-scaled log
/// design may have before a column counts as a product of the others. Data rounded to 3
/// significant digits leaves C = 6ND dependent to about 1e-4 of its spread, well under this.
pub const DEPENDENCE_LIMIT: f64 = 1e-3;

/// The log-columns a regressor can be.
const COLUMNS: [(Quantity, Column); 3] = [
    (Quantity::N, |s| s.ln_n),
    (Quantity::D, |s| s.ln_d),
    (Quantity::C, |s| s.ln_c),
];

impl Form for Multiplicative {
    fn id(&self) -> &'static str {
        "multiplicative"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["k", "a", "b", "c"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["k", "a", "b", "c"]
    }
    /// Factors whose exponent is exactly 0 (columns not in the fit) are left out.
    fn formula(&self, s: &Symbols) -> String {
        let mut text = format!("L = {}", s.p(0));
        for (i, name) in [(1, "N"), (2, "D"), (3, "C")] {
            if !s.is_zero(i) {
                text.push_str(&format!(" · {name}^(−{})", s.p(i)));
            }
        }
        text
    }
    fn needs(&self, _: Variable) -> Vec<Quantity> {
        Vec::new()
    }
    fn value(&self, p: &[f64], _: Variable, at: &Inputs) -> Option<f64> {
        // A zero exponent means the column is not a regressor: it may be absent.
        let factor = |value: Option<f64>, exponent: f64| {
            if exponent == 0.0 {
                Some(1.0)
            } else {
                value.map(|v| v.powf(-exponent))
            }
        };
        Some(p[0] * factor(at.n, p[1])? * factor(at.d, p[2])? * factor(at.c, p[3])?)
    }
    fn exponents(&self) -> &'static [usize] {
        &[]
    }
    /// k (a and b only need to differ from 0, which [`Form::splits_compute`] asks).
    fn split_positive(&self) -> &'static [usize] {
        &[0]
    }
    fn splits_compute(&self, p: &[f64]) -> bool {
        p[1] != 0.0 && p[2] != 0.0
    }
    /// θ = (κ, a, b, c): ln L = κ − a ln N − b ln D − c ln C.
    fn internal(&self) -> &'static [Internal] {
        &[
            Internal::Ln(0),
            Internal::Same(1),
            Internal::Same(2),
            Internal::Same(3),
        ]
    }
    fn residual(&self, problem: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        let [rn, rd, rc] = problem.regressors;
        let ln_n = if rn { s.ln_n } else { 0.0 };
        let ln_d = if rd { s.ln_d } else { 0.0 };
        let ln_c = if rc { s.ln_c } else { 0.0 };
        grad[0] = 1.0;
        grad[1] = -ln_n;
        grad[2] = -ln_d;
        grad[3] = -ln_c;
        theta[0] - theta[1] * ln_n - theta[2] * ln_d - theta[3] * ln_c - s.y
    }
    /// Each given column of N, D, C in that order, unless the centred log design with it is
    /// nearly singular (smallest / largest singular value below [`DEPENDENCE_LIMIT`]), as
    /// when C = 6ND holds up to rounding; a column with no spread is left out too.
    fn regressors(&self, data: &Dataset, samples: &[Sample]) -> ([bool; 3], Vec<Quantity>) {
        let mut used = [false; 3];
        let mut dropped = Vec::new();
        let mut design: Vec<Vec<f64>> = Vec::new();
        for (i, (q, get)) in COLUMNS.iter().enumerate() {
            if !data.given.contains(q) {
                continue;
            }
            let mut trial = design.clone();
            if let Some(column) = centred_unit(samples.iter().map(get).collect()) {
                trial.push(column);
                if linear::condition_ratio(&trial).is_some_and(|r| r >= DEPENDENCE_LIMIT) {
                    design = trial;
                    used[i] = true;
                    continue;
                }
            }
            dropped.push(*q);
        }
        (used, dropped)
    }
    /// The exponent of a column not in the fit stays at 0.
    fn fixed(&self, problem: &Problem) -> Vec<bool> {
        let [rn, rd, rc] = problem.regressors;
        vec![false, !rn, !rd, !rc]
    }
    /// The exact log-space regression on the columns in use.
    fn starts(&self, problem: &Problem, _: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        if !problem.regressors.iter().any(|&r| r) {
            return Err(FitError::NoRegressor);
        }
        let m = problem.samples.len();
        let mut grad = [0.0; 4];
        let zero = [0.0; 4];
        // dr/dθ is the design row (constant in θ for this linear form).
        let design = nalgebra::DMatrix::from_fn(m, 4, |i, j| {
            self.residual(problem, &zero, &problem.samples[i], &mut grad);
            grad[j]
        });
        let y = nalgebra::DVector::from_iterator(m, problem.samples.iter().map(|s| s.y));
        let sol = linear::least_squares(&design, &y).ok_or(FitError::NoLine)?;
        Ok(StartPlan::Regression(sol.beta))
    }
    fn warnings(&self, problem: &Problem, _: &[f64]) -> Vec<Warning> {
        problem
            .dropped
            .iter()
            .map(|q| Warning::NotIdentifiable { column: *q })
            .collect()
    }
}

/// A column minus its mean, scaled to unit norm; None when it has no spread or is not finite.
fn centred_unit(column: Vec<f64>) -> Option<Vec<f64>> {
    let m = column.len() as f64;
    let mean = column.iter().sum::<f64>() / m;
    let centred: Vec<f64> = column.iter().map(|v| v - mean).collect();
    let norm = centred.iter().map(|v| v * v).sum::<f64>().sqrt();
    (norm.is_finite() && norm > 1e-12 * (1.0 + mean.abs()) * m.sqrt())
        .then(|| centred.iter().map(|v| v / norm).collect())
}
