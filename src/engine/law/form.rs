//! What a model form is: the one trait every form implements.

use super::{Inputs, Variable};
use crate::engine::dataset::{Dataset, Quantity};
use crate::engine::fit::diagnostics::Warning;
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::{FitError, Loss, Starts};
use crate::engine::plan::PlanError;

/// How one internal parameter θ_i stands for a natural one p_j.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Internal {
    /// θ_i = ln p_j: a positive scale.
    Ln(usize),
    /// θ_i = p_j: an exponent or other unbounded number.
    Same(usize),
    /// p_j = L_min σ(θ_i), σ(t) = 1 / (1 + e^(−t)): a floor between 0 and the smallest
    /// observed value L_min ([`Problem::e_max`]).
    BelowSmallest(usize),
}

/// The space residuals are taken in: r = link(predicted) − link(observed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    /// ln v: losses.
    Log,
    /// logit p = ln p − ln(1 − p): bounded metrics in (0, 1).
    Logit,
}

impl Link {
    pub fn apply(self, v: f64) -> f64 {
        match self {
            Link::Log => v.ln(),
            Link::Logit => v.ln() - (-v).ln_1p(),
        }
    }

    pub fn inverse(self, t: f64) -> f64 {
        match self {
            Link::Log => t.exp(),
            Link::Logit => 1.0 / (1.0 + (-t).exp()),
        }
    }
}

/// σ(t) = 1 / (1 + e^(−t)).
pub fn sigmoid(t: f64) -> f64 {
    1.0 / (1.0 + (-t).exp())
}

/// The minimum of A N^(−α) + B D^(−β) along N D = C/k (Hoffmann et al. 2022, eq. 4 with
/// C = kND): N_opt = G (C/k)^(β/(α+β)), D_opt = G⁻¹ (C/k)^(α/(α+β)), G = (αA / (βB))^(1/(α+β)).
pub fn power_sum_split(a: f64, b: f64, alpha: f64, beta: f64, compute_over_k: f64) -> (f64, f64) {
    let g = (alpha * a / (beta * b)).powf(1.0 / (alpha + beta));
    (
        g * compute_over_k.powf(beta / (alpha + beta)),
        compute_over_k.powf(alpha / (alpha + beta)) / g,
    )
}

/// The residual a solver can always use: where a law leaves the range of numbers (a trial
/// step far out, an exponent overflowing), a large finite residual with no slope, which every
/// solver turns down as a step (L-BFGS reads the objective and gradient these make; the
/// Levenberg–Marquardt adapter does the same for any form). Finite values pass unchanged.
pub fn finite_or_far(r: f64, grad: &mut [f64]) -> f64 {
    if r.is_finite() && grad.iter().all(|g| g.is_finite()) {
        r
    } else {
        grad.fill(0.0);
        FAR_RESIDUAL
    }
}

/// The residual [`finite_or_far`] gives where a law is not a number: e^1000 times off.
pub const FAR_RESIDUAL: f64 = 1e3;

/// Warnings about a floor parametrised as [`Internal::BelowSmallest`]: at its lower bound 0
/// (no irreducible loss shows in the data) or at its upper bound, the smallest observed value.
pub fn floor_warnings(problem: &Problem, name: &str, floor: f64) -> Vec<Warning> {
    if floor < 1e-6 * problem.e_max {
        vec![Warning::AtLowerBound { param: name.into() }]
    } else if floor > (1.0 - 1e-6) * problem.e_max {
        vec![Warning::AtSmallestObserved { param: name.into() }]
    } else {
        Vec::new()
    }
}

/// Where a local solver starts.
#[derive(Clone, Debug, PartialEq)]
pub enum StartPlan {
    /// The form is linear in its transformed space: this regression is the least-squares
    /// optimum itself (and the start for any other loss).
    Regression(Vec<f64>),
    /// Starts to polish; the best optimum wins.
    Polish(Vec<Vec<f64>>),
}

/// What a formula shows for each parameter: its symbol, or its value written for people.
pub struct Symbols {
    /// The chosen single variable's symbol (N, D or C).
    pub x: &'static str,
    /// One text per parameter, in natural order.
    pub shown: Vec<String>,
    /// The values, when the formula shows a fitted law.
    pub values: Option<Vec<f64>>,
}

impl Symbols {
    /// The symbols of `form` (`{x}` in a symbol becomes the variable's own, as in Nc).
    pub fn names(x: Variable, symbols: &[&str]) -> Symbols {
        Symbols {
            x: x.symbol(),
            shown: symbols
                .iter()
                .map(|s| s.replace("{x}", x.symbol()))
                .collect(),
            values: None,
        }
    }

    /// The values, each written by `number`.
    pub fn values(x: Variable, values: &[f64], number: &dyn Fn(f64) -> String) -> Symbols {
        Symbols {
            x: x.symbol(),
            shown: values.iter().map(|v| number(*v)).collect(),
            values: Some(values.to_vec()),
        }
    }

    /// The text of parameter i.
    pub fn p(&self, i: usize) -> &str {
        &self.shown[i]
    }

    /// Whether parameter i is known to be exactly zero (a factor a formula may leave out).
    pub fn is_zero(&self, i: usize) -> bool {
        self.values.as_ref().is_some_and(|v| v[i] == 0.0)
    }
}

