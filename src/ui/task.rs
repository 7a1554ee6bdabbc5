//! Task accuracy from scale (engine::task, the OLMo ladder's two steps) on the runs in the box:
//! the person picks the task-loss and accuracy columns; the chain is fitted in the worker on the
//! rows that take part and checked on the held-out ones (# rows, or role = target), and its
//! error there is said next to the caution that many tasks do not scale predictably.

use super::i18n::{say, tr, trf};
use super::worker;
use super::Inputs;
use crate::engine::law::ModelId;
use crate::engine::task::{loss_models, runs_from_table, Chain, TaskError};
use crate::engine::units::{format_param, format_si, trim_number};
use crate::engine::work::{Reply, Request};
use leptos::prelude::*;

/// The worker job of the task chain.
const JOB: &str = "task";

/// The columns a person may pick: every header but the scale and loss columns the fit reads.
fn candidates(text: &str) -> Vec<String> {
    crate::engine::csv::header(text)
        .into_iter()
        .filter(|h| {
            !matches!(
                h.trim().to_ascii_lowercase().as_str(),
                "n" | "d" | "c" | "l" | "loss" | "role" | "model" | "name"
            )
        })
        .collect()
}

/// The first candidate whose name ends with `suffix`, else the first.
fn default_column(columns: &[String], suffix: &str) -> String {
    columns
        .iter()
        .find(|c| c.to_ascii_lowercase().ends_with(suffix))
        .or(columns.first())
        .cloned()
        .unwrap_or_default()
}

#[component]
pub fn TaskPanel() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let open = RwSignal::new(false);
    let columns = Memo::new(move |_| inputs.text.with(|t| candidates(t)));
    let (loss_column, accuracy_column) = (inputs.task_loss, inputs.task_accuracy);
    let picked = move |chosen: RwSignal<String>, suffix: &str| {
        let chosen = chosen.get();
        let all = columns.get();
        if all.contains(&chosen) {
            chosen
        } else {
            default_column(&all, suffix)
        }
    };
    let result = RwSignal::new(None::<Result<Box<Chain>, TaskError>>);
    let running = RwSignal::new(false);
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        let (loss, accuracy) = (picked(loss_column, "_bpb"), picked(accuracy_column, "_acc"));
        let model = inputs.task_model.get();
        let Some(runs) = inputs.text.with(|t| runs_from_table(t, &loss, &accuracy)) else {
            result.set(Some(Err(TaskError::TooFewRuns { runs: 0 })));
            return;
        };
        running.set(true);
        worker::run(JOB, Request::Task { runs, model }, move |reply| {
            if let Reply::Task(answer) = reply {
                result.set(Some(answer));
            }
            running.set(false);
        });
    });
    let select = move |testid: &'static str, chosen: RwSignal<String>, suffix: &'static str| {
        view! {
            <select data-testid=testid on:change=move |ev| chosen.set(event_target_value(&ev)) prop:value=move || picked(chosen, suffix)>
                {move || columns.get().into_iter().map(|c| {
                    let selected = c == picked(chosen, suffix);
                    view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                }).collect_view()}
            </select>
        }
    };
    view! {
        <details class="isoflop" data-testid="task" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                open.set(d.open());
            }
        }>
            <summary>{move || tr("Task accuracy from scale (two steps, OLMo ladder)")}</summary>
            <p class="muted small">{move || tr("Step 1 fits the task's loss as a law of N and D (Chinchilla's form by default); step 2 maps task loss to accuracy with a sigmoid. Rows left out with # (or with role target) are predicted through both steps, to check the chain. Many tasks do not scale predictably (about 39 % of 46 did in Lourie, Hu and Cho 2025): trust the chain only as far as its error on held-out runs.")}</p>
            <div class="buttons">
                <label class="control inline"><span>{move || tr("task loss column")}</span>{select("task-loss-column", loss_column, "_bpb")}</label>
                <label class="control inline"><span>{move || tr("accuracy column")}</span>{select("task-accuracy-column", accuracy_column, "_acc")}</label>
                <label class="control inline"><span>{move || tr("step 1 law")}</span>
                    <select data-testid="task-model" on:change=move |ev| {
                        if let Ok(model) = event_target_value(&ev).parse::<ModelId>() {
                            inputs.task_model.set(model);
                        }
                    } prop:value=move || inputs.task_model.get().id()>
                        {loss_models().map(|m| view! { <option value=m.id() selected=move || inputs.task_model.get() == m>{m.id()}</option> }).collect_view()}
                    </select>
                </label>
                <span class="muted" data-testid="task-state" data-state=move || if running.get() { "running" } else { "done" }>{move || running.get().then(|| tr("Fitting…"))}</span>
            </div>
            {move || match result.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="input-error small" data-testid="task-error">{say(&e)}</p> }.into_any(),
                Some(Ok(chain)) => {
                    let s = chain.sigmoid;
                    view! {
                        <p class="law-with-values" data-testid="task-loss-law">{trf("step 1: task loss {0}", &[&chain.loss_fit.law.formula_with(&|v| format_param(v))])}</p>
                        <p class="law-with-values" data-testid="task-sigmoid" data-a=s.a.to_string() data-k=s.k.to_string() data-l0=s.l0.to_string() data-b=s.b.to_string()>
                            {trf("step 2: accuracy = {0} / (1 + e^(−({1})·(L − {2}))) + {3}", &[&format_param(s.a), &format_param(s.k), &format_param(s.l0), &format_param(s.b)])}
                        </p>
                        {if chain.checks.is_empty() {
                            view! { <p class="muted">{move || tr("No held-out rows (mark some with #): the chain is unchecked.")}</p> }.into_any()
                        } else {
                            view! {
                                <table class="compare">
                                    <thead><tr>
                                        <th>"N"</th><th>"D"</th><th>{move || tr("predicted accuracy")}</th><th>{move || tr("actual")}</th><th>{move || tr("error")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {chain.checks.iter().map(|c| view! {
                                            <tr data-testid="task-check" data-predicted=c.predicted_accuracy.to_string() data-actual=c.accuracy.to_string() data-error=c.relative_error().to_string()>
                                                <td>{format_si(c.n)}</td><td>{format_si(c.d)}</td>
                                                <td>{trim_number(c.predicted_accuracy, 4)}</td><td>{trim_number(c.accuracy, 4)}</td>
                                                <td>{format!("{:+.1} %", 100.0 * c.relative_error())}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </details>
    }
}
