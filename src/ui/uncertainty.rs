//! The bootstrap in the page: its resamples are split in chunks across a pool of Web Workers
//! (one per core, up to eight), with progress and cancel; the page never freezes. Resample i
//! is the same whichever worker runs it, and the chunks are joined in order, so the intervals
//! do not depend on the number of cores. Its result belongs to the fit it was started on.

use super::i18n::{tr, trf};
use super::worker::{self, Pool};
use super::Derived;
use crate::engine::fit::bootstrap::Bootstrap;
use crate::engine::work::{Reply, Request};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::rc::Rc;

/// The pool's workers (jobs of [`worker::run`]); as many are used as the browser has cores.
const POOL: &[&str] = &[
    "bootstrap-0",
    "bootstrap-1",
    "bootstrap-2",
    "bootstrap-3",
    "bootstrap-4",
    "bootstrap-5",
    "bootstrap-6",
    "bootstrap-7",
];

/// The seed of the page's bootstraps.
const SEED: u64 = 20_240_417;

/// The chunks of a bootstrap answered so far, by index.
type Parts = Rc<RefCell<BTreeMap<usize, Bootstrap>>>;

thread_local! {
    /// The bootstrap under way, with its chunks answered so far.
    static RUNNING: RefCell<Option<(Rc<Pool>, Parts)>> = const { RefCell::new(None) };
}

/// Chunks joined in the order of their resamples.
fn joined(parts: &BTreeMap<usize, Bootstrap>) -> Bootstrap {
    let mut all = Bootstrap::default();
    for part in parts.values() {
        all.samples.extend(part.samples.iter().cloned());
        all.failed += part.failed;
    }
    all
}

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
        let options = fit.options();
        // A run already under way gives way to this one.
        if let Some((previous, _)) = RUNNING.with(|r| r.borrow_mut().take()) {
            previous.cancel();
        }
        run.set(BootRun {
            key: Some(key_of(&fit)),
            total,
            done: 0,
            running: true,
            result: Bootstrap::default(),
        });
        // Small enough chunks for steady progress and balance, large enough to be cheap.
        let chunk = (total / (worker::pool_size(POOL.len()) * 8)).clamp(2, 250);
        // (first resample, count) of each chunk.
        let chunks: Vec<(usize, usize)> = (0..total)
            .step_by(chunk)
            .map(|first| (first, chunk.min(total - first)))
            .collect();
        let requests: Vec<Request> = chunks
            .iter()
            .map(|&(first, count)| Request::Bootstrap {
                data: data.clone(),
                options: options.clone(),
                fit: Box::new(fit.clone()),
                seed: SEED,
                first,
                count,
            })
            .collect();
        let parts = Rc::new(RefCell::new(BTreeMap::new()));
        let published_at = Rc::new(Cell::new(worker::now()));
        let answered = parts.clone();
        let pool = Pool::start(POOL, requests, move |index, reply| {
            let part = match reply {
                Reply::Bootstrap(Ok(part)) => part,
                // The data of a shown fit always makes a problem; count the chunk as failed.
                _ => Bootstrap {
                    samples: Vec::new(),
                    failed: chunks[index].1,
                },
            };
            answered.borrow_mut().insert(index, part);
            let parts = answered.borrow();
            let done: usize = parts.values().map(|p| p.samples.len() + p.failed).sum();
            let finished = done >= total;
            // Progress at every chunk; the intervals once a second and at the end.
            let publish = finished || worker::now() - published_at.get() > 1000.0;
            if publish {
                published_at.set(worker::now());
            }
            let snapshot = publish.then(|| joined(&parts));
            run.update(|r| {
                r.done = done;
                if let Some(result) = snapshot {
                    r.result = result;
                }
                if finished {
                    r.running = false;
                }
            });
        });
        RUNNING.with(|r| *r.borrow_mut() = Some((pool, parts)));
    };
    // A cancelled run keeps what it has (its intervals say how many resamples they rest on).
    let cancel = move |_| {
        let kept = RUNNING
            .with(|r| r.borrow_mut().take())
            .map(|(pool, parts)| {
                pool.cancel();
                joined(&parts.borrow())
            });
        run.update(|r| {
            r.running = false;
            if let Some(result) = kept {
                r.result = result;
            }
        });
    };
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
                    on:focus=move |_| Pool::prewarm(POOL)
                    on:input=move |ev| count_text.set(event_target_value(&ev)) aria-invalid=move || count().is_none().to_string()/>
            </label>
            {move || if running() {
                view! { <button type="button" data-testid="bootstrap-cancel" on:click=cancel>{move || tr("Cancel")}</button> }.into_any()
            } else {
                view! { <button type="button" data-testid="bootstrap-run" on:click=start
                    on:pointerenter=move |_| Pool::prewarm(POOL) on:focus=move |_| Pool::prewarm(POOL) disabled=move || count().is_none() || derived.stale() || derived.running() || derived.shown.with(Option::is_none)>{move || tr("Run bootstrap")}</button> }.into_any()
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
