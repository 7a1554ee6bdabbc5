//! The page: Leptos components over the engine. Data flows one way:
//! text → parsed dataset (memo) → fit (memo) → shown fit (memo keeping the last good one)
//! → prediction and chart (memo) → canvas (effect).

mod backtest;
mod beyond;
mod canvas;
mod chart_view;
mod compare;
mod controls;
mod cost;
mod export;
mod fitting;
mod i18n;
mod isoflop;
mod plan;
mod share;
mod state;
mod summary;
mod table;
mod task;
mod uncertainty;
mod worker;

use crate::engine::columns::ColumnMap;
use crate::engine::dataset::{DataError, Dataset, Quantity, RawTable};
use crate::engine::fit::{Constraints, Fit, FitError, FitOptions, Loss, LossError, Starts};
use crate::engine::flops::FlopConvention;
use crate::engine::law::{ModelId, Variable};
use crate::engine::presets;
use crate::engine::units::{parse_quantity, UnitError};
use i18n::tr;
use leptos::prelude::*;

pub use chart_view::ChartView;
pub use controls::{DataInput, ModelControls, PredictInput, PresetPicker};
pub use plan::{PlanInputs, PlanPanel};
pub use share::{EmbedView, SharePanel};
pub use state::{preset_state, PageState, PlanLaw};
pub use summary::{FitStatus, FitSummary, PresetNote};
pub use uncertainty::{BootRun, BootstrapPanel};

/// Mounts the app on the page's body.
pub fn mount() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_notice();
    }));
    // The fitting worker starts loading now, while the page renders.
    worker::prewarm(fitting::JOB);
    leptos::mount::mount_to_body(App);
}

/// After an internal error the page's code has stopped: a plain notice (in both languages, as
/// the language setting may be unreadable) offers to reload without the link that led here;
/// the person's saved work was not replaced by the state that failed.
fn show_crash_notice() {
    let Some(root) = document().document_element() else {
        return;
    };
    let page = window().location().pathname().unwrap_or_default();
    let html = format!(
        "<div class=\"crash\" role=\"alert\" data-testid=\"crash\">\
         The calculator hit an internal error and stopped. Your saved work is kept. \
         計算器發生內部錯誤而停止；你儲存的工作內容仍保留。 \
         <a href=\"{page}\">Reload with your saved work · 以儲存的工作內容重新載入</a></div>"
    );
    let _ = root.insert_adjacent_html("afterbegin", &html);
}

/// Registers `sw.js` once the page's first fit is settled (shown, or found impossible) and the
/// page is idle: its install fetches the page and every asset again to keep them, and done at
/// once it held a cold load's first chart back by 50-70 ms (scripts/bench-page.sh).
fn register_service_worker_when_settled(derived: Derived) {
    Effect::new(move |registered: Option<bool>| {
        if registered == Some(true) {
            return true;
        }
        if derived.outcome.with(|o| matches!(o, Outcome::Running)) {
            return false;
        }
        when_idle(register_service_worker);
        true
    });
}

/// Runs `f` when the page's thread is next idle (`requestIdleCallback`, at most
/// [`IDLE_WAIT_MS`] later), or in a task of its own where the browser has no idle callbacks
/// (Safari).
pub(crate) fn when_idle(f: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    let window = window();
    let has = js_sys::Reflect::has(&window, &"requestIdleCallback".into()).unwrap_or(false);
    if has {
        let callback = wasm_bindgen::closure::Closure::once_into_js(f);
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(IDLE_WAIT_MS);
        let _ = window.request_idle_callback_with_options(callback.unchecked_ref(), &options);
    } else {
        set_timeout(f, std::time::Duration::ZERO);
    }
}

/// The longest an idle task waits for the page to be idle, in milliseconds.
const IDLE_WAIT_MS: u32 = 500;

/// Registers `sw.js`, which keeps the page working offline after the first visit. Browsers
/// without service workers (or outside a secure context) simply go without.
fn register_service_worker() {
    let navigator = window().navigator();
    let has = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !has {
        return;
    }
    let promise = navigator.service_worker().register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(e) = wasm_bindgen_futures::JsFuture::from(promise).await {
            leptos::logging::warn!("offline support unavailable: {e:?}");
        }
    });
}

