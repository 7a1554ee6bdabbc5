//! Planning with a law: the compute-optimal split of a budget, the budget for a target loss,
//! a prediction and the bottleneck at (N, D), the cost of the run, and a comparison of laws.

use super::i18n::{say, tr, trf};
use super::Derived;
use crate::chart::{plan_chart, Axes, PlanChart};
use crate::engine::flops::FlopConvention;
use crate::engine::law::{Law, Variable};
use crate::engine::plan::{
    self, bottleneck, budget_for_loss, compute_optimal, cost, frontier_exponents, invert,
    is_two_variable, predict_nd, Allocation, CostInputs, ACCELERATORS,
};
use crate::engine::presets::{self, deepseek_allocation};
use crate::engine::share::ShareState;
use crate::engine::units::{format_sci, format_si, parse_quantity, trim_number};
use crate::text::Said;
use leptos::prelude::*;

/// What the planning panel reads; all text, parsed where it is used.
#[derive(Clone, Copy)]
pub struct PlanInputs {
    /// `fit` or a published law id.
    pub law: RwSignal<String>,
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
}

impl PlanInputs {
    /// Signals holding a state's planning choices.
    pub fn from_state(state: &ShareState) -> PlanInputs {
        let s = |v: &String| RwSignal::new(v.clone());
        PlanInputs {
            law: s(&state.plan_law),
            flop_k: s(&state.flop_k),
            budget: s(&state.budget),
            invert: s(&state.invert),
            at_n: s(&state.at_n),
            at_d: s(&state.at_d),
            accelerator: s(&state.accelerator),
            mfu_percent: s(&state.mfu),
            price: s(&state.price),
            count: s(&state.count),
            watts: s(&state.watts),
            carbon: s(&state.carbon),
        }
    }

    /// Sets every planning input from a state.
    pub fn apply(&self, state: &ShareState) {
        self.law.set(state.plan_law.clone());
        self.flop_k.set(state.flop_k.clone());
        self.budget.set(state.budget.clone());
        self.invert.set(state.invert.clone());
        self.at_n.set(state.at_n.clone());
        self.at_d.set(state.at_d.clone());
        self.accelerator.set(state.accelerator.clone());
        self.mfu_percent.set(state.mfu.clone());
        self.price.set(state.price.clone());
        self.count.set(state.count.clone());
        self.watts.set(state.watts.clone());
        self.carbon.set(state.carbon.clone());
    }

    /// The FLOP convention typed (C = k N D; tracked): k must be a positive number.
    pub fn flops(&self) -> Result<FlopConvention, Said> {
        let k = self
            .flop_k
            .with(|t| number(t, "FLOP per parameter per token"))?;
        k.and_then(FlopConvention::new)
            .ok_or(Said::Plan(plan::PlanError::BadFlopConvention))
    }

    /// The planning choices into a state.
    pub fn write(&self, state: &mut ShareState) {
        state.plan_law = self.law.get();
        state.flop_k = self.flop_k.get();
        state.budget = self.budget.get();
        state.invert = self.invert.get();
        state.at_n = self.at_n.get();
        state.at_d = self.at_d.get();
        state.accelerator = self.accelerator.get();
        state.mfu = self.mfu_percent.get();
        state.price = self.price.get();
        state.count = self.count.get();
        state.watts = self.watts.get();
        state.carbon = self.carbon.get();
    }
}

/// A number typed in a field: empty is "nothing yet", anything else must parse.
fn number(text: &str, field: &'static str) -> Result<Option<f64>, Said> {
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
    Memo::new(move |_| {
        let id = plan.law.get();
        if id == "fit" {
            derived.shown.get().map(|(_, fit)| (fit.law, "your fit"))
        } else {
            presets::law(&id).map(|p| (p.law(), p.title))
        }
    })
}

/// A labelled output with the full-precision value in `data-value`.
fn output(testid: &'static str, label: &'static str, value: f64, shown: String) -> impl IntoView {
    view! {
        <div class="output">
            <span class="muted">{move || tr(label)}</span>
            <strong data-testid=testid data-value=value.to_string()>{shown}</strong>
        </div>
    }
}

/// A text field bound to a signal.
fn field(
    testid: &'static str,
    label: &'static str,
    signal: RwSignal<String>,
    placeholder: &'static str,
) -> impl IntoView {
    view! {
        <label class="control">
            <span>{move || tr(label)}</span>
            <input type="text" data-testid=testid placeholder=placeholder prop:value=move || signal.get()
                on:input=move |ev| signal.set(event_target_value(&ev))/>
        </label>
    }
}

