//! The objective of CONTRACT.md: a sum over the fitted points of ρ(r_i).
//!
//! - least squares: ρ(r) = r²/2
//! - Huber(δ): ρ(r) = r²/2 if |r| ≤ δ, else δ(|r| − δ/2)
//! - asymmetric (lower envelope): ρ(r) = w r²/2 where r > 0 (the curve above the point), r²/2 elsewhere

use super::problem::Problem;
use serde::{Deserialize, Serialize};

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