/// What the person has chosen: the only state of the page; everything else is derived.
#[derive(Clone, Copy)]
pub struct Inputs {
    pub text: RwSignal<String>,
    /// What the person chose each column to hold (their header text is left as written).
    pub columns: RwSignal<ColumnMap>,
    pub model: RwSignal<ModelId>,
    pub x: RwSignal<Variable>,
    /// The kind of loss (its setting is read from `delta_text` or `weight_text`).
    pub loss: RwSignal<Loss>,
    pub delta_text: RwSignal<String>,
    pub weight_text: RwSignal<String>,
    pub starts: RwSignal<Starts>,
    /// Parameters held at values, as typed (`E=1.69`).
    pub fix_text: RwSignal<String>,
    /// Parameters tied equal, as typed (`alpha=beta`).
    pub tie_text: RwSignal<String>,
    pub predict_text: RwSignal<String>,
    /// The task-loss and accuracy columns of the task chain (blank: the first `_bpb`, `_acc`).
    pub task_loss: RwSignal<String>,
    pub task_accuracy: RwSignal<String>,
    /// The task chain's step-1 law (one of `engine::task::loss_models`).
    pub task_model: RwSignal<ModelId>,
    pub preset: RwSignal<String>,
    /// Linear instead of logarithmic chart axes.
    pub linear_x: RwSignal<bool>,
    pub linear_y: RwSignal<bool>,
}

impl Inputs {
    /// The person's own text replaces the data (typed, pasted, loaded or edited in the table).
    /// Once it is no longer the preset's data, the planner plans with their fit when its form
    /// can plan (a law of N and D, or of C): their runs, not a published law, are the question.
    /// Column choices for headers the new text no longer has are forgotten.
    pub fn enter_text(&self, text: String) {
        let own = presets::find(&self.preset.get_untracked()).is_none_or(|p| p.data() != text);
        if !self.columns.with_untracked(ColumnMap::is_empty) {
            let header = crate::engine::csv::header(&text);
            let mut columns = self.columns.get_untracked();
            columns.keep_only(&header);
            if columns != self.columns.get_untracked() {
                self.columns.set(columns);
            }
        }
        self.text.set(text);
        if own {
            self.plan_with_own_fit();
        }
    }

    /// When the data is the person's own (not a preset's), the planner plans with their fit as
    /// soon as its form can plan (a law of N and D, or of C): after new text, and after choosing
    /// such a form for text already entered.
    pub fn plan_with_own_fit(&self) {
        let text = self.text.get_untracked();
        let own = presets::find(&self.preset.get_untracked()).is_none_or(|p| p.data() != text);
        let model = self.model.get_untracked();
        let can_plan = !model.is_single_variable() || self.x.get_untracked() == Variable::C;
        if own && can_plan && !text.trim().is_empty() {
            if let Some(plan) = use_context::<PlanInputs>() {
                if plan.law.get_untracked() != PlanLaw::Fit {
                    plan.law.set(PlanLaw::Fit);
                }
            }
        }
    }
}

/// The result of the current inputs: a fit, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The data, its fit, and the time the fit took in milliseconds.
    Fitted(Box<(Dataset, Fit, f64)>),
    /// No data text at all.
    Empty,
    /// Runs without a loss or metric column (a table for planning): nothing to fit.
    Unmeasured,
    /// A problem in the data text (row and column).
    DataProblem(DataError),
    /// The data parses but cannot be fitted with these options.
    FitProblem(FitError),
    /// A fit of the current data is under way in the worker.
    Running,
    /// The person cancelled the fit of the current data.
    Cancelled,
}

