//! The next experiments: for a target budget and an experiment budget (a fraction of it), a
//! ladder of small runs, sizes × tokens per parameter as in the OLMo ladder (Bhagia et al.
//! 2024), scored by simulation from the current law with the runs' own noise: each simulated
//! ladder's losses are the law's values times e^(σ z), z standard normal; the law is refitted
//! to them and asked for the loss at the target's compute-optimal (N*, D*); the score is the
//! root-mean-square of ln(predicted / true) over the simulations.
//!
//! Candidates: 3, 4 or 5 sizes spaced 2× or 4× apart, each trained at 1×, at 0.5–2×, or at
//! 0.5–10× the law's compute-optimal tokens per parameter at the target; the largest size is
//! the one the experiment budget affords; ladders with fewer runs than the law has parameters
//! are left out. Best first, each score with its Monte-Carlo standard error.

use super::{compute_optimal, predict_nd, PlanError};
use crate::engine::dataset::parse_dataset;
use crate::engine::fit::bootstrap::SplitMix64;
use crate::engine::fit::{self, FitOptions};
use crate::engine::law::{Law, Variable};
use serde::{Deserialize, Serialize};

/// One proposed run.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rung {
    pub n: f64,
    pub d: f64,
}

/// A proposed ladder and its simulated score.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ladder {
    pub rungs: Vec<Rung>,
    /// Σ k N D over the rungs.
    pub flop: f64,
    /// √mean ln(predicted / true)² of the loss at the target over the simulations.
    pub expected_error: f64,
    /// The Monte-Carlo standard error of `expected_error` (from the spread of the squared
    /// errors over the simulations, by the delta method: SE(√m) = SE(m) / (2√m)).
    pub error_spread: f64,
    /// mean ln(predicted / true): negative, the ladder's law predicts too low a loss.
    pub bias: f64,
    /// Simulations whose refit failed (left out of the score).
    pub failed: usize,
}

impl Ladder {
    /// The rungs as CSV: `N,D,C,tokens_per_param`.
    pub fn csv(&self, k: f64) -> String {
        let mut out = String::from("N,D,C,tokens_per_param\n");
        for r in &self.rungs {
            out += &format!("{},{},{},{}\n", r.n, r.d, k * r.n * r.d, r.d / r.n);
        }
        out
    }
}

/// What to propose.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LadderOptions {
    pub target_budget: f64,
    /// The experiment budget as a fraction of the target's (0.01: 1 %).
    pub fraction: f64,
    /// σ of ln L for one run around the law (a fit's residual scale).
    pub noise: f64,
    pub k: f64,
    pub simulations: usize,
    pub seed: u64,
}

/// Tokens-per-parameter multiples of each ladder family.
const MULTIPLES: [&[f64]; 3] = [&[1.0], &[0.5, 1.0, 2.0], &[0.5, 1.0, 2.0, 5.0, 10.0]];
/// Sizes per ladder, and the factor between neighbouring sizes.
const SIZES: [usize; 3] = [3, 4, 5];
const SPACINGS: [f64; 2] = [2.0, 4.0];

/// A standard normal draw (Box–Muller on two uniforms in (0, 1]).
fn normal(rng: &mut SplitMix64) -> f64 {
    let uniform =
        |rng: &mut SplitMix64| ((rng.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64;
    let (u, v) = (uniform(rng), uniform(rng));
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// The ladders the experiment budget affords, each scored by simulation, best first.
pub fn propose(law: &Law, options: &LadderOptions) -> Result<Vec<Ladder>, PlanError> {
    let LadderOptions {
        target_budget,
        fraction,
        noise,
        k,
        seed,
        ..
    } = *options;
    if !(fraction > 0.0 && fraction <= 1.0 && noise >= 0.0 && noise.is_finite()) {
        return Err(PlanError::BadScale);
    }
    let target = compute_optimal(law, target_budget, k)?;
    let ratio = target.tokens_per_param;
    let spend = fraction * target_budget;
    let mut ladders = Vec::new();
    for multiples in MULTIPLES {
        for sizes in SIZES {
            for spacing in SPACINGS {
                // Σ_j Σ_m k (n_max g^(−j)) (m r n_max g^(−j)) = k r n_max² Σm Σ g^(−2j) = spend.
                let per: f64 = multiples.iter().sum::<f64>()
                    * (0..sizes).map(|j| spacing.powi(-2 * j as i32)).sum::<f64>();
                let largest = (spend / (k * ratio * per)).sqrt();
                let rungs: Vec<Rung> = (0..sizes)
                    .rev()
                    .flat_map(|j| {
                        let n = largest / spacing.powi(j as i32);
                        multiples.iter().map(move |m| Rung {
                            n,
                            d: m * ratio * n,
                        })
                    })
                    .collect();
                // A ladder with fewer runs than the law has parameters cannot be fitted at all.
                if rungs.len() < law.params.len() || rungs.iter().any(|r| r.n < 1.0 || r.d < 1.0) {
                    continue;
                }
                let flop = rungs.iter().map(|r| k * r.n * r.d).sum();
                ladders.push(score(law, rungs, flop, &target, options, seed));
            }
        }
    }
    ladders.sort_by(|a, b| a.expected_error.total_cmp(&b.expected_error));
    Ok(ladders)
}

/// The simulated score of one ladder.
fn score(
    law: &Law,
    rungs: Vec<Rung>,
    flop: f64,
    target: &super::Allocation,
    options: &LadderOptions,
    seed: u64,
) -> Ladder {
    let truth = target.loss;
    let fit_options = FitOptions::new(law.model, Variable::N);
    let mut errors = Vec::new();
    let mut failed = 0;
    for s in 0..options.simulations {
        let mut rng = SplitMix64::new(seed.wrapping_add(s as u64).wrapping_mul(0x9E37_79B9));
        let mut text = String::from("N,D,L\n");
        for r in &rungs {
            let clean = predict_nd(law, r.n, r.d, options.k).unwrap_or(f64::NAN);
            text += &format!(
                "{},{},{}\n",
                r.n,
                r.d,
                clean * (options.noise * normal(&mut rng)).exp()
            );
        }
        let predicted = parse_dataset(&text)
            .ok()
            .and_then(|data| fit::fit(&data, &fit_options).ok())
            .and_then(|f| predict_nd(&f.law, target.n, target.d, options.k));
        match predicted {
            Some(p) if p > 0.0 && p.is_finite() => errors.push((p / truth).ln()),
            _ => failed += 1,
        }
    }
    let count = errors.len().max(1) as f64;
    let mean_square = errors.iter().map(|e| e * e).sum::<f64>() / count;
    let spread_of_squares = if errors.len() > 1 {
        (errors
            .iter()
            .map(|e| (e * e - mean_square).powi(2))
            .sum::<f64>()
            / (count - 1.0)
            / count)
            .sqrt()
    } else {
        f64::INFINITY
    };
    let expected_error = if errors.is_empty() {
        f64::INFINITY
    } else {
        mean_square.sqrt()
    };
    Ladder {
        rungs,
        flop,
        expected_error,
        error_spread: if expected_error.is_infinite() {
            f64::INFINITY
        } else if expected_error > 0.0 {
            spread_of_squares / (2.0 * expected_error)
        } else {
            0.0
        },
        bias: errors.iter().sum::<f64>() / count,
        failed,
    }
}
