//! One serialisable report of a fit: what `scaling-calc fit --json` prints and what the
//! page's JSON export holds (the export adds its version and a prediction around it).
//!
//! Keys (docs/CONTRACT.md, "Command line"): `model`, `params`, `objective`, `points`,
//! `converged`, `warnings`, `millis` (when timed), `intervals` (`{NAME: [lo, hi]}`, 95 %
//! percentile, when bootstrapped); also `x`, `formula`, `options` (`loss`, `starts`),
//! `std_errors`, `r2`, `stop`, `evaluations`, `bootstrap`, `derived` and `notes`.
//! Messages are `{"code", "message"}`, the message in English ([`Render`]).

use super::dataset::Dataset;
use super::fit::bootstrap::Bootstrap;
use super::fit::{prediction, Fit, Loss, Starts};
use super::law::Law;
use super::plan::{frontier_exponents, is_two_variable, DEFAULT_FLOP_PER_PARAM_TOKEN};
use crate::text::{Lang, Render};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// The level of the bootstrap intervals.
pub const INTERVAL_LEVEL: f64 = 0.95;
/// The budget (FLOP) around which the compute-optimal exponents are measured: a decade
/// either side of it ([`frontier_exponents`]), in the range of the published fits.
pub const EXPONENT_BUDGET: f64 = 1e23;

/// Values by parameter name, serialised as a map in the form's order.
#[derive(Clone, Debug, PartialEq)]
pub struct Named<T>(pub Vec<(&'static str, T)>);

impl<T: Serialize> Serialize for Named<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

impl<T> Named<T> {
    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&T> {
        self.0.iter().find(|(n, _)| *n == name).map(|(_, v)| v)
    }
}

/// A typed message as a report carries it: its stable code and its English words.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Message {
    pub code: &'static str,
    pub message: String,
}

/// How the fit was made.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct OptionsReport {
    /// `{"kind"}`, with `delta` (huber) or `weight` (asymmetric).
    pub loss: Loss,
    pub starts: Starts,
    /// `--fix` as text (`E=1.69`), absent when nothing is fixed.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub fix: String,
    /// `--tie` as text (`alpha=beta`), absent when nothing is tied.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub tie: String,
}

/// What the bootstrap rests on.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct BootstrapReport {
    pub level: f64,
    pub method: &'static str,
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples whose refit failed (the intervals rest on the others).
    pub failed: usize,
    /// The seed of the resampling, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
}

/// A number derived from the law, with its bootstrap interval.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Estimate {
    pub value: Option<f64>,
    pub interval: Option<[f64; 2]>,
}

/// Numbers derived from a law of N and D: the compute-optimal exponents N_opt ∝ C^a,
/// D_opt ∝ C^b.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct DerivedReport {
    #[serde(rename = "N_opt_exponent")]
    pub n_opt_exponent: Estimate,
    #[serde(rename = "D_opt_exponent")]
    pub d_opt_exponent: Estimate,
}

/// Something a report says about a number it leaves out: a value, in words by `text`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Note {
    /// R² is missing: every observed value is equal.
    NoSpread,
    /// The compute-optimal exponents are missing: this law has no compute-optimal split.
    NoSplit,
}

/// A fit, ready to serialise.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FitReport {
    pub model: &'static str,
    /// The variable of a one-variable form (N for the others).
    pub x: &'static str,
    pub formula: String,
    pub options: OptionsReport,
    pub params: Named<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub std_errors: Option<Named<f64>>,
    /// Σ ρ(r_i) at the optimum.
    pub objective: f64,
    pub points: usize,
    /// R² of log L (logit P); absent when every observed value is equal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r2: Option<f64>,
    pub converged: bool,
    /// Why the solver stopped.
    pub stop: Message,
    pub warnings: Vec<Message>,
    pub evaluations: usize,
    /// Wall-clock time of the fit (and bootstrap), when timed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub millis: Option<f64>,
    /// The 95 % bootstrap percentile interval of each parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub intervals: Option<Named<[f64; 2]>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bootstrap: Option<BootstrapReport>,
    /// With a bootstrap of a law of N and D.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub derived: Option<DerivedReport>,
    /// With `--budget`: the compute-optimal split of that budget, with intervals when
    /// bootstrapped.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<PlanReport>,
    /// The rows left out of the fit (`#`), as the fit predicts them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub held_out: Vec<HeldOutReport>,
    /// In English.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// A held-out row ([`crate::engine::fit::prediction::HeldOut`]): `error` = (predicted −
/// actual) / actual; `lo`, `hi` one new run's 95 % interval and `inside` whether the run
/// landed in it (null without one); `decades_outside` how far past the fitted runs it lies
/// along the law's variable (0 within their range).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct HeldOutReport {
    pub row: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    pub actual: f64,
    pub predicted: f64,
    pub error: f64,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
    pub inside: Option<bool>,
    pub decades_outside: f64,
}

/// The compute-optimal split of a budget under the fitted law, with its bootstrap intervals
/// and how far the optimum lies outside the fitted runs.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct PlanReport {
    pub budget: f64,
    #[serde(rename = "N")]
    pub n: Estimate,
    #[serde(rename = "D")]
    pub d: Estimate,
    pub loss: Estimate,
    /// One sentence per variable whose optimum lies outside the fitted runs (English).
    pub outside: Vec<String>,
}

