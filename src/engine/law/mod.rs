//! The model forms: each is one [`Form`] value in its own file (formula, parameters, the
//! columns it needs, its solver parametrisation, starts, and closed forms), registered in
//! [`ModelId::form`]. Adding a form = a file here, a line in [`ModelId`], and its texts.
//!
//! Fitting works in an internal parametrisation θ (logs of the scales); a [`Law`] speaks the
//! natural units people read: A, B, E, exponents.

mod broken_power;
mod chinchilla;
mod data_constrained;
mod form;
mod kaplan;
mod kaplan_joint;
mod multiplicative;
mod plateau_power;
mod power;
mod power_offset;
mod saturating;
mod shifted_power;
mod skaling;

pub use chinchilla::{epoch_grid, projected_starts};
pub use form::{finite_or_far, Form, Internal, Link, StartPlan, Symbols, FAR_RESIDUAL};

use super::dataset::{Dataset, Point, Quantity};
use super::fit::FitError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Model ids, as used by the page's select, the share link and the CLI.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ModelId {
    /// L = A · X^(−alpha)
    Power,
    /// L = E + A · X^(−alpha)
    PowerOffset,
    /// L = (Xc / X)^alpha
    Kaplan,
    /// L = [ (Nc/N)^(alphaN/alphaD) + Dc/D ]^alphaD
    KaplanJoint,
    /// L = E + A / N^alpha + B / D^beta
    Chinchilla,
    /// L = k · N^(−a) · D^(−b) · C^(−c) (only the columns present)
    Multiplicative,
    /// P = 1 / (1 + (X0 / X)^alpha)
    Saturating,
    /// L = E + A X^(−alpha) (1 + (X/Xb)^(1/f))^(−gamma f)
    BrokenPower,
    /// L = E + A (X + s)^(−alpha)
    ShiftedPower,
    /// L = (E + I g) / (1 + g), g = A X^(−alpha)
    PlateauPower,
    /// L = E + A (N^(−alpha) + R D^(−beta))^k
    Skaling,
    /// L = E + A / N'^alpha + B / D'^beta, N' and D' from N, D and U
    DataConstrained,
}

impl ModelId {
    pub const ALL: [ModelId; 12] = [
        ModelId::Power,
        ModelId::PowerOffset,
        ModelId::Kaplan,
        ModelId::KaplanJoint,
        ModelId::Chinchilla,
        ModelId::Multiplicative,
        ModelId::Saturating,
        ModelId::BrokenPower,
        ModelId::ShiftedPower,
        ModelId::PlateauPower,
        ModelId::Skaling,
        ModelId::DataConstrained,
    ];

    /// Everything about the form: its one definition.
    pub fn form(self) -> &'static dyn Form {
        match self {
            ModelId::Power => &power::Power,
            ModelId::PowerOffset => &power_offset::PowerOffset,
            ModelId::Kaplan => &kaplan::Kaplan,
            ModelId::KaplanJoint => &kaplan_joint::KaplanJoint,
            ModelId::Chinchilla => &chinchilla::Chinchilla,
            ModelId::Multiplicative => &multiplicative::Multiplicative,
            ModelId::Saturating => &saturating::Saturating,
            ModelId::BrokenPower => &broken_power::BrokenPower,
            ModelId::ShiftedPower => &shifted_power::ShiftedPower,
            ModelId::PlateauPower => &plateau_power::PlateauPower,
            ModelId::Skaling => &skaling::Skaling,
            ModelId::DataConstrained => &data_constrained::DataConstrained,
        }
    }

    /// Whether data with these columns can take this form, and the column it then fits: the
    /// response the form predicts (L; P for bounded metrics, where a loss column of fractions
    /// serves too) and every column it reads ([`Form::needs`]). The one place that decides
    /// which forms apply: fitting ([`crate::engine::fit::problem::Problem::new`]) and the
    /// page's choice of forms ([`offered`]) both ask here.
    pub fn applies(self, x: Variable, data: &Dataset) -> Result<Quantity, FitError> {
        let model = self;
        let form = self.form();
        let response = form.response();
        let response = if response == Quantity::P && !data.has(Quantity::P) {
            // A loss that is itself a fraction may be fitted as a bounded metric.
            let all_fractions = data
                .included()
                .all(|p| p.l.is_some_and(|l| l > 0.0 && l < 1.0));
            if data.has(Quantity::L) && all_fractions {
                Quantity::L
            } else {
                return Err(FitError::NeedsFraction { model });
            }
        } else if !data.has(response) {
            return Err(FitError::NoLoss { model });
        } else {
            response
        };
        for q in form.needs(x) {
            if !data.has(q) {
                return Err(FitError::NeedsColumn { model, column: q });
            }
        }
        Ok(response)
    }

    /// The id used by the page's select, share links and the command line.
    pub fn id(self) -> &'static str {
        self.form().id()
    }

    /// Parameter names in natural units, in the order of docs/CONTRACT.md.
    pub fn param_names(self) -> &'static [&'static str] {
        self.form().param_names()
    }

    /// Single-variable forms take the chosen X; the others read N, D (and C) themselves.
    pub fn is_single_variable(self) -> bool {
        self.form().is_single_variable()
    }

    /// The quantity the law predicts: P for `saturating`, L for the others.
    pub fn response(self) -> Quantity {
        self.form().response()
    }

    /// The formula as people write it, with X the chosen variable.
    pub fn formula(self, x: Variable) -> String {
        let form = self.form();
        form.formula(&Symbols::names(x, form.symbols()))
    }
}

