//! Least squares by Levenberg–Marquardt (the `levenberg-marquardt` crate) on a [`Problem`].

use super::problem::Problem;
use super::stop::Stop;
use crate::engine::tolerances::LM_PATIENCE;
use levenberg_marquardt::{LeastSquaresProblem, LevenbergMarquardt};
use nalgebra::{storage::Owned, DMatrix, DVector, Dyn};

/// A [`Problem`] at a point θ, as the LM crate wants it.
struct LmAdapter<'a> {
    problem: &'a Problem,
    theta: DVector<f64>,
}

impl LeastSquaresProblem<f64, Dyn, Dyn> for LmAdapter<'_> {
    type ResidualStorage = Owned<f64, Dyn>;
    type JacobianStorage = Owned<f64, Dyn, Dyn>;
    type ParameterStorage = Owned<f64, Dyn>;

    fn set_params(&mut self, x: &DVector<f64>) {
        self.theta.copy_from(x);
    }

    fn params(&self) -> DVector<f64> {
        self.theta.clone()
    }

    fn residuals(&self) -> Option<DVector<f64>> {
        let r = self.problem.residuals(self.theta.as_slice(), None);
        r.iter()
            .all(|v| v.is_finite())
            .then(|| DVector::from_vec(r))
    }

    fn jacobian(&self) -> Option<DMatrix<f64>> {
        let mut jac = Vec::new();
        self.problem
            .residuals(self.theta.as_slice(), Some(&mut jac));
        let k = self.problem.dim();
        let m = self.problem.samples.len();
        jac.iter()
            .all(|v| v.is_finite())
            .then(|| DMatrix::from_row_slice(m, k, &jac))
    }
}

/// Where a local least-squares solve ended.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalSolution {
    pub theta: Vec<f64>,
    /// Σ r²/2 at θ.
    pub objective: f64,
    pub evaluations: usize,
    /// Why the solver stopped.
    pub stop: Stop,
}

impl LocalSolution {
    /// Whether the solver stopped at an optimum.
    pub fn converged(&self) -> bool {
        self.stop.is_converged()
    }
}

/// Minimises Σ r²/2 from `start`, with [`LM_PATIENCE`].
pub fn solve(problem: &Problem, start: &[f64]) -> LocalSolution {
    solve_with(problem, start, LM_PATIENCE)
}

/// Minimises Σ r²/2 from `start`, spending at most `patience` × (parameters + 1) evaluations.
pub fn solve_with(problem: &Problem, start: &[f64], patience: usize) -> LocalSolution {
    let adapter = LmAdapter {
        problem,
        theta: DVector::from_column_slice(start),
    };
    let patience = patience.max(1);
    let (adapter, report) = LevenbergMarquardt::new()
        .with_patience(patience)
        .minimize(adapter);
    let theta: Vec<f64> = adapter.theta.iter().copied().collect();
    let objective = if report.objective_function.is_finite() {
        report.objective_function
    } else {
        f64::INFINITY
    };
    LocalSolution {
        stop: Stop::from_lm(&report.termination, patience * (start.len() + 1)),
        theta,
        objective,
        evaluations: report.number_of_evaluations,
    }
}
