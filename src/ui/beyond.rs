//! Planning beyond the compute-optimal split, under the budget's split (engine::plan's
//! `hyper`, `repeated`, `inference` and `accounting`): the learning rate and batch size, the
//! best split with limited unique data, the inference-aware size, and a model shape.

use super::canvas::ChartCanvas;
use super::i18n::{say, tr, trf};
use super::plan::{field, number, output, PlanInputs};
use crate::chart::{inference_chart, Axes, AxisKind};
use crate::engine::law::Law;
use crate::engine::plan::accounting::{k_with_attention, shape, total_params};
use crate::engine::plan::hyper::{suggest, Hyperparameters};
use crate::engine::plan::inference::{inference_aware, total_cost_curve};
use crate::engine::plan::ladder::{Ladder, LadderOptions};
use crate::engine::plan::repeated::data_limited;
use crate::engine::plan::Allocation;
use crate::engine::units::{format_param, format_sci, format_si, trim_number};
use crate::text::Said;
use leptos::prelude::*;

/// Width of one attention head (a common choice, stated on the page).
const HEAD_WIDTH: u32 = 128;
/// d_model / n_layer and the context length while the fields are blank or invalid.
const ASPECT: f64 = 128.0;
const SEQUENCE: f64 = 4096.0;

/// One law's learning rate and batch size as a row.
fn rates_row(id: &'static str, name: &'static str, h: Option<Hyperparameters>) -> impl IntoView {
    h.map(|h| {
        view! {
            <tr data-testid=format!("hyper-{id}") data-lr=h.learning_rate.to_string() data-batch=h.batch_tokens.to_string()
                data-outside=h.decades_outside.to_string()>
                <th scope="row">{move || tr(name)}</th>
                <td>{format_param(h.learning_rate)}</td>
                <td>{format_si(h.batch_tokens)}</td>
                <td class="muted small">{(h.decades_outside > 0.0).then(|| trf("{0} decades outside the range it was fitted on", &[&trim_number(h.decades_outside, 2)]))}</td>
            </tr>
        }
    })
}

