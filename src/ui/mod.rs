//! The page: Leptos components over the engine. Data flows one way:
//! text → parsed dataset (memo) → fit (memo) → shown fit (memo keeping the last good one)
//! → prediction and chart (memo) → canvas (effect).

mod canvas;
mod chart_view;
mod compare;
mod controls;
mod cost;
mod export;
mod i18n;
mod plan;
mod share;
mod summary;
mod table;
mod uncertainty;

use crate::engine::columns::ColumnMap;
use crate::engine::dataset::{parse_dataset_mapped, DataError, Dataset};
use crate::engine::fit::{
    self, Fit, FitError, FitOptions, Loss, LossError, Starts, DEFAULT_ASYMMETRIC_WEIGHT,
    DEFAULT_HUBER_DELTA,
};
use crate::engine::flops::FlopConvention;
use crate::engine::law::{ModelId, Variable};
use crate::engine::presets::{self, Preset};
use crate::engine::share::ShareState;
use crate::engine::units::{parse_quantity, UnitError};
use i18n::tr;
use leptos::prelude::*;

pub use chart_view::ChartView;
pub use controls::{DataInput, ModelControls, PredictInput, PresetPicker};
pub use plan::{PlanInputs, PlanPanel};
pub use share::{EmbedView, SharePanel};
pub use summary::{FitStatus, FitSummary, PresetNote};
pub use uncertainty::{BootRun, BootstrapPanel};

/// Mounts the app on the page's body.
pub fn mount() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_notice();
    }));
    register_service_worker();
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

/// Registers `sw.js`, which keeps the page working offline after the first visit. Browsers
/// without service workers (or outside a secure context) simply go without.
fn register_service_worker() {
    let navigator = window().navigator();
    let has = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if !has {
        return;
    }
    let promise = navigator.service_worker().register("./sw.js");
    // Before mounting there is no Leptos executor yet: use the browser's microtask queue.
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
    pub predict_text: RwSignal<String>,
    pub preset: RwSignal<String>,
    /// Linear instead of logarithmic chart axes.
    pub linear_x: RwSignal<bool>,
    pub linear_y: RwSignal<bool>,
}

impl Inputs {
    /// Signals holding a state's choices (an unedited preset's text is reloaded by id).
    fn from_state(state: &ShareState) -> Inputs {
        let inputs = Inputs {
            text: RwSignal::new(String::new()),
            columns: RwSignal::new(ColumnMap::default()),
            model: RwSignal::new(ModelId::Power),
            x: RwSignal::new(Variable::N),
            loss: RwSignal::new(Loss::LeastSquares),
            delta_text: RwSignal::new(String::new()),
            weight_text: RwSignal::new(String::new()),
            starts: RwSignal::new(Starts::Auto),
            predict_text: RwSignal::new(String::new()),
            preset: RwSignal::new(String::new()),
            linear_x: RwSignal::new(false),
            linear_y: RwSignal::new(false),
        };
        inputs.apply(state);
        inputs
    }

    /// Sets every input from a state; unknown ids fall back to the defaults.
    pub fn apply(&self, state: &ShareState) {
        let text = match presets::find(&state.preset) {
            Some(p) if state.text.is_empty() => p.data(),
            _ => state.text.clone(),
        };
        self.text.set(text);
        self.columns.set(ColumnMap::from_ids(&state.columns));
        self.model
            .set(state.model.parse().unwrap_or(ModelId::Power));
        self.x.set(state.x.parse().unwrap_or(Variable::N));
        self.loss
            .set(Loss::from_id(&state.loss).unwrap_or(Loss::LeastSquares));
        self.delta_text.set(state.delta.clone());
        self.weight_text.set(state.weight.clone());
        self.starts
            .set(state.starts.parse().unwrap_or(Starts::Auto));
        self.predict_text.set(state.predict.clone());
        self.preset.set(state.preset.clone());
        self.linear_x.set(state.linear_x);
        self.linear_y.set(state.linear_y);
    }

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
        let model = self.model.get_untracked();
        let can_plan = !model.is_single_variable() || self.x.get_untracked() == Variable::C;
        if own && can_plan {
            if let Some(plan) = use_context::<PlanInputs>() {
                if plan.law.get_untracked() != "fit" {
                    plan.law.set("fit".into());
                }
            }
        }
    }

    /// Loads a preset into the inputs and the planning panel.
    pub fn load(&self, preset: &Preset) {
        let state = preset_state(preset);
        self.apply(&state);
        if let Some(plan) = use_context::<PlanInputs>() {
            plan.apply(&state);
        }
    }

    /// The choices as a state (an unedited preset's text is left out: it reloads by id).
    pub fn write(&self, state: &mut ShareState) {
        let preset = self.preset.get();
        let text = self.text.get();
        state.text = match presets::find(&preset) {
            Some(p) if p.data() == text => String::new(),
            _ => text,
        };
        state.preset = preset;
        state.columns = self.columns.with(ColumnMap::to_ids);
        state.model = self.model.get().id().to_string();
        state.x = self.x.get().symbol().to_string();
        state.loss = self.loss.get().id().to_string();
        state.delta = self.delta_text.get();
        state.weight = self.weight_text.get();
        state.starts = self.starts.get().id().to_string();
        state.predict = self.predict_text.get();
        state.linear_x = self.linear_x.get();
        state.linear_y = self.linear_y.get();
    }
}

