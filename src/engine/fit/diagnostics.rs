//! What a fit can and cannot say, in words: standard errors, correlations and warnings.

use super::problem::Problem;
use super::Fit;
use crate::engine::law::ModelId;
use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

/// |correlation| above this is reported.
pub const CORRELATION_LIMIT: f64 = 0.95;
/// A variable spanning fewer decades than this is a narrow range.
pub const MIN_DECADES: f64 = 1.0;

/// One warning: a stable code for tests and translations, and the message in words.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Warning {
    pub code: String,
    pub message: String,
}

impl Warning {
    fn new(code: &str, message: String) -> Warning {
        Warning {
            code: code.into(),
            message,
        }
    }
}

/// Standard errors and the correlation matrix of the natural parameters:
/// Cov(θ) = s² (JᵀJ)⁻¹ with s² = Σr² / (m − k), carried to natural units by the delta method.
pub fn standard_errors(
    problem: &Problem,
    theta: &[f64],
    jacobian: &[f64],
    residual_ss: f64,
) -> Option<(Vec<f64>, Vec<f64>)> {
    let k = problem.dim();
    let m = problem.samples.len();
    if m <= k {
        return None;
    }
    let j = DMatrix::from_row_slice(m, k, jacobian);
    let information = j.transpose() * &j;
    let inverse = information.try_inverse()?;
    let s2 = residual_ss / (m - k) as f64;
    let g = DMatrix::from_row_slice(k, k, &problem.natural_jacobian(theta));
    let cov = &g * (inverse * s2) * g.transpose();
    let se: Vec<f64> = (0..k).map(|i| cov[(i, i)].max(0.0).sqrt()).collect();
    let mut corr = vec![0.0; k * k];
    for a in 0..k {
        for b in 0..k {
            let denom = se[a] * se[b];
            corr[a * k + b] = if denom > 0.0 {
                cov[(a, b)] / denom
            } else if a == b {
                1.0
            } else {
                0.0
            };
        }
    }
    (se.iter().all(|v| v.is_finite())).then_some((se, corr))
}

/// The warnings a careful analyst would give about this fit.
pub fn warnings(problem: &Problem, fit: &Fit) -> Vec<Warning> {
    let mut out = Vec::new();
    let k = problem.dim();
    let m = problem.samples.len();
    let names = problem.model.param_names();
    if m <= k + 2 {
        out.push(Warning::new(
            "few-points",
            format!("only {m} points for {k} parameters: the fit has little or no freedom to show its error"),
        ));
    }
    let span = |f: fn(&super::problem::Sample) -> f64| {
        let (lo, hi) = problem
            .samples
            .iter()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            });
        (hi - lo) / std::f64::consts::LN_10
    };
    let spans: Vec<(&str, f64)> = match problem.model {
        m if m.is_single_variable() => vec![(problem.x.symbol(), span(|s| s.ln_x))],
        ModelId::KaplanJoint | ModelId::Chinchilla => {
            vec![("N", span(|s| s.ln_n)), ("D", span(|s| s.ln_d))]
        }
        _ => problem
            .regressor_names()
            .into_iter()
            .map(|(name, f)| (name, span(f)))
            .collect(),
    };
    for (name, decades) in spans {
        if decades < MIN_DECADES {
            out.push(Warning::new(
                "narrow-range",
                format!("{name} spans only {decades:.2} decades: extrapolation far beyond it is a guess"),
            ));
        }
    }
    if problem.model == ModelId::PowerOffset {
        let e = fit.law.params[0];
        if e < 1e-6 * problem.e_max {
            out.push(Warning::new(
                "at-bound",
                "E is at its lower bound 0: the data shows no irreducible loss; a pure power law fits as well".into(),
            ));
        } else if e > (1.0 - 1e-6) * problem.e_max {
            out.push(Warning::new(
                "at-bound",
                "E is at its upper bound, the smallest observed loss: the curve flattens at the last point".into(),
            ));
        }
    }
    let exponents: &[usize] = match problem.model {
        ModelId::Power | ModelId::Kaplan | ModelId::Saturating => &[1],
        ModelId::PowerOffset => &[2],
        ModelId::KaplanJoint => &[2, 3],
        ModelId::Chinchilla => &[3, 4],
        ModelId::Multiplicative => &[],
    };
    for &i in exponents {
        if fit.law.params[i] <= 0.0 {
            out.push(Warning::new(
                "at-bound",
                format!(
                    "{} = {:.3} is not positive: the fitted law does not improve with scale in that direction; the form does not suit this data",
                    names[i], fit.law.params[i]
                ),
            ));
        }
    }
    for dropped in &problem.dropped {
        out.push(Warning::new(
            "not-identifiable",
            format!(
                "{} is a product of the other columns (as C = 6ND is): the exponents cannot all be told apart, so {} was left out of the fit",
                dropped.symbol(),
                dropped.symbol()
            ),
        ));
    }
    if let Some(corr) = &fit.correlation {
        for a in 0..k {
            for b in (a + 1)..k {
                let r = corr[a * k + b];
                if r.abs() > CORRELATION_LIMIT {
                    out.push(Warning::new(
                        "correlated",
                        format!(
                            "{} and {} are correlated at {r:.3}: the data pins down a combination of them, not each one",
                            names[a], names[b]
                        ),
                    ));
                }
            }
        }
    }
    if !fit.converged {
        out.push(Warning::new(
            "not-converged",
            "the solver stopped before converging: treat the parameters with care".into(),
        ));
    }
    out
}
