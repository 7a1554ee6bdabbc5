//! Fitting off the page's thread: the current request goes to the fitting worker, typing is
//! debounced, and the newest request wins (a running fit is cancelled, a late answer dropped).
//! While a fit runs the outcome is `Running` and the last good fit stays on screen.

use super::worker;
use super::Outcome;
use crate::engine::dataset::Dataset;
use crate::engine::fit::FitOptions;
use crate::engine::work::{Reply, Request};
use leptos::prelude::*;
use std::cell::Cell;

/// How long the inputs must stay unchanged before a fit is sent: one fit for a burst of input
/// events (a paste an IME or a test tool delivers as many events, fast typing).
const DEBOUNCE_MILLIS: u32 = 60;

/// The worker job that fits (one worker: a new fit cancels the running one).
pub const JOB: &str = "fit";

thread_local! {
    /// Counts requests: an answer or a timer belonging to an older one is dropped.
    static GENERATION: Cell<u64> = const { Cell::new(0) };
    /// The next request is sent at once: its text came whole (a paste, a drop, a file).
    static AT_ONCE: Cell<bool> = const { Cell::new(false) };
}

/// Sends the next fit without waiting for the typing to settle: the text arrived in one piece
/// (a paste or a drop in the box, a file), so the worker fits while the page lays out the new
/// text instead of after it.
pub fn fit_at_once() {
    AT_ONCE.with(|a| a.set(true));
}

/// The outcome of the newest request, and how many fits were sent. The first request (the
/// page opening) and text that came whole ([`fit_at_once`]) are sent at once; later ones after
/// [`DEBOUNCE_MILLIS`] of quiet.
pub fn fit_in_worker(request: Memo<Result<(Dataset, FitOptions), Outcome>>) -> Fitting {
    let outcome = RwSignal::new(Outcome::Running);
    let fits = RwSignal::new(0usize);
    // How far a long fit has come (starts polished, starts in all).
    let progress = RwSignal::new(None::<(usize, usize)>);
    Effect::new(move |opened: Option<()>| {
        let this = GENERATION.with(|g| {
            g.set(g.get() + 1);
            g.get()
        });
        let current = move || GENERATION.with(Cell::get) == this;
        let at_once = opened.is_none() || AT_ONCE.with(|a| a.replace(false));
        match request.get() {
            Err(settled) => {
                worker::cancel(JOB);
                outcome.set(settled);
            }
            Ok((data, options)) => {
                if !matches!(outcome.get_untracked(), Outcome::Running) {
                    outcome.set(Outcome::Running);
                }
                let send = move || {
                    if !current() {
                        return;
                    }
                    fits.update(|n| *n += 1);
                    progress.set(None);
                    let shown = data.clone();
                    let request = Request::Fit { data, options };
                    let tell: crate::engine::fit::starts::Progress =
                        Box::new(move |done, total| {
                            if current() {
                                progress.set(Some((done, total)));
                            }
                        });
                    worker::run_with_progress(JOB, request, Some(tell), move |reply| {
                        if !current() {
                            return;
                        }
                        progress.set(None);
                        if let Reply::Fit { result, millis } = reply {
                            outcome.set(match result {
                                Ok(fit) => Outcome::Fitted(Box::new((shown, *fit, millis))),
                                Err(e) => Outcome::FitProblem(e),
                            });
                        }
                    });
                };
                if at_once {
                    send();
                } else {
                    gloo_timers::callback::Timeout::new(DEBOUNCE_MILLIS, send).forget();
                }
            }
        }
    });
    Fitting {
        outcome,
        fits: fits.read_only(),
        progress: progress.read_only(),
    }
}

/// What the fitting effect keeps up to date.
pub struct Fitting {
    pub outcome: RwSignal<Outcome>,
    /// Fits sent to the worker.
    pub fits: ReadSignal<usize>,
    /// How far a long fit has come: (starts polished, starts in all).
    pub progress: ReadSignal<Option<(usize, usize)>>,
}

/// Stops the fit under way (the person's Cancel): its worker is ended, a fit waiting for the
/// typing to settle is dropped, and the last good fit stays, marked as stale, until an input
/// changes.
pub fn cancel(outcome: RwSignal<Outcome>) {
    GENERATION.with(|g| g.set(g.get() + 1));
    worker::cancel(JOB);
    if matches!(outcome.get_untracked(), Outcome::Running) {
        outcome.set(Outcome::Cancelled);
    }
}
