//! `broken-power`: L = E + A X^(−α) (1 + (X / Xb)^(1/f))^(−γ f), a power law whose slope
//! changes once, from α to α + γ, around X = Xb, the sharper the smaller f.
//!
//! One break of the broken neural scaling law of Caballero, Gupta, Rish and Krueger,
//! "Broken Neural Scaling Laws", ICLR 2023 (arXiv 2210.14891), eq. 1:
//! y = a + b x^(−c0) Π_i (1 + (x / d_i)^(1/f_i))^(−c_i f_i), here with a = E, b = A, c0 = α,
//! c1 = γ, d1 = Xb, f1 = f.

use super::form::{finite_or_far, floor_warnings, sigmoid};
use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::diagnostics::Warning;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::projection::{amplitudes_below, floor_below_smallest, log_range, spaced};
use crate::engine::fit::starts::{best_of, polish};
use crate::engine::fit::{FitError, Loss, Starts};
use crate::engine::plan::{invert_numeric, PlanError};

pub struct BrokenPower;

/// How many of the best projected starts overall are polished.
const POLISHED: usize = 8;
/// Places of the break tried, evenly in ln X from 5 % to 95 % of the data's range.
const BREAKS: usize = 9;
/// The floor of the second start of each shape, as a fraction of the smallest loss.
const HIGH_FLOOR: f64 = 0.95;

/// ln(1 + e^z) without overflow.
fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// ln of the power term: ln A − α ln X − γ f ln(1 + e^((ln X − ln Xb) / f)).
fn ln_term(ln_a: f64, alpha: f64, gamma: f64, ln_xb: f64, f: f64, ln_x: f64) -> f64 {
    ln_a - alpha * ln_x - gamma * f * softplus((ln_x - ln_xb) / f)
}