/// What the page derives from the inputs.
#[derive(Clone, Copy)]
pub struct Derived {
    /// The data text split into cells (once per change: the data table shows it, and the
    /// dataset is read from it).
    pub table: Memo<RawTable>,
    /// The data parsed (once, for everything that reads the data).
    pub parsed: Memo<Result<Dataset, DataError>>,
    pub options: Memo<Result<FitOptions, FitError>>,
    /// Set by the fitting worker's answers (and at once when there is nothing to fit).
    pub outcome: ReadSignal<Outcome>,
    /// Where the outcome is written (for cancelling a fit).
    outcome_writer: RwSignal<Outcome>,
    /// Fits sent to the worker since the page opened.
    pub fits: ReadSignal<usize>,
    /// How far a long fit has come: (starts polished, starts in all).
    pub progress: ReadSignal<Option<(usize, usize)>>,
    /// The fit on screen: the current one, or the last good one when the current data fails.
    pub shown: Memo<Option<(Dataset, Fit)>>,
    /// The prediction target typed (None while the field is empty).
    pub target: Memo<Result<Option<f64>, UnitError>>,
    /// Whether the current data could not be fitted (a memo: readers of it are not woken by
    /// the outcome going from one fit to `Running` and back).
    failed: Memo<bool>,
}

impl Derived {
    fn new(inputs: Inputs) -> Derived {
        let table = Memo::new(move |_| inputs.text.with(|t| RawTable::parse(t)));
        let parsed = Memo::new(move |_| {
            let columns = inputs.columns.get();
            table.with(|t| Dataset::from_table(t, FlopConvention::default(), &columns))
        });
        let options = Memo::new(move |_| {
            let loss = match inputs.loss.get() {
                Loss::Huber { .. } => {
                    let delta = inputs
                        .delta_text
                        .with(|d| parse_quantity(d))
                        .map_err(|e| FitError::Loss(LossError::DeltaText(e)))?;
                    Loss::Huber { delta }
                }
                Loss::Asymmetric { .. } => {
                    let weight = inputs
                        .weight_text
                        .with(|w| parse_quantity(w))
                        .map_err(|e| FitError::Loss(LossError::WeightText(e)))?;
                    Loss::Asymmetric { weight }
                }
                Loss::LeastSquares => Loss::LeastSquares,
            };
            Ok::<_, FitError>(FitOptions {
                model: inputs.model.get(),
                x: inputs.x.get(),
                loss,
                starts: inputs.starts.get(),
                constraints: inputs
                    .fix_text
                    .with(|fix| inputs.tie_text.with(|tie| Constraints::parse(fix, tie)))
                    .map_err(FitError::Constraint)?,
            })
        });
        // What to fit, or the outcome at once when there is nothing to fit.
        let request = Memo::new(move |_| {
            if inputs.text.with(|t| t.trim().is_empty()) {
                return Err(Outcome::Empty);
            }
            let data = parsed.get().map_err(Outcome::DataProblem)?;
            if !data.has(Quantity::L) && !data.has(Quantity::P) {
                return Err(Outcome::Unmeasured);
            }
            let options = options.get().map_err(Outcome::FitProblem)?;
            Ok((data, options))
        });
        let fitting::Fitting {
            outcome,
            fits,
            progress,
        } = fitting::fit_in_worker(request);
        let shown =
            Memo::new(
                move |previous: Option<&Option<(Dataset, Fit)>>| match outcome.get() {
                    Outcome::Fitted(both) => Some((both.0, both.1)),
                    // No data, or no losses (a preset without runs to fit): nothing is
                    // stale, nothing is shown.
                    Outcome::Empty | Outcome::Unmeasured => None,
                    // Running, or failed: the last good fit stays.
                    _ => previous.cloned().flatten(),
                },
            );
        let target = Memo::new(move |_| {
            inputs.predict_text.with(|t| {
                if t.trim().is_empty() {
                    Ok(None)
                } else {
                    parse_quantity(t).map(Some)
                }
            })
        });
        let failed = Memo::new(move |_| {
            outcome.with(|o| {
                matches!(
                    o,
                    Outcome::DataProblem(_) | Outcome::FitProblem(_) | Outcome::Cancelled
                )
            })
        });
        Derived {
            table,
            parsed,
            options,
            outcome: outcome.read_only(),
            outcome_writer: outcome,
            fits,
            progress,
            shown,
            target,
            failed,
        }
    }

    /// True when the current data could not be fitted and the fit on screen is the last good
    /// one. A fit still running is not stale: the screen keeps the last fit unmarked (no
    /// redraw per keystroke) while the status says a new one is on its way.
    pub fn stale(&self) -> bool {
        self.failed.get()
    }

