//! Using a law: predict, invert a target loss, the compute-optimal split of a FLOP budget,
//! the bottleneck at a given (N, D), and what a run costs; beyond the split, in the files
//! below: repeated data, inference-aware size, hyperparameters, FLOP and parameter accounting.

pub mod accounting;
pub mod hyper;
pub mod inference;
pub mod ladder;
pub mod repeated;

use super::law::{Inputs, Law, Variable};
use super::tolerances::{
    BALANCED_FACTOR, BISECTION_STEPS, DERIVATIVE_STEP, GOLDEN_TOLERANCE, INTERIOR_MARGIN,
    INVERSE_TOLERANCE,
};
use serde::{Deserialize, Serialize};

pub use super::cost::{cost, Accelerator, Cost, CostInput, CostInputs, ACCELERATORS};

/// FLOP per parameter per token in the usual convention C = 6ND (forward + backward pass).
pub const DEFAULT_FLOP_PER_PARAM_TOKEN: f64 = super::flops::FlopConvention::KAPLAN_K;

/// Why a plan cannot be made: a value with its numbers, said in words by `text`.
#[derive(Clone, Debug, PartialEq)]
pub enum PlanError {
    /// At or below the irreducible loss: no scale reaches it.
    BelowFloor { floor: f64 },
    /// The law does not reach the target within the range searched.
    OutOfRange,
    /// The form has no single variable to solve for.
    NotSingleVariable,
    /// The law needs both N and D for this.
    NeedsTwoVariables,
    /// Along a fixed budget the law keeps falling towards one side: no interior optimum.
    NoInteriorOptimum,
    /// A parameter a compute-optimal split needs positive is not ([`Form::split_positive`]):
    /// the loss does not fall as N and D grow, so no split of the budget is best.
    ///
    /// [`Form::split_positive`]: crate::engine::law::Form::split_positive
    ParamNotPositive { param: &'static str, value: f64 },
    /// The split or its loss leaves the range of numbers (the law's parameters or the budget
    /// are extreme).
    NotFinite,
    /// The target is not a positive number.
    BadTarget,
    /// The budget is not a positive number of FLOP.
    BadBudget,
    /// FLOP per parameter-token is not positive.
    BadFlopConvention,
    /// The budget buys less than one parameter trained on one token.
    BudgetTooSmall,
    /// N or D is not a positive number.
    BadScale,
    /// A cost input that must be positive is not.
    NotPositive(CostInput),
    /// A cost input that must be zero or positive is not.
    Negative(CostInput),
    /// MFU outside (0, 100 %].
    BadMfu,
    /// The cost leaves the range of numbers (inputs tiny or huge against each other).
    CostNotFinite,
    /// A run's compute C = k N D, or the gains per FLOP, leave the range of numbers.
    RunNotFinite,
    /// Planning with limited unique data needs a data-constrained law.
    NeedsDataConstrained,
}

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

/// The single-variable law's value at x.
pub fn predict(law: &Law, x: f64) -> Option<f64> {
    law.value(&Inputs::single(law.x, x))
}

/// The law at (N, D), with C = k N D.
pub fn predict_nd(law: &Law, n: f64, d: f64, k: f64) -> Option<f64> {
    law.value(&Inputs {
        n: Some(n),
        d: Some(d),
        c: Some(k * n * d),
        u: None,
    })
}

/// The irreducible loss of a law, if it has one.
pub fn floor(law: &Law) -> Option<f64> {
    law.model.form().floor(&law.params)
}

/// The value of X at which a single-variable law reaches `target` (each form's closed form).
pub fn invert(law: &Law, target: f64) -> Result<f64, PlanError> {
    if !(target > 0.0 && target.is_finite()) {
        return Err(PlanError::BadTarget);
    }
    let x = law.model.form().invert(&law.params, target)?;
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(PlanError::OutOfRange)
    }
}

/// Numeric inverse of a monotone function of X by bisection in log X over [lo, hi].
pub fn invert_numeric(f: impl Fn(f64) -> f64, target: f64, lo: f64, hi: f64) -> Option<f64> {
    let (mut a, mut b) = (lo.ln(), hi.ln());
    let fa = f(a.exp()) - target;
    let fb = f(b.exp()) - target;
    if !(fa.is_finite() && fb.is_finite()) || fa.signum() == fb.signum() {
        return None;
    }
    for _ in 0..BISECTION_STEPS {
        let mid = 0.5 * (a + b);
        let fm = f(mid.exp()) - target;
        if fm.signum() == fa.signum() {
            a = mid;
        } else {
            b = mid;
        }
        if (b - a).abs() < INVERSE_TOLERANCE {
            break;
        }
    }
    Some((0.5 * (a + b)).exp())
}

/// Whether a law reads both N and D (so a budget can be split between them).
pub fn is_two_variable(law: &Law) -> bool {
    law.model.form().splits_compute(&law.params)
}

/// A compute-optimal split of a budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    pub budget: f64,
    pub n: f64,
    pub d: f64,
    /// The law at (N_opt, D_opt).
    pub loss: f64,
    pub tokens_per_param: f64,
}

