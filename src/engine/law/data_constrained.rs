//! `data-constrained`: L = E + A / N'^α + B / D'^β, Chinchilla's law on effective parameters
//! N' and effective data D' when data is repeated (Muennighoff, Rush, Barak, Le Scao, Piktus,
//! Tazi, Pyysalo, Wolf, Raffel, "Scaling Data-Constrained Language Models", NeurIPS 2023,
//! arXiv 2305.16264), with the definitions of the huggingface/datablations README:
//!
//! - data: U_D = U unique tokens, R_D = D / U_D − 1 repetitions (0 for one epoch),
//!   D' = U_D + U_D R_D* (1 − e^(−R_D / R_D*)): repeated tokens are worth less and less;
//! - parameters: U_N = min(N, N_opt(U_D)), the compute-optimal size for U_D tokens under the
//!   law's own Chinchilla part (N_opt(D) = G^((α+β)/α) D^(β/α), G = (αA / (βB))^(1/(α+β))),
//!   R_N = N / U_N − 1, N' = U_N + U_N R_N* (1 − e^(−R_N / R_N*)): parameters beyond what the
//!   unique data can use are worth less and less.
//!
//! U larger than D is read as U = D (the README requires U ≤ D), and a point with no U as
//! U = D: every token seen once.

use super::form::finite_or_far;
use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::projection::amplitudes;
use crate::engine::fit::starts::with_least_squares_start;
use crate::engine::fit::{FitError, Loss, Starts};

pub struct DataConstrained;

/// How many of the projected starts are polished.
const POLISHED: usize = 12;

/// h(R, R*) = ln(1 + R* (1 − e^(−R/R*))), the log of effective over unique, with ∂h/∂R and
/// ∂h/∂R*.
fn decay(r: f64, r_star: f64) -> (f64, f64, f64) {
    let kept = (-r / r_star).exp();
    let q = 1.0 - r_star * (-r / r_star).exp_m1();
    (
        q.ln(),
        kept / q,
        (-(-r / r_star).exp_m1() - (r / r_star) * kept) / q,
    )
}

/// ln N_opt(U_D) = (ln α + ln A − ln β − ln B) / α + (β/α) ln U_D: the README's `D_to_N`.
fn ln_optimal_params(ln_a: f64, ln_b: f64, alpha: f64, beta: f64, ln_ud: f64) -> f64 {
    (alpha.ln() + ln_a - beta.ln() - ln_b) / alpha + beta / alpha * ln_ud
}

/// (ln N', ln D') at (ln N, ln D, ln U) for natural parameters p.
fn effective(p: &[f64], ln_n: f64, ln_d: f64, ln_u: f64) -> (f64, f64) {
    let ln_ud = ln_u.min(ln_d);
    let ln_d_eff = ln_ud + decay((ln_d - ln_ud).exp_m1(), p[5]).0;
    let ln_un = ln_n.min(ln_optimal_params(p[1].ln(), p[2].ln(), p[3], p[4], ln_ud));
    let ln_n_eff = ln_un + decay((ln_n - ln_un).exp_m1(), p[6]).0;
    (ln_n_eff, ln_d_eff)
}

