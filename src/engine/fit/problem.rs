//! Each form as a residual problem in an internal parametrisation θ, with its analytic
//! derivative dr/dθ per point.
//!
//! Residual (docs/CONTRACT.md): r = log(predicted) − log(observed); for `saturating`,
//! logit(predicted) − logit(observed). Scales are fitted as logs (a = ln A, u = ln Xc, …) so
//! that they stay positive and the problem is well conditioned.

use crate::engine::dataset::{Dataset, Quantity};
use crate::engine::law::{ModelId, Variable};

/// One point, in logs: the inputs a form may read and the transformed observation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sample {
    pub ln_n: f64,
    pub ln_d: f64,
    pub ln_c: f64,
    /// ln of the chosen single variable.
    pub ln_x: f64,
    /// ln L, or logit P for `saturating`.
    pub y: f64,
}

/// Reads one log-column of a sample.
pub type Column = fn(&Sample) -> f64;

/// logit(p) = ln p − ln(1 − p), written to keep precision for p close to 1.
pub fn logit(p: f64) -> f64 {
    p.ln() - (-p).ln_1p()
}

/// A form bound to its data, ready for the solvers.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub model: ModelId,
    pub x: Variable,
    pub samples: Vec<Sample>,
    /// `power-offset`: E = e_max · σ(s) keeps E in [0, smallest observed L).
    pub e_max: f64,
    /// `multiplicative`: which of N, D, C are regressors (a fixed exponent of 0 otherwise).
    pub regressors: [bool; 3],
    /// `multiplicative`: given columns left out because they are products of the others.
    pub dropped: Vec<Quantity>,
}

/// The columns of N, D, C given in the data (never derived ones) that raise the rank of the
/// log-design [1, ln N, ln D, ln C]: a column that is a product of the others (C = 6ND) is
/// dropped, in the order N, D, C.
fn identifiable_regressors(data: &Dataset, samples: &[Sample]) -> ([bool; 3], Vec<Quantity>) {
    let columns: [(Quantity, Column); 3] = [
        (Quantity::N, |s| s.ln_n),
        (Quantity::D, |s| s.ln_d),
        (Quantity::C, |s| s.ln_c),
    ];
    let mut used = [false; 3];
    let mut dropped = Vec::new();
    let mut design: Vec<Vec<f64>> = vec![vec![1.0; samples.len()]];
    for (i, (q, get)) in columns.iter().enumerate() {
        if !data.given.contains(q) {
            continue;
        }
        let column: Vec<f64> = samples.iter().map(get).collect();
        let mut trial = design.clone();
        trial.push(column);
        let matrix = nalgebra::DMatrix::from_fn(samples.len(), trial.len(), |r, c| trial[c][r]);
        if super::linear::rank(&matrix) == trial.len() {
            design = trial;
            used[i] = true;
        } else {
            dropped.push(*q);
        }
    }
    (used, dropped)
}

/// σ(s) = 1 / (1 + e^(−s)).
fn sigmoid(s: f64) -> f64 {
    1.0 / (1.0 + (-s).exp())
}

impl Problem {
    /// Binds a form to the included points of `data`, or says in words why it cannot.
    pub fn new(model: ModelId, x: Variable, data: &Dataset) -> Result<Problem, String> {
        let response = model.response();
        let response = if response == Quantity::P && !data.has(Quantity::P) {
            // A loss that is itself a fraction may be fitted as a bounded metric.
            let all_fractions = data
                .included()
                .all(|p| p.l.is_some_and(|l| l > 0.0 && l < 1.0));
            if data.has(Quantity::L) && all_fractions {
                Quantity::L
            } else {
                return Err(
                    "saturating needs a P column (accuracy, score) with values in (0, 1)".into(),
                );
            }
        } else if !data.has(response) {
            return Err(format!(
                "the data has no loss column to fit (name one L or loss); {model} needs one"
            ));
        } else {
            response
        };
        let needs: Vec<Quantity> = match model {
            m if m.is_single_variable() => vec![x.quantity()],
            ModelId::KaplanJoint | ModelId::Chinchilla => vec![Quantity::N, Quantity::D],
            _ => vec![],
        };
        for q in &needs {
            if !data.has(*q) {
                return Err(format!(
                    "{model} needs the column {} (or one it can be derived from)",
                    q.symbol()
                ));
            }
        }
        let ln = |v: Option<f64>| v.map_or(f64::NAN, f64::ln);
        let samples: Vec<Sample> = data
            .included()
            .map(|p| {
                let observed = p.get(response).unwrap_or(f64::NAN);
                Sample {
                    ln_n: ln(p.n),
                    ln_d: ln(p.d),
                    ln_c: ln(p.c),
                    ln_x: ln(p.get(x.quantity())),
                    y: if model == ModelId::Saturating {
                        logit(observed)
                    } else {
                        observed.ln()
                    },
                }
            })
            .collect();
        let e_max = samples
            .iter()
            .map(|s| s.y.exp())
            .fold(f64::INFINITY, f64::min);
        let (regressors, dropped) = if model == ModelId::Multiplicative {
            identifiable_regressors(data, &samples)
        } else {
            ([false; 3], Vec::new())
        };
        if model == ModelId::Multiplicative && !regressors.iter().any(|&r| r) {
            return Err(
                "multiplicative needs at least one of the columns N, D, C in the data".into(),
            );
        }
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
        match self.model {
            ModelId::Power | ModelId::Kaplan | ModelId::Saturating => 2,
            ModelId::PowerOffset => 3,
            ModelId::KaplanJoint | ModelId::Multiplicative => 4,
            ModelId::Chinchilla => 5,
        }
    }

