//! Task accuracy from scale, in two steps (Bhagia et al. 2024, "Establishing Task Scaling Laws
//! via Compute-Efficient Model Ladders", arXiv 2412.04403; ../shared/REFERENCES.md):
//!
//! 1. the task's loss (bits per byte of the correct answer) as a law of N and D, fitted like any
//!    loss (`chinchilla` by default: L = E + A/N^α + B/D^β);
//! 2. accuracy from that loss, Acc(L) = a / (1 + e^(−k (L − L0))) + b, by least squares
//!    (Levenberg–Marquardt);
//!
//! chained: Acc(N, D) = Acc(L(N, D)). Many tasks do not scale predictably (Lourie, Hu, Cho 2025
//! found about 39 % of 46 did): the chain is checked on held-out runs, and its error there is
//! the number to read.

use super::dataset::{parse_dataset, Quantity};
use super::fit::{self, Fit, FitError, FitOptions};
use super::law::{Inputs, ModelId, Variable};
use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra::{storage::Owned, DVector, Dyn, U4};
use serde::{Deserialize, Serialize};

/// Acc(L) = a / (1 + e^(−k (L − L0))) + b.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sigmoid {
    pub a: f64,
    pub k: f64,
    pub l0: f64,
    pub b: f64,
}

impl Sigmoid {
    /// The accuracy at task loss `l`.
    pub fn at(&self, l: f64) -> f64 {
        self.a / (1.0 + (-self.k * (l - self.l0)).exp()) + self.b
    }
}

/// One run: its scale, task loss and accuracy; held-out runs only check the chain.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct TaskRun {
    pub n: f64,
    pub d: f64,
    pub loss: f64,
    pub accuracy: f64,
    pub held_out: bool,
}

/// A held-out run's chained prediction.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Check {
    pub n: f64,
    pub d: f64,
    pub loss: f64,
    pub predicted_loss: f64,
    pub accuracy: f64,
    pub predicted_accuracy: f64,
}

impl Check {
    /// (predicted − actual) / actual accuracy.
    pub fn relative_error(&self) -> f64 {
        self.predicted_accuracy / self.accuracy - 1.0
    }
}

/// The two fitted steps and the held-out checks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Chain {
    pub loss_fit: Fit,
    pub sigmoid: Sigmoid,
    pub checks: Vec<Check>,
}

impl Chain {
    /// Acc(N, D) through both steps.
    pub fn accuracy(&self, n: f64, d: f64) -> Option<f64> {
        let loss = self.loss_fit.law.value(&Inputs {
            n: Some(n),
            d: Some(d),
            c: None,
            u: None,
        })?;
        Some(self.sigmoid.at(loss))
    }
}

/// Why no chain could be made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TaskError {
    /// Fewer than 5 runs to fit on (the sigmoid has 4 parameters).
    TooFewRuns { runs: usize },
    /// Step 1 could not be fitted.
    Loss(FitError),
    /// The sigmoid found no finite optimum.
    NoSigmoid,
    /// Step 1's form is not a loss law of N and D alone ([`loss_models`]).
    NotALawOfNAndD { model: ModelId },
}

/// The forms step 1 can take: loss laws that read N and D and nothing more.
pub fn loss_models() -> impl Iterator<Item = ModelId> {
    ModelId::ALL.into_iter().filter(|m| {
        let form = m.form();
        !form.is_single_variable()
            && form.response() == Quantity::L
            && form
                .needs(Variable::N)
                .iter()
                .all(|q| matches!(q, Quantity::N | Quantity::D))
    })
}

impl std::fmt::Display for TaskError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

/// The sigmoid's residuals Acc(L_i) − acc_i at a parameter vector (a, k, L0, b).
struct SigmoidProblem<'a> {
    points: &'a [(f64, f64)],
    p: nalgebra::Vector4<f64>,
}

impl LeastSquaresProblem<f64, Dyn, U4> for SigmoidProblem<'_> {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, U4>;
    type ParameterStorage = Owned<f64, U4>;

    fn set_params(&mut self, p: &nalgebra::Vector4<f64>) {
        self.p.copy_from(p);
    }

    fn params(&self) -> nalgebra::Vector4<f64> {
        self.p
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        let s = Sigmoid {
            a: self.p[0],
            k: self.p[1],
            l0: self.p[2],
            b: self.p[3],
        };
        Some(DVector::from_iterator(
            self.points.len(),
            self.points.iter().map(|&(l, acc)| s.at(l) - acc),
        ))
    }

    /// ∂/∂a = σ, ∂/∂k = a σ(1 − σ)(L − L0), ∂/∂L0 = −a σ(1 − σ) k, ∂/∂b = 1.
    fn jacobian(&self) -> Option<nalgebra::Matrix<f64, Dyn, U4, Self::JacobianStorage>> {
        let (a, k, l0) = (self.p[0], self.p[1], self.p[2]);
        let mut j = nalgebra::OMatrix::<f64, Dyn, U4>::zeros(self.points.len());
        for (i, &(l, _)) in self.points.iter().enumerate() {
            let s = 1.0 / (1.0 + (-k * (l - l0)).exp());
            let slope = a * s * (1.0 - s);
            j[(i, 0)] = s;
            j[(i, 1)] = slope * (l - l0);
            j[(i, 2)] = -slope * k;
            j[(i, 3)] = 1.0;
        }
        Some(j)
    }
}

