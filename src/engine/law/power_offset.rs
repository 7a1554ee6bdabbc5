//! `power-offset`: L = E + A · X^(−α), a power law above an irreducible loss E.

use super::form::{floor_warnings, sigmoid};
use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::diagnostics::Warning;
use crate::engine::fit::linear;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::{FitError, Loss, Starts};
use crate::engine::plan::PlanError;

pub struct PowerOffset;

/// Where E starts, as fractions of the smallest observed loss.
const E_FRACTIONS: [f64; 5] = [0.01, 0.25, 0.5, 0.75, 0.95];

impl Form for PowerOffset {
    fn id(&self) -> &'static str {
        "power-offset"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["E", "A", "alpha"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["E", "A", "α"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!("L = {} + {} · {}^(−{})", s.p(0), s.p(1), s.x, s.p(2))
    }
    fn is_single_variable(&self) -> bool {
        true
    }
    fn needs(&self, x: Variable) -> Vec<Quantity> {
        vec![x.quantity()]
    }
    fn value(&self, p: &[f64], x: Variable, at: &Inputs) -> Option<f64> {
        Some(p[0] + p[1] * at.get(x)?.powf(-p[2]))
    }
    fn exponents(&self) -> &'static [usize] {
        &[2]
    }
    fn floor(&self, p: &[f64]) -> Option<f64> {
        Some(p[0])
    }
    /// X = (A / (L − E))^(1/α).
    fn invert(&self, p: &[f64], target: f64) -> Result<f64, PlanError> {
        if target <= p[0] {
            return Err(PlanError::BelowFloor { floor: p[0] });
        }
        Ok((p[1] / (target - p[0])).powf(1.0 / p[2]))
    }
    /// θ = (s, a, α): L = E + e^(a − α ln X), E = L_min σ(s) in [0, smallest observed L).
    fn internal(&self) -> &'static [Internal] {
        &[
            Internal::BelowSmallest(0),
            Internal::Ln(1),
            Internal::Same(2),
        ]
    }
    fn residual(&self, problem: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        let sig = sigmoid(theta[0]);
        let e = problem.e_max * sig;
        let t = (theta[1] - theta[2] * s.ln_x).exp();
        let pred = e + t;
        grad[0] = problem.e_max * sig * (1.0 - sig) / pred;
        grad[1] = t / pred;
        grad[2] = -s.ln_x * t / pred;
        pred.ln() - s.y
    }
    /// For each trial E, the regression of ln(L − E) on ln X.
    fn starts(&self, problem: &Problem, _: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let xs: Vec<f64> = problem.samples.iter().map(|s| s.ln_x).collect();
        let starts = E_FRACTIONS
            .iter()
            .filter_map(|&fraction| {
                let e = fraction * problem.e_max;
                let ys: Vec<f64> = problem
                    .samples
                    .iter()
                    .map(|s| (s.y.exp() - e).ln())
                    .collect();
                let (c0, c1) = linear::line(&xs, &ys)?;
                Some(vec![(fraction / (1.0 - fraction)).ln(), c0, -c1])
            })
            .collect();
        Ok(StartPlan::Polish(starts))
    }
    fn warnings(&self, problem: &Problem, p: &[f64]) -> Vec<Warning> {
        floor_warnings(problem, "E", p[0])
    }
}
