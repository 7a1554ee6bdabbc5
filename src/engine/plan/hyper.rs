//! Learning rate and batch size for a run, from two published laws side by side, each with the
//! range it was fitted on (../shared/REFERENCES.md, "Planning beyond the compute-optimal split"):
//!
//! - DeepSeek LLM (2024, arXiv 2401.02954, section 3.1), by compute:
//!   η_opt = 0.3118 C^(−0.1250), B_opt = 0.2920 C^(0.3271) tokens, fitted on 1e17–2e19 FLOP;
//! - Step Law (StepFun 2025, arXiv 2503.04715), by parameters (without embeddings) and tokens:
//!   η_opt = 1.79 N^(−0.713) D^(0.307), B_opt = 0.58 D^(0.571) tokens, from grids of runs up to
//!   1B parameters on 100B tokens.

use serde::{Deserialize, Serialize};

/// The learning rate and batch size one law gives, and how far the run lies outside the
/// range that law was fitted on.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Hyperparameters {
    pub learning_rate: f64,
    /// Tokens per batch.
    pub batch_tokens: f64,
    /// Decades outside the fitted range (0 inside it): by compute for DeepSeek, the larger of
    /// N's and D's for Step Law.
    pub decades_outside: f64,
}

/// DeepSeek's fitted range of compute, FLOP.
pub const DEEPSEEK_RANGE: (f64, f64) = (1e17, 2e19);
/// The largest run Step Law's grids reached: N (non-embedding parameters) and D (tokens).
pub const STEP_LAW_LARGEST: (f64, f64) = (1e9, 1e11);

/// Decades of `x` outside [lo, hi] (0 inside).
fn decades_outside(x: f64, (lo, hi): (f64, f64)) -> f64 {
    if x < lo {
        (lo / x).log10()
    } else if x > hi {
        (x / hi).log10()
    } else {
        0.0
    }
}

/// DeepSeek LLM's laws at compute C (FLOP).
pub fn deepseek(c: f64) -> Option<Hyperparameters> {
    let h = Hyperparameters {
        learning_rate: 0.3118 * c.powf(-0.1250),
        batch_tokens: 0.2920 * c.powf(0.3271),
        decades_outside: decades_outside(c, DEEPSEEK_RANGE),
    };
    (c > 0.0 && h.learning_rate.is_finite() && h.batch_tokens.is_finite()).then_some(h)
}

/// Step Law at N non-embedding parameters and D tokens.
pub fn step_law(n: f64, d: f64) -> Option<Hyperparameters> {
    let h = Hyperparameters {
        learning_rate: 1.79 * n.powf(-0.713) * d.powf(0.307),
        batch_tokens: 0.58 * d.powf(0.571),
        decades_outside: decades_outside(n, (0.0, STEP_LAW_LARGEST.0))
            .max(decades_outside(d, (0.0, STEP_LAW_LARGEST.1))),
    };
    (n > 0.0 && d > 0.0 && h.learning_rate.is_finite() && h.batch_tokens.is_finite()).then_some(h)
}

/// Both laws for a run of N parameters on D tokens with compute C = k N D.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Suggested {
    pub deepseek: Option<Hyperparameters>,
    pub step_law: Option<Hyperparameters>,
}

/// Both laws' suggestions for the run (N, D) at C = k N D.
pub fn suggest(n: f64, d: f64, k: f64) -> Suggested {
    Suggested {
        deepseek: deepseek(k * n * d),
        step_law: step_law(n, d),
    }
}
