//! Fitting a form to a dataset: options in, a [`Fit`] (a law with its diagnostics) out.

pub mod bootstrap;
pub mod constraints;
pub mod diagnostics;
pub mod lbfgs;
pub mod linear;
pub mod lm;
pub mod objective;
pub mod prediction;
pub mod problem;
pub mod projection;
pub mod starts;
pub mod stop;

pub use constraints::{ConstraintError, Constraints};
pub use objective::{Loss, LossError, DEFAULT_ASYMMETRIC_WEIGHT, DEFAULT_HUBER_DELTA};
pub use stop::{ConvergedBy, Criterion, Stop};

use crate::engine::dataset::{Dataset, Quantity};
use crate::engine::law::{Law, ModelId, Variable};
use diagnostics::Warning;
use problem::Problem;
use serde::{Deserialize, Serialize};
use std::str::FromStr;

/// How the solver is started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Starts {
    /// A fast default: a coarse grid is evaluated and its best few polished.
    #[default]
    Auto,
    /// Every one of the 4,500 starts of Besiroglu et al. (2024) polished to convergence.
    EpochGrid,
}

impl Starts {
    /// Every way of starting, in the order a list shows them.
    pub const ALL: [Starts; 2] = [Starts::Auto, Starts::EpochGrid];

    /// The id used by the page's select, share links and the command line.
    pub fn id(self) -> &'static str {
        match self {
            Starts::Auto => "auto",
            Starts::EpochGrid => "epoch-grid",
        }
    }
}

impl FromStr for Starts {
    type Err = crate::engine::law::UnknownId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        use crate::engine::law::{Choice, UnknownId};
        Starts::ALL
            .into_iter()
            .find(|starts| starts.id() == s)
            .ok_or_else(|| UnknownId::new(Choice::Starts, s))
    }
}

/// What to fit and how.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FitOptions {
    pub model: ModelId,
    pub x: Variable,
    pub loss: Loss,
    pub starts: Starts,
    /// Parameters held at a value or tied together (none by default).
    #[serde(default)]
    pub constraints: Constraints,
}

impl FitOptions {
    /// The contract's defaults: Huber(1e-3) for `chinchilla`, least squares for the others.
    pub fn new(model: ModelId, x: Variable) -> FitOptions {
        FitOptions {
            model,
            x,
            loss: default_loss(model),
            starts: Starts::Auto,
            constraints: Constraints::default(),
        }
    }
}

/// Huber(δ = 1e-3) for `chinchilla` (the Hoffmann/Besiroglu recipe), least squares otherwise.
pub fn default_loss(model: ModelId) -> Loss {
    model.form().default_loss()
}

/// A fitted law and what is known about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fit {
    /// The law found: its model and variable are those of the options that made it.
    pub law: Law,
    /// The loss the fit minimised.
    pub loss: Loss,
    /// How the solver was started.
    pub starts: Starts,
    /// What the fit held fixed or tied.
    #[serde(default)]
    pub constraints: Constraints,
    /// Σ ρ(r_i) at the optimum (docs/CONTRACT.md), whatever the solver.
    pub objective: f64,
    /// Points that took part.
    pub points: usize,
    /// Whether the solver stopped at an optimum: `stop.is_converged()`.
    pub converged: bool,
    /// Why the solver stopped.
    pub stop: Stop,
    pub warnings: Vec<Warning>,
    /// R² of the transformed observations (log L, or logit P); None when every observed
    /// value is equal (nothing to explain).
    pub r2: Option<f64>,
    /// Standard errors of the natural parameters (from the Jacobian, least-squares theory);
    /// 0 for a parameter the form holds fixed for this data ([`Problem::fixed`]).
    pub std_errors: Option<Vec<f64>>,
    /// Correlations of the natural parameters, row-major k × k.
    pub correlation: Option<Vec<f64>>,
    /// The scatter of one run around the law, s = √(Σ r² / (m − f)) in the link's space (ln L,
    /// or logit P), f the parameters fitted; None with no points to spare.
    #[serde(default)]
    pub residual_scale: Option<f64>,
    /// Degrees of freedom of that scatter, m − f.
    #[serde(default)]
    pub dof: usize,
    /// The law's value at each fitted point, in the order of the included points (sent to
    /// the page as bytes: engine::wire).
    #[serde(with = "crate::engine::wire::floats")]
    pub fitted: Vec<f64>,
    /// Objective evaluations spent over all starts.
    pub evaluations: usize,
    /// The internal parameters (for warm starts).
    pub theta: Vec<f64>,
}

impl Fit {
    /// The options that made this fit (so an export pairs the fit with its own options).
    pub fn options(&self) -> FitOptions {
        FitOptions {
            model: self.law.model,
            x: self.law.x,
            loss: self.loss,
            starts: self.starts,
            constraints: self.constraints.clone(),
        }
    }
}

