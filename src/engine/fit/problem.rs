//! A form bound to its data: the samples in logs, ready for the solvers.
//!
//! Residual (docs/CONTRACT.md): r = link(predicted) − link(observed), link = ln, or logit for
//! bounded metrics. What each form computes lives in its own file under `engine::law`.

use super::FitError;
use crate::engine::dataset::{Dataset, Quantity};
use crate::engine::law::{ModelId, Variable};

/// One point, in logs: the inputs a form may read and the transformed observation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub ln_n: f64,
    pub ln_d: f64,
    pub ln_c: f64,
    /// ln U, unique tokens (NaN when the data has no U column).
    pub ln_u: f64,
    /// ln of the chosen single variable.
    pub ln_x: f64,
    /// The observation through the form's link: ln L, or logit P.
    pub y: f64,
}

/// Reads one log-column of a sample.
pub type Column = fn(&Sample) -> f64;

/// logit(p) = ln p − ln(1 − p), written to keep precision for p close to 1.
pub fn logit(p: f64) -> f64 {
    crate::engine::law::Link::Logit.apply(p)
}

/// A form bound to its data, ready for the solvers.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub model: ModelId,
    pub x: Variable,
    pub samples: Vec<Sample>,
    /// The smallest observed value (the upper bound of a floor such as E in `power-offset`).
    pub e_max: f64,
    /// Which of N, D, C are regressors, for forms that choose them from the data.
    pub regressors: [bool; 3],
    /// Given columns left out because the data cannot tell them apart from the others.
    pub dropped: Vec<Quantity>,
}

impl Problem {
    /// Binds a form to the included points of `data`, or says in words why it cannot.
    pub fn new(model: ModelId, x: Variable, data: &Dataset) -> Result<Problem, FitError> {
        if data.included().next().is_none() {
            return Err(FitError::NoRows);
        }
        let response = model.applies(x, data)?;
        let form = model.form();
        let link = form.link();
        let ln = |v: Option<f64>| v.map_or(f64::NAN, f64::ln);
        let samples: Vec<Sample> = data
            .included()
            .map(|p| Sample {
                ln_n: ln(p.n),
                ln_d: ln(p.d),
                ln_c: ln(p.c),
                ln_u: ln(p.u),
                ln_x: ln(p.get(x.quantity())),
                y: link.apply(p.get(response).unwrap_or(f64::NAN)),
            })
            .collect();
        let e_max = data
            .included()
            .filter_map(|p| p.get(response))
            .fold(f64::INFINITY, f64::min);
        let (regressors, dropped) = form.regressors(data, &samples);
        Ok(Problem {
            model,
            x,
            samples,
            e_max,
            regressors,
            dropped,
        })
    }

    /// The names and log-columns of the `multiplicative` regressors in use.
    pub fn regressor_names(&self) -> Vec<(&'static str, Column)> {
        let all: [(&'static str, Column); 3] =
            [("N", |s| s.ln_n), ("D", |s| s.ln_d), ("C", |s| s.ln_c)];
        all.into_iter()
            .zip(self.regressors)
            .filter_map(|(entry, used)| used.then_some(entry))
            .collect()
    }

    /// Number of internal parameters.
    pub fn dim(&self) -> usize {
        self.model.form().internal().len()
    }

    /// Which internal parameters the data leaves fixed ([`Form::fixed`]).
    ///
    /// [`Form::fixed`]: crate::engine::law::Form::fixed
    pub fn fixed(&self) -> Vec<bool> {
        self.model.form().fixed(self)
    }

    /// The residual at one sample, writing dr/dθ into `grad` (length [`Problem::dim`]).
    #[inline]
    pub fn residual(&self, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        self.model.form().residual(self, theta, s, grad)
    }

    /// All residuals and, when asked, the Jacobian (row-major, points × dim).
    pub fn residuals(&self, theta: &[f64], jacobian: Option<&mut Vec<f64>>) -> Vec<f64> {
        let form = self.model.form();
        let k = self.dim();
        let mut grad = vec![0.0; k];
        let mut out = Vec::with_capacity(self.samples.len());
        match jacobian {
            Some(jac) => {
                jac.clear();
                for s in &self.samples {
                    out.push(form.residual(self, theta, s, &mut grad));
                    jac.extend_from_slice(&grad);
                }
            }
            None => {
                for s in &self.samples {
                    out.push(form.residual(self, theta, s, &mut grad));
                }
            }
        }
        out
    }

    /// Natural parameters (the order of [`ModelId::param_names`]) from internal ones.
    pub fn to_natural(&self, theta: &[f64]) -> Vec<f64> {
        self.model.form().natural_of(self, theta)
    }

    /// d(natural j)/d(θ i), row-major k × k (the delta method's Jacobian).
    pub fn natural_jacobian(&self, theta: &[f64]) -> Vec<f64> {
        self.model.form().natural_jacobian(self, theta)
    }

    /// Internal parameters from natural ones (the inverse of [`Problem::to_natural`]).
    pub fn from_natural(&self, p: &[f64]) -> Vec<f64> {
        self.model.form().theta_of(self, p)
    }
}