impl fmt::Display for ModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for ModelId {
    type Err = UnknownId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ModelId::ALL
            .into_iter()
            .find(|m| m.id() == s)
            .ok_or_else(|| UnknownId::new(Choice::Model, s))
    }
}

/// Which kind of choice an id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Model,
    Variable,
    Starts,
}

impl Choice {
    /// The ids this choice accepts, in the order lists show them.
    pub fn ids(self) -> Vec<&'static str> {
        match self {
            Choice::Model => ModelId::ALL.iter().map(|m| m.id()).collect(),
            Choice::Variable => Variable::ALL.iter().map(|v| v.symbol()).collect(),
            Choice::Starts => super::fit::Starts::ALL.iter().map(|s| s.id()).collect(),
        }
    }
}

/// An id that names no model, variable or way of starting (said in words by `text`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownId {
    pub choice: Choice,
    pub given: String,
}

impl UnknownId {
    pub fn new(choice: Choice, given: &str) -> UnknownId {
        UnknownId {
            choice,
            given: given.to_string(),
        }
    }
}

impl fmt::Display for UnknownId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

impl std::error::Error for UnknownId {}

/// Why parameter values do not make a law (said in words by `text`).
#[derive(Clone, Debug, PartialEq)]
pub enum LawError {
    /// The form has a different number of parameters.
    Count { model: ModelId, got: usize },
    /// The parameter at `index` is infinite or NaN.
    NotFinite { model: ModelId, index: usize },
}

impl fmt::Display for LawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

impl std::error::Error for LawError {}

/// Every form with the reason the data cannot take it (None: offered). A single-variable
/// form is judged on the chosen X if the data has it, else on the first of N, D, C it has
/// (the variable is a separate choice). When the data can take no form at all (no loss and
/// no metric column), every form is offered and the fit says why.
pub fn offered(x: Variable, data: &Dataset) -> Vec<(ModelId, Option<FitError>)> {
    let single = if data.has(x.quantity()) {
        x
    } else {
        Variable::ALL
            .into_iter()
            .find(|v| data.has(v.quantity()))
            .unwrap_or(x)
    };
    let verdicts: Vec<(ModelId, Option<FitError>)> = ModelId::ALL
        .into_iter()
        .map(|m| {
            let x = if m.is_single_variable() { single } else { x };
            (m, m.applies(x, data).err())
        })
        .collect();
    if verdicts.iter().all(|(_, why)| why.is_some()) {
        ModelId::ALL.into_iter().map(|m| (m, None)).collect()
    } else {
        verdicts
    }
}

/// Forms not offered for the same reason, said once for all of them ("chinchilla and skaling
/// need the column D"), from [`offered`]'s verdicts in their order.
#[derive(Clone, Debug, PartialEq)]
pub struct NotOffered {
    pub models: Vec<ModelId>,
    /// The first model's reason; the others' differ only in the model named.
    pub reason: FitError,
}