/// Why no fit could be made: a value with its numbers, said in words by `text`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FitError {
    /// The table is empty or every row is excluded.
    NoRows,
    /// A bounded-metric form without a P column (or a loss that is a fraction).
    NeedsFraction { model: ModelId },
    /// No loss column.
    NoLoss { model: ModelId },
    /// A column the form reads is missing.
    NeedsColumn { model: ModelId, column: Quantity },
    /// Fewer points than parameters.
    TooFewPoints {
        model: ModelId,
        params: usize,
        points: usize,
    },
    /// The optimum is not finite: the parameters run off to infinity.
    RunsOff { model: ModelId },
    /// A linear form's points do not determine a line.
    NoLine,
    /// `multiplicative` has no column whose values differ.
    NoRegressor,
    /// No start gives a finite objective.
    NoFiniteStart,
    /// No start leads the solver to a finite optimum.
    NoFiniteOptimum,
    /// The loss's own setting is not valid.
    Loss(LossError),
    /// A fixed or tied parameter the form or the data does not allow.
    Constraint(ConstraintError),
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

impl std::error::Error for FitError {}

/// The best local solution found from a set of starts.
#[derive(Clone, Debug, PartialEq)]
pub struct Optimum {
    pub theta: Vec<f64>,
    pub objective: f64,
    /// Why the solver stopped there.
    pub stop: Stop,
    pub evaluations: usize,
}

impl Optimum {
    /// Whether the solver stopped at an optimum.
    pub fn converged(&self) -> bool {
        self.stop.is_converged()
    }
}

/// The problem `options` make of `data`: the form bound to the included points, with its
/// fixed and tied parameters (what [`fit`] solves and a bootstrap of its fit resamples).
pub fn problem_of(data: &Dataset, options: &FitOptions) -> Result<Problem, FitError> {
    Problem::new(options.model, options.x, data)?
        .constrained(&options.constraints)
        .map_err(FitError::Constraint)
}

/// Fits `options.model` to the included points of `data`.
pub fn fit(data: &Dataset, options: &FitOptions) -> Result<Fit, FitError> {
    options.loss.validate().map_err(FitError::Loss)?;
    let problem = problem_of(data, options)?;
    let k = problem.dim();
    let m = problem.samples.len();
    if m < k {
        return Err(FitError::TooFewPoints {
            model: options.model,
            params: k,
            points: m,
        });
    }
    let optimum = starts::optimise(&problem, &options.loss, options.starts)?;
    let result = finish(
        &problem,
        &options.loss,
        options.starts,
        &options.constraints,
        optimum,
    );
    // Finite parameters can still put the curve beyond the range of numbers at the data (a
    // tiny asymmetric weight lets it rise without cost): that is no fit either.
    if !result.objective.is_finite()
        || result.law.params.iter().any(|p| !p.is_finite())
        || result.fitted.iter().any(|v| !v.is_finite())
    {
        return Err(FitError::RunsOff {
            model: options.model,
        });
    }
    Ok(result)
}

/// The fit's statistics and diagnostics at an optimum found under `loss` from `starts`.
pub fn finish(
    problem: &Problem,
    loss: &Loss,
    starts: Starts,
    constraints: &Constraints,
    optimum: Optimum,
) -> Fit {
    let law = Law {
        model: problem.model,
        x: problem.x,
        params: problem.to_natural(&optimum.theta),
    };
    let mut jacobian = Vec::new();
    let residuals = problem.residuals(&optimum.theta, Some(&mut jacobian));
    let ys: Vec<f64> = problem.samples.iter().map(|s| s.y).collect();
    let mean = ys.iter().sum::<f64>() / ys.len() as f64;
    let total: f64 = ys.iter().map(|y| (y - mean).powi(2)).sum();
    let residual_ss: f64 = residuals.iter().map(|r| r * r).sum();
    let r2 = (total > 0.0).then(|| 1.0 - residual_ss / total);
    let link = problem.model.form().link();
    let fitted = problem
        .samples
        .iter()
        .zip(&residuals)
        .map(|(s, r)| link.inverse(s.y + r))
        .collect();
    let uncertainty = diagnostics::standard_errors(problem, &optimum.theta, &jacobian, residual_ss);
    let free = problem.fixed().iter().filter(|f| !**f).count();
    let dof = problem.samples.len().saturating_sub(free);
    let residual_scale =
        (dof > 0 && residual_ss.is_finite()).then(|| (residual_ss / dof as f64).sqrt());
    let (std_errors, correlation) = match uncertainty {
        Some((se, corr)) => (Some(se), Some(corr)),
        None => (None, None),
    };
    let mut fit = Fit {
        law,
        loss: *loss,
        starts,
        constraints: constraints.clone(),
        objective: objective::objective(problem, loss, &optimum.theta),
        points: problem.samples.len(),
        converged: optimum.converged(),
        stop: optimum.stop,
        warnings: Vec::new(),
        r2,
        std_errors,
        correlation,
        residual_scale,
        dof,
        fitted,
        evaluations: optimum.evaluations,
        theta: optimum.theta,
    };
    fit.warnings = diagnostics::warnings(problem, &fit);
    fit
}