impl FitReport {
    /// The report of `fit` (with the options that made it, which the fit carries) and of its
    /// bootstrap, if one was run: the parameters' intervals, what they rest on, and for a law
    /// of N and D the compute-optimal exponents with theirs.
    pub fn new(fit: &Fit, boot: Option<&Bootstrap>) -> FitReport {
        let names = fit.law.model.param_names();
        let named =
            |values: &[f64]| Named(names.iter().copied().zip(values.iter().copied()).collect());
        let notes = match fit.r2 {
            None => vec![Note::NoSpread.render(Lang::En)],
            Some(_) => Vec::new(),
        };
        let mut report = FitReport {
            model: fit.law.model.id(),
            x: fit.law.x.symbol(),
            formula: fit.law.model.formula(fit.law.x),
            options: OptionsReport {
                loss: fit.loss,
                starts: fit.starts,
                fix: fit.constraints.fix_text(),
                tie: fit.constraints.tie_text(),
            },
            params: named(&fit.law.params),
            std_errors: fit.std_errors.as_deref().map(named),
            objective: fit.objective,
            points: fit.points,
            r2: fit.r2,
            converged: fit.converged,
            stop: Message {
                code: fit.stop.code(),
                message: fit.stop.render(Lang::En),
            },
            warnings: fit
                .warnings
                .iter()
                .map(|w| Message {
                    code: w.code(),
                    message: w.render(Lang::En),
                })
                .collect(),
            evaluations: fit.evaluations,
            millis: None,
            intervals: None,
            bootstrap: None,
            derived: None,
            plan: None,
            held_out: Vec::new(),
            notes,
        };
        if let Some(boot) = boot {
            report.add_bootstrap(fit, boot);
        }
        report
    }

    fn add_bootstrap(&mut self, fit: &Fit, boot: &Bootstrap) {
        let names = fit.law.model.param_names();
        self.intervals = Some(Named(
            names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| {
                    let (lo, hi) = boot.interval(i, INTERVAL_LEVEL)?;
                    Some((*n, [lo, hi]))
                })
                .collect(),
        ));
        self.bootstrap = Some(BootstrapReport {
            level: INTERVAL_LEVEL,
            method: "bootstrap percentile",
            resamples: boot.samples.len() + boot.failed,
            failed: boot.failed,
            seed: None,
        });
        if is_two_variable(&fit.law) {
            let exponent = |which: usize| {
                let of = |law: &Law| {
                    frontier_exponents(law, EXPONENT_BUDGET, DEFAULT_FLOP_PER_PARAM_TOKEN)
                        .ok()
                        .map(|e| if which == 0 { e.0 } else { e.1 })
                };
                Estimate {
                    value: of(&fit.law),
                    interval: boot
                        .derived_interval(&fit.law, INTERVAL_LEVEL, of)
                        .map(|(lo, hi)| [lo, hi]),
                }
            };
            let derived = DerivedReport {
                n_opt_exponent: exponent(0),
                d_opt_exponent: exponent(1),
            };
            if derived.n_opt_exponent.value.is_some() && derived.d_opt_exponent.value.is_some() {
                self.derived = Some(derived);
            } else {
                self.notes.push(Note::NoSplit.render(Lang::En));
            }
        }
    }

    /// Adds the compute-optimal split of `budget` (C = k N D) under the fitted law, with 95 %
    /// intervals from `boot` and the reach of the optimum against the runs of `data`.
    pub fn with_plan(
        mut self,
        fit: &Fit,
        boot: Option<&Bootstrap>,
        data: &crate::engine::dataset::Dataset,
        budget: f64,
        k: f64,
    ) -> Result<Self, crate::engine::plan::PlanError> {
        use crate::engine::law::Variable;
        use crate::engine::plan::{allocation_intervals, compute_optimal};
        let a = compute_optimal(&fit.law, budget, k)?;
        let intervals = boot.and_then(|b| allocation_intervals(&fit.law, b, budget, k));
        let estimate = |value: f64, interval: Option<(f64, f64)>| Estimate {
            value: Some(value),
            interval: interval.map(|(lo, hi)| [lo, hi]),
        };
        self.plan = Some(PlanReport {
            budget,
            n: estimate(a.n, intervals.as_ref().map(|i| i.n)),
            d: estimate(a.d, intervals.as_ref().map(|i| i.d)),
            loss: estimate(a.loss, intervals.as_ref().map(|i| i.loss)),
            outside: [(Variable::N, a.n), (Variable::D, a.d)]
                .into_iter()
                .filter_map(|(v, at)| crate::engine::reach::reach(data, v, at))
                .map(|r| r.render(Lang::En))
                .collect(),
        });
        Ok(self)
    }

    /// Records the seed of the bootstrap (when there is one).
    pub fn with_seed(mut self, seed: u64) -> Self {
        if let Some(b) = &mut self.bootstrap {
            b.seed = Some(seed);
        }
        self
    }

    /// Adds the rows of `data` left out of the fit, as `fit` predicts them.
    pub fn with_held_out(mut self, fit: &Fit, data: &Dataset, boot: Option<&Bootstrap>) -> Self {
        self.held_out = prediction::held_out(fit, data, boot, usize::MAX)
            .0
            .into_iter()
            .map(|h| HeldOutReport {
                inside: h.inside(),
                decades_outside: h.reach.map_or(0.0, |r| r.decades()),
                row: h.row,
                label: h.label,
                actual: h.actual,
                predicted: h.predicted,
                error: h.error,
                lo: h.interval.map(|i| i.0),
                hi: h.interval.map(|i| i.1),
            })
            .collect();
        self
    }

    /// Adds the wall-clock time it took.
    pub fn with_millis(mut self, millis: f64) -> Self {
        self.millis = Some(millis);
        self
    }

    /// The report as one line of JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