/// [`offered`]'s refusals, those with the same reason (a missing column, a missing fraction
/// column) grouped.
pub fn not_offered(verdicts: &[(ModelId, Option<FitError>)]) -> Vec<NotOffered> {
    /// What a reason says apart from the model it names (None: said one model at a time).
    fn shared(reason: &FitError) -> Option<(u8, Option<Quantity>)> {
        match reason {
            FitError::NeedsColumn { column, .. } => Some((0, Some(*column))),
            FitError::NeedsFraction { .. } => Some((1, None)),
            FitError::NoLoss { .. } => Some((2, None)),
            _ => None,
        }
    }
    let mut groups: Vec<NotOffered> = Vec::new();
    for (model, why) in verdicts {
        let Some(why) = why else { continue };
        let key = shared(why);
        match groups
            .iter_mut()
            .find(|g| key.is_some() && shared(&g.reason) == key)
        {
            Some(group) => group.models.push(*model),
            None => groups.push(NotOffered {
                models: vec![*model],
                reason: why.clone(),
            }),
        }
    }
    groups
}

/// The single variable of the one-variable forms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Variable {
    #[default]
    N,
    D,
    C,
}

impl Variable {
    pub const ALL: [Variable; 3] = [Variable::N, Variable::D, Variable::C];

    pub fn symbol(self) -> &'static str {
        match self {
            Variable::N => "N",
            Variable::D => "D",
            Variable::C => "C",
        }
    }

    pub fn quantity(self) -> Quantity {
        match self {
            Variable::N => Quantity::N,
            Variable::D => Quantity::D,
            Variable::C => Quantity::C,
        }
    }
}

impl FromStr for Variable {
    type Err = UnknownId;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "N" => Ok(Variable::N),
            "D" => Ok(Variable::D),
            "C" => Ok(Variable::C),
            _ => Err(UnknownId::new(Choice::Variable, s)),
        }
    }
}

/// Where to evaluate a law: the scales a point has.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Inputs {
    pub n: Option<f64>,
    pub d: Option<f64>,
    pub c: Option<f64>,
    /// Unique tokens, for data-constrained laws.
    pub u: Option<f64>,
}

impl Inputs {
    pub fn of(point: &Point) -> Inputs {
        Inputs {
            n: point.n,
            d: point.d,
            c: point.c,
            u: point.u,
        }
    }

    pub fn get(&self, v: Variable) -> Option<f64> {
        match v {
            Variable::N => self.n,
            Variable::D => self.d,
            Variable::C => self.c,
        }
    }

    /// Only the chosen variable set.
    pub fn single(v: Variable, value: f64) -> Inputs {
        let mut i = Inputs::default();
        match v {
            Variable::N => i.n = Some(value),
            Variable::D => i.d = Some(value),
            Variable::C => i.c = Some(value),
        }
        i
    }
}

/// A law with values: a model form, its variable and its parameters in natural units
/// (in the order of [`ModelId::param_names`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Law {
    pub model: ModelId,
    pub x: Variable,
    pub params: Vec<f64>,
}

impl Law {
    pub fn new(model: ModelId, x: Variable, params: Vec<f64>) -> Result<Law, LawError> {
        if params.len() != model.param_names().len() {
            return Err(LawError::Count {
                model,
                got: params.len(),
            });
        }
        if let Some(index) = params.iter().position(|p| !p.is_finite()) {
            return Err(LawError::NotFinite { model, index });
        }
        Ok(Law { model, x, params })
    }

    /// The value of the named parameter.
    pub fn param(&self, name: &str) -> Option<f64> {
        let i = self.model.param_names().iter().position(|n| *n == name)?;
        self.params.get(i).copied()
    }

    /// The law's value at `at`, or None when a needed input is missing.
    pub fn value(&self, at: &Inputs) -> Option<f64> {
        self.model.form().value(&self.params, self.x, at)
    }

    /// The form's formula in symbols, without the factors this law leaves out (exponent 0).
    pub fn formula(&self) -> String {
        let form = self.model.form();
        let mut symbols = Symbols::names(self.x, form.symbols());
        symbols.values = Some(self.params.clone());
        form.formula(&symbols)
    }

    /// The formula with this law's numbers in place, each written by `number`.
    pub fn formula_with(&self, number: &dyn Fn(f64) -> String) -> String {
        self.model
            .form()
            .formula(&Symbols::values(self.x, &self.params, number))
    }
}
