//! What the fit says: status, the law as a formula, parameters, objective, warnings.

use super::i18n::{say, sentences, tr, trf};
use super::{Derived, Inputs, Outcome};
use crate::engine::presets;
use crate::engine::units::{format_param, trim_number};
use leptos::prelude::*;

/// The fit's status in words, with `data-state` = ok | error (docs/CONTRACT.md, page hooks).
#[component]
pub fn FitStatus() -> impl IntoView {
    let derived = expect_context::<Derived>();
    let state = move || match derived.outcome.get() {
        Outcome::Fitted(_) => "ok",
        Outcome::Empty | Outcome::Unmeasured => "none",
        Outcome::Running => "running",
        Outcome::Cancelled => "cancelled",
        Outcome::DataProblem(_) | Outcome::FitProblem(_) => "error",
    };
    let message = move || {
        let stale = stale_note(derived);
        match derived.outcome.get() {
            Outcome::Fitted(both) => {
                let (_, fit, millis) = &*both;
                // Readers of an embedded chart are not told how long the fit took.
                let embedded = use_context::<super::Embedded>().is_some_and(|e| e.0);
                let template = match (fit.converged, embedded) {
                    (true, false) => "Fitted {0} points in {1} ms.",
                    (false, false) => "Fitted {0} points in {1} ms (the solver did not converge).",
                    (true, true) => "Fitted {0} points.",
                    (false, true) => "Fitted {0} points (the solver did not converge).",
                };
                trf(template, &[&fit.points.to_string(), &format!("{millis:.0}")])
            }
            Outcome::Empty => tr("No data yet: paste your runs (CSV or TSV with a header row such as N,L). The chart shows the law chosen for planning."),
            Outcome::Unmeasured => tr("These runs have no loss or metric column, so there is nothing to fit: the chart and the planning panel use the law chosen for planning."),
            Outcome::DataProblem(e) => sentences([trf("The data has a problem ({0}).", &[&say(&e)]), stale]),
            Outcome::FitProblem(e) => sentences([trf("Cannot fit: {0}.", &[&say(&e)]), stale]),
            Outcome::Running if derived.progress.get().is_some() => {
                let (done, total) = derived.progress.get().unwrap_or_default();
                trf("Fitting… {0} of {1} starts polished; the last fit stays on screen until this one is done.", &[&done.to_string(), &total.to_string()])
            }
            Outcome::Running if derived.shown.with(|s| s.is_some()) => tr("Fitting… the last fit stays on screen until this one is done."),
            Outcome::Running => tr("Fitting…"),
            Outcome::Cancelled => sentences([tr("Fit cancelled: change an input to fit again."), stale]),
        }
    };
    let millis = move || match derived.outcome.get() {
        Outcome::Fitted(both) => Some(both.2.to_string()),
        _ => None,
    };
    view! {
        <p class="fit-status" data-testid="fit-status" data-millis=millis data-fits=move || derived.fits.get() data-progress=move || derived.progress.get().map(|(d, t)| format!("{d}/{t}")) data-state=state class:error=move || state() == "error" role="status">
            {message}
            {move || derived.running().then(|| view! {
                " "
                <button type="button" class="secondary small" data-testid="fit-cancel" on:click=move |_| derived.cancel_fit()>{move || tr("Cancel")}</button>
            })}
        </p>
    }
}

fn stale_note(derived: Derived) -> String {
    if derived.shown.with(|s| s.is_some()) {
        tr("The last good fit stays on screen, marked as stale.")
    } else {
        String::new()
    }
}

