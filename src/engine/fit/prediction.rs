//! Two different intervals around a prediction, kept apart:
//!
//! - the **mean curve's** interval: where the law itself lies, given the runs (the bootstrap
//!   band, or here the delta method: Var ŷ = gᵀ Σ g, g = ∂ link(L)/∂p, Σ the parameters'
//!   covariance);
//! - the interval of **one new run**: where a single training run at that scale would land,
//!   which adds the scatter runs show around the law, s² (the fitted residual scale):
//!   link(L̂) ± t₀.₉₇₅(m − f) √(s² + Var ŷ), taken back through the link.
//!
//! With many runs the mean's interval shrinks towards zero; one run's never gets narrower
//! than the runs' own scatter.
//!
//! [`held_out`] puts the rows left out of a fit (`#`) to that test: predicted, actual, the
//! error, and whether each run landed inside its interval.

use super::bootstrap::Bootstrap;
use super::Fit;
use crate::engine::dataset::{Dataset, Point};
use crate::engine::law::{Inputs, Law};
use crate::engine::reach::{reach, Reach};

/// The standard normal's 0.975 quantile.
const Z_975: f64 = 1.959_963_984_540_054;

/// Student's t 0.975 quantile for 1 to 30 degrees of freedom (scipy.stats.t.ppf(0.975, ν),
/// the standard table's values to full precision).
const T_975: [f64; 30] = [
    12.706204736174694,
    4.302652729749462,
    3.1824463052837078,
    2.7764451051977934,
    2.5705818356363146,
    2.4469118511449786,
    2.364624251592784,
    2.306004135204166,
    2.262157162798205,
    2.228138851986274,
    2.200985160091639,
    2.1788128296672284,
    2.1603686564627913,
    2.144786687917804,
    2.131449545559776,
    2.1199052992212546,
    2.1098155778333156,
    2.1009220402410382,
    2.0930240544083087,
    2.085963447265864,
    2.0796138447276795,
    2.0738730679040254,
    2.0686576104190486,
    2.0638985616280245,
    2.0595385527532972,
    2.0555294386428735,
    2.0518305164802846,
    2.0484071417952454,
    2.045229642132703,
    2.0422724563012378,
];

