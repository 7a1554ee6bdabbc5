//! Using a law: predict at a target, invert a target loss.

use super::law::{Inputs, Law, ModelId, Variable};

/// Bisection steps in log space for the numeric inverse (2^-200 of the bracket).
const INVERT_STEPS: usize = 200;

/// Why a target cannot be reached.
#[derive(Clone, Debug, PartialEq)]
pub enum InvertError {
    /// At or below the irreducible loss: no scale reaches it.
    BelowFloor { floor: f64 },
    /// The law does not fall to it within 1e-30 … 1e60 of the variable.
    OutOfRange,
    /// The form has no single variable to solve for.
    NotSingleVariable,
}

impl std::fmt::Display for InvertError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InvertError::BelowFloor { floor } => write!(
                f,
                "the target is at or below the irreducible loss E = {floor:.4}: no scale reaches it"
            ),
            InvertError::OutOfRange => write!(f, "the law does not reach the target at any scale"),
            InvertError::NotSingleVariable => {
                write!(
                    f,
                    "invert needs a single-variable law (power, power-offset, kaplan, saturating)"
                )
            }
        }
    }
}

/// The single-variable law's value at x.
pub fn predict(law: &Law, x: f64) -> Option<f64> {
    law.value(&Inputs::single(law.x, x))
}

/// The value of X at which a single-variable law reaches `target`.
///
/// Closed forms: power X = (A/L)^(1/α); power-offset X = (A/(L − E))^(1/α);
/// kaplan X = Xc · L^(−1/α); saturating X = X0 · (P/(1 − P))^(1/α).
pub fn invert(law: &Law, target: f64) -> Result<f64, InvertError> {
    let p = &law.params;
    let x = match law.model {
        ModelId::Power => (p[0] / target).powf(1.0 / p[1]),
        ModelId::PowerOffset => {
            if target <= p[0] {
                return Err(InvertError::BelowFloor { floor: p[0] });
            }
            (p[1] / (target - p[0])).powf(1.0 / p[2])
        }
        ModelId::Kaplan => p[0] * target.powf(-1.0 / p[1]),
        ModelId::Saturating => {
            if !(target > 0.0 && target < 1.0) {
                return Err(InvertError::OutOfRange);
            }
            p[0] * (target / (1.0 - target)).powf(1.0 / p[1])
        }
        _ => return Err(InvertError::NotSingleVariable),
    };
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(InvertError::OutOfRange)
    }
}

/// Numeric inverse of a monotone function of X by bisection in log X over [lo, hi].
pub fn invert_numeric(f: impl Fn(f64) -> f64, target: f64, lo: f64, hi: f64) -> Option<f64> {
    let (mut a, mut b) = (lo.ln(), hi.ln());
    let (fa, fb) = (f(a.exp()) - target, f(b.exp()) - target);
    if !(fa.is_finite() && fb.is_finite()) || fa.signum() == fb.signum() {
        return None;
    }
    for _ in 0..INVERT_STEPS {
        let mid = 0.5 * (a + b);
        let fm = f(mid.exp()) - target;
        if fm.signum() == fa.signum() {
            a = mid;
        } else {
            b = mid;
        }
        if (b - a).abs() < 1e-14 {
            break;
        }
    }
    Some((0.5 * (a + b)).exp())
}

/// The default variable's name for a law, for messages.
pub fn variable_of(law: &Law) -> Variable {
    law.x
}