#[component]
pub fn Beyond(
    /// The law planned with.
    law: Memo<Option<(Law, &'static str)>>,
    /// The budget's compute-optimal split.
    allocation: Memo<Option<Result<Allocation, Said>>>,
    /// FLOP per parameter per token.
    k: Memo<Result<f64, Said>>,
) -> impl IntoView {
    let plan = expect_context::<PlanInputs>();
    let split = move || allocation.get().and_then(Result::ok);
    let aspect = move || {
        plan.aspect
            .with(|t| number(t, "d_model / layers"))
            .ok()
            .flatten()
            .filter(|v| *v > 0.0)
            .unwrap_or(ASPECT)
    };
    let sequence = move || {
        plan.sequence
            .with(|t| number(t, "context length"))
            .ok()
            .flatten()
            .filter(|v| *v > 0.0)
            .unwrap_or(SEQUENCE)
    };
    let unique = Memo::new(move |_| plan.unique_tokens.with(|t| number(t, "unique tokens")));
    let served = Memo::new(move |_| {
        plan.inference_tokens
            .with(|t| number(t, "inference tokens"))
    });
    let limited = move || {
        let a = split()?;
        let u = match unique.get() {
            Ok(Some(u)) => u,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        let (law, _) = law.get()?;
        Some(data_limited(&law, a.budget, k.get().ok()?, u).map_err(Said::Plan))
    };
    let inference = move || {
        let a = split()?;
        let t = match served.get() {
            Ok(Some(t)) => t,
            Ok(None) => return None,
            Err(e) => return Some(Err(e)),
        };
        let (law, _) = law.get()?;
        Some(inference_aware(&law, a.budget, k.get().ok()?, t).map_err(Said::Plan))
    };
    view! {
        {move || split().map(|a| {
            let rates = suggest(a.n, a.d, k.get().unwrap_or(6.0));
            let (aspect, sequence) = (aspect(), sequence());
            let model = shape(a.n, aspect, HEAD_WIDTH);
            view! {
                <h4>{move || tr("Learning rate and batch size for this run")}</h4>
                <table class="compare" data-testid="hyperparameters">
                    <thead><tr>
                        <th>{move || tr("law")}</th><th>{move || tr("learning rate")}</th><th>{move || tr("batch (tokens)")}</th><th></th>
                    </tr></thead>
                    <tbody>
                        {rates_row("deepseek", "DeepSeek 2024 (by compute)", rates.deepseek)}
                        {rates_row("step-law", "Step Law 2025 (by N and D)", rates.step_law)}
                    </tbody>
                </table>
                <p class="muted small">{move || tr("DeepSeek fitted its law on 1e17 to 2e19 FLOP; Step Law on runs up to 1B parameters and 100B tokens (N without embeddings). Far outside those ranges, treat both as a starting point for a sweep.")}</p>
                {model.map(|s| view! {
                    <h4>{move || tr("A model of this size")}</h4>
                    <div class="controls">
                        {field("shape-aspect", "d_model / layers", plan.aspect, "128")}
                        {field("shape-sequence", "context length", plan.sequence, "4096")}
                    </div>
                    <div class="outputs">
                        {output("shape-layers", "layers", f64::from(s.layers), s.layers.to_string())}
                        {output("shape-width", "width d_model", f64::from(s.width), s.width.to_string())}
                        {output("shape-heads", "attention heads", f64::from(s.heads), s.heads.to_string())}
                        {output("total-params", "with embeddings (32k vocabulary)", total_params(a.n), format_si(total_params(a.n)))}
                    </div>
                    <p class="muted small">{trf("N = 12·layers·d_model² at d_model / layers = {0} and heads {1} wide; embeddings by Pearce & Song (2024), N_total = N + 47491·N^(1/3). Counting attention at {2} tokens of context, each parameter-token costs k = 6 + l/d = {3} FLOP (DeepSeek 2024).", &[&trim_number(aspect, 3), &HEAD_WIDTH.to_string(), &trim_number(sequence, 5), &trim_number(k_with_attention(f64::from(s.width), sequence), 3)])}</p>
                    {
                        let derived_k = k_with_attention(f64::from(s.width), sequence);
                        view! {
                            <button type="button" class="secondary small" data-testid="use-k-with-attention" data-value=derived_k.to_string()
                                on:click=move |_| plan.flop_k.set(trim_number(derived_k, 4))>
                                {trf("Plan with k = {0} (attention counted)", &[&trim_number(derived_k, 4)])}
                            </button>
                        }
                    }
                })}
            }
        })}
        {move || split().is_some().then(|| view! { <NextExperiments law=law allocation=allocation k=k/> })}
        {move || split().is_some().then(|| view! {
            <h4>{move || tr("Limited unique data")}</h4>
            {field("unique-tokens", "unique tokens available", plan.unique_tokens, "25B")}
            {move || match limited() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="input-error small" data-testid="limited-error">{say(&e)}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <div class="outputs">
                        {output("limited-N", "N", l.n, format_si(l.n))}
                        {output("limited-D", "D", l.d, format_si(l.d))}
                        {output("limited-epochs", "epochs", l.epochs, trim_number(l.epochs, 3))}
                        {output("limited-loss", "loss there", l.loss, trim_number(l.loss, 4))}
                    </div>
                    <p class="muted small" data-testid="repetition-cost" data-value=l.repetition_cost().to_string()>
                        {trf("Repeating the data costs {0} in loss against the same budget with every token unique ({1}).", &[&trim_number(l.repetition_cost(), 3), &trim_number(l.loss_unique, 4)])}
                    </p>
                }.into_any(),
            }}
            <h4>{move || tr("Inference-aware size")}</h4>
            {field("inference-tokens", "tokens the model will serve", plan.inference_tokens, "2T")}
            {move || match inference() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="input-error small" data-testid="inference-error">{say(&e)}</p> }.into_any(),
                Some(Ok(s)) => view! {
                    <div class="outputs">
                        {output("inference-N", "N", s.n, format_si(s.n))}
                        {output("inference-D", "training tokens", s.d, format_si(s.d))}
                        {output("inference-tokens-per-param", "tokens per parameter", s.tokens_per_param, trim_number(s.tokens_per_param, 3))}
                        {output("inference-saving", "FLOP saved", s.saving, format!("{} %", trim_number(100.0 * s.saving, 3)))}
                    </div>
                    <p class="muted small">{trf("The smallest total of training and inference, k·N·D + 2·N·T = {0} FLOP, for the same loss {1} as the compute-optimal model (Sardana et al. 2024).", &[&format_sci(s.total_flop), &trim_number(s.loss, 4)])}</p>
                    {move || {
                        let (l, _) = law.get()?;
                        let (a, k, t) = (split()?, k.get().ok()?, served.get().ok().flatten()?);
                        let curve = total_cost_curve(&l, a.budget, k, t, 96);
                        let chart = Signal::derive(move || Some(inference_chart(curve.clone(), s.n, s.total_flop)));
                        let axes = Signal::derive(|| Axes { x: AxisKind::Log, y: AxisKind::Log });
                        Some(view! {
                            <ChartCanvas chart=chart axes=axes testid="inference-chart" class="backtest-chart"
                                label=Signal::derive(move || tr("Training and inference FLOP of the models that reach the same loss, against their size"))/>
                        })
                    }}
                }.into_any(),
            }}
        })}
    }
}