/// The state a preset opens with.
pub fn preset_state(preset: &Preset) -> ShareState {
    ShareState {
        text: String::new(),
        model: preset.model.id().to_string(),
        x: preset.x.symbol().to_string(),
        loss: fit::default_loss(preset.model).id().to_string(),
        delta: DEFAULT_HUBER_DELTA.to_string(),
        weight: DEFAULT_ASYMMETRIC_WEIGHT.to_string(),
        predict: preset.predict_at.to_string(),
        preset: preset.id.to_string(),
        plan_law: preset.plan_law.to_string(),
        budget: preset.budget.to_string(),
        ..ShareState::default()
    }
}

/// The result of the current inputs: a fit, or why there is none.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// The data, its fit, and the time the fit took in milliseconds.
    Fitted(Box<(Dataset, Fit, f64)>),
    /// No data text at all.
    Empty,
    /// A problem in the data text (row and column).
    DataProblem(DataError),
    /// The data parses but cannot be fitted with these options.
    FitProblem(FitError),
}

/// What the page derives from the inputs.
#[derive(Clone, Copy)]
pub struct Derived {
    /// The data text parsed (once, for everything that reads the data).
    pub parsed: Memo<Result<Dataset, DataError>>,
    pub options: Memo<Result<FitOptions, FitError>>,
    pub outcome: Memo<Outcome>,
    /// The fit on screen: the current one, or the last good one when the current data fails.
    pub shown: Memo<Option<(Dataset, Fit)>>,
    /// The prediction target typed (None while the field is empty).
    pub target: Memo<Result<Option<f64>, UnitError>>,
}

impl Derived {
    fn new(inputs: Inputs) -> Derived {
        let parsed = Memo::new(move |_| {
            let columns = inputs.columns.get();
            inputs
                .text
                .with(|t| parse_dataset_mapped(t, FlopConvention::default(), &columns))
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
            })
        });
        let outcome = Memo::new(move |_| {
            if inputs.text.with(|t| t.trim().is_empty()) {
                return Outcome::Empty;
            }
            let data = match parsed.get() {
                Ok(d) => d,
                Err(e) => return Outcome::DataProblem(e),
            };
            let options = match options.get() {
                Ok(o) => o,
                Err(e) => return Outcome::FitProblem(e),
            };
            let clock = js_sys::Date::now();
            match fit::fit(&data, &options) {
                Ok(f) => Outcome::Fitted(Box::new((data, f, js_sys::Date::now() - clock))),
                Err(e) => Outcome::FitProblem(e),
            }
        });
        let shown =
            Memo::new(
                move |previous: Option<&Option<(Dataset, Fit)>>| match outcome.get() {
                    Outcome::Fitted(both) => Some((both.0, both.1)),
                    // No data at all (a preset without runs): nothing is stale, nothing is shown.
                    Outcome::Empty => None,
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
        Derived {
            parsed,
            options,
            outcome,
            shown,
            target,
        }
    }

    /// True when the fit on screen does not belong to the current data.
    pub fn stale(&self) -> bool {
        !matches!(self.outcome.get(), Outcome::Fitted(_))
    }
}

/// Whether the page is the compact `?embed=1` view (provided as a context).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embedded(pub bool);

/// The whole calculator (or, with `?embed=1`, its compact view for an iframe).
#[component]
pub fn App() -> impl IntoView {
    let start = share::initial_state();
    let inputs = Inputs::from_state(&start.state);
    let plan = PlanInputs::from_state(&start.state);
    provide_context(plan);
    provide_context(inputs);
    let derived = Derived::new(inputs);
    provide_context(derived);
    provide_context(RwSignal::new(BootRun::default()));
    provide_context(i18n::initial_lang(&start.state));
    provide_context(share::current_state());
    provide_context(Embedded(start.embed));
    provide_context(table::TableView::new());
    share::keep_saved(&start);
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
                <BootstrapPanel/>
                <PresetNote/>
            </section>
            <div class="wide">
                <PlanPanel/>
            </div>
            <section class="panel wide" aria-label=move || tr("Share")>
                <SharePanel/>
            </section>
        </main>
        <footer class="foot">
            {move || tr("Everything runs in this page; nothing is sent anywhere. Your work is kept in this browser's storage.")}
        </footer>
    }
    .into_any()
}