/// Student's t 0.975 quantile with `dof` degrees of freedom: the table for 1 to 30, beyond it
/// the Cornish–Fisher expansion in 1/ν (Abramowitz & Stegun 26.7.5), within 2e-8 of
/// scipy.stats.t.ppf from 30 on.
pub fn t_975(dof: usize) -> f64 {
    match dof {
        0 => f64::INFINITY,
        1..=30 => T_975[dof - 1],
        _ => {
            let (z, n) = (Z_975, dof as f64);
            let g1 = (z.powi(3) + z) / 4.0;
            let g2 = (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / 96.0;
            let g3 = (3.0 * z.powi(7) + 19.0 * z.powi(5) + 17.0 * z.powi(3) - 15.0 * z) / 384.0;
            let g4 = (79.0 * z.powi(9) + 776.0 * z.powi(7) + 1482.0 * z.powi(5)
                - 1920.0 * z.powi(3)
                - 945.0 * z)
                / 92160.0;
            z + g1 / n + g2 / n.powi(2) + g3 / n.powi(3) + g4 / n.powi(4)
        }
    }
}

/// link(L) of a law at `at`.
fn linked(law: &Law, at: &Inputs) -> Option<f64> {
    let v = law.value(at)?;
    let y = law.model.form().link().apply(v);
    y.is_finite().then_some(y)
}

/// Var link(L̂) at `at` by the delta method, gᵀ Σ g, with g by central differences and Σ from
/// the fit's standard errors and correlations (a parameter held fixed has none).
pub fn mean_variance(fit: &Fit, at: &Inputs) -> Option<f64> {
    let (se, corr) = (fit.std_errors.as_ref()?, fit.correlation.as_ref()?);
    let p = fit.law.params.len();
    let mut gradient = vec![0.0; p];
    for (j, g) in gradient.iter_mut().enumerate() {
        if se[j] == 0.0 {
            continue;
        }
        let h = 1e-6 * fit.law.params[j].abs().max(1e-8);
        let moved = |step: f64| {
            let mut law = fit.law.clone();
            law.params[j] += step;
            linked(&law, at)
        };
        *g = (moved(h)? - moved(-h)?) / (2.0 * h);
    }
    let mut variance = 0.0;
    for a in 0..p {
        for b in 0..p {
            variance += gradient[a] * gradient[b] * corr[a * p + b] * se[a] * se[b];
        }
    }
    (variance.is_finite() && variance >= 0.0).then_some(variance)
}

/// Var link(L) at `at` over the bootstrap's resampled laws.
pub fn bootstrap_variance(fit: &Fit, boot: &Bootstrap, at: &Inputs) -> Option<f64> {
    let values: Vec<f64> = boot
        .laws(&fit.law)
        .filter_map(|law| linked(&law, at))
        .collect();
    if values.len() < 2 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    Some(values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (values.len() - 1) as f64)
}

/// The 95 % interval of one new run at `at`: the law's value widened by the runs' scatter and
/// the mean's own uncertainty (from the bootstrap when there is one, else the delta method).
pub fn one_run_interval(fit: &Fit, at: &Inputs, boot: Option<&Bootstrap>) -> Option<(f64, f64)> {
    let scale = fit.residual_scale?;
    let y = linked(&fit.law, at)?;
    let mean = match boot {
        Some(boot) => bootstrap_variance(fit, boot, at),
        None => mean_variance(fit, at),
    }?;
    let half = t_975(fit.dof) * (scale * scale + mean).sqrt();
    let link = fit.law.model.form().link();
    let (lo, hi) = (link.inverse(y - half), link.inverse(y + half));
    (lo.is_finite() && hi.is_finite() && half.is_finite()).then_some((lo, hi))
}

/// The 95 % interval of the mean curve at `at` by the delta method (the bootstrap band's
/// analytic counterpart): link(L̂) ± t √Var ŷ.
pub fn mean_interval(fit: &Fit, at: &Inputs) -> Option<(f64, f64)> {
    let y = linked(&fit.law, at)?;
    let half = t_975(fit.dof) * mean_variance(fit, at)?.sqrt();
    let link = fit.law.model.form().link();
    let (lo, hi) = (link.inverse(y - half), link.inverse(y + half));
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// One new run's interval along a single-variable law at each x: (x, lo, hi).
pub fn one_run_band(fit: &Fit, boot: Option<&Bootstrap>, xs: &[f64]) -> Vec<(f64, f64, f64)> {
    xs.iter()
        .filter_map(|&x| {
            let (lo, hi) = one_run_interval(fit, &Inputs::single(fit.law.x, x), boot)?;
            Some((x, lo, hi))
        })
        .collect()
}

/// A run left out of the fit (a `#` row) as the fit predicts it: the check a model ladder is
/// run for (fit the small runs, then see how close the law came to the large ones).
#[derive(Clone, Debug, PartialEq)]
pub struct HeldOut {
    /// The line of the data text the run is on (the header is line 1).
    pub row: usize,
    /// The run's name, when the data has a name column.
    pub label: Option<String>,
    pub actual: f64,
    pub predicted: f64,
    /// One new run's 95 % interval there ([`one_run_interval`]).
    pub interval: Option<(f64, f64)>,
    /// (predicted − actual) / actual: negative when the law promised a lower loss than the
    /// run reached.
    pub error: f64,
    /// How far past the fitted runs the row lies, along the law's variable.
    pub reach: Option<Reach>,
}

impl HeldOut {
    /// Whether the run landed inside its interval (None without one).
    pub fn inside(&self) -> Option<bool> {
        self.interval
            .map(|(lo, hi)| lo <= self.actual && self.actual <= hi)
    }
}

/// The held-out rows of `data` that have the columns the law reads and the response it
/// predicts, in the order of the text, predicted by `fit` (with `boot`'s laws for the interval
/// when there is a bootstrap). Of more than `at_most` such rows, the `at_most` furthest along
/// the law's variable (the extrapolations); the count of all is returned beside them.
pub fn held_out(
    fit: &Fit,
    data: &Dataset,
    boot: Option<&Bootstrap>,
    at_most: usize,
) -> (Vec<HeldOut>, usize) {
    let Ok(response) = fit.law.model.applies(fit.law.x, data) else {
        return (Vec::new(), 0);
    };
    let mut rows: Vec<(&Point, f64, f64)> = data
        .points
        .iter()
        .filter(|p| p.excluded)
        .filter_map(|p| {
            let actual = p.get(response)?;
            let predicted = fit.law.value(&Inputs::of(p)).filter(|v| v.is_finite())?;
            Some((p, actual, predicted))
        })
        .collect();
    let all = rows.len();
    if all > at_most {
        let along = |p: &Point| Inputs::of(p).get(fit.law.x).unwrap_or(0.0);
        rows.sort_by(|a, b| along(b.0).total_cmp(&along(a.0)));
        rows.truncate(at_most);
        rows.sort_by_key(|(p, ..)| p.line);
    }
    let checks = rows
        .into_iter()
        .map(|(p, actual, predicted)| {
            let at = Inputs::of(p);
            HeldOut {
                row: p.line,
                label: p.label.clone(),
                actual,
                predicted,
                interval: one_run_interval(fit, &at, boot),
                error: (predicted - actual) / actual,
                reach: at.get(fit.law.x).and_then(|v| reach(data, fit.law.x, v)),
            }
        })
        .collect();
    (checks, all)
}