    /// Stops the fit under way; the last good fit stays, marked as stale.
    pub fn cancel_fit(&self) {
        fitting::cancel(self.outcome_writer);
    }

    /// True while a fit of the current inputs runs in the worker.
    pub fn running(&self) -> bool {
        self.outcome.with(|o| matches!(o, Outcome::Running))
    }
}

/// Whether the page is the compact `?embed=1` view (provided as a context).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embedded(pub bool);

/// The whole calculator (or, with `?embed=1`, its compact view for an iframe).
/// Its children, once the page has painted (two animation frames after it mounts): the first
/// layout and the first chart wait only for the panels on screen at once, not for the closed
/// panels and the planner below them.
#[component]
fn AfterFirstPaint(children: ChildrenFn) -> impl IntoView {
    let painted = RwSignal::new(false);
    request_animation_frame(move || request_animation_frame(move || painted.set(true)));
    view! { <Show when=move || painted.get()>{children()}</Show> }
}

#[component]
pub fn App() -> impl IntoView {
    let start = share::initial_state();
    let page = PageState::new(&start.state);
    provide_context(page);
    provide_context(page.plan);
    provide_context(page.inputs);
    provide_context(page.lang);
    let derived = Derived::new(page.inputs);
    provide_context(derived);
    register_service_worker_when_settled(derived);
    provide_context(RwSignal::new(BootRun::default()));
    provide_context(RwSignal::new(backtest::BacktestRun::default()));
    provide_context(share::current_state());
    provide_context(Embedded(start.embed));
    provide_context(table::TableView::new());
    let borrowed = share::keep_saved(&start);
    if start.embed {
        return view! { <EmbedView/> }.into_any();
    }
    let notice = RwSignal::new(start.notice);
    let (drag_over, drop_file) = table::drop_handlers();
    view! {
        <header class="top">
            <div class="brand">
                <h1>{move || tr("Scaling-law calculator")}</h1>
                <p class="tagline">{move || tr("Fit L(N, D, C) to your runs, extrapolate, and plan — all in your browser.")}</p>
            </div>
            <div class="header-controls">
                <PresetPicker/>
                <i18n::LangPicker/>
            </div>
        </header>
        {move || notice.get().map(|text| view! {
            <div class="notice" role="alert" data-testid="notice">
                <span>{i18n::say(&text)}</span>
                // A shared page the person wants as their own: keep it in place of their saved work.
                {matches!(text, crate::text::Said::SavedWorkKept).then(|| view! {
                    <button type="button" data-testid="keep-this" on:click=move |_| {
                        borrowed.set(false);
                        notice.set(None);
                    }>{move || tr("Keep this page as my work")}</button>
                })}
                <button type="button" class="secondary" on:click=move |_| notice.set(None)>{move || tr("Dismiss")}</button>
            </div>
        })}
        <main class="layout">
            <section class="panel data-panel" aria-label=move || tr("Data") on:dragover=drag_over on:drop=drop_file>
                <DataInput/>
                // The law, its variable and loss come right after the data they fit (a few tab
                // stops away), before the file loader and the table's many cells.
                <ModelControls/>
                <table::FileLoader/>
                <table::DataTable/>
            </section>
            <section class="panel result-panel" aria-label=move || tr("Fit")>
                <ChartView/>
                <PredictInput/>
                <FitStatus/>
                <FitSummary/>
                <AfterFirstPaint>
                    <BootstrapPanel/>
                    <backtest::BacktestPanel/>
                    <isoflop::IsoFlopPanel/>
                    <task::TaskPanel/>
                </AfterFirstPaint>
                <PresetNote/>
            </section>
            <AfterFirstPaint>
                <div class="wide">
                    <PlanPanel/>
                </div>
                <section class="panel wide" aria-label=move || tr("Share")>
                    <SharePanel/>
                </section>
            </AfterFirstPaint>
        </main>
        <footer class="foot">
            {move || tr("Everything runs in this page; nothing is sent anywhere. Your work is kept in this browser's storage.")}
        </footer>
    }
    .into_any()
}
