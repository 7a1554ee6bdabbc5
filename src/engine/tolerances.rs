//! The engine's numeric tolerances in one place: what each bounds and why it has its value.
//!
//! Tests keep their own named tolerances (how close a result must come to its reference);
//! this module holds the ones the calculator itself decides with.
//!
//! A few thresholds stay beside the one form that uses them, in `engine::law`:
//! - `multiplicative::DEPENDENCE_LIMIT` (1e-3): smallest/largest singular value of the centred,
//!   unit-scaled log design before a column counts as a product of the others (C = 6ND);
//!   a column whose centred norm is below 1e-12 × (1 + |mean|) × √m has no spread there.
//! - `power_offset`: E within 1e-6 (relative) of 0 or of the smallest observed loss is at a bound.
//! - `chinchilla`: starts keep E at least 1e-6 × the smallest observed loss.
//! - `form::Form::theta_of`: a floor's fraction of the smallest observed value is clamped to
//!   [1e-12, 1 − 1e-12] before the logit, so θ stays finite at the bounds.

// ── L-BFGS (engine::fit::lbfgs) ──────────────────────────────────────────────────────────

/// Correction pairs L-BFGS remembers: SciPy L-BFGS-B's default `maxcor`.
pub const LBFGS_MEMORY: usize = 10;

/// Relative reduction (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) at which one start of a grid
/// counts as converged: SciPy L-BFGS-B's default, factr = 1e7 times machine epsilon
/// (2.220446049250313e-16), which the reference scripts use for each of their starts.
pub const SCIPY_FTOL: f64 = 2.220_446_049_250_313e-9;
/// ‖g‖∞ at which one start of a grid counts as converged: SciPy L-BFGS-B's default `pgtol`.
pub const SCIPY_GTOL: f64 = 1e-5;
/// Iterations one start of a grid may take: SciPy L-BFGS-B's default `maxiter`.
pub const SCIPY_MAX_ITERATIONS: usize = 15_000;

/// Relative reduction at which the final polish of the best start stops: far below SciPy's,
/// so the optimum is reproduced beyond the reference's own precision (the golden values).
pub const POLISH_FTOL: f64 = 1e-15;
/// ‖g‖∞ at which the final polish stops (same reason as [`POLISH_FTOL`]).
pub const POLISH_GTOL: f64 = 1e-10;
/// Iterations of the final polish: it starts at an optimum already, so a few dozen are usual.
pub const POLISH_MAX_ITERATIONS: usize = 2_000;

/// Armijo's sufficient decrease, f(x + t d) ≤ f(x) + c1 t g·d: the usual c1 (Nocedal and
/// Wright, Numerical Optimization, 2nd ed., section 3.1).
pub const ARMIJO_C1: f64 = 1e-4;
/// The curvature condition g(x + t d)·d ≥ c2 g·d under which a step stops expanding: the
/// usual c2 for quasi-Newton methods (Nocedal and Wright, section 3.1).
pub const CURVATURE_C2: f64 = 0.9;
/// Trial steps in one line search before it gives up: backtracking divides the step by at
/// least 2 each time, so 60 trials reach 2^−60 of the first step, below any useful move.
pub const LINE_SEARCH_TRIALS: usize = 60;
/// Times a step that satisfies Armijo may grow (×4 each) while the slope stays steep: 4^12
/// ≈ 1.7e7 crosses the long linear arms of Huber in one search.
pub const LINE_SEARCH_EXPANSIONS: usize = 12;
/// A correction pair (s, y) is kept only if s·y > this × y·y: a pair with no positive
/// curvature would make the inverse-Hessian estimate indefinite.
pub const CURVATURE_PAIR_MIN: f64 = 1e-16;

// ── Levenberg–Marquardt (engine::fit::lm) ────────────────────────────────────────────────

/// Evaluations LM may spend, as patience × (parameters + 1): twice the crate's default of
/// 100, room for starts far from the optimum. Its ftol, xtol and gtol stay the crate's
/// defaults, 30 × machine epsilon: LM stops at the optimum to float precision.
pub const LM_PATIENCE: usize = 200;

// ── Linear algebra (engine::fit::linear) ─────────────────────────────────────────────────

/// Singular values of the column-scaled design below this × the largest count as zero in the
/// log-space regressions (the minimum-norm solution in those directions): with unit-norm
/// columns, a direction that small is round-off in the logs (about 1e-16 × their size, times
/// the rows), not information, and a real one (spread in the data) is many orders larger.
pub const SVD_RELATIVE_CUTOFF: f64 = 1e-9;

// ── Diagnostics (engine::fit::diagnostics) ───────────────────────────────────────────────

/// |correlation| of two parameters above which the fit warns that the data pins down a
/// combination of them, not each one: the customary 0.95 (about 10 % of one parameter's
/// variance left once the other is known).
pub const CORRELATION_LIMIT: f64 = 0.95;
/// A variable spanning fewer decades than this is a narrow range: a scaling law read off
/// less than one decade is mostly extrapolation.
pub const MIN_DECADES: f64 = 1.0;
/// The fit warns of few points when points ≤ parameters + this: with two or fewer degrees of
/// freedom the residuals cannot show the error.
pub const FEW_POINTS_MARGIN: usize = 2;

// ── Planning (engine::plan) ──────────────────────────────────────────────────────────────

/// Most halvings in a bisection or golden-section search: each at least shrinks the
/// interval by 0.618, so 200 go far below double precision from any bracket of logs.
pub const BISECTION_STEPS: usize = 200;
/// Width in ln X at which a numeric inverse stops: 1e-13 relative in X, near the f64 limit
/// for ln X up to about 100.
pub const INVERSE_TOLERANCE: f64 = 1e-13;
/// Width in ln N at which the golden-section search of a compute-optimal split stops: 1e-10
/// relative in N (golden section cannot resolve a flat minimum much below √ε of its value).
pub const GOLDEN_TOLERANCE: f64 = 1e-10;
/// A split within this fraction of the ln N range from either end counts as pressed against
/// it (no interior optimum).
pub const INTERIOR_MARGIN: f64 = 1e-3;
/// The step in ln N and ln D of the central differences for the bottleneck's derivatives:
/// above the round-off optimum ε^(1/3) ≈ 6e-6, so laws computed through pow and exp (a few ε
/// of error each) still give derivatives to about 1e-8 relative, while the truncation error
/// (h²/6 times the third derivative) stays near 2e-9 for these smooth laws.
pub const DERIVATIVE_STEP: f64 = 1e-4;
/// A run within this factor of the compute-optimal tokens per parameter (either way) is
/// balanced: 1.25, that is within 25 % above or 20 % below.
pub const BALANCED_FACTOR: f64 = 1.25;
