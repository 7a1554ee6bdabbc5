//! The inputs: data text, form and loss, prediction target, preset.

use super::i18n::{say, tr, trf};
use super::{Derived, Inputs, Outcome};
use crate::engine::fit::{Loss, Starts};
use crate::engine::law::{not_offered, offered, ModelId, Variable};
use crate::engine::presets;
use crate::engine::units::trim_number;
use leptos::prelude::*;

/// The data box: CSV or TSV with a header row; refits as the text changes.
#[component]
pub fn DataInput() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let derived = expect_context::<Derived>();
    let table = use_context::<super::table::TableView>();
    let on_input = move |ev: leptos::ev::Event| {
        // Pasted or dropped text is new data, whole: it is fitted at once, and the table
        // starts at its first page.
        let input_type = js_sys::Reflect::get(&ev, &"inputType".into())
            .ok()
            .and_then(|t| t.as_string())
            .unwrap_or_default();
        let whole = input_type.starts_with("insertFrom");
        let text = event_target_value(&ev);
        // (Text that did not change sends no fit: no flag may be left for the next keystroke.)
        if whole && inputs.text.with_untracked(|t| *t != text) {
            super::fitting::fit_at_once();
        }
        inputs.enter_text(text);
        if whole {
            if let Some(table) = table {
                table.show_start();
            }
        }
    };
    let problem = move || match derived.outcome.get() {
        Outcome::DataProblem(e) => Some(say(&e)),
        _ => None,
    };
    view! {
        <label for="data-input" class="field-label">{move || tr("Data (CSV or TSV, header row: N, D, C, L …)")}</label>
        <textarea
            id="data-input"
            data-testid="data-input"
            class="data-input"
            spellcheck="false"
            rows="10"
            prop:value=move || inputs.text.get()
            on:input=on_input
            aria-describedby="data-help"
        ></textarea>
        <p id="data-help" class="help">
            {move || tr("Numbers may carry units: 1.5B, 300e9, 3.14e23, 3640 PF-days. A row starting with # is kept but left out of the fit.")}
        </p>
        {move || problem().map(|message| view! {
            <p class="input-error" data-testid="input-error" role="alert">{message}</p>
        })}
    }
}

