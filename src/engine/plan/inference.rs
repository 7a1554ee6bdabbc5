//! Inference-aware size (Sardana, Doubov, Frankle, ICML 2024, arXiv 2401.00448): a model that
//! will serve T inference tokens should reach the compute-optimal model's loss ℓ at the least
//! total FLOP, k N D_train + 2 N T, subject to L(N, D_train) = ℓ.
//!
//! For each N, D_train(N) solves L(N, D) = ℓ (bisection in ln D); the total is minimised over
//! ln N by golden-section search between the smallest N that can reach ℓ at all and the
//! compute-optimal N (more inference only ever asks for a smaller model).

use super::{compute_optimal, golden_minimum, invert_numeric, predict_nd, Allocation, PlanError};
use crate::engine::law::Law;
use serde::{Deserialize, Serialize};

/// The inference-aware model and what it saves.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct InferenceAware {
    pub n: f64,
    /// Training tokens.
    pub d: f64,
    /// k N D + 2 N T.
    pub total_flop: f64,
    /// 1 − total / the compute-optimal model's total with the same inference.
    pub saving: f64,
    pub tokens_per_param: f64,
    /// The loss both models reach.
    pub loss: f64,
}

/// The largest D searched for D_train(N): far past any run.
const MAX_TOKENS: f64 = 1e40;

/// The training tokens that bring a model of N parameters to `target`, if it can reach it.
fn tokens_to_reach(law: &Law, n: f64, k: f64, target: f64) -> Option<f64> {
    invert_numeric(
        |d| predict_nd(law, n, d, k).unwrap_or(f64::NAN),
        target,
        1.0,
        MAX_TOKENS,
    )
}

/// Total FLOP of training N on D and serving T tokens: k N D + 2 N T.
pub fn total_flop(n: f64, d: f64, k: f64, inference: f64) -> f64 {
    k * n * d + 2.0 * n * inference
}

/// The model that reaches the loss of `budget`'s compute-optimal split at the least
/// k N D + 2 N T, for `inference` tokens served.
pub fn inference_aware(
    law: &Law,
    budget: f64,
    k: f64,
    inference: f64,
) -> Result<InferenceAware, PlanError> {
    if !(inference >= 0.0 && inference.is_finite()) {
        return Err(PlanError::BadScale);
    }
    let optimum: Allocation = compute_optimal(law, budget, k)?;
    let target = optimum.loss;
    let reference = total_flop(optimum.n, optimum.d, k, inference);
    let total = |ln_n: f64| {
        let n = ln_n.exp();
        tokens_to_reach(law, n, k, target).map_or(f64::INFINITY, |d| total_flop(n, d, k, inference))
    };
    let hi = optimum.n.ln();
    let ln_n = golden_minimum(total, smallest_reaching(law, k, target, hi), hi);
    let n = ln_n.exp();
    let d = tokens_to_reach(law, n, k, target).ok_or(PlanError::OutOfRange)?;
    let flop = total_flop(n, d, k, inference);
    if ![n, d, flop].iter().all(|v| v.is_finite() && *v > 0.0) {
        return Err(PlanError::NotFinite);
    }
    Ok(InferenceAware {
        n,
        d,
        total_flop: flop,
        saving: 1.0 - flop / reference,
        tokens_per_param: d / n,
        loss: target,
    })
}

/// ln of the smallest N that reaches `target` with (almost) unlimited data, below e^`hi`
/// (bisection on whether it can).
fn smallest_reaching(law: &Law, k: f64, target: f64, hi: f64) -> f64 {
    let (mut lo, mut reachable) = (0.0f64, hi);
    for _ in 0..200 {
        let mid = 0.5 * (lo + reachable);
        if tokens_to_reach(law, mid.exp(), k, target).is_some() {
            reachable = mid;
        } else {
            lo = mid;
        }
        if reachable - lo < 1e-12 {
            break;
        }
    }
    reachable
}

/// Total FLOP (k N D + 2 N T) of the models that reach the loss of `budget`'s compute-optimal
/// split, against N: `samples` sizes from just above the smallest that can reach it to 4× the
/// compute-optimal size (for the chart of what inference costs).
pub fn total_cost_curve(
    law: &Law,
    budget: f64,
    k: f64,
    inference: f64,
    samples: usize,
) -> Vec<(f64, f64)> {
    let Ok(optimum) = compute_optimal(law, budget, k) else {
        return Vec::new();
    };
    let lo = smallest_reaching(law, k, optimum.loss, optimum.n.ln()) + 0.02;
    let hi = optimum.n.ln() + 4f64.ln();
    (0..samples.max(2))
        .filter_map(|i| {
            let n = (lo + (hi - lo) * i as f64 / (samples.max(2) - 1) as f64).exp();
            let d = tokens_to_reach(law, n, k, optimum.loss)?;
            let total = total_flop(n, d, k, inference);
            total.is_finite().then_some((n, total))
        })
        .collect()
}
