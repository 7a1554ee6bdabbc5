//! The bootstrap: refit on points resampled with replacement, warm-started at the optimum,
//! and read percentile intervals off the refits (for parameters and any derived number).

use super::objective::Loss;
use super::problem::Problem;
use super::starts::{in_parallel, polish, worker_count};
use super::Fit;
use crate::engine::law::Law;
use serde::{Deserialize, Serialize};

/// SplitMix64 (Steele, Lea, Flood, OOPSLA 2014; constants of Vigna's splitmix64.c): a small,
/// fast, seedable generator, the same on every platform (so a seed gives the same intervals
/// natively and in the page). Written here because the `rand` stack pulls an OS entropy
/// source into the wasm build that a seeded bootstrap never uses.
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in 0..n: the high 64 bits of the 128-bit product x · n (Lemire's multiply-shift,
    /// arXiv 1805.10941, without its rejection step). Each index has probability within 2^-64
    /// of 1/n, a relative bias below n / 2^64 (2^-40 for n < 2^24).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// The refits of a bootstrap, as natural parameters.
#[derive(Clone, Debug, PartialEq, Default, Serialize, Deserialize)]
pub struct Bootstrap {
    /// One row of natural parameters per successful resample.
    pub samples: Vec<Vec<f64>>,
    /// Resamples whose refit failed (no finite optimum).
    pub failed: usize,
}

impl Bootstrap {
    /// The laws of the resamples.
    pub fn laws<'a>(&'a self, template: &'a Law) -> impl Iterator<Item = Law> + 'a {
        self.samples.iter().map(move |p| Law {
            model: template.model,
            x: template.x,
            params: p.clone(),
        })
    }

    /// The (lo, hi) percentile interval of parameter `index` at `level` (e.g. 0.95).
    pub fn interval(&self, index: usize, level: f64) -> Option<(f64, f64)> {
        percentile_interval(self.samples.iter().map(|s| s[index]).collect(), level)
    }

    /// The percentile interval of any number derived from a law.
    pub fn derived_interval(
        &self,
        template: &Law,
        level: f64,
        f: impl Fn(&Law) -> Option<f64>,
    ) -> Option<(f64, f64)> {
        percentile_interval(self.laws(template).filter_map(|l| f(&l)).collect(), level)
    }
}

/// The central `level` interval of `values` by percentiles (linear interpolation, as
/// numpy.percentile's default).
pub fn percentile_interval(mut values: Vec<f64>, level: f64) -> Option<(f64, f64)> {
    values.retain(|v| v.is_finite());
    if values.len() < 2 {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = p * (values.len() - 1) as f64;
        let (i, frac) = (h.floor() as usize, h - h.floor());
        let next = values[(i + 1).min(values.len() - 1)];
        values[i] + frac * (next - values[i])
    };
    let tail = (1.0 - level) / 2.0;
    Some((q(tail), q(1.0 - tail)))
}

/// A resample of the problem's points (same size, drawn with replacement).
pub fn resample(problem: &Problem, rng: &mut SplitMix64) -> Problem {
    let m = problem.samples.len();
    let mut copy = problem.clone();
    copy.samples = (0..m).map(|_| problem.samples[rng.below(m)]).collect();
    copy
}

/// Runs `count` resamples from `first` on (so the page can run it in chunks with the same
/// stream of resamples: resample i always uses the generator seeded with seed + i).
pub fn run_chunk(
    problem: &Problem,
    loss: &Loss,
    fit: &Fit,
    seed: u64,
    first: usize,
    count: usize,
    into: &mut Bootstrap,
) {
    for i in first..first + count {
        let mut rng = SplitMix64::new(
            seed.wrapping_add(i as u64)
                .wrapping_mul(0x2545_F491_4F6C_DD1D),
        );
        let sample = resample(problem, &mut rng);
        let optimum = polish(&sample, loss, &fit.theta);
        if optimum.objective.is_finite() && optimum.theta.iter().all(|t| t.is_finite()) {
            into.samples.push(problem.to_natural(&optimum.theta));
        } else {
            into.failed += 1;
        }
    }
}

/// The whole bootstrap of `count` resamples, on every core natively.
pub fn bootstrap(problem: &Problem, loss: &Loss, fit: &Fit, count: usize, seed: u64) -> Bootstrap {
    let parts = worker_count().min(count.max(1));
    let per = count.div_ceil(parts);
    let pieces = in_parallel(parts, |part| {
        let first = (part * per).min(count);
        let mut piece = Bootstrap::default();
        run_chunk(
            problem,
            loss,
            fit,
            seed,
            first,
            per.min(count - first),
            &mut piece,
        );
        piece
    });
    let mut all = Bootstrap::default();
    for piece in pieces {
        all.samples.extend(piece.samples);
        all.failed += piece.failed;
    }
    all
}

/// The percentile band of a single-variable law at each x, over the resampled laws:
/// (x, lo, hi) at `level`.
pub fn band(template: &Law, boot: &Bootstrap, xs: &[f64], level: f64) -> Vec<(f64, f64, f64)> {
    xs.iter()
        .filter_map(|&x| {
            let at = crate::engine::law::Inputs::single(template.x, x);
            let (lo, hi) = boot.derived_interval(template, level, |law| law.value(&at))?;
            Some((x, lo, hi))
        })
        .collect()
}
