//! Planning with a law: the compute-optimal split of a budget, the budget for a target loss,
//! a prediction and the bottleneck at (N, D), the cost of the run, and a comparison of laws.

use super::i18n::{say, tr, trf};
use super::{Derived, PlanLaw};
use crate::chart::{plan_chart, Axes, PlanChart};
use crate::engine::flops::FlopConvention;
use crate::engine::law::{Law, Variable};
use crate::engine::plan::{
    self, bottleneck, budget_for_loss, compute_optimal, frontier_exponents, invert,
    is_two_variable, predict_nd, Allocation,
};
use crate::engine::presets;
use crate::engine::units::{format_sci, format_si, parse_quantity, trim_number};
use crate::text::Said;
use leptos::prelude::*;

/// What the planning panel reads; all text, parsed where it is used.
#[derive(Clone, Copy)]
pub struct PlanInputs {
    pub law: RwSignal<PlanLaw>,
    pub flop_k: RwSignal<String>,
    pub budget: RwSignal<String>,
    pub invert: RwSignal<String>,
    pub at_n: RwSignal<String>,
    pub at_d: RwSignal<String>,
    pub accelerator: RwSignal<String>,
    pub mfu_percent: RwSignal<String>,
    pub price: RwSignal<String>,
    pub count: RwSignal<String>,
    pub watts: RwSignal<String>,
    pub carbon: RwSignal<String>,
    /// Unique tokens available (blank: unlimited).
    pub unique_tokens: RwSignal<String>,
    /// Tokens the model will serve (blank: none counted).
    pub inference_tokens: RwSignal<String>,
    /// The next experiments' budget, % of the budget.
    pub ladder_percent: RwSignal<String>,
    /// The model shape's d_model / n_layer, and the context length attention is counted at.
    pub aspect: RwSignal<String>,
    pub sequence: RwSignal<String>,
}

impl PlanInputs {
    /// The FLOP convention typed (C = k N D; tracked): k must be a positive number.
    pub fn flops(&self) -> Result<FlopConvention, Said> {
        let k = self
            .flop_k
            .with(|t| number(t, "FLOP per parameter per token"))?;
        k.and_then(FlopConvention::new)
            .ok_or(Said::Plan(plan::PlanError::BadFlopConvention))
    }

    /// The FLOP budget typed (tracked): None while the field is empty.
    pub fn budget(&self) -> Result<Option<f64>, Said> {
        self.budget.with(|t| number(t, "FLOP budget"))
    }
}

/// A number typed in a field: empty is "nothing yet", anything else must parse.
pub(super) fn number(text: &str, field: &'static str) -> Result<Option<f64>, Said> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_quantity(text)
            .map(Some)
            .map_err(|error| Said::Field { field, error })
    }
}

/// The law the panel plans with: the fit on screen or a published one, with its name.
pub fn plan_law() -> Memo<Option<(Law, &'static str)>> {
    let derived = expect_context::<Derived>();
    let plan = expect_context::<PlanInputs>();
    Memo::new(move |_| match plan.law.get() {
        PlanLaw::Fit => derived.shown.get().map(|(_, fit)| (fit.law, "your fit")),
        PlanLaw::Published(p) => Some((p.law(), p.title)),
    })
}

/// A labelled output with the full-precision value in `data-value`.
pub(super) fn output(
    testid: &'static str,
    label: &'static str,
    value: f64,
    shown: String,
) -> impl IntoView {
    view! {
        <div class="output">
            <span class="muted">{move || tr(label)}</span>
            <strong data-testid=testid data-value=value.to_string()>{shown}</strong>
        </div>
    }
}

/// A text field bound to a signal.
pub(super) fn field(
    testid: &'static str,
    label: &'static str,
    signal: RwSignal<String>,
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <label class="control">
            <span>{move || tr(label)}</span>
            <input type="text" data-testid=testid placeholder=move || trf("e.g. {0}", &[placeholder]) prop:value=move || signal.get()
                on:input=move |ev| signal.set(event_target_value(&ev))/>
        </label>
    }
}