/// The fitted law: formula, parameters with standard errors, objective, R², warnings.
#[component]
pub fn FitSummary() -> impl IntoView {
    let derived = expect_context::<Derived>();
    let boot = super::uncertainty::current_bootstrap();
    view! {
        {move || derived.shown.get().map(|(data, fit)| {
            // Read apart from the tables: data turning invalid marks the fit stale without
            // rebuilding them.
            let stale = move || derived.stale();
            let boot = boot.get();
            let has_intervals = boot.is_some();
            let names = fit.law.model.param_names();
            let rows = names.iter().enumerate().map(|(i, name)| {
                let value = fit.law.params[i];
                let held = fit.constraints.fixed.iter().any(|f| f.name.eq_ignore_ascii_case(name));
                let tied_to = fit.constraints.tied.iter().find(|t| t.follower.eq_ignore_ascii_case(name)).map(|t| t.leader.clone());
                let se = if held {
                    tr("held fixed")
                } else {
                    let se = fit.std_errors.as_ref().map(|s| format!("± {}", format_param(s[i]))).unwrap_or_default();
                    match &tied_to {
                        Some(leader) => format!("{se} {}", trf("(tied to {0})", &[leader])),
                        None => se,
                    }
                };
                let held_state = if held { Some("fixed") } else if tied_to.is_some() { Some("tied") } else { None };
                let interval = boot.as_ref().and_then(|b| b.interval(i, 0.95));
                view! {
                    <tr>
                        <th scope="row">{*name}</th>
                        <td data-testid=format!("fit-param-{name}") data-value=value.to_string() data-held=held_state>{format_param(value)}</td>
                        <td class="muted">{se}</td>
                        {has_intervals.then(|| view! {
                            <td class="muted" data-testid=format!("interval-{name}")
                                data-lo=interval.map(|v| v.0.to_string()) data-hi=interval.map(|v| v.1.to_string())>
                                {interval.map(|(lo, hi)| format!("[{}, {}]", format_param(lo), format_param(hi)))}
                            </td>
                        })}
                    </tr>
                }
            }).collect_view();
            let warnings = fit.warnings.clone();
            view! {
                <div class="summary" class:stale=stale>
                    <p class="formula">{fit.law.formula()}{move || stale().then(|| format!("  {}", tr("(stale)")))}</p>
                    <p class="law-with-values">{law_with_values(&fit.law)}</p>
                    <table class="params">
                        <thead><tr>
                            <th>{move || tr("parameter")}</th><th>{move || tr("value")}</th><th>{move || tr("std. error")}</th>
                            {has_intervals.then(|| view! { <th>{move || tr("95% bootstrap")}</th> })}
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <p class="stats">
                        {move || tr("objective (Σρ(r)) =")}" "
                        <span data-testid="fit-objective" data-value=fit.objective.to_string()>{format!("{:.6e}", fit.objective)}</span>
                        {format!("   ·   {}", trf("R² (log space) = {0} · {1} points", &[&fit.r2.map_or_else(|| "—".to_string(), |r2| format!("{r2:.5}")), &fit.points.to_string()]))}
                    </p>
                    {exponents_line(&fit.law, boot.as_ref())}
                    {held_out_table(&fit, &data, boot.as_ref())}
                    {(!warnings.is_empty()).then(|| view! {
                        <ul class="warnings" data-testid="fit-warnings">
                            {warnings.into_iter().map(|w| view! { <li data-code=w.code()>{say(&w)}</li> }).collect_view()}
                        </ul>
                    })}
                </div>
            }
        })}
    }
}

/// The most held-out rows the table shows (the furthest out): each row's interval reads every
/// bootstrap law, and the page's thread computes it.
const HELD_OUT_SHOWN: usize = 12;

