//! The page's state: every choice a person makes, held as typed signals ([`Inputs`] for the
//! fit, [`PlanInputs`] for planning, the language), and its one mapping to and from the share
//! format ([`ShareState`]: links and saved work). No other module reads or writes a field of
//! a `ShareState`; ids that name nothing fall back to the defaults here.

use super::i18n::{initial_lang, Lang};
use super::{Inputs, PlanInputs};
use crate::engine::columns::ColumnMap;
use crate::engine::fit::{self, Loss, Starts, DEFAULT_ASYMMETRIC_WEIGHT, DEFAULT_HUBER_DELTA};
use crate::engine::law::{ModelId, Variable};
use crate::engine::presets::{self, Preset, PublishedLaw};
use crate::engine::share::ShareState;
use crate::engine::task::loss_models;
use leptos::prelude::*;

/// The law the planning panel plans with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PlanLaw {
    /// The fit on screen.
    Fit,
    /// A published law (`presets::LAWS`).
    Published(&'static PublishedLaw),
}

impl PlanLaw {
    /// `fit` or the published law's id (the select's values and the share format).
    pub fn id(self) -> &'static str {
        match self {
            PlanLaw::Fit => "fit",
            PlanLaw::Published(law) => law.id,
        }
    }

    /// The law an id names; anything else plans with the fit.
    pub fn from_id(id: &str) -> PlanLaw {
        presets::law(id).map_or(PlanLaw::Fit, PlanLaw::Published)
    }
}

/// Every choice on the page (provided as a context; `Inputs` and `PlanInputs` are too).
#[derive(Clone, Copy)]
pub struct PageState {
    pub inputs: Inputs,
    pub plan: PlanInputs,
    pub lang: RwSignal<Lang>,
}

impl PageState {
    /// Signals holding a state's choices; the language is the state's, else the browser's.
    pub fn new(state: &ShareState) -> PageState {
        let text = || RwSignal::new(String::new());
        let page = PageState {
            inputs: Inputs {
                text: text(),
                columns: RwSignal::new(ColumnMap::default()),
                model: RwSignal::new(ModelId::Power),
                x: RwSignal::new(Variable::N),
                loss: RwSignal::new(Loss::LeastSquares),
                delta_text: text(),
                weight_text: text(),
                starts: RwSignal::new(Starts::Auto),
                fix_text: text(),
                tie_text: text(),
                predict_text: text(),
                task_loss: text(),
                task_accuracy: text(),
                task_model: RwSignal::new(ModelId::Chinchilla),
                preset: text(),
                linear_x: RwSignal::new(false),
                linear_y: RwSignal::new(false),
            },
            plan: PlanInputs {
                law: RwSignal::new(PlanLaw::Fit),
                flop_k: text(),
                budget: text(),
                invert: text(),
                at_n: text(),
                at_d: text(),
                accelerator: text(),
                mfu_percent: text(),
                price: text(),
                count: text(),
                watts: text(),
                carbon: text(),
                unique_tokens: text(),
                inference_tokens: text(),
                ladder_percent: text(),
                aspect: text(),
                sequence: text(),
            },
            lang: initial_lang(Lang::from_id(&state.lang)),
        };
        page.apply(state);
        page
    }

