//! The IsoFLOP panel (engine::isoflop, Hoffmann's approach 2) on the runs in the box: each
//! budget's parabola and minimum, the frontier N_opt = k C^e through them beside the
//! parametric fit's (in numbers and drawn in the (C, N) plane), and the approach's known bias
//! in words. It runs when opened (a few small
//! least-squares problems: on the page's thread).

use super::canvas::ChartCanvas;
use super::i18n::{say, tr, trf};
use super::plan::PlanInputs;
use super::Derived;
use crate::chart::{isoflop_chart, isoflop_frontier_chart, Axes, AxisKind};
use crate::engine::isoflop::isoflop;
use crate::engine::plan::{frontier_exponents, is_two_variable};
use crate::engine::units::{format_sci, format_si, trim_number};
use leptos::prelude::*;

#[component]
pub fn IsoFlopPanel() -> impl IntoView {
    let derived = expect_context::<Derived>();
    let plan = expect_context::<PlanInputs>();
    let open = RwSignal::new(false);
    let k = move || plan.flops().map(|f| f.k).unwrap_or(6.0);
    let result = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        let data = derived.parsed.get().ok()?;
        Some(isoflop(&data, k()))
    });
    // The parametric fit's exponent N_opt ∝ C^a, at the middle budget.
    let parametric = move || {
        let Some(Ok(r)) = result.get() else {
            return None;
        };
        let (_, fit) = derived.shown.get()?;
        if !is_two_variable(&fit.law) {
            return None;
        }
        let middle = r.profiles[r.profiles.len() / 2].budget;
        frontier_exponents(&fit.law, middle, k())
            .ok()
            .map(|(a, _)| (fit.law.model, a))
    };
    let chart = Signal::derive(move || match result.get() {
        Some(Ok(r)) => Some(isoflop_chart(&r)),
        _ => None,
    });
    let axes = Signal::derive(|| Axes {
        x: AxisKind::Log,
        y: AxisKind::Linear,
    });
    // The frontier in the (C, N) plane beside the fit's own, carried on to the planned budget.
    let frontier_chart = Signal::derive(move || {
        let Some(Ok(r)) = result.get() else {
            return None;
        };
        let fit = derived.shown.get().map(|(_, fit)| fit);
        let law = fit.as_ref().map(|f| &f.law).filter(|l| is_two_variable(l));
        Some(isoflop_frontier_chart(
            &r,
            law,
            k(),
            plan.budget().ok().flatten(),
        ))
    });
    let frontier_axes = Signal::derive(|| Axes {
        x: AxisKind::Log,
        y: AxisKind::Log,
    });
    view! {
        <details class="isoflop" data-testid="isoflop" on:toggle=move |ev| {
            use wasm_bindgen::JsCast;
            if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                open.set(d.open());
            }
        }>
            <summary>{move || tr("IsoFLOP analysis: a parabola per budget (Hoffmann's approach 2)")}</summary>
            {move || match result.get() {
                None => ().into_any(),
                Some(Err(e)) => view! { <p class="muted" data-testid="isoflop-error">{say(&e)}</p> }.into_any(),
                Some(Ok(r)) => {
                    let (lo, hi) = r.interval.map_or((None, None), |(lo, hi)| (Some(lo), Some(hi)));
                    view! {
                        <p data-testid="isoflop-exponent" data-value=r.exponent.to_string() data-lo=lo.map(|v| v.to_string()) data-hi=hi.map(|v| v.to_string())>
                            {match r.interval {
                                Some((lo, hi)) => trf("Through the {0} minima: N_opt ∝ C^{1} (95%: {2} – {3}), so D_opt ∝ C^{4}.", &[&r.profiles.iter().filter(|p| p.minimum.is_some()).count().to_string(), &trim_number(r.exponent, 3), &trim_number(lo, 3), &trim_number(hi, 3), &trim_number(1.0 - r.exponent, 3)]),
                                None => trf("Through the {0} minima: N_opt ∝ C^{1}, so D_opt ∝ C^{2} (three budgets or more give an interval).", &[&r.profiles.iter().filter(|p| p.minimum.is_some()).count().to_string(), &trim_number(r.exponent, 3), &trim_number(1.0 - r.exponent, 3)]),
                            }}
                        </p>
                        {move || parametric().map(|(model, a)| view! {
                            <p class="muted" data-testid="isoflop-parametric" data-value=a.to_string()>
                                {trf("The {0} fit on screen puts N_opt ∝ C^{1} over the same budgets.", &[model.id(), &trim_number(a, 3)])}
                            </p>
                        })}
                        <table class="compare">
                            <thead><tr>
                                <th>{move || tr("budget C")}</th><th>{move || tr("runs")}</th><th>{move || tr("N at the minimum")}</th><th>{move || tr("loss there")}</th><th></th>
                            </tr></thead>
                            <tbody>
                                {r.profiles.iter().map(|p| {
                                    let (n, l) = p.minimum.map_or((None, None), |(n, l)| (Some(n), Some(l)));
                                    view! {
                                        <tr data-testid="isoflop-profile" data-budget=p.budget.to_string() data-n=n.map(|v| v.to_string()) data-inside=p.inside.to_string()>
                                            <td>{format_sci(p.budget)}</td>
                                            <td>{p.runs.len()}</td>
                                            <td>{n.map_or_else(|| "—".to_string(), format_si)}</td>
                                            <td>{l.map_or_else(|| "—".to_string(), |l| trim_number(l, 4))}</td>
                                            <td class="muted small">{if n.is_none() { Some(tr("no minimum: the parabola opens downwards")) } else if !p.inside { Some(tr("minimum outside the sizes run: extrapolated")) } else { None }}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }
            }}
            {move || matches!(result.get(), Some(Ok(_))).then(|| view! {
                <ChartCanvas chart=chart axes=axes testid="isoflop-chart" class="isoflop-chart" label=Signal::derive(move || tr("IsoFLOP profiles: loss against N per budget, with their parabolas"))/>
                <ChartCanvas chart=frontier_chart axes=frontier_axes testid="isoflop-frontier-chart" class="isoflop-chart" label=Signal::derive(move || tr("The IsoFLOP frontier: N at each parabola's minimum against C, the line through them, and the fitted law's compute-optimal N, dashed on to the planned budget"))/>
                <p class="muted small">{move || tr("Known bias: profiles sampled off-centre or drifting across budgets, and α ≠ β, shift the minima, and small errors grow at budgets far beyond the runs (Open-Athena's scaling-law analysis). Sample each budget symmetrically around its minimum.")}</p>
            })}
        </details>
    }
}