impl Form for BrokenPower {
    fn id(&self) -> &'static str {
        "broken-power"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["E", "A", "alpha", "gamma", "Xb", "f"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["E", "A", "α", "γ", "{x}b", "f"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!(
            "L = {} + {} · {x}^(−{}) · (1 + ({x} / {})^(1/{}))^(−{} · {})",
            s.p(0),
            s.p(1),
            s.p(2),
            s.p(4),
            s.p(5),
            s.p(3),
            s.p(5),
            x = s.x,
        )
    }
    fn is_single_variable(&self) -> bool {
        true
    }
    fn needs(&self, x: Variable) -> Vec<Quantity> {
        vec![x.quantity()]
    }
    fn value(&self, p: &[f64], x: Variable, at: &Inputs) -> Option<f64> {
        let ln_x = at.get(x)?.ln();
        Some(p[0] + ln_term(p[1].ln(), p[2], p[3], p[4].ln(), p[5], ln_x).exp())
    }
    fn exponents(&self) -> &'static [usize] {
        &[2]
    }
    fn floor(&self, p: &[f64]) -> Option<f64> {
        Some(p[0])
    }
    /// No closed form: bisection in ln X over 1 … 1e60, where the law falls monotonically
    /// (α > 0 and α + γ > 0).
    fn invert(&self, p: &[f64], target: f64) -> Result<f64, PlanError> {
        if target <= p[0] {
            return Err(PlanError::BelowFloor { floor: p[0] });
        }
        let value = |x: f64| self.value(p, Variable::N, &Inputs::single(Variable::N, x));
        invert_numeric(|x| value(x).unwrap_or(f64::NAN), target, 1.0, 1e60)
            .ok_or(PlanError::OutOfRange)
    }
    /// θ = (σ⁻¹(E / L_min), ln A, α, γ, ln Xb, ln f).
    fn internal(&self) -> &'static [Internal] {
        &[
            Internal::BelowSmallest(0),
            Internal::Ln(1),
            Internal::Same(2),
            Internal::Same(3),
            Internal::Ln(4),
            Internal::Ln(5),
        ]
    }
    fn residual(&self, problem: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        let sig = sigmoid(theta[0]);
        let e = problem.e_max * sig;
        let (ln_a, alpha, gamma, ln_xb, f) =
            (theta[1], theta[2], theta[3], theta[4], theta[5].exp());
        let z = (s.ln_x - ln_xb) / f;
        let soft = softplus(z);
        let bend = sigmoid(z);
        let t = ln_term(ln_a, alpha, gamma, ln_xb, f, s.ln_x).exp();
        let pred = e + t;
        let share = t / pred;
        grad[0] = problem.e_max * sig * (1.0 - sig) / pred;
        grad[1] = share;
        grad[2] = -s.ln_x * share;
        grad[3] = -f * soft * share;
        // d/d ln Xb of −γ f softplus(z) = γ σ(z); d/d ln f = −γ f (softplus(z) − z σ(z)).
        grad[4] = gamma * bend * share;
        grad[5] = -gamma * f * (soft - z * bend) * share;
        finite_or_far(pred.ln() - s.y, grad)
    }
    /// Variable projection over a grid of the first slope α, the change γ, the break Xb
    /// ([`BREAKS`] places inside the data) and its sharpness f. For each shape, two starts:
    /// the best E ≥ 0 (below the smallest loss) and A ≥ 0, and E held just under the smallest
    /// loss ([`HIGH_FLOOR`]) with the best A: a break and an approach to the floor bend the
    /// curve alike, and from a floor too low the solvers settle for a break in the wrong
    /// place. Polished: the best of each kind for each place and sharpness of the break (each
    /// its own basin, which the best points overall can all miss), and the [`POLISHED`] best
    /// overall.
    fn starts(&self, problem: &Problem, loss: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let (lo, hi) = log_range(problem, |s| s.ln_x);
        let below = floor_below_smallest(problem);
        let high = HIGH_FLOOR * problem.e_max;
        let mut starts = Vec::new();
        let mut least_squares = Vec::new();
        let mut all = Vec::new();
        for ln_xb in spaced(lo + 0.05 * (hi - lo), hi - 0.05 * (hi - lo), BREAKS) {
            for f in [0.15, 0.5, 2.0] {
                let (mut free, mut held) = (Vec::new(), Vec::new());
                for alpha in [0.0, 0.05, 0.1, 0.2, 0.3, 0.45, 0.7, 1.0] {
                    for gamma in [-0.5, -0.2, -0.05, 0.05, 0.15, 0.3, 0.6, 1.0] {
                        let shape = |s: &Sample| ln_term(0.0, alpha, gamma, ln_xb, f, s.ln_x).exp();
                        let natural = |e: f64, a: f64| {
                            self.theta_of(problem, &[e, a, alpha, gamma, ln_xb.exp(), f])
                        };
                        if let Some(([e, a], _)) =
                            amplitudes_below(problem, below, |s| [1.0, shape(s)])
                        {
                            if a > 0.0 {
                                free.push(natural(e.max(1e-3 * problem.e_max), a));
                            }
                        }
                        // E held: min Σ ((E + A b_i) / L_i − 1)² over A alone.
                        let (mut num, mut den) = (0.0, 0.0);
                        for s in &problem.samples {
                            let l = s.y.exp();
                            let b = shape(s) / l;
                            num += b * (1.0 - high / l);
                            den += b * b;
                        }
                        let a = num / den;
                        if a > 0.0 && a.is_finite() {
                            held.push(natural(high, a));
                        }
                    }
                }
                starts.extend(best_of(problem, loss, free.clone(), 1));
                starts.extend(best_of(problem, loss, held.clone(), 1));
                if *loss != Loss::LeastSquares {
                    least_squares.extend(best_of(problem, &Loss::LeastSquares, free.clone(), 1));
                    least_squares.extend(best_of(problem, &Loss::LeastSquares, held, 1));
                }
                all.extend(free);
            }
        }
        // For a robust loss, also the least-squares optimum from the same starts: its basin is
        // usually the robust optimum's (and on exact data it is the optimum).
        let least_squares = least_squares
            .iter()
            .map(|s| polish(problem, &Loss::LeastSquares, s))
            .min_by(|a, b| a.objective.total_cmp(&b.objective));
        starts.extend(least_squares.map(|o| o.theta));
        starts.extend(best_of(problem, loss, all, POLISHED));
        Ok(StartPlan::Polish(starts))
    }
    /// Beyond the break the slope is α + γ: not positive, the law stops improving with scale.
    fn warnings(&self, problem: &Problem, p: &[f64]) -> Vec<Warning> {
        let mut out = floor_warnings(problem, "E", p[0]);
        let slope = p[2] + p[3];
        if slope <= 0.0 {
            out.push(Warning::NotPositive {
                param: "alpha + gamma".into(),
                value: slope,
            });
        }
        out
    }
}