    /// Sets every choice from a state (an unedited preset's text is reloaded by id). The
    /// language stays as it is: loading a preset or resetting does not change it.
    pub fn apply(&self, state: &ShareState) {
        let (inputs, plan) = (self.inputs, self.plan);
        let text = match presets::find(&state.preset) {
            Some(p) if state.text.is_empty() => p.data().to_string(),
            _ => state.text.clone(),
        };
        inputs.text.set(text);
        inputs.columns.set(ColumnMap::from_ids(&state.columns));
        inputs
            .model
            .set(state.model.parse().unwrap_or(ModelId::Power));
        inputs.x.set(state.x.parse().unwrap_or(Variable::N));
        inputs
            .loss
            .set(Loss::from_id(&state.loss).unwrap_or(Loss::LeastSquares));
        inputs.delta_text.set(state.delta.clone());
        inputs.weight_text.set(state.weight.clone());
        inputs
            .starts
            .set(state.starts.parse().unwrap_or(Starts::Auto));
        inputs.fix_text.set(state.fix.clone());
        inputs.tie_text.set(state.tie.clone());
        inputs.predict_text.set(state.predict.clone());
        inputs.task_loss.set(state.task_loss.clone());
        inputs.task_accuracy.set(state.task_accuracy.clone());
        inputs.task_model.set(
            state
                .task_model
                .parse()
                .ok()
                .filter(|m| loss_models().any(|f| f == *m))
                .unwrap_or(ModelId::Chinchilla),
        );
        inputs.preset.set(state.preset.clone());
        inputs.linear_x.set(state.linear_x);
        inputs.linear_y.set(state.linear_y);

        plan.law.set(PlanLaw::from_id(&state.plan_law));
        plan.flop_k.set(state.flop_k.clone());
        plan.budget.set(state.budget.clone());
        plan.invert.set(state.invert.clone());
        plan.at_n.set(state.at_n.clone());
        plan.at_d.set(state.at_d.clone());
        plan.accelerator.set(state.accelerator.clone());
        plan.mfu_percent.set(state.mfu.clone());
        plan.price.set(state.price.clone());
        plan.count.set(state.count.clone());
        plan.watts.set(state.watts.clone());
        plan.carbon.set(state.carbon.clone());
        plan.unique_tokens.set(state.unique_tokens.clone());
        plan.inference_tokens.set(state.inference_tokens.clone());
        plan.ladder_percent.set(state.ladder_percent.clone());
        plan.aspect.set(state.aspect.clone());
        plan.sequence.set(state.sequence.clone());
    }

    /// Loads a preset: its data, law and planning choices.
    pub fn load(&self, preset: &Preset) {
        self.apply(&preset_state(preset));
    }

    /// The choices as a state (tracked). An unedited preset's text is left out: it reloads
    /// by id, which keeps links short.
    pub fn share(&self) -> ShareState {
        let (inputs, plan) = (self.inputs, self.plan);
        let preset = inputs.preset.get();
        let text = inputs.text.get();
        ShareState {
            text: match presets::find(&preset) {
                Some(p) if p.data() == text => String::new(),
                _ => text,
            },
            preset,
            columns: inputs.columns.with(ColumnMap::to_ids),
            model: inputs.model.get().id().to_string(),
            x: inputs.x.get().symbol().to_string(),
            loss: inputs.loss.get().id().to_string(),
            delta: inputs.delta_text.get(),
            weight: inputs.weight_text.get(),
            starts: inputs.starts.get().id().to_string(),
            fix: inputs.fix_text.get(),
            tie: inputs.tie_text.get(),
            predict: inputs.predict_text.get(),
            task_loss: inputs.task_loss.get(),
            task_accuracy: inputs.task_accuracy.get(),
            task_model: inputs.task_model.get().id().to_string(),
            linear_x: inputs.linear_x.get(),
            linear_y: inputs.linear_y.get(),
            lang: self.lang.get().id().to_string(),
            plan_law: plan.law.get().id().to_string(),
            flop_k: plan.flop_k.get(),
            budget: plan.budget.get(),
            invert: plan.invert.get(),
            at_n: plan.at_n.get(),
            at_d: plan.at_d.get(),
            accelerator: plan.accelerator.get(),
            mfu: plan.mfu_percent.get(),
            price: plan.price.get(),
            count: plan.count.get(),
            watts: plan.watts.get(),
            carbon: plan.carbon.get(),
            unique_tokens: plan.unique_tokens.get(),
            inference_tokens: plan.inference_tokens.get(),
            ladder_percent: plan.ladder_percent.get(),
            aspect: plan.aspect.get(),
            sequence: plan.sequence.get(),
            ..ShareState::default()
        }
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
