//! `shifted-power`: L = E + A (X + s)^(−α), a power law that stays finite as X → 0 and bends
//! away from a straight line below X ≈ s (Zhai, Kolesnikov, Houlsby, Beyer, "Scaling Vision
//! Transformers", CVPR 2022, arXiv 2106.04560, who write it L = a (x + d)^(−b) + c).

use super::form::{finite_or_far, floor_warnings, sigmoid};
use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::diagnostics::Warning;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::projection::{amplitudes_below, floor_below_smallest, log_range, spaced};
use crate::engine::fit::starts::with_least_squares_start;
use crate::engine::fit::{FitError, Loss, Starts};
use crate::engine::plan::PlanError;

pub struct ShiftedPower;

/// How many of the projected starts are polished.
const POLISHED: usize = 12;

/// ln(e^a + e^b) without overflow.
fn log_add(a: f64, b: f64) -> f64 {
    a.max(b) + (-(a - b).abs()).exp().ln_1p()
}

impl Form for ShiftedPower {
    fn id(&self) -> &'static str {
        "shifted-power"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["E", "A", "s", "alpha"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["E", "A", "s", "α"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!(
            "L = {} + {} · ({} + {})^(−{})",
            s.p(0),
            s.p(1),
            s.x,
            s.p(2),
            s.p(3)
        )
    }
    fn is_single_variable(&self) -> bool {
        true
    }
    fn needs(&self, x: Variable) -> Vec<Quantity> {
        vec![x.quantity()]
    }
    fn value(&self, p: &[f64], x: Variable, at: &Inputs) -> Option<f64> {
        Some(p[0] + p[1] * (at.get(x)? + p[2]).powf(-p[3]))
    }
    fn exponents(&self) -> &'static [usize] {
        &[3]
    }
    fn floor(&self, p: &[f64]) -> Option<f64> {
        Some(p[0])
    }
    /// X = (A / (L − E))^(1/α) − s; targets at or above L(0) = E + A s^(−α) are out of range.
    fn invert(&self, p: &[f64], target: f64) -> Result<f64, PlanError> {
        if target <= p[0] {
            return Err(PlanError::BelowFloor { floor: p[0] });
        }
        let x = (p[1] / (target - p[0])).powf(1.0 / p[3]) - p[2];
        if x > 0.0 {
            Ok(x)
        } else {
            Err(PlanError::OutOfRange)
        }
    }
    /// θ = (σ⁻¹(E / L_min), ln A, ln s, α): L = E + e^(ln A − α ln(X + s)).
    fn internal(&self) -> &'static [Internal] {
        &[
            Internal::BelowSmallest(0),
            Internal::Ln(1),
            Internal::Ln(2),
            Internal::Same(3),
        ]
    }
    fn residual(&self, problem: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        let sig = sigmoid(theta[0]);
        let e = problem.e_max * sig;
        // u = ln(X + s); d u / d ln s = s / (X + s).
        let u = log_add(s.ln_x, theta[2]);
        let share = sigmoid(theta[2] - s.ln_x);
        let t = (theta[1] - theta[3] * u).exp();
        let pred = e + t;
        grad[0] = problem.e_max * sig * (1.0 - sig) / pred;
        grad[1] = t / pred;
        grad[2] = -theta[3] * share * t / pred;
        grad[3] = -u * t / pred;
        finite_or_far(pred.ln() - s.y, grad)
    }
    /// Variable projection: for each α (0.05 to 2) and shift s (from far below to beyond the
    /// smallest X), the best E, A ≥ 0; the best of those starts are polished.
    fn starts(&self, problem: &Problem, loss: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let (lo, _) = log_range(problem, |s| s.ln_x);
        let below = floor_below_smallest(problem);
        let mut grid = Vec::new();
        for alpha in spaced(0.05, 2.0, 40) {
            for offset in [-8.0, -5.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0] {
                let ln_s = lo + offset;
                let Some(([e, a], _)) = amplitudes_below(problem, below, |s| {
                    [1.0, (-alpha * log_add(s.ln_x, ln_s)).exp()]
                }) else {
                    continue;
                };
                if a > 0.0 {
                    let e = e.max(1e-3 * problem.e_max);
                    grid.push(self.theta_of(problem, &[e, a, ln_s.exp(), alpha]));
                }
            }
        }
        Ok(StartPlan::Polish(with_least_squares_start(
            problem, loss, grid, POLISHED,
        )))
    }
    fn warnings(&self, problem: &Problem, p: &[f64]) -> Vec<Warning> {
        floor_warnings(problem, "E", p[0])
    }
}
