//! `kaplan`: L = (Xc / X)^α (Kaplan et al. 2020, arXiv 2001.08361, eq. 1.1–1.3).

use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::starts::log_line;
use crate::engine::fit::{FitError, Loss, Starts};
use crate::engine::plan::PlanError;

pub struct Kaplan;

impl Form for Kaplan {
    fn id(&self) -> &'static str {
        "kaplan"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["Xc", "alpha"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["{x}c", "α"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!("L = ({} / {})^{}", s.p(0), s.x, s.p(1))
    }
    fn is_single_variable(&self) -> bool {
        true
    }
    fn needs(&self, x: Variable) -> Vec<Quantity> {
        vec![x.quantity()]
    }
    fn value(&self, p: &[f64], x: Variable, at: &Inputs) -> Option<f64> {
        Some((p[0] / at.get(x)?).powf(p[1]))
    }
    fn exponents(&self) -> &'static [usize] {
        &[1]
    }
    /// X = Xc · L^(−1/α).
    fn invert(&self, p: &[f64], target: f64) -> Result<f64, PlanError> {
        Ok(p[0] * target.powf(-1.0 / p[1]))
    }
    /// θ = (u, α), u = ln Xc: ln L = α (u − ln X).
    fn internal(&self) -> &'static [Internal] {
        &[Internal::Ln(0), Internal::Same(1)]
    }
    fn residual(&self, _: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        grad[0] = theta[1];
        grad[1] = theta[0] - s.ln_x;
        theta[1] * (theta[0] - s.ln_x) - s.y
    }
    /// ln L = α u − α ln X: slope −α, intercept α u.
    fn starts(&self, problem: &Problem, _: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let (c0, c1) = log_line(problem).ok_or(FitError::NoLine)?;
        let alpha = -c1;
        if alpha == 0.0 {
            return Err(FitError::NoLine);
        }
        Ok(StartPlan::Regression(vec![c0 / alpha, alpha]))
    }
}
