//! IsoFLOP analysis, Hoffmann et al. (2022)'s approach 2: runs that share a compute budget
//! are one IsoFLOP profile; a parabola in ln N through each profile's losses,
//! L ≈ a (ln N)² + b ln N + c, has its minimum at ln N* = −b / (2a); across budgets,
//! ln N* = ln k + e ln C by least squares gives N_opt = k C^e (and D_opt = C / (6 N_opt) ∝
//! C^(1 − e)), with the exponent's 95 % interval from Student's t.
//!
//! Known bias (Open-Athena scaling-law-analysis, README; ../shared/REFERENCES.md): a profile
//! sampled off-centre, or drifting across budgets, and α ≠ β shift the minima, and small errors
//! grow at extrapolated budgets: the minima are flagged when they fall outside their profile's
//! sampled sizes.

use super::dataset::Dataset;
use super::fit::linear::line;
use super::fit::prediction::t_975;
use serde::{Deserialize, Serialize};

/// Two runs belong to one budget when their compute differs by at most this factor.
pub const SAME_BUDGET: f64 = 1.1;
/// A profile needs at least this many distinct sizes for a parabola.
pub const MIN_SIZES: usize = 3;

/// One budget's profile and its parabola's minimum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The profile's compute: the geometric mean of its runs' C.
    pub budget: f64,
    /// Its runs, (N, L), by N.
    pub runs: Vec<(f64, f64)>,
    /// The parabola L = a (ln N)² + b ln N + c.
    pub parabola: [f64; 3],
    /// N at the parabola's minimum, and the loss there; None when it opens downwards.
    pub minimum: Option<(f64, f64)>,
    /// Whether the minimum lies within the sampled sizes (outside: extrapolated, biased).
    pub inside: bool,
}

/// The profiles and the frontier N_opt = k C^e fitted through their minima.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IsoFlop {
    pub profiles: Vec<Profile>,
    /// e in N_opt = k C^e, with its 95 % interval (None with fewer than three minima).
    pub exponent: f64,
    pub interval: Option<(f64, f64)>,
    /// k in N_opt = k C^e.
    pub coefficient: f64,
}

impl IsoFlop {
    /// N_opt at compute C on the fitted frontier.
    pub fn n_opt(&self, c: f64) -> f64 {
        self.coefficient * c.powf(self.exponent)
    }
}

/// Why no IsoFLOP analysis could be made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum IsoFlopError {
    /// The runs need N, a loss and a compute (given, or C = k N D).
    NeedsColumns,
    /// Fewer than two budgets with at least [`MIN_SIZES`] sizes each and a minimum.
    TooFewProfiles { found: usize },
}

impl std::fmt::Display for IsoFlopError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

/// Least-squares parabola y = a x² + b x + c through the points (normal equations, centred
/// in x for conditioning).
fn parabola(points: &[(f64, f64)]) -> Option<[f64; 3]> {
    let m = points.len() as f64;
    let mean = points.iter().map(|p| p.0).sum::<f64>() / m;
    let mut s = [0.0; 5];
    let mut t = [0.0; 3];
    for &(x, y) in points {
        let u = x - mean;
        let powers = [1.0, u, u * u, u * u * u, u * u * u * u];
        for (acc, p) in s.iter_mut().zip(powers) {
            *acc += p;
        }
        for (acc, p) in t.iter_mut().zip(&powers[..3]) {
            *acc += p * y;
        }
    }
    // [s4 s3 s2; s3 s2 s1; s2 s1 s0] (A, B, C) = (t2, t1, t0), in u = x − mean.
    let matrix = nalgebra::Matrix3::new(s[4], s[3], s[2], s[3], s[2], s[1], s[2], s[1], s[0]);
    let solution = matrix
        .lu()
        .solve(&nalgebra::Vector3::new(t[2], t[1], t[0]))?;
    let (a, b, c) = (solution[0], solution[1], solution[2]);
    // Back to x: a (x − μ)² + b (x − μ) + c.
    let coefficients = [a, b - 2.0 * a * mean, a * mean * mean - b * mean + c];
    coefficients
        .iter()
        .all(|v| v.is_finite())
        .then_some(coefficients)
}

/// The IsoFLOP profiles of the included runs (C as given, else k N D) and the frontier through
/// their minima.
pub fn isoflop(data: &Dataset, k: f64) -> Result<IsoFlop, IsoFlopError> {
    let mut runs: Vec<(f64, f64, f64)> = data
        .included()
        .filter_map(|p| {
            let n = p.n?;
            let c = p.c.or_else(|| p.d.map(|d| k * n * d))?;
            let l = p.l?;
            (n > 0.0 && c > 0.0 && l.is_finite()).then_some((c, n, l))
        })
        .collect();
    if runs.is_empty() {
        return Err(IsoFlopError::NeedsColumns);
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Budgets: runs within SAME_BUDGET of the first run of their group.
    let mut groups: Vec<Vec<(f64, f64, f64)>> = Vec::new();
    for run in runs {
        match groups.last_mut() {
            Some(group) if run.0 <= group[0].0 * SAME_BUDGET => group.push(run),
            _ => groups.push(vec![run]),
        }
    }
    let profiles: Vec<Profile> = groups
        .into_iter()
        .filter_map(|group| {
            let mut sizes: Vec<f64> = group.iter().map(|r| r.1).collect();
            sizes.sort_by(f64::total_cmp);
            sizes.dedup();
            if sizes.len() < MIN_SIZES {
                return None;
            }
            let budget = (group.iter().map(|r| r.0.ln()).sum::<f64>() / group.len() as f64).exp();
            let mut runs: Vec<(f64, f64)> = group.iter().map(|r| (r.1, r.2)).collect();
            runs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let points: Vec<(f64, f64)> = runs.iter().map(|&(n, l)| (n.ln(), l)).collect();
            let [a, b, c] = parabola(&points)?;
            let minimum = (a > 0.0).then(|| {
                let x = -b / (2.0 * a);
                (x.exp(), a * x * x + b * x + c)
            });
            let inside = minimum.is_some_and(|(n, _)| n >= sizes[0] && n <= sizes[sizes.len() - 1]);
            Some(Profile {
                budget,
                runs,
                parabola: [a, b, c],
                minimum,
                inside,
            })
        })
        .collect();
    let minima: Vec<(f64, f64)> = profiles
        .iter()
        .filter_map(|p| p.minimum.map(|(n, _)| (p.budget.ln(), n.ln())))
        .collect();
    if minima.len() < 2 {
        return Err(IsoFlopError::TooFewProfiles {
            found: minima.len(),
        });
    }
    let xs: Vec<f64> = minima.iter().map(|m| m.0).collect();
    let ys: Vec<f64> = minima.iter().map(|m| m.1).collect();
    let (intercept, slope) = line(&xs, &ys).ok_or(IsoFlopError::TooFewProfiles {
        found: minima.len(),
    })?;
    // The slope's standard error: s / √Σ(x − x̄)², s² = Σ r² / (m − 2).
    let m = xs.len();
    let interval = (m > 2).then(|| {
        let mean = xs.iter().sum::<f64>() / m as f64;
        let sxx: f64 = xs.iter().map(|x| (x - mean).powi(2)).sum();
        let rss: f64 = xs
            .iter()
            .zip(&ys)
            .map(|(x, y)| (y - intercept - slope * x).powi(2))
            .sum();
        let half = t_975(m - 2) * (rss / (m - 2) as f64 / sxx).sqrt();
        (slope - half, slope + half)
    });
    Ok(IsoFlop {
        profiles,
        exponent: slope,
        interval,
        coefficient: intercept.exp(),
    })
}
