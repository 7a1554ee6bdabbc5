//! `chinchilla`: L = E + A / N^α + B / D^β (Hoffmann et al. 2022, arXiv 2203.15556, approach 3).

use super::form::power_sum_split;
use super::{Form, Inputs, Internal, StartPlan, Symbols, Variable};
use crate::engine::dataset::Quantity;
use crate::engine::fit::objective::{exp_x8, rho_x8};
use crate::engine::fit::problem::{Problem, Sample};
use crate::engine::fit::projection::bounded_from_normal_equations;
use crate::engine::fit::starts::{with_least_squares_start, AUTO_POLISHED};
use crate::engine::fit::{FitError, Loss, Starts, DEFAULT_HUBER_DELTA};
use crate::engine::plan::PlanError;
use wide::f64x8;

pub struct Chinchilla;

impl Form for Chinchilla {
    fn id(&self) -> &'static str {
        "chinchilla"
    }
    fn param_names(&self) -> &'static [&'static str] {
        &["E", "A", "B", "alpha", "beta"]
    }
    fn symbols(&self) -> &'static [&'static str] {
        &["E", "A", "B", "α", "β"]
    }
    fn formula(&self, s: &Symbols) -> String {
        format!(
            "L = {} + {} / N^{} + {} / D^{}",
            s.p(0),
            s.p(1),
            s.p(3),
            s.p(2),
            s.p(4)
        )
    }
    fn needs(&self, _: Variable) -> Vec<Quantity> {
        vec![Quantity::N, Quantity::D]
    }
    fn value(&self, p: &[f64], _: Variable, at: &Inputs) -> Option<f64> {
        Some(p[0] + p[1] / at.n?.powf(p[3]) + p[2] / at.d?.powf(p[4]))
    }
    /// Huber(δ = 1e-3) on log residuals: the recipe of Hoffmann et al. and Besiroglu et al.
    fn default_loss(&self) -> Loss {
        Loss::Huber {
            delta: DEFAULT_HUBER_DELTA,
        }
    }
    fn exponents(&self) -> &'static [usize] {
        &[3, 4]
    }
    fn floor(&self, p: &[f64]) -> Option<f64> {
        Some(p[0])
    }
    /// A, B, alpha and beta.
    fn split_positive(&self) -> &'static [usize] {
        &[1, 2, 3, 4]
    }
    fn splits_compute(&self, _: &[f64]) -> bool {
        true
    }
    /// N_opt = G (C/k)^(β/(α+β)), D_opt = G⁻¹ (C/k)^(α/(α+β)), G = (αA / (βB))^(1/(α+β))
    /// (Hoffmann et al. 2022, eq. 4 with C = kND).
    fn compute_optimal(
        &self,
        p: &[f64],
        compute_over_k: f64,
    ) -> Option<Result<(f64, f64), PlanError>> {
        let (a, b, alpha, beta) = (p[1], p[2], p[3], p[4]);
        if !(alpha > 0.0 && beta > 0.0) {
            return Some(Err(PlanError::NoInteriorOptimum));
        }
        Some(Ok(power_sum_split(a, b, alpha, beta, compute_over_k)))
    }
    /// θ = (a, b, e, α, β): L = e^(a − α ln N) + e^(b − β ln D) + e^e.
    fn internal(&self) -> &'static [Internal] {
        &[
            Internal::Ln(1),
            Internal::Ln(2),
            Internal::Ln(0),
            Internal::Same(3),
            Internal::Same(4),
        ]
    }
    fn residual(&self, _: &Problem, theta: &[f64], s: &Sample, grad: &mut [f64]) -> f64 {
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
    fn objective_and_gradient(
        &self,
        problem: &Problem,
        loss: &Loss,
        theta: &[f64],
        gradient: &mut [f64],
    ) -> Option<f64> {
        Some(objective_and_gradient_x8(problem, loss, theta, gradient))
    }
    /// `epoch-grid` polishes all 4,500 starts of Besiroglu et al. (2024); `auto` the best
    /// [`AUTO_POLISHED`] of them, the least-squares optimum, and the best
    /// [`PROJECTED_POLISHED`] starts of a variable projection over the exponents.
    fn starts(
        &self,
        problem: &Problem,
        loss: &Loss,
        starts: Starts,
    ) -> Result<StartPlan, FitError> {
        let grid: Vec<Vec<f64>> = epoch_grid().iter().map(|t| t.to_vec()).collect();
        Ok(StartPlan::Polish(match starts {
            Starts::EpochGrid => grid,
            Starts::Auto => {
                let mut starts = with_least_squares_start(problem, loss, grid, AUTO_POLISHED);
                starts.extend(
                    projected_starts(problem)
                        .into_iter()
                        .take(PROJECTED_POLISHED),
                );
                starts
            }
        }))
    }
}

