//! L-BFGS for the smooth but non-quadratic objectives (Huber, asymmetric).
//!
//! A compact limited-memory BFGS with an Armijo line search (backtracking by quadratic
//! interpolation, expanding while the curvature condition fails) and SciPy's stopping rules: the relative reduction
//! (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ ftol, or ‖g‖∞ ≤ gtol. Written here rather
//! than taken from argmin because the 4,500-start grid calls it thousands of times on
//! five parameters, where per-iteration allocation and state cloning dominate.
//!
//! Every constant is named in [`crate::engine::tolerances`]; a run says why it stopped ([`Stop`]).

use super::stop::{ConvergedBy, Stop};
use crate::engine::tolerances::{
    ARMIJO_C1, CURVATURE_C2, CURVATURE_PAIR_MIN, LBFGS_MEMORY, LINE_SEARCH_EXPANSIONS,
    LINE_SEARCH_TRIALS, POLISH_FTOL, POLISH_GTOL, POLISH_MAX_ITERATIONS, SCIPY_FTOL, SCIPY_GTOL,
    SCIPY_MAX_ITERATIONS,
};

/// Stopping rules and memory.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
    pub memory: usize,
    pub max_iterations: usize,
    pub ftol: f64,
    pub gtol: f64,
}

impl Settings {
    /// SciPy L-BFGS-B's own defaults: what "converged" means for each start of a grid
    /// (the reference script uses them); the best start is then polished with [`Settings::default`].
    pub fn scipy() -> Settings {
        Settings {
            memory: LBFGS_MEMORY,
            max_iterations: SCIPY_MAX_ITERATIONS,
            ftol: SCIPY_FTOL,
            gtol: SCIPY_GTOL,
        }
    }
}

impl Default for Settings {
    /// Tight rules for a final polish ([`POLISH_FTOL`], [`POLISH_GTOL`], far below SciPy's),
    /// so the optimum is reproduced beyond the reference's own precision.
    fn default() -> Self {
        Settings {
            memory: LBFGS_MEMORY,
            max_iterations: POLISH_MAX_ITERATIONS,
            ftol: POLISH_FTOL,
            gtol: POLISH_GTOL,
        }
    }
}

/// Where a run ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    pub x: Vec<f64>,
    pub value: f64,
    pub evaluations: usize,
    /// Why the run stopped.
    pub stop: Stop,
}

impl Outcome {
    /// Whether the run stopped at an optimum.
    pub fn converged(&self) -> bool {
        self.stop.is_converged()
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Minimises `f` (which returns the value and writes the gradient) from `x0`.
pub fn minimize<F>(mut f: F, x0: &[f64], settings: &Settings) -> Outcome
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let k = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; k];
    let mut fx = f(&x, &mut g);
    let mut evaluations = 1;
    if !fx.is_finite() {
        return Outcome {
            x,
            value: f64::INFINITY,
            evaluations,
            stop: Stop::NonFinite,
        };
    }
    let mut s_hist: Vec<Vec<f64>> = Vec::with_capacity(settings.memory);
    let mut y_hist: Vec<Vec<f64>> = Vec::with_capacity(settings.memory);
    let mut rho_hist: Vec<f64> = Vec::with_capacity(settings.memory);
    let mut alpha = vec![0.0; settings.memory];
    let mut direction = vec![0.0; k];
    let mut x_new = vec![0.0; k];
    let mut g_new = vec![0.0; k];
    let mut x_best = vec![0.0; k];
    let mut g_best = vec![0.0; k];
    let mut stop = Stop::MaxIterations {
        limit: settings.max_iterations,
    };