/// A model form: everything about it in one value.
///
/// Natural parameters are those people read (A, B, E, exponents, in the order of
/// [`Form::param_names`]); the solvers work on θ ([`Form::internal`]).
pub trait Form: Sync {
    /// The id used by the page's select, share links and the command line.
    fn id(&self) -> &'static str;
    /// Parameter names, as the command line and share links write them.
    fn param_names(&self) -> &'static [&'static str];
    /// Parameter symbols for formulas (Greek letters; `{x}` stands for the chosen variable).
    fn symbols(&self) -> &'static [&'static str];
    /// The formula, with each parameter as `s` shows it.
    fn formula(&self, s: &Symbols) -> String;
    /// The quantity the form predicts.
    fn response(&self) -> Quantity {
        Quantity::L
    }
    /// The space its residuals are taken in.
    fn link(&self) -> Link {
        Link::Log
    }
    /// Whether it reads one chosen variable X.
    fn is_single_variable(&self) -> bool {
        false
    }
    /// The columns (besides the response) the data must have.
    fn needs(&self, x: Variable) -> Vec<Quantity>;
    /// The law's value at `at`, or None when an input it reads is missing.
    fn value(&self, p: &[f64], x: Variable, at: &Inputs) -> Option<f64>;
    /// The loss a fit uses unless told otherwise.
    fn default_loss(&self) -> Loss {
        Loss::LeastSquares
    }
    /// The natural indices of exponents that must be positive for the law to improve with scale.
    fn exponents(&self) -> &'static [usize];
    /// The irreducible loss, if the form has one.
    fn floor(&self, _p: &[f64]) -> Option<f64> {
        None
    }
    /// The X at which a single-variable law reaches `target` (in closed form).
    fn invert(&self, _p: &[f64], _target: f64) -> Result<f64, PlanError> {
        Err(PlanError::NotSingleVariable)
    }
    /// Whether the law reads both N and D, so a FLOP budget can be split between them.
    fn splits_compute(&self, _p: &[f64]) -> bool {
        false
    }
    /// The natural indices a compute-optimal split needs positive: with any of them zero or
    /// negative the loss does not fall as N and D grow (or is not a number).
    fn split_positive(&self) -> &'static [usize] {
        &[]
    }
    /// The compute-optimal (N, D) for C/k = `compute_over_k`, where the form has a closed form.
    fn compute_optimal(
        &self,
        _p: &[f64],
        _compute_over_k: f64,
    ) -> Option<Result<(f64, f64), PlanError>> {
        None
    }

    /// How each internal parameter stands for a natural one.
    fn internal(&self) -> &'static [Internal];
    /// The residual at one sample, with dr/dθ written into `grad` (length [`Form::internal`]).
    fn residual(&self, problem: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64;
    /// Σ ρ(r_i) and its gradient by a faster route than [`Form::residual`], where there is one.
    fn objective_and_gradient(
        &self,
        _problem: &Problem,
        _loss: &Loss,
        _theta: &[f64],
        _gradient: &mut [f64],
    ) -> Option<f64> {
        None
    }
    /// Natural parameters from internal ones.
    fn natural_of(&self, problem: &Problem, theta: &[f64]) -> Vec<f64> {
        let mut p = vec![0.0; self.param_names().len()];
        for (t, map) in theta.iter().zip(self.internal()) {
            match *map {
                Internal::Ln(j) => p[j] = t.exp(),
                Internal::Same(j) => p[j] = *t,
                Internal::BelowSmallest(j) => p[j] = problem.e_max * sigmoid(*t),
            }
        }
        p
    }
    /// Internal parameters from natural ones.
    fn theta_of(&self, problem: &Problem, p: &[f64]) -> Vec<f64> {
        self.internal()
            .iter()
            .map(|map| match *map {
                Internal::Ln(j) => p[j].ln(),
                Internal::Same(j) => p[j],
                Internal::BelowSmallest(j) => {
                    let f = (p[j] / problem.e_max).clamp(1e-12, 1.0 - 1e-12);
                    (f / (1.0 - f)).ln()
                }
            })
            .collect()
    }
    /// d(natural j)/d(θ i), row-major k × k: carries standard errors to natural units.
    fn natural_jacobian(&self, problem: &Problem, theta: &[f64]) -> Vec<f64> {
        let k = self.internal().len();
        let natural = self.natural_of(problem, theta);
        let mut m = vec![0.0; k * k];
        for (i, map) in self.internal().iter().enumerate() {
            match *map {
                Internal::Ln(j) => m[j * k + i] = natural[j],
                Internal::Same(j) => m[j * k + i] = 1.0,
                Internal::BelowSmallest(j) => {
                    let sig = sigmoid(theta[i]);
                    m[j * k + i] = problem.e_max * sig * (1.0 - sig);
                }
            }
        }
        m
    }
    /// The given columns of N, D, C that take part as regressors, and those left out
    /// (forms that choose their regressors from the data; none by default).
    fn regressors(&self, _data: &Dataset, _samples: &[Sample]) -> ([bool; 3], Vec<Quantity>) {
        ([false; 3], Vec::new())
    }
    /// Which internal parameters the data leaves fixed (the exponent of a column not in the
    /// fit): their Jacobian column is zero, so the solvers never move them, and standard
    /// errors are taken over the others. None by default.
    fn fixed(&self, _problem: &Problem) -> Vec<bool> {
        vec![false; self.internal().len()]
    }
    /// Where the solver starts, or why it cannot.
    fn starts(&self, problem: &Problem, loss: &Loss, starts: Starts)
        -> Result<StartPlan, FitError>;
    /// Warnings only this form can give, about fitted natural parameters `p`.
    fn warnings(&self, _problem: &Problem, _p: &[f64]) -> Vec<Warning> {
        Vec::new()
    }
}