/// The rows left out of the fit (`#`) as the law predicts them: the check a ladder of small
/// runs is for. None when no row is held out.
fn held_out_table(
    fit: &crate::engine::fit::Fit,
    data: &crate::engine::dataset::Dataset,
    boot: Option<&crate::engine::fit::bootstrap::Bootstrap>,
) -> Option<impl IntoView> {
    let (checks, all) = crate::engine::fit::prediction::held_out(fit, data, boot, HELD_OUT_SHOWN);
    if checks.is_empty() {
        return None;
    }
    let checks_shown = checks.len();
    let landed = checks.iter().filter(|h| h.inside() == Some(true)).count();
    let with_interval = checks.iter().filter(|h| h.inside().is_some()).count();
    // A miss inside the fitted range says the run is unlike the others; past it, that the law
    // (or its interval) claims too much that far out.
    let missed = |beyond: bool| {
        checks
            .iter()
            .any(|h| h.inside() == Some(false) && h.reach.is_some() == beyond)
    };
    let summary = sentences([
        trf(
            "{0} of {1} held-out runs landed inside one new run's 95% interval.",
            &[&landed.to_string(), &with_interval.to_string()],
        ),
        if missed(false) {
            tr("The runs missed within the fitted range are unlike the runs fitted: outliers, or another setting.")
        } else {
            String::new()
        },
        if missed(true) {
            tr("A miss past the fitted runs means the law, or its interval, is too confident that far out.")
        } else {
            String::new()
        },
    ]);
    let rows = checks
        .into_iter()
        .map(|h| {
            let line = h.row.to_string();
            let name = h.label.clone();
            let decades = h.reach.map_or(0.0, |r| r.decades());
            let inside = h.inside();
            view! {
                <tr data-testid="held-out-row" data-row=h.row.to_string()
                    data-predicted=h.predicted.to_string() data-actual=h.actual.to_string()
                    data-error=h.error.to_string() data-lo=h.interval.map(|i| i.0.to_string())
                    data-hi=h.interval.map(|i| i.1.to_string()) data-inside=inside.map(|i| if i { "inside" } else { "outside" })
                    data-decades=decades.to_string() class:outside=inside == Some(false)>
                    <td>{name.unwrap_or_else(|| trf("line {0}", &[&line]))}</td>
                    <td>{trim_number(h.predicted, 4)}</td>
                    <td>{trim_number(h.actual, 4)}</td>
                    <td>{format!("{:+.1} %", 100.0 * h.error)}</td>
                    <td>{h.interval.map(|(lo, hi)| format!("{} – {}", trim_number(lo, 4), trim_number(hi, 4)))}
                        {inside.map(|i| format!(" {}", tr(if i { "✓ inside" } else { "✗ outside" })))}</td>
                    <td class="muted">{(decades > 0.0).then(|| trf("{0} decades", &[&trim_number(decades, 2)]))}</td>
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <table class="compare held-out" data-testid="held-out">
            <caption>{tr("Runs left out of the fit (#), as the law predicts them")}</caption>
            <thead><tr>
                <th>{tr("run")}</th><th>{tr("predicted")}</th><th>{tr("actual")}</th><th>{tr("error")}</th>
                <th>{tr("one new run, 95%")}</th><th>{trf("past the fitted runs ({0})", &[fit.law.x.symbol()])}</th>
            </tr></thead>
            <tbody>{rows}</tbody>
        </table>
        {(all > checks_shown).then(|| view! {
            <p class="muted small" data-testid="held-out-more" data-all=all.to_string()>
                {trf("The {0} furthest out of {1} held-out rows.", &[&checks_shown.to_string(), &all.to_string()])}
            </p>
        })}
        {(with_interval > 0).then(|| view! {
            <p class="muted small" data-testid="held-out-summary" data-inside=landed.to_string() data-of=with_interval.to_string()>
                {summary}
            </p>
        })}
    })
}

/// The law with its numbers in place, e.g. `L = 10.8 · N^(−0.0814)` (each form's own formula;
/// factors left out of a fit are not shown).
pub fn law_with_values(law: &crate::engine::law::Law) -> String {
    law.formula_with(&format_param)
}

/// Where the preset's numbers come from, and its caveat.
#[component]
pub fn PresetNote() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    view! {
        // The note belongs to the preset's own data: once the person pastes theirs, it goes.
        {move || presets::find(&inputs.preset.get())
            .filter(|p| inputs.text.with(|t| t == p.data()))
            .map(|p| view! {
            <aside class="preset-note">
                <p><strong>{move || tr(p.title)}</strong></p>
                <p class="citation">{move || tr("Source:")}" "{move || tr(p.citation)}</p>
                <p class="caveat">{move || tr("Caveat:")}" "{move || tr(p.caveat)}</p>
            </aside>
        })}
    }
}

/// For laws of N and D: the compute-optimal exponents N_opt ∝ C^a, D_opt ∝ C^b, with their
/// bootstrap intervals when there are some.
fn exponents_line(
    law: &crate::engine::law::Law,
    boot: Option<&crate::engine::fit::bootstrap::Bootstrap>,
) -> Option<impl IntoView> {
    use crate::engine::plan::{frontier_exponents, is_two_variable, DEFAULT_FLOP_PER_PARAM_TOKEN};
    use crate::engine::units::trim_number;
    if !is_two_variable(law) {
        return None;
    }
    let of = |l: &crate::engine::law::Law| {
        frontier_exponents(l, 1e23, DEFAULT_FLOP_PER_PARAM_TOKEN).ok()
    };
    let (a, b) = of(law)?;
    let interval = |which: usize| {
        boot.and_then(|bt| {
            bt.derived_interval(law, 0.95, |l| {
                of(l).map(|e| if which == 0 { e.0 } else { e.1 })
            })
        })
        .map(|(lo, hi)| format!(" [{}, {}]", trim_number(lo, 3), trim_number(hi, 3)))
        .unwrap_or_default()
    };
    let text = format!(
        "N_opt ∝ C^{}{} · D_opt ∝ C^{}{}",
        trim_number(a, 3),
        interval(0),
        trim_number(b, 3),
        interval(1)
    );
    Some(view! {
        <p class="stats" data-testid="frontier-exponents" data-a=a.to_string() data-b=b.to_string()>
            {move || tr("Compute-optimal exponents:")}" "{text}
        </p>
    })
}