    for iteration in 0..settings.max_iterations {
        if g.iter().all(|v| v.abs() <= settings.gtol) {
            stop = Stop::Converged(ConvergedBy::Gradient);
            break;
        }
        // Two-loop recursion: direction = −H g.
        direction.copy_from_slice(&g);
        for i in (0..s_hist.len()).rev() {
            alpha[i] = rho_hist[i] * dot(&s_hist[i], &direction);
            for (d, y) in direction.iter_mut().zip(&y_hist[i]) {
                *d -= alpha[i] * y;
            }
        }
        if let (Some(s), Some(y)) = (s_hist.last(), y_hist.last()) {
            let gamma = dot(s, y) / dot(y, y);
            direction.iter_mut().for_each(|d| *d *= gamma);
        }
        for i in 0..s_hist.len() {
            let beta = rho_hist[i] * dot(&y_hist[i], &direction);
            for (d, s) in direction.iter_mut().zip(&s_hist[i]) {
                *d += s * (alpha[i] - beta);
            }
        }
        direction.iter_mut().for_each(|d| *d = -*d);
        let mut slope = dot(&g, &direction);
        if slope >= 0.0 {
            // Not a descent direction: restart from steepest descent.
            s_hist.clear();
            y_hist.clear();
            rho_hist.clear();
            direction.iter_mut().zip(&g).for_each(|(d, gi)| *d = -gi);
            slope = dot(&g, &direction);
        }
        // First step: a unit-length move, as SciPy does.
        let mut step = if iteration == 0 || s_hist.is_empty() {
            (1.0 / direction.iter().map(|d| d * d).sum::<f64>().sqrt()).min(1.0)
        } else {
            1.0
        };
        // Line search: Armijo (ARMIJO_C1) by backtracking with interpolation; once a step
        // satisfies it, expand (×4) while the slope is still steep (curvature condition
        // g_new·d ≥ c2 g·d, c2 = CURVATURE_C2, fails), as a Wolfe search does, so that long
        // flat stretches (the linear arms of Huber) are crossed in a few steps.
        let mut accepted: Option<(f64, f64)> = None;
        let mut expansions = 0;
        for _ in 0..LINE_SEARCH_TRIALS {
            for ((xn, xi), d) in x_new.iter_mut().zip(&x).zip(&direction) {
                *xn = xi + step * d;
            }
            let f_new = f(&x_new, &mut g_new);
            evaluations += 1;
            let armijo = f_new.is_finite() && f_new <= fx + ARMIJO_C1 * step * slope;
            if armijo && accepted.is_none_or(|(_, best)| f_new < best) {
                accepted = Some((step, f_new));
                x_best.copy_from_slice(&x_new);
                g_best.copy_from_slice(&g_new);
                if dot(&g_new, &direction) < CURVATURE_C2 * slope
                    && expansions < LINE_SEARCH_EXPANSIONS
                {
                    expansions += 1;
                    step *= 4.0;
                    continue;
                }
                break;
            }
            if accepted.is_some() {
                // An expansion went too far: keep the last good step.
                break;
            }
            step = if f_new.is_finite() {
                // Minimiser of the quadratic through f(0), f'(0), f(step).
                let q = -slope * step * step / (2.0 * (f_new - fx - slope * step));
                // max and min, not clamp: with a step that is not finite, clamp panics.
                q.max(0.1 * step).min(0.5 * step)
            } else {
                0.1 * step
            };
        }
        let Some((_, f_new)) = accepted else {
            // No decrease possible along this direction: at the precision limit when the
            // gradient is small, else a failed search.
            stop = if g.iter().all(|v| v.abs() <= settings.gtol.sqrt()) {
                Stop::Converged(ConvergedBy::PrecisionLimit)
            } else {
                Stop::LineSearchFailed
            };
            break;
        };
        x_new.copy_from_slice(&x_best);
        g_new.copy_from_slice(&g_best);
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > CURVATURE_PAIR_MIN * dot(&y, &y).max(f64::MIN_POSITIVE) {
            if s_hist.len() == settings.memory {
                s_hist.remove(0);
                y_hist.remove(0);
                rho_hist.remove(0);
            }
            s_hist.push(s);
            y_hist.push(y);
            rho_hist.push(1.0 / sy);
        }
        let reduction = (fx - f_new) / fx.abs().max(f_new.abs()).max(1.0);
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        fx = f_new;
        if reduction <= settings.ftol {
            stop = Stop::Converged(ConvergedBy::Objective);
            break;
        }
    }
    Outcome {
        x,
        value: fx,
        evaluations,
        stop,
    }
}
