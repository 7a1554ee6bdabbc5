//! Where the local solvers start, and how the best optimum is chosen.
//!
//! Linear forms (power, kaplan, multiplicative, saturating) start from their exact log-space
//! regression, which is the least-squares optimum itself. `power-offset` starts from several
//! offsets E with the regression of ln(L − E). `kaplan-joint` evaluates a grid and polishes its
//! best. `chinchilla` uses the 4,500-start grid of Besiroglu et al. (2024): `epoch-grid`
//! polishes all of it, `auto` polishes the best few of its evaluations.

use super::lbfgs;
use super::linear;
use super::lm;
use super::objective::{objective, objective_and_gradient, Loss};
use super::problem::Problem;
use super::{FitError, Optimum, Starts};
use crate::engine::law::ModelId;

/// How many of the best grid points `auto` polishes.
pub const AUTO_POLISHED: usize = 24;

/// Polishes one start with the solver that suits the loss: Levenberg–Marquardt for least
/// squares, L-BFGS otherwise (to tight tolerances).
pub fn polish(problem: &Problem, loss: &Loss, start: &[f64]) -> Optimum {
    polish_with(problem, loss, start, &lbfgs::Settings::default())
}

/// [`polish`] with the given L-BFGS stopping rules.
fn polish_with(
    problem: &Problem,
    loss: &Loss,
    start: &[f64],
    settings: &lbfgs::Settings,
) -> Optimum {
    match loss {
        Loss::LeastSquares => {
            let s = lm::solve(problem, start);
            Optimum {
                theta: s.theta,
                objective: s.objective,
                converged: s.converged,
                evaluations: s.evaluations,
            }
        }
        _ => {
            let outcome = lbfgs::minimize(
                |theta, grad| objective_and_gradient(problem, loss, theta, grad),
                start,
                settings,
            );
            Optimum {
                theta: outcome.x,
                objective: outcome.value,
                converged: outcome.converged,
                evaluations: outcome.evaluations,
            }
        }
    }
}

/// The exact least-squares solution of a form that is linear in its transformed space.
fn linear_start(problem: &Problem) -> Option<Vec<f64>> {
    let xs: Vec<f64> = problem.samples.iter().map(|s| s.ln_x).collect();
    let ys: Vec<f64> = problem.samples.iter().map(|s| s.y).collect();
    match problem.model {
        ModelId::Power => {
            let (c0, c1) = linear::line(&xs, &ys)?;
            Some(vec![c0, -c1])
        }
        // ln L = α u − α ln X: slope −α, intercept α u.
        ModelId::Kaplan => {
            let (c0, c1) = linear::line(&xs, &ys)?;
            let alpha = -c1;
            (alpha != 0.0).then(|| vec![c0 / alpha, alpha])
        }
        // logit P = α ln X − α u.
        ModelId::Saturating => {
            let (c0, c1) = linear::line(&xs, &ys)?;
            (c1 != 0.0).then(|| vec![-c0 / c1, c1])
        }
        ModelId::Multiplicative => {
            let m = problem.samples.len();
            let mut grad = [0.0; 4];
            let zero = [0.0; 4];
            let design = nalgebra::DMatrix::from_fn(m, 4, |i, j| {
                // dr/dθ is the design row (constant in θ for this linear form).
                problem.residual(&zero, &problem.samples[i], &mut grad);
                grad[j]
            });
            let y = nalgebra::DVector::from_iterator(m, problem.samples.iter().map(|s| s.y));
            let sol = linear::least_squares(&design, &y)?;
            Some(sol.beta)
        }
        _ => None,
    }
}

/// The 4,500 starts of Besiroglu et al. (2024) in θ = (a, b, e, α, β): α, β ∈ {0, 0.5, …, 2},
/// e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}.
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

/// Starts for `kaplan-joint`, in θ = (ln Nc, ln Dc, αN, αD), around the data's own scales.
fn kaplan_joint_grid(problem: &Problem) -> Vec<Vec<f64>> {
    let mean = |f: fn(&super::problem::Sample) -> f64| {
        problem.samples.iter().map(f).sum::<f64>() / problem.samples.len() as f64
    };
    let (ln_n, ln_d) = (mean(|s| s.ln_n), mean(|s| s.ln_d));
    let mut grid = Vec::new();
    for an in [0.03, 0.08, 0.2, 0.5] {
        for ad in [0.03, 0.1, 0.25, 0.6] {
            for du in [1.0, 5.0, 10.0, 20.0] {
                for dv in [-2.0, 2.0, 6.0, 12.0] {
                    grid.push(vec![ln_n + du, ln_d + dv, an, ad]);
                }
            }
        }
    }
    grid
}

