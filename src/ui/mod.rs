//! The page: Leptos components over the engine. Data flows one way:
//! text → parsed dataset (memo) → fit (memo) → shown fit (memo keeping the last good one)
//! → prediction and chart (memo) → canvas (effect).

mod chart_view;
mod controls;
mod plan;
mod summary;
mod uncertainty;

use crate::engine::dataset::{parse_dataset, DataError, Dataset};
use crate::engine::fit::{
    self, Fit, FitOptions, Loss, Starts, DEFAULT_ASYMMETRIC_WEIGHT, DEFAULT_HUBER_DELTA,
};
use crate::engine::law::{ModelId, Variable};
use crate::engine::presets::{self, Preset};
use crate::engine::units::parse_quantity;
use leptos::prelude::*;

pub use chart_view::ChartView;
pub use controls::{DataInput, ModelControls, PredictInput, PresetPicker};
pub use plan::{PlanInputs, PlanPanel};
pub use summary::{FitStatus, FitSummary, PresetNote};
pub use uncertainty::{BootRun, BootstrapPanel};

/// Mounts the app on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

/// What the person has chosen: the only state of the page; everything else is derived.
#[derive(Clone, Copy)]
pub struct Inputs {
    pub text: RwSignal<String>,
    pub model: RwSignal<ModelId>,
    pub x: RwSignal<Variable>,
    /// `least-squares`, `huber` or `asymmetric`.
    pub loss: RwSignal<String>,
    pub delta_text: RwSignal<String>,
    pub weight_text: RwSignal<String>,
    pub starts: RwSignal<Starts>,
    pub predict_text: RwSignal<String>,
    pub preset: RwSignal<String>,
}

impl Inputs {
    fn from_preset(preset: &Preset) -> Inputs {
        Inputs {
            text: RwSignal::new(preset.data()),
            model: RwSignal::new(preset.model),
            x: RwSignal::new(preset.x),
            loss: RwSignal::new(fit::default_loss(preset.model).id().to_string()),
            delta_text: RwSignal::new(DEFAULT_HUBER_DELTA.to_string()),
            weight_text: RwSignal::new(DEFAULT_ASYMMETRIC_WEIGHT.to_string()),
            starts: RwSignal::new(Starts::Auto),
            predict_text: RwSignal::new(preset.predict_at.to_string()),
            preset: RwSignal::new(preset.id.to_string()),
        }
    }

    /// Loads a preset into the inputs and the planning panel.
    pub fn load(&self, preset: &Preset) {
        if let Some(plan) = use_context::<PlanInputs>() {
            plan.law.set(preset.plan_law.to_string());
            plan.budget.set(preset.budget.to_string());
        }
        self.text.set(preset.data());
        self.model.set(preset.model);
        self.x.set(preset.x);
        self.loss
            .set(fit::default_loss(preset.model).id().to_string());
        self.predict_text.set(preset.predict_at.to_string());
        self.preset.set(preset.id.to_string());
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
    FitProblem(String),
}

/// What the page derives from the inputs.
#[derive(Clone, Copy)]
pub struct Derived {
    pub options: Memo<Result<FitOptions, String>>,
    pub outcome: Memo<Outcome>,
    /// The fit on screen: the current one, or the last good one when the current data fails.
    pub shown: Memo<Option<(Dataset, Fit)>>,
    pub target: Memo<Result<f64, String>>,
}

impl Derived {
    fn new(inputs: Inputs) -> Derived {
        let parsed = Memo::new(move |_| inputs.text.with(|t| parse_dataset(t)));
        let options = Memo::new(move |_| {
            let loss = match inputs.loss.get().as_str() {
                "huber" => {
                    let delta = inputs
                        .delta_text
                        .with(|d| parse_quantity(d))
                        .map_err(|e| format!("Huber delta: {e}"))?;
                    Loss::Huber { delta }
                }
                "asymmetric" => {
                    let weight = inputs
                        .weight_text
                        .with(|w| parse_quantity(w))
                        .map_err(|e| format!("asymmetric weight: {e}"))?;
                    Loss::Asymmetric { weight }
                }
                _ => Loss::LeastSquares,
            };
            Ok::<_, String>(FitOptions {
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
                Err(e) => Outcome::FitProblem(e.0),
            }
        });
        let shown =
            Memo::new(
                move |previous: Option<&Option<(Dataset, Fit)>>| match outcome.get() {
                    Outcome::Fitted(both) => Some((both.0, both.1)),
                    _ => previous.cloned().flatten(),
                },
            );
        let target = Memo::new(move |_| {
            inputs.predict_text.with(|t| {
                if t.trim().is_empty() {
                    Err(String::new())
                } else {
                    parse_quantity(t).map_err(|e| e.to_string())
                }
            })
        });
        Derived {
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

/// The preset named by `?preset=ID` in the page's address, if any.
fn query_preset() -> Option<&'static Preset> {
    let search = window().location().search().ok()?;
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    presets::find(&params.get("preset")?)
}

/// The whole calculator.
#[component]
pub fn App() -> impl IntoView {
    let preset = query_preset().unwrap_or(&presets::ALL[0]);
    let inputs = Inputs::from_preset(preset);
    let derived = Derived::new(inputs);
    provide_context(PlanInputs::new(preset.plan_law, preset.budget));
    provide_context(inputs);
    provide_context(derived);
    provide_context(RwSignal::new(BootRun::default()));
    view! {
        <header class="top">
            <div class="brand">
                <h1>"Scaling-law calculator"</h1>
                <p class="tagline">"Fit L(N, D, C) to your runs, extrapolate, and plan — all in your browser."</p>
            </div>
            <PresetPicker/>
        </header>
        <main class="layout">
            <div class="column">
                <section class="panel data-panel" aria-label="Data">
                    <DataInput/>
                    <ModelControls/>
                </section>
                <PlanPanel/>
            </div>
            <section class="panel result-panel" aria-label="Fit">
                <ChartView/>
                <PredictInput/>
                <FitStatus/>
                <FitSummary/>
                <BootstrapPanel/>
                <PresetNote/>
            </section>
        </main>
        <footer class="foot">
            "Everything runs in this page; nothing is sent anywhere."
        </footer>
    }
}
