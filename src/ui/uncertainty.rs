//! The bootstrap in the page: runs in chunks between frames, shows progress, can be
//! cancelled, and never freezes the page. Its result belongs to the fit it was started on.

use super::i18n::{tr, trf};
use super::Derived;
use crate::engine::fit::bootstrap::{run_chunk, Bootstrap};
use crate::engine::fit::problem::Problem;
use leptos::prelude::*;

/// Resamples a chunk aims to take, so the page stays responsive (one frame budget or so).
const CHUNK_MILLIS: f64 = 30.0;

/// A bootstrap run: started by the person, for the fit whose internal parameters are `key`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BootRun {
    /// The fit it belongs to (its internal parameters and point count).
    pub key: Option<(Vec<f64>, usize)>,
    pub total: usize,
    pub done: usize,
    pub running: bool,
    pub result: Bootstrap,
}

/// The identity of a fit, for matching a bootstrap to it.
fn key_of(fit: &crate::engine::fit::Fit) -> (Vec<f64>, usize) {
    (fit.theta.clone(), fit.points)
}

/// The bootstrap of the fit on screen, when one has finished for it (or has enough
/// resamples while running).
pub fn current_bootstrap() -> Memo<Option<Bootstrap>> {
    let derived = expect_context::<Derived>();
    let run = expect_context::<RwSignal<BootRun>>();
    Memo::new(move |_| {
        let (_, fit) = derived.shown.get()?;
        run.with(|r| {
            (r.key.as_ref() == Some(&key_of(&fit)) && r.result.samples.len() >= 20)
                .then(|| r.result.clone())
        })
    })
}

/// Run / cancel, the number of resamples, and the progress.
#[component]
pub fn BootstrapPanel() -> impl IntoView {
    let derived = expect_context::<Derived>();
    let run = expect_context::<RwSignal<BootRun>>();
    let count_text = RwSignal::new("400".to_string());
    let count = move || {
        count_text.with(|t| {
            t.trim()
                .parse::<usize>()
                .ok()
                .filter(|n| (20..=20_000).contains(n))
        })
    };
    let start = move |_| {
        let Some(total) = count() else { return };
        let Some((data, fit)) = derived.shown.get_untracked() else {
            return;
        };
        let Ok(options) = derived.options.get_untracked() else {
            return;
        };
        let Ok(problem) = Problem::new(fit.law.model, fit.law.x, &data) else {
            return;
        };
        let key = key_of(&fit);
        run.set(BootRun {
            key: Some(key.clone()),
            total,
            done: 0,
            running: true,
            result: Bootstrap::default(),
        });
        leptos::task::spawn_local(async move {
            let mut chunk = 4usize;
            let mut result = Bootstrap::default();
            let seed = 20_240_417;
            let mut published_at = js_sys::Date::now();
            while result.samples.len() + result.failed < total {
                // Stop when cancelled or when another run took over; a cancelled run keeps
                // what it has (its intervals say how many resamples they rest on).
                let still_ours = run.with_untracked(|r| r.running && r.key.as_ref() == Some(&key));
                if !still_ours {
                    if run.with_untracked(|r| r.key.as_ref() == Some(&key)) {
                        run.update(|r| r.result = result);
                    }
                    return;
                }
                let first = result.samples.len() + result.failed;
                let n = chunk.min(total - first);
                let clock = js_sys::Date::now();
                run_chunk(&problem, &options.loss, &fit, seed, first, n, &mut result);
                let spent = (js_sys::Date::now() - clock).max(0.1);
                // Aim each chunk at CHUNK_MILLIS.
                chunk = ((n as f64 * CHUNK_MILLIS / spent) as usize).clamp(1, 500);
                let done = result.samples.len() + result.failed;
                // Progress every chunk; the intervals (and the redraw they cause) once a second.
                let publish = js_sys::Date::now() - published_at > 1000.0;
                let snapshot = publish.then(|| result.clone());
                if publish {
                    published_at = js_sys::Date::now();
                }
                run.update(|r| {
                    r.done = done;
                    if let Some(s) = snapshot {
                        r.result = s;
                    }
                });
                gloo_timers::future::TimeoutFuture::new(0).await;
            }
            run.update(|r| {
                r.running = false;
                r.result = result;
            });
        });
    };
    let cancel = move |_| run.update(|r| r.running = false);
    let belongs = move || {
        let fit = derived.shown.get().map(|(_, f)| key_of(&f));
        run.with(|r| r.key.is_some() && r.key == fit)
    };
    let running = move || belongs() && run.with(|r| r.running);
    let progress = move || run.with(|r| (r.done, r.total));
    view! {
        <div class="bootstrap">
            <label class="control inline">
                <span>{move || tr("Bootstrap resamples")}</span>
                <input type="text" inputmode="numeric" data-testid="bootstrap-count" prop:value=move || count_text.get()
                    on:input=move |ev| count_text.set(event_target_value(&ev)) aria-invalid=move || count().is_none().to_string()/>
            </label>
            {move || if running() {
                view! { <button type="button" data-testid="bootstrap-cancel" on:click=cancel>{move || tr("Cancel")}</button> }.into_any()
            } else {
                view! { <button type="button" data-testid="bootstrap-run" on:click=start disabled=move || count().is_none() || derived.stale()>{move || tr("Run bootstrap")}</button> }.into_any()
            }}
            {move || (belongs()).then(|| {
                let (done, total) = progress();
                view! {
                    <progress max=total value=done data-testid="bootstrap-progress"></progress>
                    <span class="muted" data-testid="bootstrap-state" data-state=move || if running() { "running" } else { "done" }>
                        {trf("{0} / {1} resamples", &[&done.to_string(), &total.to_string()])}
                        {move || run.with(|r| (r.result.failed > 0).then(|| format!(" {}", trf("({0} failed)", &[&r.result.failed.to_string()]))))}
                    </span>
                }
            })}
            {move || count().is_none().then(|| view! { <span class="input-error small">{move || tr("20 to 20,000 resamples")}</span> })}
        </div>
    }
}