/// Polishes every start, on all cores where there are several, and keeps the best.
fn polish_all(problem: &Problem, loss: &Loss, starts: &[Vec<f64>]) -> Option<Optimum> {
    let parts = worker_count().min(starts.len().max(1));
    // Part p takes starts p, p + parts, …: neighbouring grid points cost alike, so striding
    // balances the threads.
    let run = |part: usize| -> (Option<Optimum>, usize) {
        let mut best: Option<Optimum> = None;
        let mut evaluations = 0;
        for start in starts.iter().skip(part).step_by(parts) {
            let o = polish_with(problem, loss, start, &lbfgs::Settings::scipy());
            evaluations += o.evaluations;
            if o.objective.is_finite() && best.as_ref().is_none_or(|b| o.objective < b.objective) {
                best = Some(o);
            }
        }
        (best, evaluations)
    };
    let results: Vec<(Option<Optimum>, usize)> = in_parallel(parts, run);
    let evaluations: usize = results.iter().map(|r| r.1).sum();
    let best = results
        .into_iter()
        .filter_map(|r| r.0)
        .min_by(|a, b| a.objective.total_cmp(&b.objective))?;
    // The best start, polished to tight tolerances.
    let mut tight = polish(problem, loss, &best.theta);
    if tight.objective.is_nan() || tight.objective > best.objective {
        tight = best;
    }
    tight.evaluations += evaluations;
    Some(tight)
}

/// Runs `job(0) … job(parts − 1)`, on threads natively and one after another in the browser
/// (which has none).
pub(crate) fn in_parallel<R: Send>(parts: usize, job: impl Fn(usize) -> R + Sync) -> Vec<R> {
    if parts <= 1 || cfg!(target_arch = "wasm32") {
        return (0..parts.max(1)).map(&job).collect();
    }
    let job = &job;
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..parts).map(|p| scope.spawn(move || job(p))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a fitting thread panicked"))
            .collect()
    })
}

/// Threads for the multi-start: the machine's cores natively, one in the browser.
pub(crate) fn worker_count() -> usize {
    if cfg!(target_arch = "wasm32") {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }
}

/// The `count` starts with the lowest objective, of those that evaluate finitely.
fn best_of(problem: &Problem, loss: &Loss, grid: Vec<Vec<f64>>, count: usize) -> Vec<Vec<f64>> {
    let mut scored: Vec<(f64, Vec<f64>)> = grid
        .into_iter()
        .map(|t| (objective(problem, loss, &t), t))
        .filter(|(v, _)| v.is_finite())
        .collect();
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    scored.into_iter().take(count).map(|(_, t)| t).collect()
}

/// The best `count` points of `grid` under `loss`; for a robust loss, also the least-squares
/// optimum (Levenberg–Marquardt from the grid's best least-squares points), whose basin the
/// robust optimum usually shares even where the robust grid ranking misleads (E → 0 traps).
fn with_least_squares_start(
    problem: &Problem,
    loss: &Loss,
    grid: Vec<Vec<f64>>,
    count: usize,
) -> Vec<Vec<f64>> {
    let mut starts = best_of(problem, loss, grid.clone(), count);
    if *loss != Loss::LeastSquares {
        let ls_starts = best_of(problem, &Loss::LeastSquares, grid, 8);
        if let Some(ls) = polish_all(problem, &Loss::LeastSquares, &ls_starts) {
            starts.push(ls.theta);
        }
    }
    starts
}

/// Finds the best optimum of `problem` under `loss`.
pub fn optimise(problem: &Problem, loss: &Loss, starts: Starts) -> Result<Optimum, FitError> {
    let candidates: Vec<Vec<f64>> = match problem.model {
        ModelId::Power | ModelId::Kaplan | ModelId::Saturating | ModelId::Multiplicative => {
            let start = linear_start(problem).ok_or_else(|| {
                FitError("the points do not determine a line: they need at least two distinct values of the variable".into())
            })?;
            if *loss == Loss::LeastSquares {
                // The regression is the exact least-squares optimum.
                return Ok(Optimum {
                    objective: objective(problem, loss, &start),
                    theta: start,
                    converged: true,
                    evaluations: 1,
                });
            }
            vec![start]
        }
        ModelId::PowerOffset => {
            let xs: Vec<f64> = problem.samples.iter().map(|s| s.ln_x).collect();
            [0.01, 0.25, 0.5, 0.75, 0.95]
                .iter()
                .filter_map(|&fraction| {
                    let e = fraction * problem.e_max;
                    let ys: Vec<f64> = problem
                        .samples
                        .iter()
                        .map(|s| (s.y.exp() - e).ln())
                        .collect();
                    let (c0, c1) = linear::line(&xs, &ys)?;
                    let s = (fraction / (1.0 - fraction)).ln();
                    Some(vec![s, c0, -c1])
                })
                .collect()
        }
        ModelId::KaplanJoint => {
            with_least_squares_start(problem, loss, kaplan_joint_grid(problem), 8)
        }
        ModelId::Chinchilla => {
            let grid: Vec<Vec<f64>> = epoch_grid().iter().map(|t| t.to_vec()).collect();
            match starts {
                Starts::EpochGrid => grid,
                Starts::Auto => with_least_squares_start(problem, loss, grid, AUTO_POLISHED),
            }
        }
    };
    if candidates.is_empty() {
        return Err(FitError(
            "no starting point gives a finite objective".into(),
        ));
    }
    polish_all(problem, loss, &candidates)
        .ok_or_else(|| FitError("the solver found no finite optimum from any start".into()))
}