    /// The residual at one sample, writing dr/dθ into `grad` (length [`Problem::dim`]).
    ///
    /// Internal parameters θ per form:
    /// - power: (a, α), ln L = a − α ln X
    /// - power-offset: (s, a, α), L = E + e^(a − α ln X), E = e_max σ(s)
    /// - kaplan: (u, α), ln L = α (u − ln X), u = ln Xc
    /// - kaplan-joint: (u, v, αN, αD), ln L = αD ln(e^((αN/αD)(u − ln N)) + e^(v − ln D))
    /// - chinchilla: (a, b, e, α, β), L = e^(a − α ln N) + e^(b − β ln D) + e^e
    /// - multiplicative: (κ, a, b, c), ln L = κ − a ln N − b ln D − c ln C
    /// - saturating: (u, α), logit P = α (ln X − u), u = ln X0
    #[inline]
    pub fn residual(&self, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
        match self.model {
            ModelId::Power => {
                grad[0] = 1.0;
                grad[1] = -s.ln_x;
                theta[0] - theta[1] * s.ln_x - s.y
            }
            ModelId::PowerOffset => {
                let sig = sigmoid(theta[0]);
                let e = self.e_max * sig;
                let t = (theta[1] - theta[2] * s.ln_x).exp();
                let pred = e + t;
                grad[0] = self.e_max * sig * (1.0 - sig) / pred;
                grad[1] = t / pred;
                grad[2] = -s.ln_x * t / pred;
                pred.ln() - s.y
            }
            ModelId::Kaplan => {
                grad[0] = theta[1];
                grad[1] = theta[0] - s.ln_x;
                theta[1] * (theta[0] - s.ln_x) - s.y
            }
            ModelId::KaplanJoint => {
                let (u, v, an, ad) = (theta[0], theta[1], theta[2], theta[3]);
                let q = an / ad;
                let t1 = (q * (u - s.ln_n)).exp();
                let t2 = (v - s.ln_d).exp();
                let sum = t1 + t2;
                let ln_sum = sum.ln();
                grad[0] = an * t1 / sum;
                grad[1] = ad * t2 / sum;
                grad[2] = t1 * (u - s.ln_n) / sum;
                grad[3] = ln_sum - q * t1 * (u - s.ln_n) / sum;
                ad * ln_sum - s.y
            }
            ModelId::Chinchilla => {
                let tn = (theta[0] - theta[3] * s.ln_n).exp();
                let td = (theta[1] - theta[4] * s.ln_d).exp();
                let te = theta[2].exp();
                let pred = tn + td + te;
                let inv = 1.0 / pred;
                grad[0] = tn * inv;
                grad[1] = td * inv;
                grad[2] = te * inv;
                grad[3] = -s.ln_n * tn * inv;
                grad[4] = -s.ln_d * td * inv;
                pred.ln() - s.y
            }
            ModelId::Multiplicative => {
                let [rn, rd, rc] = self.regressors;
                let ln_n = if rn { s.ln_n } else { 0.0 };
                let ln_d = if rd { s.ln_d } else { 0.0 };
                let ln_c = if rc { s.ln_c } else { 0.0 };
                grad[0] = 1.0;
                grad[1] = -ln_n;
                grad[2] = -ln_d;
                grad[3] = -ln_c;
                theta[0] - theta[1] * ln_n - theta[2] * ln_d - theta[3] * ln_c - s.y
            }
            ModelId::Saturating => {
                grad[0] = -theta[1];
                grad[1] = s.ln_x - theta[0];
                theta[1] * (s.ln_x - theta[0]) - s.y
            }
        }
    }

