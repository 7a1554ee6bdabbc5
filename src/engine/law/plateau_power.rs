//! `plateau-power`: L = (E + I g) / (1 + g), g = A X^(−α): a plateau I at small scale (where
//! g ≫ 1, as a model at chance), a floor E at large scale (g ≪ 1), and a power law between.
//!
//! The shape of the M4 estimator of Alabdulmohsin, Neyshabur and Zhai, "Revisiting Neural
//! Scaling Laws in Language and Vision", NeurIPS 2022 (arXiv 2209.06640), with their exponent
//! on the plateau term set to 1: (L − E) / (I − L) = g, solved for L.

use super::form::{finite_or_far, floor_warnings, sigmoid};
use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::diagnostics::Warning;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::projection::{amplitudes_below, floor_below_smallest, log_range, spaced};
use crate::engine::fit::starts::with_least_squares_start;
use crate::engine::fit::{FitError, Loss, Starts};
use crate::engine::plan::PlanError;

pub struct PlateauPower;

/// How many of the projected starts are polished.
const POLISHED: usize = 12;

impl Form for PlateauPower {
    fn id(&self) -> &'static str {
        "plateau-power"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["E", "I", "A", "alpha"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["E", "I", "A", "α"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!(
            "L = ({} + {} · g) / (1 + g), g = {} · {}^(−{})",
            s.p(0),
            s.p(1),
            s.p(2),
            s.x,
            s.p(3)
        )
    }
    fn is_single_variable(&self) -> bool {
        true
    }
    fn needs(&self, x: Variable) -> Vec<Quantity> {
        vec![x.quantity()]
    }
    /// Written as E + (I − E) w with w = g / (1 + g) = 1 / (1 + X^α / A), finite for any g.
    fn value(&self, p: &[f64], x: Variable, at: &Inputs) -> Option<f64> {
        let w = 1.0 / (1.0 + at.get(x)?.powf(p[3]) / p[2]);
        Some(p[0] + (p[1] - p[0]) * w)
    }
    fn exponents(&self) -> &'static [usize] {
        &[3]
    }
    fn floor(&self, p: &[f64]) -> Option<f64> {
        Some(p[0])
    }
    /// g = (L − E) / (I − L), X = (A / g)^(1/α); only targets between E and I are reached.
    fn invert(&self, p: &[f64], target: f64) -> Result<f64, PlanError> {
        let (e, i) = (p[0], p[1]);
        if target <= e && e < i {
            return Err(PlanError::BelowFloor { floor: e });
        }
        let g = (target - e) / (i - target);
        if !(g > 0.0 && g.is_finite()) {
            return Err(PlanError::OutOfRange);
        }
        Ok((p[2] / g).powf(1.0 / p[3]))
    }
    /// θ = (σ⁻¹(E / L_min), ln I, ln A, α): L = E (1 − w) + I w, w = σ(ln A − α ln X).
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
        let i = theta[1].exp();
        let w = sigmoid(theta[2] - theta[3] * s.ln_x);
        let pred = e * (1.0 - w) + i * w;
        // d pred / d ln g = (I − E) w (1 − w).
        let slope = (i - e) * w * (1.0 - w) / pred;
        grad[0] = (1.0 - w) * problem.e_max * sig * (1.0 - sig) / pred;
        grad[1] = i * w / pred;
        grad[2] = slope;
        grad[3] = -s.ln_x * slope;
        finite_or_far(pred.ln() - s.y, grad)
    }
    /// Variable projection: for each α (0.1 to 3) and each X where g = 1 (the middle of the
    /// fall, from below to beyond the data), the best E, I ≥ 0; the best are polished.
    fn starts(&self, problem: &Problem, loss: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let (lo, hi) = log_range(problem, |s| s.ln_x);
        let below = floor_below_smallest(problem);
        let mut grid = Vec::new();
        for alpha in spaced(0.1, 3.0, 30) {
            for middle in spaced(lo - 2.0, hi + 2.0, 14) {
                let ln_a = alpha * middle;
                let w = |s: &Sample| sigmoid(ln_a - alpha * s.ln_x);
                let Some(([e, i], _)) = amplitudes_below(problem, below, |s| [1.0 - w(s), w(s)])
                else {
                    continue;
                };
                if i > 0.0 {
                    let e = e.max(1e-3 * problem.e_max);
                    grid.push(vec![
                        self.theta_of(problem, &[e, i, 1.0, alpha])[0],
                        i.ln(),
                        ln_a,
                        alpha,
                    ]);
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
