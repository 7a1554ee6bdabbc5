//! The objective of docs/CONTRACT.md: a sum over the fitted points of ρ(r_i).
//!
//! - least squares: ρ(r) = r²/2
//! - Huber(δ): ρ(r) = r²/2 if |r| ≤ δ, else δ(|r| − δ/2)
//! - asymmetric (lower envelope): ρ(r) = w r²/2 where r > 0 (the curve above the point), r²/2 elsewhere

use super::problem::Problem;
use crate::engine::law::ModelId;
use serde::{Deserialize, Serialize};
use wide::f64x8;

/// Default Huber δ, the Hoffmann/Besiroglu recipe.
pub const DEFAULT_HUBER_DELTA: f64 = 1e-3;
/// Default weight of the asymmetric loss.
pub const DEFAULT_ASYMMETRIC_WEIGHT: f64 = 10.0;

/// How residuals are weighed.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Loss {
    LeastSquares,
    Huber { delta: f64 },
    Asymmetric { weight: f64 },
}

impl Loss {
    pub fn id(&self) -> &'static str {
        match self {
            Loss::LeastSquares => "least-squares",
            Loss::Huber { .. } => "huber",
            Loss::Asymmetric { .. } => "asymmetric",
        }
    }

    /// ρ(r) and ρ'(r).
    #[inline]
    pub fn rho(&self, r: f64) -> (f64, f64) {
        match *self {
            Loss::LeastSquares => (0.5 * r * r, r),
            Loss::Huber { delta } => {
                if r.abs() <= delta {
                    (0.5 * r * r, r)
                } else {
                    (delta * (r.abs() - 0.5 * delta), delta * r.signum())
                }
            }
            Loss::Asymmetric { weight } => {
                if r > 0.0 {
                    (0.5 * weight * r * r, weight * r)
                } else {
                    (0.5 * r * r, r)
                }
            }
        }
    }

    /// Checks the loss's own setting.
    pub fn validate(&self) -> Result<(), String> {
        match *self {
            Loss::Huber { delta } if !(delta > 0.0 && delta.is_finite()) => Err(format!(
                "Huber delta must be a positive number, got {delta}"
            )),
            Loss::Asymmetric { weight } if !(weight > 0.0 && weight.is_finite()) => Err(format!(
                "the asymmetric weight must be positive, got {weight}"
            )),
            _ => Ok(()),
        }
    }
}

/// Σ ρ(r_i) and its gradient in θ, without storing the Jacobian.
pub fn objective_and_gradient(
    problem: &Problem,
    loss: &Loss,
    theta: &[f64],
    gradient: &mut [f64],
) -> f64 {
    if problem.model == ModelId::Chinchilla {
        return chinchilla_objective_and_gradient(problem, loss, theta, gradient);
    }
    let k = problem.dim();
    let mut row = [0.0; 8];
    gradient.iter_mut().for_each(|g| *g = 0.0);
    let mut total = 0.0;
    for s in &problem.samples {
        let r = problem.residual(theta, s, &mut row[..k]);
        let (value, slope) = loss.rho(r);
        total += value;
        for (g, d) in gradient.iter_mut().zip(&row[..k]) {
            *g += slope * d;
        }
    }
    total
}

/// The same sum for `chinchilla`, the hot loop of the 4,500-start grid, eight points at a
/// time (SIMD exp and ln from `wide`), with e^e hoisted out of the loop:
/// r = ln(e^(a − α ln N) + e^(b − β ln D) + e^e) − ln L, as in [`Problem::residual`].
fn chinchilla_objective_and_gradient(
    problem: &Problem,
    loss: &Loss,
    theta: &[f64],
    gradient: &mut [f64],
) -> f64 {
    let (a, b, e, alpha, beta) = (theta[0], theta[1], theta[2], theta[3], theta[4]);
    let te = e.exp();
    let [mut g0, mut g1, mut g2, mut g3, mut g4, mut total] = [f64x8::ZERO; 6];
    let (sa, sb, salpha, sbeta, ste) = (
        f64x8::splat(a),
        f64x8::splat(b),
        f64x8::splat(alpha),
        f64x8::splat(beta),
        f64x8::splat(te),
    );
    let chunks = problem.samples.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        let ln_n = f64x8::new(std::array::from_fn(|i| c[i].ln_n));
        let ln_d = f64x8::new(std::array::from_fn(|i| c[i].ln_d));
        let y = f64x8::new(std::array::from_fn(|i| c[i].y));
        let tn = (sa - salpha * ln_n).exp();
        let td = (sb - sbeta * ln_d).exp();
        let pred = tn + td + ste;
        let (value, slope) = rho_x8(loss, pred.ln() - y);
        total += value;
        let w = slope / pred;
        g0 += w * tn;
        g1 += w * td;
        g2 += w;
        g3 -= w * tn * ln_n;
        g4 -= w * td * ln_d;
    }
    let sum = |v: f64x8| v.to_array().iter().sum::<f64>();
    let mut g = [sum(g0), sum(g1), sum(g2), sum(g3), sum(g4)];
    let mut total = sum(total);
    for s in tail {
        let tn = (a - alpha * s.ln_n).exp();
        let td = (b - beta * s.ln_d).exp();
        let pred = tn + td + te;
        let (value, slope) = loss.rho(pred.ln() - s.y);
        total += value;
        let w = slope / pred;
        g[0] += w * tn;
        g[1] += w * td;
        g[2] += w;
        g[3] -= w * tn * s.ln_n;
        g[4] -= w * td * s.ln_d;
    }
    g[2] *= te;
    gradient[..5].copy_from_slice(&g);
    total
}

/// [`Loss::rho`] on eight residuals at once.
#[inline]
fn rho_x8(loss: &Loss, r: f64x8) -> (f64x8, f64x8) {
    let half = f64x8::splat(0.5);
    match *loss {
        Loss::LeastSquares => (half * r * r, r),
        Loss::Huber { delta } => {
            let d = f64x8::splat(delta);
            let abs = r.abs();
            let inside = abs.simd_le(d);
            let sign = r
                .simd_lt(f64x8::ZERO)
                .select(f64x8::splat(-1.0), f64x8::ONE);
            (
                inside.select(half * r * r, d * (abs - half * d)),
                inside.select(r, d * sign),
            )
        }
        Loss::Asymmetric { weight } => {
            let w = r
                .simd_gt(f64x8::ZERO)
                .select(f64x8::splat(weight), f64x8::ONE);
            (half * w * r * r, w * r)
        }
    }
}

/// Σ ρ(r_i) alone.
pub fn objective(problem: &Problem, loss: &Loss, theta: &[f64]) -> f64 {
    let mut row = [0.0; 8];
    let k = problem.dim();
    problem
        .samples
        .iter()
        .map(|s| loss.rho(problem.residual(theta, s, &mut row[..k])).0)
        .sum()
}