/// The split of `budget` FLOP (C = k N D) that minimises the law.
///
/// `chinchilla` in closed form (Hoffmann et al. 2022, approach 3):
/// N_opt = G (C/k)^(β/(α+β)), D_opt = G⁻¹ (C/k)^(α/(α+β)), G = (αA / (βB))^(1/(α+β)).
/// Other laws of N and D numerically: golden-section search in ln N along C = k N D.
pub fn compute_optimal(law: &Law, budget: f64, k: f64) -> Result<Allocation, PlanError> {
    if !(budget > 0.0 && budget.is_finite()) {
        return Err(PlanError::BadBudget);
    }
    if !(k > 0.0 && k.is_finite()) {
        return Err(PlanError::BadFlopConvention);
    }
    if !is_two_variable(law) {
        return Err(PlanError::NeedsTwoVariables);
    }
    let form = law.model.form();
    for &i in form.split_positive() {
        let value = law.params[i];
        if value.is_nan() || value <= 0.0 {
            return Err(PlanError::ParamNotPositive {
                param: form.param_names()[i],
                value,
            });
        }
    }
    let (n, d) = match form.compute_optimal(&law.params, budget / k) {
        Some(closed_form) => closed_form?,
        None => numeric_optimum(law, budget, k)?,
    };
    let loss = predict_nd(law, n, d, k).ok_or(PlanError::OutOfRange)?;
    // D / N overflows when the split is extreme (N = 1e-200, D = 1e198), though each is finite.
    let tokens_per_param = d / n;
    if ![n, d, loss, tokens_per_param]
        .iter()
        .all(|v| v.is_finite() && *v > 0.0)
    {
        return Err(PlanError::NotFinite);
    }
    Ok(Allocation {
        budget,
        n,
        d,
        loss,
        tokens_per_param,
    })
}

/// Golden-section search of L(N, C/(kN)) over ln N ∈ [ln 1, ln(C/k)] (at least one token).
pub fn numeric_optimum(law: &Law, budget: f64, k: f64) -> Result<(f64, f64), PlanError> {
    let along = |ln_n: f64| {
        let n = ln_n.exp();
        predict_nd(law, n, budget / (k * n), k).unwrap_or(f64::INFINITY)
    };
    let span = (budget / k).ln();
    if span <= 0.0 {
        return Err(PlanError::BudgetTooSmall);
    }
    let ln_n = golden_minimum(along, 0.0, span);
    // An optimum pressed against an end of the range is not an interior optimum.
    let margin = INTERIOR_MARGIN * span.max(1.0);
    if ln_n < margin || ln_n > span - margin {
        return Err(PlanError::NoInteriorOptimum);
    }
    let n = ln_n.exp();
    Ok((n, budget / (k * n)))
}

/// The minimum of a unimodal `f` over [a, b] by golden-section search (to
/// [`GOLDEN_TOLERANCE`]).
pub fn golden_minimum(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let ratio = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - ratio * (b - a);
    let mut d = a + ratio * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    for _ in 0..BISECTION_STEPS {
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - ratio * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + ratio * (b - a);
            fd = f(d);
        }
        if (b - a).abs() < GOLDEN_TOLERANCE {
            break;
        }
    }
    0.5 * (a + b)
}

/// The exponents of the compute-optimal frontier, N_opt ∝ C^a and D_opt ∝ C^b, measured
/// between two budgets a decade apart around `budget` (exact for `chinchilla`:
/// a = β/(α+β), b = α/(α+β)).
pub fn frontier_exponents(law: &Law, budget: f64, k: f64) -> Result<(f64, f64), PlanError> {
    let lo = compute_optimal(law, budget / 10f64.sqrt(), k)?;
    let hi = compute_optimal(law, budget * 10f64.sqrt(), k)?;
    Ok(((hi.n / lo.n).log10(), (hi.d / lo.d).log10()))
}

/// The compute-optimal frontier: allocations at `count` budgets spaced evenly in log.
pub fn frontier(law: &Law, lo: f64, hi: f64, count: usize, k: f64) -> Vec<Allocation> {
    (0..count.max(2))
        .filter_map(|i| {
            let c = (lo.ln() + (hi.ln() - lo.ln()) * i as f64 / (count.max(2) - 1) as f64).exp();
            compute_optimal(law, c, k).ok()
        })
        .collect()
}

/// The budget whose compute-optimal split reaches `target` loss (bisection on C between
/// 1e10 and 1e40 FLOP), with that split.
pub fn budget_for_loss(law: &Law, target: f64, k: f64) -> Result<Allocation, PlanError> {
    if let Some(floor) = floor(law) {
        if target <= floor {
            return Err(PlanError::BelowFloor { floor });
        }
    }
    let loss_at = |c: f64| compute_optimal(law, c, k).map_or(f64::NAN, |a| a.loss);
    let c = invert_numeric(loss_at, target, 1e10, 1e40).ok_or(PlanError::OutOfRange)?;
    compute_optimal(law, c, k)
}

