//! `kaplan-joint`: L = [ (Nc/N)^(αN/αD) + Dc/D ]^αD (Kaplan et al. 2020, arXiv 2001.08361, eq. 1.5).

use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::starts::with_least_squares_start;
use crate::engine::fit::{FitError, Loss, Starts};

pub struct KaplanJoint;

/// How many of the grid's best points are polished.
const POLISHED: usize = 8;

impl Form for KaplanJoint {
    fn id(&self) -> &'static str {
        "kaplan-joint"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["Nc", "Dc", "alphaN", "alphaD"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["Nc", "Dc", "αN", "αD"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!(
            "L = [ ({} / N)^({} / {}) + {} / D ]^{}",
            s.p(0),
            s.p(2),
            s.p(3),
            s.p(1),
            s.p(3)
        )
    }
    fn needs(&self, _: Variable) -> Vec<Quantity> {
        vec![Quantity::N, Quantity::D]
    }
    fn value(&self, p: &[f64], _: Variable, at: &Inputs) -> Option<f64> {
        let (n, d) = (at.n?, at.d?);
        Some(((p[0] / n).powf(p[2] / p[3]) + p[1] / d).powf(p[3]))
    }
    fn exponents(&self) -> &'static [usize] {
        &[2, 3]
    }
    /// Nc, Dc, alphaN and alphaD.
    fn split_positive(&self) -> &'static [usize] {
        &[0, 1, 2, 3]
    }
    fn splits_compute(&self, _: &[f64]) -> bool {
        true
    }
    /// θ = (u, v, αN, αD), u = ln Nc, v = ln Dc: ln L = αD ln(e^((αN/αD)(u − ln N)) + e^(v − ln D)).
    fn internal(&self) -> &'static [Internal] {
        &[
            Internal::Ln(0),
            Internal::Ln(1),
            Internal::Same(2),
            Internal::Same(3),
        ]
    }
    fn residual(&self, _: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        let (u, v, an, ad) = (theta[0], theta[1], theta[2], theta[3]);
        let q = an / ad;
        let t1 = (q * (u - s.ln_n)).exp();
        let t2 = (v - s.ln_d).exp();
        let sum = t1 + t2;
        let ln_sum = sum.ln();
        grad[0] = an * t1 / sum;
        grad[1] = ad * t2 / sum;
        grad[2] = t1 * (u - s.ln_n) / sum;
        grad[3] = ln_sum - q * t1 * (u - s.ln_n) / sum;
        ad * ln_sum - s.y
    }
    /// A grid around the data's own scales, its best points polished.
    fn starts(&self, problem: &Problem, loss: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let mean = |f: fn(&Sample) -> f64| {
            problem.samples.iter().map(f).sum::<f64>() / problem.samples.len() as f64
        };
        let (ln_n, ln_d) = (mean(|s| s.ln_n), mean(|s| s.ln_d));
        let mut grid = Vec::new();
        for an in [0.03, 0.08, 0.2, 0.5] {
            for ad in [0.03, 0.1, 0.25, 0.6] {
                for du in [1.0, 5.0, 10.0, 20.0] {
                    for dv in [-2.0, 2.0, 6.0, 12.0] {
                        grid.push(vec![ln_n + du, ln_d + dv, an, ad]);
                    }
                }
            }
        }
        Ok(StartPlan::Polish(with_least_squares_start(
            problem, loss, grid, POLISHED,
        )))
    }
}
