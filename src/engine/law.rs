//! The model forms of docs/CONTRACT.md: their formulas, parameters in natural units, values.
//!
//! Fitting works in an internal parametrisation (logs of the scales, see `fit::problem`);
//! everything here speaks the natural units people read: A, B, E, exponents.

use super::dataset::{Point, Quantity};
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
}

impl ModelId {
    pub const ALL: [ModelId; 7] = [
        ModelId::Power,
        ModelId::PowerOffset,
        ModelId::Kaplan,
        ModelId::KaplanJoint,
        ModelId::Chinchilla,
        ModelId::Multiplicative,
        ModelId::Saturating,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ModelId::Power => "power",
            ModelId::PowerOffset => "power-offset",
            ModelId::Kaplan => "kaplan",
            ModelId::KaplanJoint => "kaplan-joint",
            ModelId::Chinchilla => "chinchilla",
            ModelId::Multiplicative => "multiplicative",
            ModelId::Saturating => "saturating",
        }
    }

    /// Parameter names in the order of docs/CONTRACT.md's table.
    pub fn param_names(self) -> &'static [&'static str] {
        match self {
            ModelId::Power => &["A", "alpha"],
            ModelId::PowerOffset => &["E", "A", "alpha"],
            ModelId::Kaplan => &["Xc", "alpha"],
            ModelId::KaplanJoint => &["Nc", "Dc", "alphaN", "alphaD"],
            ModelId::Chinchilla => &["E", "A", "B", "alpha", "beta"],
            ModelId::Multiplicative => &["k", "a", "b", "c"],
            ModelId::Saturating => &["X0", "alpha"],
        }
    }

    /// Single-variable forms take the chosen X; the others read N, D (and C) themselves.
    pub fn is_single_variable(self) -> bool {
        matches!(
            self,
            ModelId::Power | ModelId::PowerOffset | ModelId::Kaplan | ModelId::Saturating
        )
    }

    /// The quantity the law predicts: P for `saturating`, L for the others.
    pub fn response(self) -> Quantity {
        match self {
            ModelId::Saturating => Quantity::P,
            _ => Quantity::L,
        }
    }

    /// The formula as people write it, with X the chosen variable.
    pub fn formula(self, x: Variable) -> String {
        let x = x.symbol();
        match self {
            ModelId::Power => format!("L = A · {x}^(−α)"),
            ModelId::PowerOffset => format!("L = E + A · {x}^(−α)"),
            ModelId::Kaplan => format!("L = ({x}c / {x})^α"),
            ModelId::KaplanJoint => "L = [ (Nc/N)^(αN/αD) + Dc/D ]^αD".into(),
            ModelId::Chinchilla => "L = E + A / N^α + B / D^β".into(),
            ModelId::Multiplicative => "L = k · N^(−a) · D^(−b) · C^(−c)".into(),
            ModelId::Saturating => format!("P = 1 / (1 + ({x}0 / {x})^α)"),
        }
    }
}

impl fmt::Display for ModelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for ModelId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ModelId::ALL
            .into_iter()
            .find(|m| m.id() == s)
            .ok_or_else(|| {
                let ids: Vec<&str> = ModelId::ALL.iter().map(|m| m.id()).collect();
                format!("unknown model \"{s}\" (one of: {})", ids.join(", "))
            })
    }
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
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_uppercase().as_str() {
            "N" => Ok(Variable::N),
            "D" => Ok(Variable::D),
            "C" => Ok(Variable::C),
            _ => Err(format!("unknown variable \"{s}\" (one of: N, D, C)")),
        }
    }
}

/// Where to evaluate a law: the scales a point has.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Inputs {
    pub n: Option<f64>,
    pub d: Option<f64>,
    pub c: Option<f64>,
}

impl Inputs {
    pub fn of(point: &Point) -> Inputs {
        Inputs {
            n: point.n,
            d: point.d,
            c: point.c,
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
    pub fn new(model: ModelId, x: Variable, params: Vec<f64>) -> Result<Law, String> {
        let names = model.param_names();
        if params.len() != names.len() {
            return Err(format!(
                "{model} has {} parameters ({}), got {}",
                names.len(),
                names.join(", "),
                params.len()
            ));
        }
        if let Some(i) = params.iter().position(|p| !p.is_finite()) {
            return Err(format!("parameter {} is not finite", names[i]));
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
        let p = &self.params;
        let x = at.get(self.x);
        let v = match self.model {
            ModelId::Power => p[0] * x?.powf(-p[1]),
            ModelId::PowerOffset => p[0] + p[1] * x?.powf(-p[2]),
            ModelId::Kaplan => (p[0] / x?).powf(p[1]),
            ModelId::KaplanJoint => {
                let (n, d) = (at.n?, at.d?);
                ((p[0] / n).powf(p[2] / p[3]) + p[1] / d).powf(p[3])
            }
            ModelId::Chinchilla => p[0] + p[1] / at.n?.powf(p[3]) + p[2] / at.d?.powf(p[4]),
            ModelId::Multiplicative => {
                // A zero exponent means the column is not a regressor: it may be absent.
                let factor = |value: Option<f64>, exponent: f64| {
                    if exponent == 0.0 {
                        Some(1.0)
                    } else {
                        value.map(|v| v.powf(-exponent))
                    }
                };
                p[0] * factor(at.n, p[1])? * factor(at.d, p[2])? * factor(at.c, p[3])?
            }
            ModelId::Saturating => 1.0 / (1.0 + (p[0] / x?).powf(p[1])),
        };
        Some(v)
    }
}
