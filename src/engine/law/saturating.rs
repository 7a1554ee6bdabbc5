//! `saturating`: P = 1 / (1 + (X0 / X)^α), a bounded metric such as accuracy; a straight
//! line in logit-log space.

use super::{Form, Inputs, Internal, Link, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::starts::log_line;
use crate::engine::fit::{FitError, Loss, Starts};
use crate::engine::plan::PlanError;

pub struct Saturating;

impl Form for Saturating {
    fn id(&self) -> &'static str {
        "saturating"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["X0", "alpha"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["{x}0", "α"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!("P = 1 / (1 + ({} / {})^{})", s.p(0), s.x, s.p(1))
    }
    fn response(&self) -> Quantity {
        Quantity::P
    }
    fn link(&self) -> Link {
        Link::Logit
    }
    fn is_single_variable(&self) -> bool {
        true
    }
    fn needs(&self, x: Variable) -> Vec<Quantity> {
        vec![x.quantity()]
    }
    fn value(&self, p: &[f64], x: Variable, at: &Inputs) -> Option<f64> {
        Some(1.0 / (1.0 + (p[0] / at.get(x)?).powf(p[1])))
    }
    fn exponents(&self) -> &'static [usize] {
        &[1]
    }
    /// X = X0 · (P / (1 − P))^(1/α).
    fn invert(&self, p: &[f64], target: f64) -> Result<f64, PlanError> {
        if target >= 1.0 {
            return Err(PlanError::OutOfRange);
        }
        Ok(p[0] * (target / (1.0 - target)).powf(1.0 / p[1]))
    }
    /// θ = (u, α), u = ln X0: logit P = α (ln X − u).
    fn internal(&self) -> &'static [Internal] {
        &[Internal::Ln(0), Internal::Same(1)]
    }
    fn residual(&self, _: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        grad[0] = -theta[1];
        grad[1] = s.ln_x - theta[0];
        theta[1] * (s.ln_x - theta[0]) - s.y
    }
    /// logit P = α ln X − α u.
    fn starts(&self, problem: &Problem, _: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let (c0, c1) = log_line(problem).ok_or(FitError::NoLine)?;
        if c1 == 0.0 {
            return Err(FitError::NoLine);
        }
        Ok(StartPlan::Regression(vec![-c0 / c1, c1]))
    }
}
