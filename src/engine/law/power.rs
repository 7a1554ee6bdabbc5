//! `power`: L = A · X^(−α), a straight line in log-log space.

use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::starts::log_line;
use crate::engine::fit::{FitError, Loss, Starts};
use crate::engine::plan::PlanError;

pub struct Power;

impl Form for Power {
    fn id(&self) -> &'static str {
        "power"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["A", "alpha"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["A", "α"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!("L = {} · {}^(−{})", s.p(0), s.x, s.p(1))
    }
    fn is_single_variable(&self) -> bool {
        true
    }
    fn needs(&self, x: Variable) -> Vec<Quantity> {
        vec![x.quantity()]
    }
    fn value(&self, p: &[f64], x: Variable, at: &Inputs) -> Option<f64> {
        Some(p[0] * at.get(x)?.powf(-p[1]))
    }
    fn exponents(&self) -> &'static [usize] {
        &[1]
    }
    /// X = (A / L)^(1/α).
    fn invert(&self, p: &[f64], target: f64) -> Result<f64, PlanError> {
        Ok((p[0] / target).powf(1.0 / p[1]))
    }
    /// θ = (a, α): ln L = a − α ln X.
    fn internal(&self) -> &'static [Internal] {
        &[Internal::Ln(0), Internal::Same(1)]
    }
    fn residual(&self, _: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        grad[0] = 1.0;
        grad[1] = -s.ln_x;
        theta[0] - theta[1] * s.ln_x - s.y
    }
    fn starts(&self, problem: &Problem, _: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let (c0, c1) = log_line(problem).ok_or(FitError::NoLine)?;
        Ok(StartPlan::Regression(vec![c0, -c1]))
    }
}
