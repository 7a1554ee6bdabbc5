//! The FLOP convention: how training compute relates to parameters and tokens.
//!
//! C = k · N · D, with k FLOP per parameter per token (k = 6 by default: a forward and a
//! backward pass of a dense transformer, Kaplan et al. 2020, section 2.1). Inverted:
//! D = C / (k · N) and N = C / (k · D).

use serde::{Deserialize, Serialize};

/// C = k · N · D: training compute from parameters N and tokens D, with `k` FLOP per parameter
/// per token (6 by default).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct FlopConvention {
    /// FLOP per parameter per token.
    pub k: f64,
}

impl Default for FlopConvention {
    fn default() -> Self {
        FlopConvention { k: 6.0 }
    }
}

impl FlopConvention {
    /// FLOP per parameter per token.
    pub fn k(&self) -> f64 {
        self.k
    }

    /// C = k · N · D.
    pub fn compute(&self, n: f64, d: f64) -> f64 {
        self.k * n * d
    }

    /// D = C / (k · N): the tokens a budget buys at a model size.
    pub fn tokens(&self, c: f64, n: f64) -> f64 {
        c / (self.k * n)
    }

    /// N = C / (k · D): the model size a budget buys at a number of tokens.
    pub fn params(&self, c: f64, d: f64) -> f64 {
        c / (self.k * d)
    }
}