/// The form, the variable and the loss. Only the forms the data's columns can take are
/// offered (`engine::law::offered` decides); the others are disabled, each with its reason
/// as a title, and named in a note under the controls.
#[component]
pub fn ModelControls() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let derived = expect_context::<Derived>();
    let verdicts = Memo::new(move |_| {
        derived.parsed.with(|parsed| match parsed {
            Ok(data) => offered(inputs.x.get(), data),
            Err(_) => ModelId::ALL.iter().map(|m| (*m, None)).collect(),
        })
    });
    let why_not = move |m: ModelId| {
        verdicts.with(|v| {
            v.iter()
                .find(|(id, _)| *id == m)
                .and_then(|(_, w)| w.clone())
        })
    };
    let not_offered = move || {
        let list: Vec<String> = verdicts.with(|v| not_offered(v).iter().map(say).collect());
        (!list.is_empty()).then(|| trf("Not offered for these columns: {0}.", &[&list.join("; ")]))
    };
    let on_model = move |ev| {
        if let Ok(m) = event_target_value(&ev).parse::<ModelId>() {
            inputs.model.set(m);
            inputs.loss.set(crate::engine::fit::default_loss(m));
            inputs.plan_with_own_fit();
        }
    };
    let on_x = move |ev| {
        if let Ok(x) = event_target_value(&ev).parse::<Variable>() {
            inputs.x.set(x);
            inputs.plan_with_own_fit();
        }
    };
    let on_loss = move |ev| {
        if let Some(loss) = Loss::from_id(&event_target_value(&ev)) {
            inputs.loss.set(loss);
        }
    };
    let loss_label = |loss: Loss| match loss {
        Loss::LeastSquares => "least squares",
        Loss::Huber { .. } => "Huber",
        Loss::Asymmetric { .. } => "lower envelope (asymmetric)",
    };
    let on_delta = move |ev| inputs.delta_text.set(event_target_value(&ev));
    let on_weight = move |ev| inputs.weight_text.set(event_target_value(&ev));
    let on_fix = move |ev| inputs.fix_text.set(event_target_value(&ev));
    let on_tie = move |ev| inputs.tie_text.set(event_target_value(&ev));
    let names = move || inputs.model.get().param_names().join(", ");
    let on_starts = move |ev| {
        if let Ok(s) = event_target_value(&ev).parse::<Starts>() {
            inputs.starts.set(s);
        }
    };
    let single = move || inputs.model.get().is_single_variable();
    let x_label = move || tr(if single() { "Variable X" } else { "Chart axis" });
    view! {
        <div class="controls">
            <label class="control">
                <span>{move || tr("Law")}</span>
                <select data-testid="model-select" on:change=on_model prop:value=move || inputs.model.get().id().to_string()>
                    {ModelId::ALL.iter().map(|m| view! {
                        <option value=m.id() selected=move || inputs.model.get() == *m
                            disabled=move || why_not(*m).is_some() && inputs.model.get() != *m
                            title=move || why_not(*m).map(|e| say(&e))>{m.id()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="control">
                <span>{x_label}</span>
                <select data-testid="x-select" on:change=on_x prop:value=move || inputs.x.get().symbol().to_string()>
                    {Variable::ALL.iter().map(|v| view! {
                        <option value=v.symbol() selected=move || inputs.x.get() == *v>{v.symbol()}</option>
                    }).collect_view()}
                </select>
            </label>
            <label class="control">
                <span>{move || tr("Loss on log residuals")}</span>
                <select data-testid="loss-select" on:change=on_loss prop:value=move || inputs.loss.get().id()>
                    {Loss::ALL.into_iter().map(|loss| view! {
                        <option value=loss.id() selected=move || inputs.loss.get().id() == loss.id()>{move || tr(loss_label(loss))}</option>
                    }).collect_view()}
                </select>
            </label>
            {move || match inputs.loss.get() {
                Loss::Huber { .. } => view! {
                    <label class="control">
                        <span>{move || tr("Huber δ")}</span>
                        <input data-testid="huber-delta" type="text" inputmode="decimal" prop:value=move || inputs.delta_text.get() on:input=on_delta/>
                    </label>
                }.into_any(),
                Loss::Asymmetric { .. } => view! {
                    <label class="control">
                        <span>{move || tr("weight above points")}</span>
                        <input data-testid="asymmetric-weight" type="text" inputmode="decimal" prop:value=move || inputs.weight_text.get() on:input=on_weight/>
                    </label>
                }.into_any(),
                Loss::LeastSquares => ().into_any(),
            }}
            <label class="control">
                <span>{move || tr("Hold fixed")}</span>
                <input data-testid="fit-fix" type="text" spellcheck="false" autocomplete="off"
                    placeholder=move || trf("e.g. {0}", &["E=1.69"])
                    title=move || trf("Hold parameters at values while the others are fitted: NAME=VALUE, separated by commas. Parameters: {0}.", &[&names()])
                    prop:value=move || inputs.fix_text.get() on:input=on_fix/>
            </label>
            <label class="control">
                <span>{move || tr("Tie equal")}</span>
                <input data-testid="fit-tie" type="text" spellcheck="false" autocomplete="off"
                    placeholder=move || trf("e.g. {0}", &["alpha=beta"])
                    title=move || trf("Fit two parameters as one (the form Gadre et al. and Muennighoff et al. fit): NAME=NAME. Parameters: {0}.", &[&names()])
                    prop:value=move || inputs.tie_text.get() on:input=on_tie/>
            </label>
            {move || not_offered().map(|text| view! {
                <p class="help models-not-offered" data-testid="models-not-offered" style="grid-column: 1 / -1; margin: 0">{text}</p>
            })}
            {move || (inputs.model.get() == ModelId::Chinchilla).then(|| view! {
                <label class="control">
                    <span>{move || tr("Starts")}</span>
                    <select data-testid="starts-select" on:change=on_starts>
                        <option value="auto" selected=move || inputs.starts.get() == Starts::Auto>{move || tr("auto (fast)")}</option>
                        <option value="epoch-grid" selected=move || inputs.starts.get() == Starts::EpochGrid>{move || tr("Epoch grid (4,500 starts)")}</option>
                    </select>
                </label>
            })}
        </div>
    }
}

/// The target to predict at.
#[component]
pub fn PredictInput() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let derived = expect_context::<Derived>();
    let on_input = move |ev| inputs.predict_text.set(event_target_value(&ev));
    let problem = move || derived.target.get().err();
    let boot = super::uncertainty::current_bootstrap();
    let plan_law = super::plan::plan_law();
    // The fit's law, or with nothing fitted the published law planned with.
    let law = move || {
        derived
            .shown
            .get()
            .map(|(_, fit)| fit.law)
            .or_else(|| plan_law.get().map(|(law, _)| law))
            .filter(|law| law.model.is_single_variable())
    };
    let label = move || {
        let x = law().map_or(inputs.x.get(), |l| l.x);
        trf("Predict at {0} =", &[x.symbol()])
    };
    let prediction = move || {
        let target = derived.target.get().ok().flatten()?;
        let law = law()?;
        let value = crate::engine::plan::predict(&law, target).filter(|v| v.is_finite())?;
        let interval = boot
            .get()
            .filter(|_| derived.shown.get().is_some())
            .and_then(|b| {
                b.derived_interval(&law, 0.95, |l| crate::engine::plan::predict(l, target))
            });
        // One new run's 95 % range: the runs' scatter around the law and the law's own
        // uncertainty (engine::fit::prediction).
        let one_run = derived.shown.get().and_then(|(_, fit)| {
            let at = crate::engine::law::Inputs::single(fit.law.x, target);
            crate::engine::fit::prediction::one_run_interval(&fit, &at, boot.get().as_ref())
        });
        Some((value, interval, one_run))
    };
    // How far out the prediction is, against the runs of the fit on screen.
    let reach = move || {
        let target = derived.target.get().ok().flatten()?;
        let (data, fit) = derived.shown.get()?;
        crate::engine::reach::reach(&data, fit.law.x, target)
    };
    // Past the furthest extrapolation the chosen law's backtest tested (ordered by this law's
    // variable): the backtest says nothing about a prediction this far out.
    let tested = super::backtest::tested_reach();
    let past_backtest = move || {
        let (by, tested) = tested.get()?;
        match reach()? {
            crate::engine::reach::Reach::Beyond {
                variable, decades, ..
            } if variable == by && decades > tested + 1e-9 => Some((decades, tested)),
            _ => None,
        }
    };
    let single = move || law().is_some();
    view! {
        <div class="predict" class:hidden=move || !single()>
            <label class="control inline">
                <span>{label}</span>
                <input data-testid="predict-input" type="text" placeholder="175B" prop:value=move || inputs.predict_text.get() on:input=on_input/>
            </label>
            {move || prediction().map(|(v, interval, one_run)| view! {
                <span class="prediction">
                    <span class="muted">{move || format!("{} ≈ ", inputs.model.get().response().symbol())}</span>
                    <strong data-testid="prediction" data-value=v.to_string()>{crate::engine::units::format_value(v)}</strong>
                    {interval.map(|(lo, hi)| view! {
                        <span class="muted" data-testid="prediction-interval" data-lo=lo.to_string() data-hi=hi.to_string()>
                            {format!(" {}", trf("mean curve 95% (bootstrap): {0} – {1}", &[&crate::engine::units::format_value(lo), &crate::engine::units::format_value(hi)]))}
                        </span>
                    })}
                    {one_run.map(|(lo, hi)| view! {
                        <span class="muted" data-testid="prediction-run-interval" data-lo=lo.to_string() data-hi=hi.to_string()
                            title=move || tr("The mean curve's range is where the law itself lies, given your runs; one new run's range also holds the scatter single runs show around the law, so it never narrows below that scatter.")>
                            {format!(" {}", trf("one new run 95%: {0} – {1}", &[&crate::engine::units::format_value(lo), &crate::engine::units::format_value(hi)]))}
                        </span>
                    })}
                </span>
            })}
            {move || reach().map(|r| {
                let decades = match r {
                    crate::engine::reach::Reach::Beyond { decades, .. } => decades,
                    crate::engine::reach::Reach::Below { decades, .. } => -decades,
                };
                view! { <span class="muted small reach" data-testid="prediction-reach" data-decades=decades.to_string()>{say(&r)}</span> }
            })}
            {move || past_backtest().map(|(decades, tested)| view! {
                <span class="muted small reach" data-testid="prediction-past-backtest" data-tested=tested.to_string()>
                    {trf("No backtest cut reached this far: the furthest held-out run was {0} decades past its cut, this prediction is {1} decades past your largest run.", &[&trim_number(tested, 2), &trim_number(decades, 2)])}
                </span>
            })}
            {move || problem().map(|e| view! { <span class="input-error small">{say(&e)}</span> })}
        </div>
    }
}

/// The preset picker: loads a published dataset and law.
#[component]
pub fn PresetPicker() -> impl IntoView {
    let page = expect_context::<super::PageState>();
    let inputs = page.inputs;
    let on_change = move |ev| {
        if let Some(p) = presets::find(&event_target_value(&ev)) {
            page.load(p);
        } else {
            inputs.preset.set(String::new());
        }
    };
    view! {
        <label class="control preset">
            <span>{move || tr("Preset")}</span>
            <select data-testid="preset-select" on:change=on_change prop:value=move || inputs.preset.get()>
                <option value="" selected=move || inputs.preset.get().is_empty()>{move || tr("— your own data —")}</option>
                {presets::ALL.iter().map(|p| view! {
                    <option value=p.id selected=move || inputs.preset.get() == p.id>{move || tr(p.title)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
