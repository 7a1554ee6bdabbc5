//! Limited unique data: the best split of a budget when only U unique tokens exist, under a
//! data-constrained law (Muennighoff et al. 2023, arXiv 2305.16264: repeated tokens, and
//! parameters beyond what the unique data can use, are worth less and less; `law::data_constrained`).
//!
//! Along C = k N D with U fixed, minimise L(N, C/(kN), U) over ln N (golden-section search).
//! Epochs = D / U. The loss lost to repetition is the difference from the same budget's
//! compute-optimal split with every token unique.

use super::{compute_optimal, golden_minimum, PlanError};
use crate::engine::law::{Inputs, Law, ModelId};
use serde::{Deserialize, Serialize};

/// The best split of a budget with U unique tokens.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct DataLimited {
    pub n: f64,
    pub d: f64,
    /// D / U.
    pub epochs: f64,
    pub loss: f64,
    /// The loss of the same budget's compute-optimal split with every token unique.
    pub loss_unique: f64,
}

impl DataLimited {
    /// What repeating data costs: loss − loss with unlimited unique data (≥ 0).
    pub fn repetition_cost(&self) -> f64 {
        self.loss - self.loss_unique
    }
}

/// The law's value at (N, D) with U unique tokens.
fn loss_at(law: &Law, n: f64, d: f64, k: f64, unique: f64) -> Option<f64> {
    law.value(&Inputs {
        n: Some(n),
        d: Some(d),
        c: Some(k * n * d),
        u: Some(unique),
    })
}

/// The best split of `budget` FLOP (C = k N D) with `unique` unique tokens under a
/// `data-constrained` law.
pub fn data_limited(law: &Law, budget: f64, k: f64, unique: f64) -> Result<DataLimited, PlanError> {
    if law.model != ModelId::DataConstrained {
        return Err(PlanError::NeedsDataConstrained);
    }
    if !(unique > 0.0 && unique.is_finite()) {
        return Err(PlanError::BadScale);
    }
    let free = compute_optimal(law, budget, k)?;
    let span = (budget / k).ln();
    let along = |ln_n: f64| {
        let n = ln_n.exp();
        loss_at(law, n, budget / (k * n), k, unique).unwrap_or(f64::INFINITY)
    };
    let n = golden_minimum(along, 0.0, span).exp();
    let d = budget / (k * n);
    let loss = loss_at(law, n, d, k, unique).ok_or(PlanError::OutOfRange)?;
    if ![n, d, loss].iter().all(|v| v.is_finite() && *v > 0.0) {
        return Err(PlanError::NotFinite);
    }
    Ok(DataLimited {
        n,
        d,
        epochs: d / unique,
        loss,
        loss_unique: free.loss,
    })
}
