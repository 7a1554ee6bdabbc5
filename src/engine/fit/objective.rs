//! The objective of docs/CONTRACT.md: a sum over the fitted points of ρ(r_i).
//!
//! - least squares: ρ(r) = r²/2
//! - Huber(δ): ρ(r) = r²/2 if |r| ≤ δ, else δ(|r| − δ/2)
//! - asymmetric (lower envelope): ρ(r) = w r²/2 where r > 0 (the curve above the point), r²/2 elsewhere

use super::problem::Problem;
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
    /// Every kind of loss, each with its default setting, in the order a list shows them.
    pub const ALL: [Loss; 3] = [
        Loss::LeastSquares,
        Loss::Huber {
            delta: DEFAULT_HUBER_DELTA,
        },
        Loss::Asymmetric {
            weight: DEFAULT_ASYMMETRIC_WEIGHT,
        },
    ];

    /// The kind of loss with its default setting, by id (`least-squares`, `huber`,
    /// `asymmetric`).
    pub fn from_id(id: &str) -> Option<Loss> {
        Loss::ALL.into_iter().find(|l| l.id() == id)
    }

    /// The id used by the page's select, share links and the command line.
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
    pub fn validate(&self) -> Result<(), LossError> {
        match *self {
            Loss::Huber { delta } if !(delta > 0.0 && delta.is_finite()) => {
                Err(LossError::HuberDelta(delta))
            }
            Loss::Asymmetric { weight } if !(weight > 0.0 && weight.is_finite()) => {
                Err(LossError::AsymmetricWeight(weight))
            }
            _ => Ok(()),
        }
    }
}

/// A loss setting that is not valid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum LossError {
    /// Huber's δ must be positive and finite.
    HuberDelta(f64),
    /// The asymmetric weight must be positive and finite.
    AsymmetricWeight(f64),
    /// The text typed for Huber's δ is not a number.
    DeltaText(crate::engine::units::UnitError),
    /// The text typed for the asymmetric weight is not a number.
    WeightText(crate::engine::units::UnitError),
}

impl std::fmt::Display for LossError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

impl std::error::Error for LossError {}