impl Form for DataConstrained {
    fn id(&self) -> &'static str {
        "data-constrained"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["E", "A", "B", "alpha", "beta", "RD", "RN"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["E", "A", "B", "α", "β", "R_D*", "R_N*"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!(
            "L = {} + {} / N'^{} + {} / D'^{}; D' = U_D (1 + {} (1 − e^(−R_D / {}))), N' = U_N (1 + {} (1 − e^(−R_N / {}))); U_D = min(U, D), R_D = D / U_D − 1, U_N = min(N, N_opt(U_D)), R_N = N / U_N − 1",
            s.p(0),
            s.p(1),
            s.p(3),
            s.p(2),
            s.p(4),
            s.p(5),
            s.p(5),
            s.p(6),
            s.p(6)
        )
    }
    fn needs(&self, _: Variable) -> Vec<Quantity> {
        vec![Quantity::N, Quantity::D, Quantity::U]
    }
    fn value(&self, p: &[f64], _: Variable, at: &Inputs) -> Option<f64> {
        let (n, d) = (at.n?, at.d?);
        let (ln_n_eff, ln_d_eff) = effective(p, n.ln(), d.ln(), at.u.unwrap_or(d).ln());
        Some(p[0] + p[1] * (-p[3] * ln_n_eff).exp() + p[2] * (-p[4] * ln_d_eff).exp())
    }
    fn exponents(&self) -> &'static [usize] {
        &[3, 4]
    }
    fn floor(&self, p: &[f64]) -> Option<f64> {
        Some(p[0])
    }
    fn splits_compute(&self, _: &[f64]) -> bool {
        true
    }
    /// θ = (ln A, ln B, ln E, ln α, ln β, ln R_D*, ln R_N*): every parameter positive (N_opt
    /// needs α, β > 0).
    fn internal(&self) -> &'static [Internal] {
        &[
            Internal::Ln(1),
            Internal::Ln(2),
            Internal::Ln(0),
            Internal::Ln(3),
            Internal::Ln(4),
            Internal::Ln(5),
            Internal::Ln(6),
        ]
    }
    fn residual(&self, _: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        let (ln_a, ln_b, e) = (theta[0], theta[1], theta[2].exp());
        let (alpha, beta) = (theta[3].exp(), theta[4].exp());
        let (rd, rn) = (theta[5].exp(), theta[6].exp());
        // Data: D' from U_D and R_D (data only) and R_D*.
        let ln_ud = s.ln_u.min(s.ln_d);
        let r_d = (s.ln_d - ln_ud).exp_m1();
        let (hd, _, hd_star) = decay(r_d, rd);
        let ln_d_eff = ln_ud + hd;
        // Parameters: U_N = min(N, N_opt(U_D)), with ℓ = ln N_opt a function of A, B, α, β.
        let kk = theta[3] + ln_a - theta[4] - ln_b;
        let ell = kk / alpha + beta / alpha * ln_ud;
        let capped = s.ln_n > ell;
        let ln_un = if capped { ell } else { s.ln_n };
        let r_n = (s.ln_n - ln_un).exp_m1();
        let (hn, hn_r, hn_star) = decay(r_n, rn);
        let ln_n_eff = ln_un + hn;
        // d ln N' / d ℓ where U_N = N_opt: 1 + ∂h/∂R · dR_N/dℓ, dR_N/dℓ = −(R_N + 1).
        let through = if capped {
            1.0 - hn_r * (r_n + 1.0)
        } else {
            0.0
        };
        let d_ell_d_alpha = (1.0 - kk) / alpha - beta / alpha * ln_ud;
        let d_ell_d_beta = -1.0 / alpha + beta / alpha * ln_ud;
        let tn = (ln_a - alpha * ln_n_eff).exp();
        let td = (ln_b - beta * ln_d_eff).exp();
        let pred = e + tn + td;
        grad[0] = tn * (1.0 - through) / pred;
        grad[1] = (tn * through + td) / pred;
        grad[2] = e / pred;
        grad[3] = tn * (-alpha * ln_n_eff - alpha * through * d_ell_d_alpha) / pred;
        grad[4] = (-tn * alpha * through * d_ell_d_beta - td * beta * ln_d_eff) / pred;
        grad[5] = -td * beta * rd * hd_star / pred;
        grad[6] = -tn * alpha * rn * hn_star / pred;
        finite_or_far(pred.ln() - s.y, grad)
    }
    /// Variable projection over a grid of α, β, R_D*, R_N* and the cap on parameters,
    /// c = ln N_opt(U_D) − (β/α) ln U_D = ln(αA / (βB)) / α (from capping no point to capping
    /// every one, through the quartiles of where the points' own caps fall). A fixed cap ties
    /// B to A (B = A α e^(−cα) / β), so the law is E + A (N'^(−α) + α e^(−cα) / β · D'^(−β))
    /// with N' and D' known: linear in E, A ≥ 0. The best of these starts are polished.
    fn starts(&self, problem: &Problem, loss: &Loss, _: Starts) -> Result<StartPlan, FitError> {
        let exponents = [0.15, 0.25, 0.35, 0.5, 0.8];
        let stars = [3.0, 10.0, 40.0];
        let floor = 1e-3 * problem.e_max;
        let mut grid = Vec::new();
        for alpha in exponents {
            for beta in exponents {
                // Where each point's own cap falls: c_i = ln N_i − (β/α) ln U_D,i.
                let mut own: Vec<f64> = problem
                    .samples
                    .iter()
                    .map(|s| s.ln_n - beta / alpha * s.ln_u.min(s.ln_d))
                    .collect();
                own.sort_by(f64::total_cmp);
                let quartile = |q: f64| own[((own.len() - 1) as f64 * q).round() as usize];
                let caps = [
                    own[0] - 1.0,
                    quartile(0.25),
                    quartile(0.5),
                    quartile(0.75),
                    own[own.len() - 1] + 1.0,
                ];
                for cap in caps {
                    let tie = alpha / beta * (-cap * alpha).exp();
                    for rd in stars {
                        for rn in stars {
                            let shape = [0.0, 1.0, tie, alpha, beta, rd, rn];
                            let Some(([e, a], _)) = amplitudes(problem, |s| {
                                let (ln_n_eff, ln_d_eff) =
                                    effective(&shape, s.ln_n, s.ln_d, s.ln_u);
                                [
                                    1.0,
                                    (-alpha * ln_n_eff).exp() + tie * (-beta * ln_d_eff).exp(),
                                ]
                            }) else {
                                continue;
                            };
                            if a > 0.0 {
                                let p = [e.max(floor), a, a * tie, alpha, beta, rd, rn];
                                grid.push(self.theta_of(problem, &p));
                            }
                        }
                    }
                }
            }
        }
        Ok(StartPlan::Polish(with_least_squares_start(
            problem, loss, grid, POLISHED,
        )))
    }
}
