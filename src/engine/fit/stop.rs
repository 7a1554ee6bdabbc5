//! Why a local solver stopped: a typed value carried from the solvers through [`Optimum`],
//! [`Fit`] and the `not-converged` warning, said in words by `text`.
//!
//! Levenberg–Marquardt's reasons (the `levenberg-marquardt` crate's `TerminationReason`) and
//! L-BFGS's ([`super::lbfgs`]) map onto one enum, so a reader sees one vocabulary whichever
//! solver ran.
//!
//! [`Optimum`]: super::Optimum
//! [`Fit`]: super::Fit

use levenberg_marquardt::TerminationReason;
use serde::{Deserialize, Serialize};

/// Why a solver stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stop {
    /// A stopping rule for an optimum was met.
    Converged(ConvergedBy),
    /// L-BFGS used its iterations ([`super::lbfgs::Settings::max_iterations`]) first.
    MaxIterations { limit: usize },
    /// Levenberg–Marquardt used its objective evaluations (patience × (parameters + 1)) first
    /// (the crate's `LostPatience`).
    MaxEvaluations { limit: usize },
    /// L-BFGS: no step along the search direction lowered the objective, while the gradient
    /// was not yet small.
    LineSearchFailed,
    /// Levenberg–Marquardt: a test passes at machine precision but not at its tolerance, so
    /// it can never be met (the crate's `NoImprovementPossible`).
    ToleranceTooTight(Criterion),
    /// The objective, the residuals or their derivatives are not finite numbers (the crate's
    /// `Numerical`, and `User`: the adapter declines non-finite residuals and Jacobians).
    NonFinite,
    /// The problem handed to the solver has no parameters, no residuals or sizes that do not
    /// agree (the crate's `NoParameters`, `NoResiduals`, `WrongDimensions`): a bug, not data.
    Malformed,
}

/// Which rule for an optimum was met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConvergedBy {
    /// The relative change of the objective fell below its tolerance (ftol).
    Objective,
    /// The relative step of the parameters fell below its tolerance (xtol; LM only).
    Step,
    /// Both of the above at once (LM only).
    ObjectiveAndStep,
    /// The gradient fell below its tolerance (gtol): ‖g‖∞ for L-BFGS; for LM the residuals
    /// are orthogonal to every Jacobian column within gtol (the crate's `Orthogonal`).
    Gradient,
    /// L-BFGS: no step lowers the objective any more and ‖g‖∞ ≤ √gtol: the optimum to the
    /// precision of the arithmetic.
    PrecisionLimit,
    /// The residuals are exactly zero (LM's `ResidualsZero`).
    ZeroResiduals,
    /// A closed-form least-squares solution: the regression is the optimum itself.
    Exact,
}

/// A stopping test of Levenberg–Marquardt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Criterion {
    /// ftol: the relative reduction of the objective.
    Objective,
    /// xtol: the relative step.
    Step,
    /// gtol: the scaled gradient.
    Gradient,
}

impl Stop {
    /// Whether the solver stopped at an optimum.
    pub fn is_converged(self) -> bool {
        matches!(self, Stop::Converged(_))
    }

    /// A stable code: `converged`, `max-iterations`, `max-evaluations`, `line-search-failed`,
    /// `tolerance-too-tight`, `non-finite` or `malformed`.
    pub fn code(self) -> &'static str {
        match self {
            Stop::Converged(_) => "converged",
            Stop::MaxIterations { .. } => "max-iterations",
            Stop::MaxEvaluations { .. } => "max-evaluations",
            Stop::LineSearchFailed => "line-search-failed",
            Stop::ToleranceTooTight(_) => "tolerance-too-tight",
            Stop::NonFinite => "non-finite",
            Stop::Malformed => "malformed",
        }
    }

    /// Levenberg–Marquardt's reason, given the evaluation limit it ran under.
    pub fn from_lm(reason: &TerminationReason, max_evaluations: usize) -> Stop {
        match reason {
            TerminationReason::Converged { ftol, xtol } => Stop::Converged(match (ftol, xtol) {
                (true, true) => ConvergedBy::ObjectiveAndStep,
                (false, true) => ConvergedBy::Step,
                _ => ConvergedBy::Objective,
            }),
            TerminationReason::Orthogonal => Stop::Converged(ConvergedBy::Gradient),
            TerminationReason::ResidualsZero => Stop::Converged(ConvergedBy::ZeroResiduals),
            TerminationReason::LostPatience => Stop::MaxEvaluations {
                limit: max_evaluations,
            },
            TerminationReason::NoImprovementPossible(test) => {
                Stop::ToleranceTooTight(match *test {
                    "xtol" => Criterion::Step,
                    "gtol" => Criterion::Gradient,
                    _ => Criterion::Objective,
                })
            }
            TerminationReason::User(_) | TerminationReason::Numerical(_) => Stop::NonFinite,
            TerminationReason::NoParameters
            | TerminationReason::NoResiduals
            | TerminationReason::WrongDimensions(_) => Stop::Malformed,
        }
    }
}

impl ConvergedBy {
    /// A stable code: `objective`, `step`, `objective-and-step`, `gradient`,
    /// `precision-limit`, `zero-residuals` or `exact`.
    pub fn code(self) -> &'static str {
        match self {
            ConvergedBy::Objective => "objective",
            ConvergedBy::Step => "step",
            ConvergedBy::ObjectiveAndStep => "objective-and-step",
            ConvergedBy::Gradient => "gradient",
            ConvergedBy::PrecisionLimit => "precision-limit",
            ConvergedBy::ZeroResiduals => "zero-residuals",
            ConvergedBy::Exact => "exact",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_crate_s_reasons_map_to_stops() {
        let cases = [
            (
                TerminationReason::Converged {
                    ftol: true,
                    xtol: false,
                },
                Stop::Converged(ConvergedBy::Objective),
            ),
            (
                TerminationReason::Converged {
                    ftol: false,
                    xtol: true,
                },
                Stop::Converged(ConvergedBy::Step),
            ),
            (
                TerminationReason::Converged {
                    ftol: true,
                    xtol: true,
                },
                Stop::Converged(ConvergedBy::ObjectiveAndStep),
            ),
            (
                TerminationReason::Orthogonal,
                Stop::Converged(ConvergedBy::Gradient),
            ),
            (
                TerminationReason::ResidualsZero,
                Stop::Converged(ConvergedBy::ZeroResiduals),
            ),
            (
                TerminationReason::LostPatience,
                Stop::MaxEvaluations { limit: 7 },
            ),
            (
                TerminationReason::NoImprovementPossible("xtol"),
                Stop::ToleranceTooTight(Criterion::Step),
            ),
            (
                TerminationReason::NoImprovementPossible("gtol"),
                Stop::ToleranceTooTight(Criterion::Gradient),
            ),
            (
                TerminationReason::NoImprovementPossible("ftol"),
                Stop::ToleranceTooTight(Criterion::Objective),
            ),
            (TerminationReason::User("residuals"), Stop::NonFinite),
            (TerminationReason::Numerical("jacobian"), Stop::NonFinite),
            (TerminationReason::NoParameters, Stop::Malformed),
            (TerminationReason::NoResiduals, Stop::Malformed),
            (
                TerminationReason::WrongDimensions("jacobian"),
                Stop::Malformed,
            ),
        ];
        for (reason, stop) in cases {
            assert_eq!(Stop::from_lm(&reason, 7), stop, "{reason:?}");
            // Converged exactly when the crate calls the outcome successful.
            assert_eq!(stop.is_converged(), reason.was_successful(), "{reason:?}");
        }
    }
}