/// Acc(L) fitted to (task loss, accuracy) points by Levenberg–Marquardt, started from the
/// points' range (b at the lowest accuracy, a its span, L0 the middle loss, k from the
/// straight line through them: the sigmoid's slope at L0 is a k / 4).
pub fn fit_sigmoid(points: &[(f64, f64)]) -> Option<Sigmoid> {
    if points.len() < 4 {
        return None;
    }
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.1), hi.max(p.1))
        });
    let ls: Vec<f64> = points.iter().map(|p| p.0).collect();
    let accs: Vec<f64> = points.iter().map(|p| p.1).collect();
    let (_, slope) = fit::linear::line(&ls, &accs)?;
    let span = (hi - lo).max(1e-6);
    let mut sorted = ls.clone();
    sorted.sort_by(f64::total_cmp);
    let start = nalgebra::Vector4::new(
        2.0 * span,
        4.0 * slope / (2.0 * span),
        sorted[sorted.len() / 2],
        lo - 0.5 * span,
    );
    let (solved, report) = LevenbergMarquardt::new()
        .with_ftol(1e-15)
        .with_xtol(1e-15)
        .with_gtol(1e-15)
        .with_patience(1000)
        .minimize(SigmoidProblem { points, p: start });
    let p = solved.p;
    let s = Sigmoid {
        a: p[0],
        k: p[1],
        l0: p[2],
        b: p[3],
    };
    (report.objective_function.is_finite() && p.iter().all(|v| v.is_finite())).then_some(s)
}

/// Both steps fitted on the runs not held out (step 1 with `loss_model`'s default loss), and
/// each held-out run predicted through the chain.
pub fn chain(runs: &[TaskRun], loss_model: ModelId) -> Result<Chain, TaskError> {
    if !loss_models().any(|m| m == loss_model) {
        return Err(TaskError::NotALawOfNAndD { model: loss_model });
    }
    let train: Vec<&TaskRun> = runs.iter().filter(|r| !r.held_out).collect();
    if train.len() < 5 {
        return Err(TaskError::TooFewRuns { runs: train.len() });
    }
    let text: String = std::iter::once("N,D,L\n".to_string())
        .chain(
            train
                .iter()
                .map(|r| format!("{},{},{}\n", r.n, r.d, r.loss)),
        )
        .collect();
    let data = parse_dataset(&text).map_err(|_| TaskError::TooFewRuns { runs: 0 })?;
    let loss_fit =
        fit::fit(&data, &FitOptions::new(loss_model, Variable::N)).map_err(TaskError::Loss)?;
    let points: Vec<(f64, f64)> = train.iter().map(|r| (r.loss, r.accuracy)).collect();
    let sigmoid = fit_sigmoid(&points).ok_or(TaskError::NoSigmoid)?;
    let mut chain = Chain {
        loss_fit,
        sigmoid,
        checks: Vec::new(),
    };
    chain.checks = runs
        .iter()
        .filter(|r| r.held_out)
        .filter_map(|r| {
            let predicted_loss = chain.loss_fit.law.value(&Inputs {
                n: Some(r.n),
                d: Some(r.d),
                c: None,
                u: None,
            })?;
            Some(Check {
                n: r.n,
                d: r.d,
                loss: r.loss,
                predicted_loss,
                accuracy: r.accuracy,
                predicted_accuracy: chain.sigmoid.at(predicted_loss),
            })
        })
        .collect();
    Ok(chain)
}

/// The runs of a table with named columns: N, D, a task-loss column and an accuracy column
/// (by header, case ignored); rows whose role column says `target`, or that start with `#`,
/// are held out. None when a column is missing.
pub fn runs_from_table(
    text: &str,
    loss_column: &str,
    accuracy_column: &str,
) -> Option<Vec<TaskRun>> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()?
        .split([',', '\t'])
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == &name.to_ascii_lowercase());
    let (n, d, l, a) = (
        column("N")?,
        column("D")?,
        column(loss_column)?,
        column(accuracy_column)?,
    );
    let role = column("role");
    Some(
        lines
            .filter_map(|line| {
                let held = line.trim_start().starts_with('#');
                let cells: Vec<&str> = line.trim_start_matches('#').split([',', '\t']).collect();
                let number =
                    |i: usize| crate::engine::units::parse_quantity(cells.get(i)?.trim()).ok();
                let target = role
                    .and_then(|i| cells.get(i))
                    .is_some_and(|r| r.trim() == "target");
                Some(TaskRun {
                    n: number(n)?,
                    d: number(d)?,
                    loss: number(l)?,
                    accuracy: number(a)?,
                    held_out: held || target,
                })
            })
            .collect(),
    )
}