/// Σ ρ(r_i) and its gradient in θ, without storing the Jacobian.
pub fn objective_and_gradient(
    problem: &Problem,
    loss: &Loss,
    theta: &[f64],
    gradient: &mut [f64],
) -> f64 {
    if let Some(total) = form_objective_and_gradient(problem, loss, theta, gradient) {
        return total;
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

/// e^x on eight lanes, for the objective's hot loop: x = r·ln 2 + f with r = round(x·log₂e) and
/// |f| ≤ ln 2 / 2, e^f by a polynomial of degree 11 (Horner, fused multiply-adds), 2^r written
/// straight into the exponent bits. Exact to about 1 ulp where every lane lies within ±700;
/// otherwise (a lane that overflows, underflows to subnormal or is NaN) all eight go to
/// `wide`'s general exp, which handles those cases at the cost of checks on every call.
#[inline(always)]
pub(crate) fn exp_x8(x: f64x8) -> f64x8 {
    const LIMIT: f64 = 700.0;
    // ln 2 split so that r·LN2_HI is exact for |r| < 2^11 (fdlibm's e_exp.c constants).
    const LN2_HI: f64 = 0.693_147_180_369_123_8;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // e^f on |f| ≤ ln 2 / 2: the near-minimax (Chebyshev) polynomial of degree 11, highest
    // power first (mpmath.chebyfit at 50 digits, rounded to f64: relative error 1.7e-17,
    // a sixth of an ulp; Taylor needs degree 13 for the same).
    const POLYNOMIAL: [f64; 12] = [
        2.511_003_760_596_377_7e-8,
        2.763_263_963_904_103e-7,
        2.755_724_091_857_897e-6,
        2.480_148_548_232_849_4e-5,
        1.984_126_989_004_711_3e-4,
        1.388_888_895_231_477_5e-3,
        8.333_333_333_319_601e-3,
        4.166_666_666_648_81e-2,
        1.666_666_666_666_668e-1,
        5.000_000_000_000_019e-1,
        1.0,
        1.0,
    ];
    if !x.abs().simd_le(f64x8::splat(LIMIT)).all() {
        return x.exp();
    }
    let r = (x * f64x8::splat(std::f64::consts::LOG2_E)).round();
    let f = r.mul_neg_add(f64x8::splat(LN2_HI), x);
    let f = r.mul_neg_add(f64x8::splat(LN2_LO), f);
    let p = POLYNOMIAL[1..]
        .iter()
        .fold(f64x8::splat(POLYNOMIAL[0]), |p, &c| {
            p.mul_add(f, f64x8::splat(c))
        });
    // 2^r: r + 1023 lands in the low bits of r + (1023 + 2^52); shifted up 52, the exponent.
    let biased = r + f64x8::splat(1023.0 + 4_503_599_627_370_496.0);
    let bits: wide::i64x8 = bytemuck::cast(biased);
    p * bytemuck::cast::<wide::i64x8, f64x8>(bits << 52)
}

/// [`Loss::rho`] on eight residuals at once.
#[inline]
pub(crate) fn rho_x8(loss: &Loss, r: f64x8) -> (f64x8, f64x8) {
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

/// The form's own Σ ρ(r_i) and gradient (a SIMD loop, for `chinchilla`), through the
/// constraints when there are any; None when the form has none.
fn form_objective_and_gradient(
    problem: &Problem,
    loss: &Loss,
    theta: &[f64],
    gradient: &mut [f64],
) -> Option<f64> {
    let form = problem.model.form();
    match &problem.reduction {
        None => form.objective_and_gradient(problem, loss, theta, gradient),
        Some(r) => {
            let full = r.expand(theta);
            let mut by_theta = vec![0.0; full.len()];
            let total = form.objective_and_gradient(problem, loss, &full, &mut by_theta)?;
            r.contract(&by_theta, gradient);
            Some(total)
        }
    }
}

/// Σ ρ(r_i) alone: by the form's own loop where it has one (its gradient comes nearly free
/// there: the SIMD exp and ln dominate), else one residual at a time. This is what ranks
/// the thousands of grid starts.
pub fn objective(problem: &Problem, loss: &Loss, theta: &[f64]) -> f64 {
    let mut row = [0.0; 8];
    let k = problem.dim();
    if let Some(total) = form_objective_and_gradient(problem, loss, theta, &mut row[..k]) {
        return total;
    }
    problem
        .samples
        .iter()
        .map(|s| loss.rho(problem.residual(theta, s, &mut row[..k])).0)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// exp_x8 against std's exp: within 2 ulp across ±700 (the fast path), and the general
    /// path's answers (∞, 0, NaN) where a lane leaves it.
    #[test]
    fn exp_x8_matches_std() {
        let mut worst = 0.0_f64;
        for i in 0..200_000 {
            let x0 = -700.0 + 1400.0 * (i as f64) / 200_000.0;
            let x = f64x8::new(std::array::from_fn(|k| x0 + k as f64 * 1e-3));
            for (got, lane) in exp_x8(x).to_array().iter().zip(x.to_array()) {
                let want = lane.exp();
                worst = worst.max(((got - want) / want).abs() / f64::EPSILON);
            }
        }
        assert!(worst <= 2.0, "worst error {worst} ulp");
        let edge = f64x8::new([0.0, 1.0, 710.0, -750.0, f64::NAN, -1.0, 2.0, 3.0]);
        let got = exp_x8(edge).to_array();
        assert_eq!(got[2], f64::INFINITY);
        assert_eq!(got[3], 0.0);
        assert!(got[4].is_nan());
        assert!((got[1] - std::f64::consts::E).abs() <= 2.0 * f64::EPSILON * std::f64::consts::E);
        assert_eq!(got[0], 1.0);
    }
}