/// How many variable-projection starts `auto` polishes.
pub const PROJECTED_POLISHED: usize = 8;

/// Exponents tried by the variable projection: 0.05 to 1.5 in steps of 0.05.
fn projection_exponents() -> impl Iterator<Item = f64> + Clone {
    (1..=30).map(|i| 0.05 * i as f64)
}

/// Starts from a variable projection, best first: for fixed (α, β) the law
/// E + A N^−α + B D^−β is linear in (E, A, B), fitted by least squares on relative residuals
/// (L̂ − L)/L ≈ ln L̂ − ln L with every amplitude non-negative; one start per exponent pair,
/// in θ = (a, b, e, α, β), ordered by that fit's sum of squares.
///
/// With u = 1/L, n = N^−α/L, d = D^−β/L the normal equations need Σu², Σun, Σud, Σn², Σnd,
/// Σd², Σu, Σn, Σd: all but Σnd depend on one exponent only and are summed once per exponent,
/// so a pair costs one pass over the data.
pub fn projected_starts(problem: &Problem) -> Vec<Vec<f64>> {
    let inverse: Vec<f64> = problem.samples.iter().map(|s| (-s.y).exp()).collect();
    let smallest = problem
        .samples
        .iter()
        .map(|s| s.y.exp())
        .fold(f64::INFINITY, f64::min);
    let floor = 1e-6 * smallest;
    let m = inverse.len() as f64;
    // Per exponent: the column (N^−α / L or D^−β / L) and its sums against u, itself and 1.
    let columns = |ln: fn(&Sample) -> f64| -> Vec<(f64, Vec<f64>, [f64; 3])> {
        projection_exponents()
            .map(|e| {
                let column: Vec<f64> = problem
                    .samples
                    .iter()
                    .zip(&inverse)
                    .map(|(s, u)| (-e * ln(s)).exp() * u)
                    .collect();
                let sums = column.iter().zip(&inverse).fold([0.0; 3], |acc, (c, u)| {
                    [acc[0] + c * u, acc[1] + c * c, acc[2] + c]
                });
                (e, column, sums)
            })
            .collect()
    };
    let (by_n, by_d) = (columns(|s| s.ln_n), columns(|s| s.ln_d));
    let (uu, u1) = inverse
        .iter()
        .fold((0.0, 0.0), |(a, b), u| (a + u * u, b + u));
    let mut scored: Vec<(f64, Vec<f64>)> = Vec::with_capacity(by_n.len() * by_d.len());
    for (alpha, n, [un, nn, n1]) in &by_n {
        for (beta, d, [ud, dd, d1]) in &by_d {
            let nd: f64 = n.iter().zip(d).map(|(a, b)| a * b).sum();
            let gram = [[uu, *un, *ud], [*un, *nn, nd], [*ud, nd, *dd]];
            let rhs = [u1, *n1, *d1];
            // m − 2 x·Xᵀ1 + xᵀXᵀXx: the rows are not kept.
            let ssr = |x: &[f64; 3]| {
                let quadratic: f64 = (0..3)
                    .map(|i| (0..3).map(|j| x[i] * gram[i][j] * x[j]).sum::<f64>())
                    .sum();
                m - 2.0 * (0..3).map(|i| x[i] * rhs[i]).sum::<f64>() + quadratic
            };
            let free = [f64::INFINITY; 3];
            if let Some(([e, a, b], ssr)) = bounded_from_normal_equations(&gram, &rhs, free, ssr) {
                let start = vec![
                    a.max(floor).ln(),
                    b.max(floor).ln(),
                    e.max(floor).ln(),
                    *alpha,
                    *beta,
                ];
                scored.push((ssr, start));
            }
        }
    }
    scored.sort_by(|x, y| x.0.total_cmp(&y.0));
    scored.into_iter().map(|(_, start)| start).collect()
}

