//! Exact least squares for the forms that are linear in log (or logit) space, with a
//! rank check: y = X β by SVD, dropping directions the data cannot identify.

use crate::engine::tolerances::SVD_RELATIVE_CUTOFF;
use nalgebra::{DMatrix, DVector};

/// The solution of min ‖X β − y‖² and the columns that could not be identified.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearSolution {
    pub beta: Vec<f64>,
    /// Numerical rank of the design (columns after scaling).
    pub rank: usize,
}

/// Least squares by SVD with columns scaled to unit norm; singular values below
/// [`SVD_RELATIVE_CUTOFF`] × the largest are treated as zero (the minimum-norm solution in
/// that direction).
pub fn least_squares(design: &DMatrix<f64>, y: &DVector<f64>) -> Option<LinearSolution> {
    if design.is_empty() || design.iter().chain(y.iter()).any(|v| !v.is_finite()) {
        return None;
    }
    let scales: Vec<f64> = design
        .column_iter()
        .map(|c| {
            let n = c.norm();
            if n > 0.0 {
                n
            } else {
                1.0
            }
        })
        .collect();
    let mut scaled = design.clone();
    for (j, s) in scales.iter().enumerate() {
        scaled.column_mut(j).scale_mut(1.0 / s);
    }
    let svd = scaled.svd(true, true);
    let largest = svd.singular_values.max();
    if !(largest > 0.0 && largest.is_finite()) {
        return None;
    }
    let eps = SVD_RELATIVE_CUTOFF * largest;
    let rank = svd.singular_values.iter().filter(|&&s| s > eps).count();
    let solution = svd.solve(y, eps).ok()?;
    let beta: Vec<f64> = solution.iter().zip(&scales).map(|(b, s)| b / s).collect();
    beta.iter()
        .all(|b| b.is_finite())
        .then_some(LinearSolution { beta, rank })
}

/// Smallest over largest singular value of the matrix whose columns are given; None when it is
/// empty or holds a value that is not finite (the SVD is never asked to work on those).
pub fn condition_ratio(columns: &[Vec<f64>]) -> Option<f64> {
    let rows = columns.first()?.len();
    if rows == 0 || columns.iter().flatten().any(|v| !v.is_finite()) {
        return None;
    }
    let matrix = DMatrix::from_fn(rows, columns.len(), |r, c| columns[c][r]);
    let singular = matrix.singular_values();
    let largest = singular.max();
    (largest > 0.0).then(|| singular.min() / largest)
}

/// Fits y = c0 + c1 x; returns (c0, c1).
pub fn line(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let design = DMatrix::from_fn(x.len(), 2, |i, j| if j == 0 { 1.0 } else { x[i] });
    let sol = least_squares(&design, &DVector::from_column_slice(y))?;
    (sol.rank == 2).then(|| (sol.beta[0], sol.beta[1]))
}
