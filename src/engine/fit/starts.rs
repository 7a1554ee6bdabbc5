//! How the best optimum is found from the starts a form proposes ([`Form::starts`]).
//!
//! A form linear in its transformed space gives its regression, the least-squares optimum
//! itself; the others give starts to polish, and the best polished optimum wins.
//!
//! [`Form::starts`]: crate::engine::law::Form::starts

use super::lbfgs;
use super::linear;
use super::lm;
use super::objective::{objective, objective_and_gradient, Loss};
use super::problem::Problem;
use super::stop::{ConvergedBy, Stop};
use super::{FitError, Optimum, Starts};
use crate::engine::law::StartPlan;
use std::cell::RefCell;

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
                stop: s.stop,
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
                stop: outcome.stop,
                evaluations: outcome.evaluations,
            }
        }
    }
}

/// The regression y = c0 + c1 ln X over the samples; returns (c0, c1).
pub fn log_line(problem: &Problem) -> Option<(f64, f64)> {
    let xs: Vec<f64> = problem.samples.iter().map(|s| s.ln_x).collect();
    let ys: Vec<f64> = problem.samples.iter().map(|s| s.y).collect();
    linear::line(&xs, &ys)
}

thread_local! {
    /// Told (starts polished, starts in all) as a long multi-start goes, where a listener is
    /// set on this thread: the page's worker shows a long fit's progress. The threads of a
    /// native multi-start have none.
    static PROGRESS: RefCell<Option<Progress>> = const { RefCell::new(None) };
}

/// A listener for the progress of a multi-start: (starts polished, starts in all).
pub type Progress = Box<dyn Fn(usize, usize)>;

/// Sets (or with None removes) this thread's listener for the progress of a multi-start.
pub fn on_progress(listener: Option<Progress>) {
    PROGRESS.with(|p| *p.borrow_mut() = listener);
}

/// Starts between two reports of progress.
const PROGRESS_EVERY: usize = 100;

/// Polishes every start, on all cores where there are several, and keeps the best.
fn polish_all(problem: &Problem, loss: &Loss, starts: &[Vec<f64>]) -> Option<Optimum> {
    let parts = worker_count().min(starts.len().max(1));
    // Part p takes starts p, p + parts, …: neighbouring grid points cost alike, so striding
    // balances the threads.
    let run = |part: usize| -> (Option<Optimum>, usize) {
        let mut best: Option<Optimum> = None;
        let mut evaluations = 0;
        for (i, start) in starts.iter().skip(part).step_by(parts).enumerate() {
            if i % PROGRESS_EVERY == 0 && i > 0 {
                PROGRESS.with(|p| {
                    if let Some(listener) = p.borrow().as_ref() {
                        listener(i * parts, starts.len());
                    }
                });
            }
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
pub(crate) fn best_of(
    problem: &Problem,
    loss: &Loss,
    grid: Vec<Vec<f64>>,
    count: usize,
) -> Vec<Vec<f64>> {
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
pub(crate) fn with_least_squares_start(
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
    if problem.reduction.is_some() {
        return optimise_constrained(problem, loss, starts);
    }
    let candidates = match problem.model.form().starts(problem, loss, starts) {
        Err(reason) => return Err(reason),
        Ok(StartPlan::Regression(start)) if *loss == Loss::LeastSquares => {
            // The regression is the exact least-squares optimum.
            return Ok(Optimum {
                objective: objective(problem, loss, &start),
                theta: start,
                stop: Stop::Converged(ConvergedBy::Exact),
                evaluations: 1,
            });
        }
        Ok(StartPlan::Regression(start)) => vec![start],
        Ok(StartPlan::Polish(starts)) => starts,
    };
    if candidates.is_empty() {
        return Err(FitError::NoFiniteStart);
    }
    polish_all(problem, loss, &candidates).ok_or(FitError::NoFiniteOptimum)
}

/// Starts the form proposes with every parameter free, brought into the constrained space
/// (fixed entries set, tied ones averaged) and ranked there; the best are polished.
fn optimise_constrained(
    problem: &Problem,
    loss: &Loss,
    starts: Starts,
) -> Result<Optimum, FitError> {
    let proposed = match problem
        .model
        .form()
        .starts(&problem.unconstrained(), loss, starts)?
    {
        StartPlan::Regression(start) => vec![start],
        StartPlan::Polish(starts) => starts,
    };
    let reduced: Vec<Vec<f64>> = proposed.iter().map(|t| problem.reduce(t)).collect();
    let count = match starts {
        Starts::Auto => AUTO_POLISHED,
        Starts::EpochGrid => reduced.len(),
    };
    let candidates = best_of(problem, loss, reduced, count);
    if candidates.is_empty() {
        return Err(FitError::NoFiniteStart);
    }
    polish_all(problem, loss, &candidates).ok_or(FitError::NoFiniteOptimum)
}
