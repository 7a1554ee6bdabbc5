//! Variable projection for starts: with its exponents (and other nonlinear parameters) held
//! fixed, a law such as E + A X^(−α) is linear in its offset and amplitudes, which are then a
//! small non-negative least-squares problem. A grid over the nonlinear parameters, each point
//! completed by its best amplitudes, gives starts close to the optimum for a few solves each.
//!
//! The fit is on relative residuals (L̂ − L)/L ≈ ln L̂ − ln L, the objective's own scale.

use super::problem::{Problem, Sample};

/// The non-negative amplitudes x minimising Σ_i (Σ_j x_j basis_j(s_i) / L_i − 1)² over the
/// samples (L_i = e^(y_i)), with their sum of squares; None when no finite, non-negative
/// solution exists.
pub fn amplitudes<const K: usize>(
    problem: &Problem,
    basis: impl Fn(&Sample) -> [f64; K],
) -> Option<([f64; K], f64)> {
    amplitudes_below(problem, [f64::INFINITY; K], basis)
}

/// [`amplitudes`] with each x_j also at most `upper[j]` (a floor below the smallest observed
/// loss, say).
pub fn amplitudes_below<const K: usize>(
    problem: &Problem,
    upper: [f64; K],
    basis: impl Fn(&Sample) -> [f64; K],
) -> Option<([f64; K], f64)> {
    let rows: Vec<[f64; K]> = problem
        .samples
        .iter()
        .map(|s| {
            let inverse = (-s.y).exp();
            basis(s).map(|v| v * inverse)
        })
        .collect();
    bounded_least_squares(&rows, upper)
}

/// min Σ_i (x · row_i − 1)² over 0 ≤ x ≤ upper, with the sum of squares. Exact for a few
/// columns: every assignment of each x_j to its lower bound, its upper bound (when finite) or
/// free is solved (the free ones by their normal equations) and the best feasible one kept,
/// which is where the constrained optimum lies.
pub fn bounded_least_squares<const K: usize>(
    rows: &[[f64; K]],
    upper: [f64; K],
) -> Option<([f64; K], f64)> {
    if rows.is_empty() || rows.iter().flatten().any(|v| !v.is_finite()) {
        return None;
    }
    let mut gram = [[0.0; K]; K];
    let mut rhs = [0.0; K];
    for row in rows {
        for a in 0..K {
            rhs[a] += row[a];
            for b in 0..K {
                gram[a][b] += row[a] * row[b];
            }
        }
    }
    let ssr = |x: &[f64; K]| -> f64 {
        rows.iter()
            .map(|row| {
                let fitted: f64 = row.iter().zip(x).map(|(r, v)| r * v).sum();
                (fitted - 1.0).powi(2)
            })
            .sum()
    };
    bounded_from_normal_equations(&gram, &rhs, upper, ssr)
}

/// [`bounded_least_squares`] from the normal equations: the Gram matrix XᵀX and Xᵀ1 of the
/// rows, with `ssr(x)` the sum of squares of a candidate (from the rows, or from the Gram
/// matrix as m − 2 x·Xᵀ1 + xᵀXᵀXx when the rows are not kept). Every assignment of each x_j
/// to 0, free or its upper bound is solved and the best feasible one kept.
pub fn bounded_from_normal_equations<const K: usize>(
    gram: &[[f64; K]; K],
    rhs: &[f64; K],
    upper: [f64; K],
    ssr: impl Fn(&[f64; K]) -> f64,
) -> Option<([f64; K], f64)> {
    if gram.iter().flatten().chain(rhs).any(|v| !v.is_finite()) {
        return None;
    }
    // Columns scaled to unit norm, so the normal equations stay well scaled.
    let scale: [f64; K] = std::array::from_fn(|j| {
        let s = gram[j][j];
        if s > 0.0 {
            s.sqrt()
        } else {
            0.0
        }
    });
    let unit = |j: usize| if scale[j] > 0.0 { 1.0 / scale[j] } else { 0.0 };
    let gram: [[f64; K]; K] =
        std::array::from_fn(|a| std::array::from_fn(|b| gram[a][b] * unit(a) * unit(b)));
    let rhs: [f64; K] = std::array::from_fn(|a| rhs[a] * unit(a));
    // In scaled units, x_j at its upper bound is upper[j] · scale[j].
    let top: [f64; K] = std::array::from_fn(|j| upper[j] * scale[j]);
    let mut best: Option<([f64; K], f64)> = None;
    // State of x_j: 0 at the lower bound 0, 1 free, 2 at the upper bound.
    let mut state = [0u8; K];
    loop {
        if let Some(x) = solve_state(&gram, &rhs, &top, &scale, &state) {
            let ssr = ssr(&x);
            if ssr.is_finite() && best.is_none_or(|(_, b)| ssr < b) {
                best = Some((x, ssr));
            }
        }
        // Next state (base 3), skipping upper bounds that are infinite.
        let mut j = 0;
        loop {
            if j == K {
                return best;
            }
            state[j] += 1;
            if state[j] == 2 && !top[j].is_finite() {
                state[j] += 1;
            }
            if state[j] <= 2 {
                break;
            }
            state[j] = 0;
            j += 1;
        }
    }
}

