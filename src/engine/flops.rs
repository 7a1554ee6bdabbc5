//! The FLOP convention: training compute C = k · N · D (FLOP per parameter per token).
//!
//! k = 6 is Kaplan et al. (2020)'s count for a forward and backward pass of a dense transformer
//! (2 FLOP per parameter-token forward, 4 backward), attention and embeddings left out. Every
//! conversion between C, N and D goes through this one type.

use serde::{Deserialize, Serialize};

/// C = k N D.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlopConvention {
    /// FLOP per parameter per training token.
    pub k: f64,
}

impl Default for FlopConvention {
    fn default() -> Self {
        FlopConvention { k: Self::KAPLAN_K }
    }
}

impl FlopConvention {
    /// Kaplan et al. (2020), arXiv 2001.08361, section 2.1: C ≈ 6 N D.
    pub const KAPLAN_K: f64 = 6.0;

    /// A convention with k FLOP per parameter-token, if k is a positive finite number.
    pub fn new(k: f64) -> Option<FlopConvention> {
        (k.is_finite() && k > 0.0).then_some(FlopConvention { k })
    }

    /// C = k N D.
    pub fn compute(&self, n: f64, d: f64) -> f64 {
        self.k * n * d
    }

    /// D = C / (k N).
    pub fn tokens(&self, c: f64, n: f64) -> f64 {
        c / (self.k * n)
    }

    /// N = C / (k D).
    pub fn params(&self, c: f64, d: f64) -> f64 {
        c / (self.k * d)
    }

    /// FLOP per parameter-token.
    pub fn k(&self) -> f64 {
        self.k
    }
}