/// The 4,500 starts of Besiroglu et al. (2024, arXiv 2404.10102) in θ = (a, b, e, α, β):
/// α, β ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}.
pub fn epoch_grid() -> Vec<[f64; 5]> {
    let halves = [0.0, 0.5, 1.0, 1.5, 2.0];
    let es = [-1.0, -0.5, 0.0, 0.5, 1.0];
    let scales = [0.0, 5.0, 10.0, 15.0, 20.0, 25.0];
    let mut grid = Vec::with_capacity(4500);
    for &alpha in &halves {
        for &beta in &halves {
            for &e in &es {
                for &a in &scales {
                    for &b in &scales {
                        grid.push([a, b, e, alpha, beta]);
                    }
                }
            }
        }
    }
    grid
}

/// The same sum for `chinchilla`, the hot loop of the 4,500-start grid, eight points at a
/// time (SIMD exp and ln from `wide`), with e^e hoisted out of the loop:
/// r = ln(e^(a − α ln N) + e^(b − β ln D) + e^e) − ln L, as in [`Chinchilla::residual`].
fn objective_and_gradient_x8(
    problem: &Problem,
    loss: &Loss,
    theta: &[f64],
    gradient: &mut [f64],
) -> f64 {
    let (a, b, e, alpha, beta) = (theta[0], theta[1], theta[2], theta[3], theta[4]);
    let te = e.exp();
    let [mut g0, mut g1, mut g2, mut g3, mut g4, mut total] = [f64x8::ZERO; 6];
    let (sa, sb, salpha, sbeta, ste) = (
        f64x8::splat(a),
        f64x8::splat(b),
        f64x8::splat(alpha),
        f64x8::splat(beta),
        f64x8::splat(te),
    );
    let chunks = problem.samples.chunks_exact(8);
    let tail = chunks.remainder();
    for c in chunks {
        let ln_n = f64x8::new(std::array::from_fn(|i| c[i].ln_n));
        let ln_d = f64x8::new(std::array::from_fn(|i| c[i].ln_d));
        let y = f64x8::new(std::array::from_fn(|i| c[i].y));
        let tn = exp_x8(sa - salpha * ln_n);
        let td = exp_x8(sb - sbeta * ln_d);
        let pred = tn + td + ste;
        let (value, slope) = rho_x8(loss, pred.ln() - y);
        total += value;
        let w = slope / pred;
        g0 += w * tn;
        g1 += w * td;
        g2 += w;
        g3 -= w * tn * ln_n;
        g4 -= w * td * ln_d;
    }
    let sum = |v: f64x8| v.to_array().iter().sum::<f64>();
    let mut g = [sum(g0), sum(g1), sum(g2), sum(g3), sum(g4)];
    let mut total = sum(total);
    for s in tail {
        let tn = (a - alpha * s.ln_n).exp();
        let td = (b - beta * s.ln_d).exp();
        let pred = tn + td + te;
        let (value, slope) = loss.rho(pred.ln() - s.y);
        total += value;
        let w = slope / pred;
        g[0] += w * tn;
        g[1] += w * td;
        g[2] += w;
        g[3] -= w * tn * s.ln_n;
        g[4] -= w * td * s.ln_d;
    }
    g[2] *= te;
    gradient[..5].copy_from_slice(&g);
    total
}