/// Which factor limits a run at (N, D), and by how much.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Bottleneck {
    pub n: f64,
    pub d: f64,
    /// The run's compute, C = k N D.
    pub budget: f64,
    /// Loss gained per extra FLOP spent on parameters (N grows, D fixed): −∂L/∂N · 1/(kD).
    pub gain_per_flop_params: f64,
    /// Loss gained per extra FLOP spent on data (D grows, N fixed): −∂L/∂D · 1/(kN).
    pub gain_per_flop_data: f64,
    /// The compute-optimal split of the same budget, when the law has one.
    pub optimum: Option<Allocation>,
}

/// How a run sits against the compute-optimal line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Training {
    /// Fewer tokens per parameter than compute-optimal: data is the bottleneck.
    Undertrained,
    /// Within a factor [`BALANCED_FACTOR`] (25 %) of the compute-optimal tokens per parameter.
    Balanced,
    /// More tokens per parameter than compute-optimal: parameters are the bottleneck.
    Overtrained,
}

impl Bottleneck {
    /// Which factor to grow: `N` or `D`, the one with the larger gain per FLOP.
    pub fn grow(&self) -> Variable {
        if self.gain_per_flop_params >= self.gain_per_flop_data {
            Variable::N
        } else {
            Variable::D
        }
    }

    /// The run against the compute-optimal tokens per parameter at its own budget.
    pub fn training(&self) -> Option<Training> {
        let optimum = self.optimum.as_ref()?;
        let ratio = (self.d / self.n) / optimum.tokens_per_param;
        Some(if ratio < 1.0 / BALANCED_FACTOR {
            Training::Undertrained
        } else if ratio > BALANCED_FACTOR {
            Training::Overtrained
        } else {
            Training::Balanced
        })
    }

    /// How many times more a FLOP on the factor to grow lowers the loss than one on the other.
    pub fn gain_ratio(&self) -> f64 {
        self.gain_per_flop_params.max(self.gain_per_flop_data)
            / self
                .gain_per_flop_params
                .min(self.gain_per_flop_data)
                .max(f64::MIN_POSITIVE)
    }
}

/// The bottleneck of a run at (N, D) under `law` (derivatives by central differences in log).
pub fn bottleneck(law: &Law, n: f64, d: f64, k: f64) -> Result<Bottleneck, PlanError> {
    if !is_two_variable(law) {
        return Err(PlanError::NeedsTwoVariables);
    }
    if !(n > 0.0 && d > 0.0 && n.is_finite() && d.is_finite()) {
        return Err(PlanError::BadScale);
    }
    let h = DERIVATIVE_STEP;
    let at = |n: f64, d: f64| predict_nd(law, n, d, k).unwrap_or(f64::NAN);
    // ∂L/∂N = (L(N e^h) − L(N e^−h)) / (2h N)
    let dl_dn = (at(n * h.exp(), d) - at(n * (-h).exp(), d)) / (2.0 * h * n);
    let dl_dd = (at(n, d * h.exp()) - at(n, d * (-h).exp())) / (2.0 * h * d);
    if !(dl_dn.is_finite() && dl_dd.is_finite()) {
        return Err(PlanError::OutOfRange);
    }
    let budget = k * n * d;
    let gain_per_flop_params = -dl_dn / (k * d);
    let gain_per_flop_data = -dl_dd / (k * n);
    // Huge N and D overflow C = k N D (and a tiny k the gains): no verdict in "inf".
    if ![budget, gain_per_flop_params, gain_per_flop_data]
        .iter()
        .all(|v| v.is_finite())
    {
        return Err(PlanError::RunNotFinite);
    }
    Ok(Bottleneck {
        n,
        d,
        budget,
        gain_per_flop_params,
        gain_per_flop_data,
        optimum: compute_optimal(law, budget, k).ok(),
    })
}

/// The compute-optimal split of a budget with its 95 % bootstrap intervals: each resampled law
/// split the same way, percentiles of N_opt, D_opt and the loss there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AllocationIntervals {
    pub n: (f64, f64),
    pub d: (f64, f64),
    pub loss: (f64, f64),
    /// Resampled laws that gave a split (the others have no interior optimum).
    pub draws: usize,
}

/// [`AllocationIntervals`] of `law`'s split of `budget` over the bootstrap's resamples.
pub fn allocation_intervals(
    law: &Law,
    boot: &crate::engine::fit::bootstrap::Bootstrap,
    budget: f64,
    k: f64,
) -> Option<AllocationIntervals> {
    use crate::engine::fit::bootstrap::percentile_interval;
    let splits: Vec<Allocation> = boot
        .laws(law)
        .filter_map(|l| compute_optimal(&l, budget, k).ok())
        .collect();
    let of = |f: fn(&Allocation) -> f64| percentile_interval(splits.iter().map(f).collect(), 0.95);
    Some(AllocationIntervals {
        n: of(|a| a.n)?,
        d: of(|a| a.d)?,
        loss: of(|a| a.loss)?,
        draws: splits.len(),
    })
}
