//! `skaling`: L = E + A (N^(−α) + R D^(−β))^k, model size and data coupled through one
//! exponent k; k = 1 is Chinchilla's form with B = A R.
//!
//! The "skaling" law of Videau, Youbi-Idrissi, Lopez-Paz and Ahuja (2026), as the
//! simple-scaling-laws package describes it (secondary: docs/REFERENCES.md).

use super::form::{finite_or_far, power_sum_split};
use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::projection::{amplitudes, spaced};
use crate::engine::fit::starts::with_least_squares_start;
use crate::engine::fit::{FitError, Loss, Starts};
use crate::engine::plan::PlanError;

pub struct Skaling;

/// How many of the projected starts are polished.
const POLISHED: usize = 12;
/// How many of the best k = 1 starts are tried again with other k.
const RESHAPED: usize = 8;

/// ln(N^(−α) + R D^(−β)) and the share of the data term, R D^(−β) / (N^(−α) + R D^(−β)).
fn ln_sum(ln_r: f64, alpha: f64, beta: f64, s: &Sample) -> (f64, f64) {
    let (u, v) = (-alpha * s.ln_n, ln_r - beta * s.ln_d);
    let top = u.max(v);
    let (eu, ev) = ((u - top).exp(), (v - top).exp());
    (top + (eu + ev).ln(), ev / (eu + ev))
}

impl Form for Skaling {
    fn id(&self) -> &'static str {
        "skaling"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["E", "A", "R", "alpha", "beta", "k"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["E", "A", "R", "α", "β", "k"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!(
            "L = {} + {} · (N^(−{}) + {} · D^(−{}))^{}",
            s.p(0),
            s.p(1),
            s.p(3),
            s.p(2),
            s.p(4),
            s.p(5)
        )
    }
    fn needs(&self, _: Variable) -> Vec<Quantity> {
        vec![Quantity::N, Quantity::D]
    }
    fn value(&self, p: &[f64], _: Variable, at: &Inputs) -> Option<f64> {
        let (n, d) = (at.n?, at.d?);
        Some(p[0] + p[1] * (n.powf(-p[3]) + p[2] * d.powf(-p[4])).powf(p[5]))
    }
    fn exponents(&self) -> &'static [usize] {
        &[3, 4, 5]
    }
    fn floor(&self, p: &[f64]) -> Option<f64> {
        Some(p[0])
    }
    fn splits_compute(&self, _: &[f64]) -> bool {
        true
    }
    /// With A, k > 0 the law falls with N^(−α) + R D^(−β), whose minimum along N D = C/k is
    /// Chinchilla's with A = 1, B = R: N_opt = G (C/k)^(β/(α+β)), D_opt = G⁻¹ (C/k)^(α/(α+β)),
    /// G = (α / (β R))^(1/(α+β)).
    fn compute_optimal(
        &self,
        p: &[f64],
        compute_over_k: f64,
    ) -> Option<Result<(f64, f64), PlanError>> {
        let (a, r, alpha, beta, k) = (p[1], p[2], p[3], p[4], p[5]);
        if !(a > 0.0 && r > 0.0 && alpha > 0.0 && beta > 0.0 && k > 0.0) {
            return Some(Err(PlanError::NoInteriorOptimum));
        }
        Some(Ok(power_sum_split(1.0, r, alpha, beta, compute_over_k)))
    }
    /// θ = (ln E, ln A, ln R, α, β, k): L = e^(ln E) + e^(ln A + k ln(N^(−α) + e^(ln R) D^(−β))).
    fn internal(&self) -> &'static [Internal] {
        &[
            Internal::Ln(0),
            Internal::Ln(1),
            Internal::Ln(2),
            Internal::Same(3),
            Internal::Same(4),
            Internal::Same(5),
        ]
    }
    fn residual(&self, _: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        let (ln_e, ln_a, ln_r, alpha, beta, k) =
            (theta[0], theta[1], theta[2], theta[3], theta[4], theta[5]);
        let (lse, data_share) = ln_sum(ln_r, alpha, beta, s);
        let e = ln_e.exp();
        let t = (ln_a + k * lse).exp();
        let pred = e + t;
        let share = t / pred;
        grad[0] = e / pred;
        grad[1] = share;
        grad[2] = k * data_share * share;
        grad[3] = -k * (1.0 - data_share) * s.ln_n * share;
        grad[4] = -k * data_share * s.ln_d * share;
        grad[5] = lse * share;
        finite_or_far(pred.ln() - s.y, grad)
    }
    /// Variable projection. With k = 1, for each (α, β) on a grid from 0.05 to 1.5 the best
    /// E, A, B ≥ 0 give a start with R = B / A; the best of those are tried again with
    /// k = 0.5 … 2 (the best E, A ≥ 0 for each); the best of all are polished.
    fn starts(&self, problem: &Problem, loss: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let mut chinchilla: Vec<(f64, [f64; 6])> = Vec::new();
        for alpha in spaced(0.05, 1.5, 30) {
            for beta in spaced(0.05, 1.5, 30) {
                let Some(([e, a, b], ssr)) = amplitudes(problem, |s| {
                    [1.0, (-alpha * s.ln_n).exp(), (-beta * s.ln_d).exp()]
                }) else {
                    continue;
                };
                if a > 0.0 && b > 0.0 {
                    chinchilla.push((ssr, [e, a, b / a, alpha, beta, 1.0]));
                }
            }
        }
        chinchilla.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut natural: Vec<[f64; 6]> = chinchilla.iter().map(|c| c.1).collect();
        for &(_, [_, _, r, alpha, beta, _]) in chinchilla.iter().take(RESHAPED) {
            for k in [0.5, 0.75, 1.5, 2.0] {
                let Some(([e, a], _)) = amplitudes(problem, |s| {
                    [1.0, (k * ln_sum(r.ln(), alpha, beta, s).0).exp()]
                }) else {
                    continue;
                };
                if a > 0.0 {
                    natural.push([e, a, r, alpha, beta, k]);
                }
            }
        }
        let floor = 1e-3 * problem.e_max;
        let grid = natural
            .into_iter()
            .map(|mut p| {
                p[0] = p[0].max(floor);
                self.theta_of(problem, &p)
            })
            .collect();
        Ok(StartPlan::Polish(with_least_squares_start(
            problem, loss, grid, POLISHED,
        )))
    }
}
