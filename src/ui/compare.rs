//! The budget under several laws side by side, and the data's runs weighed against the law.

use super::i18n::{say, tr, trf};
use super::Derived;
use crate::engine::flops::FlopConvention;
use crate::engine::law::Law;
use crate::engine::plan::{self, bottleneck, compute_optimal, is_two_variable, Allocation};
use crate::engine::presets::{self, deepseek_allocation};
use crate::engine::units::{format_sci, format_si, trim_number};
use crate::text::Said;
use leptos::prelude::*;
/// The same budget under several laws side by side.
#[component]
pub fn Compare(
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
pub fn RunsTable(
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