/// Simulated ladders per candidate on the page (as the command line's default).
const SIMULATIONS: usize = 32;
/// σ of ln L assumed for a published law (no runs to measure it on).
const PUBLISHED_NOISE: f64 = 0.01;

/// The next experiments: ladders of small runs a share of the budget affords, scored in the
/// worker by how well each predicts the loss at the budget's optimum.
#[component]
fn NextExperiments(
    law: Memo<Option<(Law, &'static str)>>,
    allocation: Memo<Option<Result<Allocation, Said>>>,
    k: Memo<Result<f64, Said>>,
) -> impl IntoView {
    let derived = expect_context::<super::Derived>();
    let plan = expect_context::<PlanInputs>();
    let percent = plan.ladder_percent;
    let ladders = RwSignal::new(None::<Vec<Ladder>>);
    let running = RwSignal::new(false);
    // The runs' own scatter when planning with the fit, else 1 %.
    let noise = move || match plan.law.get() {
        super::PlanLaw::Fit => derived
            .shown
            .get()
            .and_then(|(_, fit)| fit.residual_scale)
            .filter(|s| s.is_finite() && *s > 0.0)
            .unwrap_or(PUBLISHED_NOISE),
        super::PlanLaw::Published(_) => PUBLISHED_NOISE,
    };
    let start = move |_| {
        let (Some((l, _)), Some(Ok(a)), Ok(k)) = (
            law.get_untracked(),
            allocation.get_untracked(),
            k.get_untracked(),
        ) else {
            return;
        };
        let Ok(Some(share)) =
            percent.with_untracked(|t| number(t, "experiment budget (% of the budget)"))
        else {
            return;
        };
        running.set(true);
        super::worker::run(
            "ladder",
            crate::engine::work::Request::Ladder {
                law: l,
                options: LadderOptions {
                    target_budget: a.budget,
                    fraction: share / 100.0,
                    noise: noise(),
                    k,
                    simulations: SIMULATIONS,
                    seed: 0,
                },
            },
            move |reply| {
                if let crate::engine::work::Reply::Ladder(found) = reply {
                    ladders.set(Some(found));
                }
                running.set(false);
            },
        );
    };
    let export = move |_| {
        let best = ladders.get_untracked().and_then(|l| l.into_iter().next());
        if let (Some(best), Ok(k)) = (best, k.get_untracked()) {
            super::export::download("ladder.csv", "text/csv", &best.csv(k));
        }
    };
    view! {
        <h4>{move || tr("The next experiments")}</h4>
        <p class="muted small">{move || trf("Ladders of small runs (3 to 5 sizes, at 1×, 0.5–2× or 0.5–10× the compute-optimal tokens per parameter) that a share of the budget affords, each scored by refitting the law to {0} simulated ladders with {1} % noise per run and predicting the loss at the budget's optimum.", &[&SIMULATIONS.to_string(), &trim_number(100.0 * noise(), 3)])}</p>
        <div class="buttons">
            {field("ladder-percent", "experiment budget (% of the budget)", percent, "1")}
            <button type="button" data-testid="ladder-run" on:click=start disabled=move || running.get()>{move || tr("Propose ladders")}</button>
            <span class="muted" data-testid="ladder-state" data-state=move || if running.get() { "running" } else { "done" }>{move || running.get().then(|| tr("Simulating…"))}</span>
        </div>
        {move || ladders.get().map(|found| view! {
            <table class="compare" data-testid="ladders">
                <thead><tr>
                    <th>{move || tr("runs")}</th><th>{move || tr("sizes N")}</th><th>{move || tr("expected error at the target")}</th><th>{move || tr("bias")}</th>
                </tr></thead>
                <tbody>
                    {found.iter().take(5).map(|l| {
                        let mut sizes: Vec<f64> = l.rungs.iter().map(|r| r.n).collect();
                        sizes.dedup();
                        let shown: Vec<String> = sizes.iter().map(|n| format_si(*n)).collect();
                        view! {
                            <tr data-testid="ladder-row" data-error=l.expected_error.to_string() data-runs=l.rungs.len().to_string() data-flop=l.flop.to_string()>
                                <td>{l.rungs.len()}</td>
                                <td>{shown.join(", ")}</td>
                                <td data-testid="ladder-error" data-spread=l.error_spread.to_string()>{format!("{} ± {} %", trim_number(100.0 * l.expected_error, 3), trim_number(100.0 * l.error_spread, 2))}</td>
                                <td>{format!("{:+.2} %", 100.0 * l.bias)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            <button type="button" class="secondary small" data-testid="ladder-csv" on:click=export>{move || tr("Download the best ladder (CSV)")}</button>
        })}
    }
}