    /// All residuals and, when asked, the Jacobian (row-major, points × dim).
    pub fn residuals(&self, theta: &[f64], jacobian: Option<&mut Vec<f64>>) -> Vec<f64> {
        let k = self.dim();
        let mut grad = vec![0.0; k];
        let mut out = Vec::with_capacity(self.samples.len());
        match jacobian {
            Some(jac) => {
                jac.clear();
                for s in &self.samples {
                    out.push(self.residual(theta, s, &mut grad));
                    jac.extend_from_slice(&grad);
                }
            }
            None => {
                for s in &self.samples {
                    out.push(self.residual(theta, s, &mut grad));
                }
            }
        }
        out
    }

    /// Natural parameters (docs/CONTRACT.md order) from internal ones.
    pub fn to_natural(&self, theta: &[f64]) -> Vec<f64> {
        match self.model {
            ModelId::Power => vec![theta[0].exp(), theta[1]],
            ModelId::PowerOffset => vec![self.e_max * sigmoid(theta[0]), theta[1].exp(), theta[2]],
            ModelId::Kaplan | ModelId::Saturating => vec![theta[0].exp(), theta[1]],
            ModelId::KaplanJoint => vec![theta[0].exp(), theta[1].exp(), theta[2], theta[3]],
            ModelId::Chinchilla => vec![
                theta[2].exp(),
                theta[0].exp(),
                theta[1].exp(),
                theta[3],
                theta[4],
            ],
            ModelId::Multiplicative => vec![theta[0].exp(), theta[1], theta[2], theta[3]],
        }
    }

    /// d(natural parameter i)/d(θ i'), diagonal except where noted: used to carry standard
    /// errors from θ to natural units (delta method). Returns the matrix row-major, k × k.
    pub fn natural_jacobian(&self, theta: &[f64]) -> Vec<f64> {
        let k = self.dim();
        let natural = self.to_natural(theta);
        let mut m = vec![0.0; k * k];
        let mut set = |row: usize, col: usize, v: f64| m[row * k + col] = v;
        match self.model {
            ModelId::Power => {
                set(0, 0, natural[0]);
                set(1, 1, 1.0);
            }
            ModelId::PowerOffset => {
                let sig = sigmoid(theta[0]);
                set(0, 0, self.e_max * sig * (1.0 - sig));
                set(1, 1, natural[1]);
                set(2, 2, 1.0);
            }
            ModelId::Kaplan | ModelId::Saturating => {
                set(0, 0, natural[0]);
                set(1, 1, 1.0);
            }
            ModelId::KaplanJoint => {
                set(0, 0, natural[0]);
                set(1, 1, natural[1]);
                set(2, 2, 1.0);
                set(3, 3, 1.0);
            }
            ModelId::Chinchilla => {
                // natural order (E, A, B, α, β) from θ = (a, b, e, α, β)
                set(0, 2, natural[0]);
                set(1, 0, natural[1]);
                set(2, 1, natural[2]);
                set(3, 3, 1.0);
                set(4, 4, 1.0);
            }
            ModelId::Multiplicative => {
                set(0, 0, natural[0]);
                set(1, 1, 1.0);
                set(2, 2, 1.0);
                set(3, 3, 1.0);
            }
        }
        m
    }

    /// Internal parameters from natural ones (the inverse of [`Problem::to_natural`]).
    pub fn from_natural(&self, p: &[f64]) -> Vec<f64> {
        match self.model {
            ModelId::Power => vec![p[0].ln(), p[1]],
            ModelId::PowerOffset => {
                let f = (p[0] / self.e_max).clamp(1e-12, 1.0 - 1e-12);
                vec![(f / (1.0 - f)).ln(), p[1].ln(), p[2]]
            }
            ModelId::Kaplan | ModelId::Saturating => vec![p[0].ln(), p[1]],
            ModelId::KaplanJoint => vec![p[0].ln(), p[1].ln(), p[2], p[3]],
            ModelId::Chinchilla => vec![p[1].ln(), p[2].ln(), p[0].ln(), p[3], p[4]],
            ModelId::Multiplicative => vec![p[0].ln(), p[1], p[2], p[3]],
        }
    }
}