/// The planning panel.
#[component]
pub fn PlanPanel() -> impl IntoView {
    let plan = expect_context::<PlanInputs>();
    let law = plan_law();
    let k = Memo::new(move |_| plan.flops().map(|f| f.k));
    let budget = Memo::new(move |_| plan.budget.with(|t| number(t, "FLOP budget")));
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
    let on_law = move |ev| plan.law.set(event_target_value(&ev));

    view! {
        <section class="panel plan-panel" aria-labelledby="plan-title">
            <h2 id="plan-title">{move || tr("Plan with a law")}</h2>
            <div class="controls">
                <label class="control">
                    <span>{move || tr("Law")}</span>
                    <select data-testid="plan-law-select" on:change=on_law prop:value=move || plan.law.get()>
                        <option value="fit" selected=move || plan.law.get() == "fit">{move || tr("your fit")}</option>
                        {presets::LAWS.iter().map(|l| view! {
                            <option value=l.id selected=move || plan.law.get() == l.id>{move || tr(l.title)}</option>
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
                        {exponents.map(|(ea, eb)| view! {
                            <p class="muted small">{trf("Along the frontier N_opt ∝ C^{0} and D_opt ∝ C^{1}.", &[&trim_number(ea, 3), &trim_number(eb, 3)])}</p>
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
            <PlanContours law=law budget=budget k=k/>
            <CostView budget=budget/>
            <Compare budget=budget k=k/>

            </div>
            <div>
            <h3>{move || tr("What reaches a target loss")}</h3>
            <InvertView law=law k=k/>

            <h3>{move || tr("A run at (N, D): its loss and its bottleneck")}</h3>
            <BottleneckView law=law k=k/>
            <RunsTable law=law k=k/>
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

/// The planned run's cost: accelerator-hours, days, money, energy, CO2.
#[component]
fn CostView(
    /// The FLOP budget costed.
    budget: Memo<Result<Option<f64>, Said>>,
) -> impl IntoView {
    let plan = expect_context::<PlanInputs>();
    let on_accelerator = move |ev| {
        let id = event_target_value(&ev);
        if let Some(a) = ACCELERATORS.iter().find(|a| a.id == id) {
            plan.watts.set(a.watts.to_string());
        }
        plan.accelerator.set(id);
    };
    let accelerator = move || ACCELERATORS.iter().find(|a| a.id == plan.accelerator.get());
    let result = move || -> Option<Result<crate::engine::plan::Cost, Said>> {
        let flops = budget.get().ok().flatten()?;
        let read = |s: RwSignal<String>, what: &'static str| {
            s.with(|t| number(t, what))?.ok_or(Said::Empty(what))
        };
        let inputs = (|| {
            Ok::<_, Said>(CostInputs {
                flops,
                peak_flops: accelerator()
                    .ok_or(Said::Text("choose an accelerator"))?
                    .peak_flops,
                mfu: read(plan.mfu_percent, "MFU")? / 100.0,
                price_per_hour: read(plan.price, "price")?,
                watts: read(plan.watts, "power draw")?,
                count: read(plan.count, "accelerators")?,
                carbon_per_kwh: read(plan.carbon, "carbon intensity")?,
            })
        })();
        Some(inputs.and_then(|i| cost(&i).map_err(Said::Plan)))
    };
    view! {
        <details class="cost" open>
            <summary>{move || tr("What the run costs")}</summary>
            <div class="controls">
                <label class="control">
                    <span>{move || tr("Accelerator")}</span>
                    <select data-testid="accelerator-select" on:change=on_accelerator>
                        {ACCELERATORS.iter().map(|a| view! {
                            <option value=a.id selected=move || plan.accelerator.get() == a.id>{a.name}</option>
                        }).collect_view()}
                    </select>
                </label>
                {field("mfu-input", "MFU (%)", plan.mfu_percent, "40")}
                {field("price-input", "$ per accelerator-hour (assumption)", plan.price, "2.00")}
                {field("count-input", "Accelerators at once", plan.count, "1024")}
                {field("power-input", "Power per accelerator (W)", plan.watts, "400")}
                {field("carbon-input", "kg CO₂ per kWh (assumption)", plan.carbon, "0.4")}
            </div>
            {move || accelerator().map(|a| view! { <p class="muted small">{trf("{0}. Peak dense BF16; MFU of 30–50 % is typical of large runs. Energy counts the accelerators' board power only.", &[a.source])}</p> })}
            {move || result().map(|r| match r {
                Ok(c) => view! {
                    <div class="outputs">
                        {output("cost-hours", "accelerator-hours", c.accelerator_hours, format_si(c.accelerator_hours))}
                        {output("cost-days", "days on that many", c.wall_days, trim_number(c.wall_days, 3))}
                        {output("cost-money", "cost ($)", c.money, format_si(c.money))}
                        {output("cost-energy", "energy (kWh)", c.energy_kwh, format_si(c.energy_kwh))}
                        {output("cost-co2", "CO₂ (t)", c.co2_kg / 1000.0, trim_number(c.co2_kg / 1000.0, 3))}
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="input-error small">{say(&e)}</p> }.into_any(),
            })}
        </details>
    }
}

/// The same budget under several laws side by side.
#[component]
fn Compare(
    /// The FLOP budget.
    budget: Memo<Result<Option<f64>, Said>>,
    /// FLOP per parameter per token.
    k: Memo<Result<f64, Said>>,
) -> impl IntoView {
    let derived = expect_context::<Derived>();
    let rows = move || {
        let budget = budget.get().ok().flatten()?;
        let k = k.get().ok()?;
        let mut rows: Vec<(&'static str, Result<Allocation, Said>)> = Vec::new();
        if let Some((_, fit)) = derived.shown.get() {
            if is_two_variable(&fit.law) {
                rows.push((
                    "your fit",
                    compute_optimal(&fit.law, budget, k).map_err(Said::Plan),
                ));
            }
        }
        for id in [
            "hoffmann-2022",
            "hoffmann-2022-unrounded",
            "besiroglu-2024",
            "kaplan-2020-joint",
        ] {
            let published = presets::law(id)?;
            rows.push((
                published.title,
                compute_optimal(&published.law(), budget, k).map_err(Said::Plan),
            ));
        }
        Some((budget, rows))
    };
    view! {
        {move || rows().map(|(budget, rows)| {
            let (m, d) = deepseek_allocation(budget);
            view! {
                <table class="compare" data-testid="compare-table">
                    <caption>{trf("The same budget, {0} FLOP, under several laws", &[&format_sci(budget)])}</caption>
                    <thead><tr><th>{move || tr("law")}</th><th>{move || tr("N_opt")}</th><th>{move || tr("D_opt")}</th><th>{move || tr("tokens / param")}</th><th>{move || tr("loss")}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(name, r)| match r {
                            Ok(a) => view! {
                                <tr><th scope="row">{tr(name)}</th><td>{format_si(a.n)}</td><td>{format_si(a.d)}</td>
                                <td>{trim_number(a.tokens_per_param, 3)}</td><td>{trim_number(a.loss, 4)}</td></tr>
                            }.into_any(),
                            Err(e) => view! { <tr><th scope="row">{tr(name)}</th><td colspan="4" class="muted">{say(&e)}</td></tr> }.into_any(),
                        }).collect_view()}
                        <tr>
                            <th scope="row">{move || tr("DeepSeek 2024 allocation (N ≈ M_opt / 6)")}</th>
                            <td>{format_si(m / FlopConvention::KAPLAN_K)}</td><td>{format_si(d)}</td><td>{trim_number(d / (m / FlopConvention::KAPLAN_K), 3)}</td>
                            <td class="muted">{move || tr("no loss law")}</td>
                        </tr>
                    </tbody>
                </table>
                <p class="muted small">{move || tr("Kaplan et al. measured loss on their own data and tokenizer: compare its split, not its loss, with the others.")}</p>
            }
        })}
    }
}

/// Runs listed in the runs table.
const RUNS_SHOWN: usize = 40;

/// The data's runs (rows with N and D) weighed against the law: tokens per parameter against
/// the compute-optimal split of each run's own compute.
#[component]
fn RunsTable(
    /// The law planned with.
    law: Memo<Option<(Law, &'static str)>>,
    /// FLOP per parameter per token.
    k: Memo<Result<f64, Said>>,
) -> impl IntoView {
    let derived = expect_context::<Derived>();
    let runs = Memo::new(move |_| {
        let (law, _) = law.get()?;
        if !is_two_variable(&law) {
            return None;
        }
        let k = k.get().ok()?;
        let data = derived.parsed.get().ok()?;
        let total = data
            .points
            .iter()
            .filter(|p| p.n.is_some() && p.d.is_some())
            .count();
        let rows: Vec<(f64, f64, &'static str)> = data
            .points
            .iter()
            .filter_map(|p| Some((p.n?, p.d?)))
            .take(RUNS_SHOWN)
            .filter_map(|(n, d)| Some((n, d, bottleneck(&law, n, d, k).ok()?)))
            .map(|(n, d, b)| {
                let verdict = match b.training() {
                    Some(plan::Training::Undertrained) => "under-trained: grow data",
                    Some(plan::Training::Balanced) => "near compute-optimal",
                    Some(plan::Training::Overtrained) => "over-trained: grow parameters",
                    None => "",
                };
                (n, d, verdict)
            })
            .collect();
        (!rows.is_empty()).then_some((rows, total))
    });
    view! {
        {move || runs.get().map(|(rows, total)| {
            let count = rows.len();
            let title = if count < total {
                trf("The first {0} of your {1} runs against this law", &[&count.to_string(), &total.to_string()])
            } else {
                trf("Your {0} runs against this law", &[&count.to_string()])
            };
            view! {
            <details class="runs" open=count <= 12>
                <summary>{title}</summary>
                <table class="compare" data-testid="runs-table">
                    <thead><tr><th>"N"</th><th>"D"</th><th>{move || tr("tokens / param")}</th><th>{move || tr("verdict")}</th></tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(n, d, verdict)| view! {
                            <tr><td>{format_si(n)}</td><td>{format_si(d)}</td><td>{trim_number(d / n, 3)}</td><td>{tr(verdict)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        }})}
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
