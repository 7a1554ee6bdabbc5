//! A form bound to its data: the samples in logs, ready for the solvers.
//!
//! Residual (docs/CONTRACT.md): r = link(predicted) − link(observed), link = ln, or logit for
//! bounded metrics. What each form computes lives in its own file under `engine::law`.

use super::constraints::{ConstraintError, Constraints, Reduction};
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
    /// Parameters held fixed or tied ([`Constraints`]): the solvers then work on the reduced
    /// vector φ, and every method below takes and gives φ.
    pub reduction: Option<Reduction>,
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
            reduction: None,
        })
    }

    /// The same problem with `constraints` applied (none: unchanged).
    pub fn constrained(mut self, constraints: &Constraints) -> Result<Problem, ConstraintError> {
        self.reduction = if constraints.is_empty() {
            None
        } else {
            Some(constraints.reduction(&self)?)
        };
        Ok(self)
    }

    /// The same problem with every parameter free (where the forms propose their starts).
    pub fn unconstrained(&self) -> Problem {
        Problem {
            reduction: None,
            ..self.clone()
        }
    }

    /// θ, the form's internal parameters, from the solvers' vector.
    pub fn expand(&self, phi: &[f64]) -> Vec<f64> {
        match &self.reduction {
            Some(r) => r.expand(phi),
            None => phi.to_vec(),
        }
    }

    /// The solvers' vector from θ (ties averaged, fixed entries dropped).
    pub fn reduce(&self, theta: &[f64]) -> Vec<f64> {
        match &self.reduction {
            Some(r) => r.reduce(theta),
            None => theta.to_vec(),
        }
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

    /// Number of parameters the solvers move: the form's internal ones, less those fixed and
    /// tied.
    pub fn dim(&self) -> usize {
        match &self.reduction {
            Some(r) => r.dim(),
            None => self.model.form().internal().len(),
        }
    }

    /// Which parameters the data leaves fixed ([`Form::fixed`]); an entry of φ shared by tied
    /// parameters only when the data leaves every one of them fixed.
    ///
    /// [`Form::fixed`]: crate::engine::law::Form::fixed
    pub fn fixed(&self) -> Vec<bool> {
        let by_theta = self.model.form().fixed(self);
        match &self.reduction {
            None => by_theta,
            Some(r) => {
                let mut fixed = vec![true; r.dim()];
                for (i, f) in by_theta.iter().enumerate() {
                    if let Some(entry) = r.entry(i) {
                        fixed[entry] &= f;
                    }
                }
                fixed
            }
        }
    }

    /// The residual at one sample, writing dr/dφ into `grad` (length [`Problem::dim`]).
    #[inline]
    pub fn residual(&self, phi: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        let form = self.model.form();
        match &self.reduction {
            None => form.residual(self, phi, s, grad),
            Some(r) => {
                let (mut theta, mut by_theta) = ([0.0; MAX_PARAMS], [0.0; MAX_PARAMS]);
                let k = r.full();
                r.expand_into(phi, &mut theta[..k]);
                let value = form.residual(self, &theta[..k], s, &mut by_theta[..k]);
                r.contract(&by_theta[..k], grad);
                value
            }
        }
    }

    /// All residuals and, when asked, the Jacobian in φ (row-major, points × dim).
    pub fn residuals(&self, phi: &[f64], jacobian: Option<&mut Vec<f64>>) -> Vec<f64> {
        let k = self.dim();
        let mut grad = vec![0.0; k];
        let mut out = Vec::with_capacity(self.samples.len());
        match jacobian {
            Some(jac) => {
                jac.clear();
                for s in &self.samples {
                    out.push(self.residual(phi, s, &mut grad));
                    jac.extend_from_slice(&grad);
                }
            }
            None => {
                for s in &self.samples {
                    out.push(self.residual(phi, s, &mut grad));
                }
            }
        }
        out
    }

    /// Natural parameters (the order of [`ModelId::param_names`]) from the solvers' vector.
    pub fn to_natural(&self, phi: &[f64]) -> Vec<f64> {
        self.model.form().natural_of(self, &self.expand(phi))
    }

    /// d(natural j)/d(φ r), row-major (natural parameters) × dim (the delta method's Jacobian):
    /// the form's d(natural)/dθ, summed over the θ that share each entry of φ.
    pub fn natural_jacobian(&self, phi: &[f64]) -> Vec<f64> {
        let form = self.model.form();
        let theta = self.expand(phi);
        let by_theta = form.natural_jacobian(self, &theta);
        match &self.reduction {
            None => by_theta,
            Some(r) => {
                let (rows, full) = (self.model.param_names().len(), r.full());
                let mut out = vec![0.0; rows * r.dim()];
                for j in 0..rows {
                    r.contract(
                        &by_theta[j * full..(j + 1) * full],
                        &mut out[j * r.dim()..(j + 1) * r.dim()],
                    );
                }
                out
            }
        }
    }

    /// The solvers' vector from natural parameters (the inverse of [`Problem::to_natural`]).
    pub fn from_natural(&self, p: &[f64]) -> Vec<f64> {
        self.reduce(&self.model.form().theta_of(self, p))
    }
}

/// The most internal parameters any form has (the residual's scratch space).
pub const MAX_PARAMS: usize = 8;
