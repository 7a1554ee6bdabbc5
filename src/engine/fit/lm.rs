//! Least squares by Levenberg–Marquardt (the `levenberg-marquardt` crate) on a [`Problem`].

use super::problem::Problem;
use super::stop::Stop;
#[cfg(doc)]
use crate::engine::law::finite_or_far;
use crate::engine::law::FAR_RESIDUAL;
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

    /// Residuals where the law leaves the range of numbers (a trial step far out) are taken as
    /// [`FAR_RESIDUAL`]: the solver sees a much worse objective and shortens its step, where
    /// the crate would stop at a residual that is not a number.
    fn residuals(&self) -> Option<DVector<f64>> {
        let r = self.problem.residuals(self.theta.as_slice(), None);
        Some(DVector::from_iterator(
            r.len(),
            r.into_iter()
                .map(|v| if v.is_finite() { v } else { FAR_RESIDUAL }),
        ))
    }

    /// The Jacobian, with no slope where a residual is not a number (as [`finite_or_far`]).
    fn jacobian(&self) -> Option<DMatrix<f64>> {
        let mut jac = Vec::new();
        let r = self
            .problem
            .residuals(self.theta.as_slice(), Some(&mut jac));
        let k = self.problem.dim();
        for (row, value) in jac.chunks_mut(k).zip(&r) {
            if !value.is_finite() || row.iter().any(|g| !g.is_finite()) {
                row.fill(0.0);
            }
        }
        Some(DMatrix::from_row_slice(r.len(), k, &jac))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::parse_dataset;
    use crate::engine::law::{ModelId, Variable};

    /// From a start where the law overflows at the larger runs (ln A = 700: A·X^−α is e^709 and
    /// beyond), the solver walks back into range (every residual a number, the fit within 10 %
    /// of every point; it may settle in another basin than a sensible start's), instead of
    /// stopping at once on a residual that is not a number (objective infinite before).
    #[test]
    fn a_start_out_of_range_walks_back_into_range() {
        let data = parse_dataset("N,L\n1e6,4.1\n1e7,3.2\n1e8,2.6\n1e9,2.25\n1e10,2.05\n").unwrap();
        let problem = Problem::new(ModelId::PowerOffset, Variable::N, &data).unwrap();
        let far = [0.0, 700.0, -0.5];
        assert!(problem.residuals(&far, None).iter().any(|r| !r.is_finite()));
        let from_far = solve_with(&problem, &far, 400);
        let residuals = problem.residuals(&from_far.theta, None);
        assert!(
            residuals.iter().all(|r| r.is_finite() && r.abs() < 0.1),
            "{from_far:?}: {residuals:?}"
        );
        let near = solve(&problem, &[0.0, 3.0, 0.3]);
        assert!(near.objective <= from_far.objective);
    }
}