/// The planning panel.
#[component]
pub fn PlanPanel() -> impl IntoView {
    let plan = expect_context::<PlanInputs>();
    let derived = expect_context::<Derived>();
    let law = plan_law();
    let boot = super::uncertainty::current_bootstrap();
    let k = Memo::new(move |_| plan.flops().map(|f| f.k));
    let budget = Memo::new(move |_| plan.budget());
    let allocation = Memo::new(move |_| -> Option<Result<Allocation, Said>> {
        let (law, _) = law.get()?;
        let budget = match budget.get() {
            Ok(Some(b)) => b,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        let k = match k.get() {
            Ok(k) => k,
            Err(e) => return Some(Err(e)),
        };
        // A law of compute alone has no split: it reads the loss at the budget.
        if law.model.is_single_variable() {
            return (law.x != Variable::C).then_some(Err(Said::LawOfOneVariable(law.x)));
        }
        Some(compute_optimal(&law, budget, k).map_err(Said::Plan))
    });
    // The loss a law of C alone gives at the budget.
    let along_c = move || -> Option<f64> {
        let (law, _) = law.get()?;
        let budget = budget.get().ok().flatten()?;
        (law.model.is_single_variable() && law.x == Variable::C)
            .then(|| plan::predict(&law, budget))
            .flatten()
    };
    let on_law = move |ev| plan.law.set(PlanLaw::from_id(&event_target_value(&ev)));

    view! {
        <section class="panel plan-panel" aria-labelledby="plan-title">
            <h2 id="plan-title">{move || tr("Plan with a law")}</h2>
            <div class="controls">
                <label class="control">
                    <span>{move || tr("Law")}</span>
                    <select data-testid="plan-law-select" on:change=on_law prop:value=move || plan.law.get().id()>
                        <option value="fit" selected=move || plan.law.get() == PlanLaw::Fit>{move || tr("your fit")}</option>
                        {presets::LAWS.iter().map(|l| view! {
                            <option value=l.id selected=move || plan.law.get().id() == l.id>{move || tr(l.title)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {field("flop-k", "FLOP per parameter per token (C = k·N·D)", plan.flop_k, "6")}
            </div>
            {move || law.get().map(|(l, name)| view! {
                <p class="muted plan-law">{trf("Planning with {0}: {1}", &[&tr(name), &super::summary::law_with_values(&l)])}</p>
            })}
            {move || law.get().is_none().then(|| view! {
                <p class="muted">{move || tr("No law to plan with yet: fit your data or choose a published law.")}</p>
            })}

            <div class="plan-grid">
            <div>
            <h3>{move || tr("Compute-optimal size for a budget")}</h3>
            {field("budget-input", "FLOP budget", plan.budget, "5.76e23")}
            {move || match allocation.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="input-error small" data-testid="plan-error">{say(&e)}</p> }.into_any(),
                Some(Ok(a)) => {
                    let exponents = law.get().and_then(|(l, _)| frontier_exponents(&l, a.budget, k.get().unwrap_or(FlopConvention::KAPLAN_K)).ok());
                    view! {
                        <div class="outputs">
                            {output("opt-N", "N_opt", a.n, format_si(a.n))}
                            {output("opt-D", "D_opt", a.d, format_si(a.d))}
                            {output("opt-tokens-per-param", "tokens per parameter", a.tokens_per_param, trim_number(a.tokens_per_param, 3))}
                            {output("opt-loss", "loss there", a.loss, trim_number(a.loss, 4))}
                        </div>
                        // The split's 95 % intervals from the bootstrap of the fit planned with.
                        {(plan.law.get() == PlanLaw::Fit).then(|| {
                            let (law, _) = law.get()?;
                            let boot = boot.get()?;
                            plan::allocation_intervals(&law, &boot, a.budget, k.get().ok()?)
                        }).flatten().map(|i| {
                            let item = |id: &'static str, name: &'static str, (lo, hi): (f64, f64), show: fn(f64) -> String| view! {
                                <li data-testid=id data-lo=lo.to_string() data-hi=hi.to_string()>{format!("{name}: {} – {}", show(lo), show(hi))}</li>
                            };
                            view! {
                                <p class="muted small">{trf("95% bootstrap intervals ({0} resampled laws with a split):", &[&i.draws.to_string()])}</p>
                                <ul class="muted small plan-intervals">
                                    {item("opt-N-interval", "N_opt", i.n, format_si)}
                                    {item("opt-D-interval", "D_opt", i.d, format_si)}
                                    {item("opt-loss-interval", "loss", i.loss, |v| trim_number(v, 4))}
                                </ul>
                            }
                        })}
                        {exponents.map(|(ea, eb)| view! {
                            <p class="muted small">{trf("Along the frontier N_opt ∝ C^{0} and D_opt ∝ C^{1}.", &[&trim_number(ea, 3), &trim_number(eb, 3)])}</p>
                        })}
                        // How far the optimum lies beyond the runs the fit rests on.
                        {(plan.law.get() == PlanLaw::Fit).then(|| derived.shown.get()).flatten().map(|(data, _)| {
                            let far: Vec<_> = [(Variable::N, a.n), (Variable::D, a.d)]
                                .into_iter()
                                .filter_map(|(v, at)| crate::engine::reach::reach(&data, v, at))
                                .collect();
                            view! {
                                <ul class="muted small reach" data-testid="opt-reach">
                                    {far.into_iter().map(|r| view! { <li>{say(&r)}</li> }).collect_view()}
                                </ul>
                            }
                        })}
                    }.into_any()
                }
            }}
            {move || along_c().map(|loss| view! {
                <div class="outputs">
                    {output("opt-loss", "loss at this compute", loss, trim_number(loss, 4))}
                </div>
                <p class="muted">{move || tr("A law of compute alone says what the budget reaches, not how to split it between N and D.")}</p>
            })}
            <super::beyond::Beyond law=law allocation=allocation k=k/>
            <PlanContours law=law budget=budget k=k/>
            <super::cost::CostView budget=budget/>
            <super::compare::Compare budget=budget k=k/>

            </div>
            <div>
            <h3>{move || tr("What reaches a target loss")}</h3>
            <InvertView law=law k=k/>

            <h3>{move || tr("A run at (N, D): its loss and its bottleneck")}</h3>
            <BottleneckView law=law k=k/>
            <super::compare::RunsTable law=law k=k/>
            </div>
            </div>
        </section>
    }
}

/// The scale needed for a target loss: X for one-variable laws, the budget and its split for
/// laws of N and D.
#[component]
fn InvertView(
    /// The law planned with.
    law: Memo<Option<(Law, &'static str)>>,
    /// FLOP per parameter per token.
    k: Memo<Result<f64, Said>>,
) -> impl IntoView {
    let plan = expect_context::<PlanInputs>();
    let result = move || -> Option<Result<(f64, String), Said>> {
        let target = match plan.invert.with(|t| number(t, "Target loss")) {
            Ok(Some(t)) => t,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        let (law, _) = law.get()?;
        let k = k.get().unwrap_or(plan::DEFAULT_FLOP_PER_PARAM_TOKEN);
        Some(if is_two_variable(&law) {
            budget_for_loss(&law, target, k)
                .map(|a| {
                    (
                        a.n,
                        trf(
                            "N = {0} on D = {1} tokens, a budget of {2} FLOP",
                            &[&format_si(a.n), &format_si(a.d), &format_sci(a.budget)],
                        ),
                    )
                })
                .map_err(Said::Plan)
        } else {
            invert(&law, target)
                .map(|x| (x, format!("{} = {}", law.x.symbol(), format_si(x))))
                .map_err(Said::Plan)
        })
    };
    view! {
        {field("invert-input", "Target loss", plan.invert, "2.0")}
        {move || result().map(|r| match r {
            Ok((value, text)) => view! { <p><strong data-testid="invert-result" data-value=value.to_string()>{text}</strong></p> }.into_any(),
            Err(e) => view! { <p class="input-error small" data-testid="invert-error">{say(&e)}</p> }.into_any(),
        })}
    }
}

/// The law at (N, D) and which factor limits that run.
#[component]
fn BottleneckView(
    /// The law planned with.
    law: Memo<Option<(Law, &'static str)>>,
    /// FLOP per parameter per token.
    k: Memo<Result<f64, Said>>,
) -> impl IntoView {
    let plan = expect_context::<PlanInputs>();
    let outcome = move || -> Option<Result<(f64, Vec<String>), Said>> {
        let (law, _) = law.get()?;
        if !is_two_variable(&law) {
            return Some(Err(Said::Text("the bottleneck needs a law of N and D (choose chinchilla, kaplan-joint or a published one)")));
        }
        let n = plan.at_n.with(|t| number(t, "N"));
        let d = plan.at_d.with(|t| number(t, "D"));
        let (n, d) = match (n, d) {
            (Ok(Some(n)), Ok(Some(d))) => (n, d),
            (Err(e), _) | (_, Err(e)) => return Some(Err(e)),
            _ => return None,
        };
        let k = k.get().unwrap_or(plan::DEFAULT_FLOP_PER_PARAM_TOKEN);
        let value = predict_nd(&law, n, d, k)?;
        Some(
            bottleneck(&law, n, d, k)
                .map(|b| {
                    (
                        value,
                        crate::text::bottleneck_sentences(&b, super::i18n::lang()),
                    )
                })
                .map_err(Said::Plan),
        )
    };
    view! {
        <div class="controls">
            {field("predict-n", "N (parameters)", plan.at_n, "175B")}
            {field("predict-d", "D (tokens)", plan.at_d, "300B")}
        </div>
        {move || outcome().map(|r| match r {
            Ok((value, text)) => view! {
                <p>"L(N, D) = "<strong data-testid="prediction-nd" data-value=value.to_string()>{trim_number(value, 4)}</strong></p>
                <p data-testid="bottleneck">{text.join(" ")}</p>
            }.into_any(),
            Err(e) => view! { <p class="muted" data-testid="bottleneck-error">{say(&e)}</p> }.into_any(),
        })}
    }
}

/// The N–D plane of a law of N and D: iso-loss contours, iso-FLOP lines, the frontier and the
/// budget's optimum.
#[component]
fn PlanContours(
    /// The law planned with.
    law: Memo<Option<(Law, &'static str)>>,
    /// The FLOP budget.
    budget: Memo<Result<Option<f64>, Said>>,
    /// FLOP per parameter per token.
    k: Memo<Result<f64, Said>>,
) -> impl IntoView {
    let chart: Signal<Option<PlanChart>> = Memo::new(move |_| {
        let (law, _) = law.get()?;
        if !is_two_variable(&law) {
            return None;
        }
        let flops = FlopConvention {
            k: k.get().unwrap_or(plan::DEFAULT_FLOP_PER_PARAM_TOKEN),
        };
        plan_chart(&law, budget.get().ok().flatten(), flops)
    })
    .into();
    let label = Signal::derive(|| tr("Where the budget goes: loss contours over N and D"));
    view! {
        <details class="plan-chart" open class:hidden=move || chart.with(|c| c.is_none())>
            <summary>{move || tr("Where the budget goes: loss contours over N and D")}</summary>
            <super::canvas::ChartCanvas chart=chart axes=Axes::LOG_LOG testid="plan-chart"
                class="contour-chart" label=label/>
        </details>
    }
}