/// The solution (in natural units) with each x_j at 0, free or at its upper bound as `state`
/// says; None when the free part is singular or leaves its bounds, or nothing is free.
fn solve_state<const K: usize>(
    gram: &[[f64; K]; K],
    rhs: &[f64; K],
    top: &[f64; K],
    scale: &[f64; K],
    state: &[u8; K],
) -> Option<[f64; K]> {
    let free: Vec<usize> = (0..K).filter(|&j| state[j] == 1).collect();
    if free.iter().any(|&j| scale[j] == 0.0) {
        return None;
    }
    let fixed: [f64; K] = std::array::from_fn(|j| if state[j] == 2 { top[j] } else { 0.0 });
    // The fixed part moves to the right-hand side.
    let reduced: [f64; K] =
        std::array::from_fn(|a| rhs[a] - (0..K).map(|b| gram[a][b] * fixed[b]).sum::<f64>());
    let solution = if free.is_empty() {
        Vec::new()
    } else {
        solve_subset(gram, &reduced, &free)?
    };
    let mut scaled = fixed;
    for (c, &j) in free.iter().enumerate() {
        if solution[c] < 0.0 || solution[c] > top[j] {
            return None;
        }
        scaled[j] = solution[c];
    }
    if free.is_empty() && state.iter().all(|&s| s == 0) {
        return None;
    }
    Some(std::array::from_fn(|j| {
        if scale[j] > 0.0 {
            scaled[j] / scale[j]
        } else {
            0.0
        }
    }))
}

/// The normal equations restricted to `columns`, by Gaussian elimination with partial
/// pivoting; None when they are (nearly) singular.
fn solve_subset<const K: usize>(
    gram: &[[f64; K]; K],
    rhs: &[f64; K],
    columns: &[usize],
) -> Option<Vec<f64>> {
    let k = columns.len();
    let mut m: Vec<Vec<f64>> = columns
        .iter()
        .map(|&a| {
            let mut row: Vec<f64> = columns.iter().map(|&b| gram[a][b]).collect();
            row.push(rhs[a]);
            row
        })
        .collect();
    for col in 0..k {
        let pivot = (col..k).max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))?;
        // Unit-norm columns: a pivot this small means the columns are (nearly) dependent.
        if m[pivot][col].abs() < 1e-12 {
            return None;
        }
        m.swap(col, pivot);
        let (done, rest) = m.split_at_mut(col + 1);
        let pivot_row = &done[col];
        for row in rest.iter_mut() {
            let factor = row[col] / pivot_row[col];
            for (value, above) in row.iter_mut().zip(pivot_row).skip(col) {
                *value -= factor * above;
            }
        }
    }
    let mut x = vec![0.0; k];
    for row in (0..k).rev() {
        let tail: f64 = (row + 1..k).map(|c| m[row][c] * x[c]).sum();
        x[row] = (m[row][k] - tail) / m[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// `count` values evenly spaced from `lo` to `hi` (both included).
pub fn spaced(lo: f64, hi: f64, count: usize) -> impl Iterator<Item = f64> + Clone {
    let step = if count > 1 {
        (hi - lo) / (count - 1) as f64
    } else {
        0.0
    };
    (0..count).map(move |i| lo + step * i as f64)
}

/// The smallest and largest of a log-column over the samples.
pub fn log_range(problem: &Problem, column: fn(&Sample) -> f64) -> (f64, f64) {
    problem
        .samples
        .iter()
        .map(column)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

/// Upper bounds for (E, an amplitude) when E is a floor kept below the smallest observed value
/// ([`Internal::BelowSmallest`]), with a margin so that the start is inside.
///
/// [`Internal::BelowSmallest`]: crate::engine::law::Internal::BelowSmallest
pub fn floor_below_smallest(problem: &Problem) -> [f64; 2] {
    [(1.0 - 1e-3) * problem.e_max, f64::INFINITY]
}
