//! Parameters a fit holds at a given value (`--fix E=1.69`) or ties together
//! (`--tie alpha=beta`, the form Gadre et al. 2024 and Muennighoff et al. 2023 fit).
//!
//! The solvers see a reduced vector φ: every free internal parameter has its own entry, a tied
//! one shares its partner's entry, and a fixed one has none. θ = expand(φ); the gradient in φ is
//! the sum of the gradients in θ over the entries sharing it.

use super::problem::Problem;
use crate::engine::law::{Internal, ModelId};
use serde::{Deserialize, Serialize};

/// A parameter held at a value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Fixed {
    pub name: String,
    pub value: f64,
}

/// Two parameters constrained equal (`follower` takes `leader`'s value).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tie {
    pub leader: String,
    pub follower: String,
}

/// What a fit holds fixed and ties: empty by default (every parameter free).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Constraints {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<Fixed>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tied: Vec<Tie>,
}

/// Why constraints cannot be used: a value with its names, said in words by `text`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ConstraintError {
    /// Not of the form NAME=VALUE (or NAME=NAME for a tie).
    Syntax { text: String },
    /// The value given for a fixed parameter is not a finite number.
    BadValue { name: String, text: String },
    /// The form has no parameter of that name.
    UnknownParam { name: String, model: ModelId },
    /// A positive scale (amplitude, floor) fixed at zero or below.
    NotPositive { name: String, value: f64 },
    /// A floor fixed at or above the smallest observed value, which it must stay below.
    AboveSmallest {
        name: String,
        value: f64,
        smallest: f64,
    },
    /// The two parameters are not of one kind (an exponent and an amplitude), so equal values
    /// mean nothing.
    CannotTie { leader: String, follower: String },
    /// A parameter named twice (fixed and tied, fixed twice, or tied to itself).
    Twice { name: String },
    /// Every parameter is fixed: nothing is left to fit.
    NothingFree,
}

impl std::fmt::Display for ConstraintError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

impl Constraints {
    /// Whether nothing is fixed or tied.
    pub fn is_empty(&self) -> bool {
        self.fixed.is_empty() && self.tied.is_empty()
    }

    /// Reads `NAME=VALUE[,NAME=VALUE]` (values as numbers with the usual suffixes, 1.69 or
    /// 2e-3) and `NAME=NAME[,NAME=NAME]`; blank text is none.
    pub fn parse(fix: &str, tie: &str) -> Result<Constraints, ConstraintError> {
        let pairs = |text: &str| -> Result<Vec<(String, String)>, ConstraintError> {
            text.split([',', ';'])
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(|part| match part.split_once('=') {
                    Some((a, b)) if !a.trim().is_empty() && !b.trim().is_empty() => {
                        Ok((a.trim().to_string(), b.trim().to_string()))
                    }
                    _ => Err(ConstraintError::Syntax { text: part.into() }),
                })
                .collect()
        };
        let fixed = pairs(fix)?
            .into_iter()
            .map(
                |(name, text)| match crate::engine::units::parse_quantity(&text) {
                    Ok(value) if value.is_finite() => Ok(Fixed { name, value }),
                    _ => Err(ConstraintError::BadValue { name, text }),
                },
            )
            .collect::<Result<_, _>>()?;
        let tied = pairs(tie)?
            .into_iter()
            .map(|(leader, follower)| Tie { leader, follower })
            .collect();
        Ok(Constraints { fixed, tied })
    }

    /// Whether `a` and `b` are tied to each other, directly or through others.
    pub fn ties(&self, a: &str, b: &str) -> bool {
        let mut group = vec![a];
        let mut grew = true;
        while grew {
            grew = false;
            for t in &self.tied {
                for (x, y) in [(&t.leader, &t.follower), (&t.follower, &t.leader)] {
                    if group.iter().any(|g| g.eq_ignore_ascii_case(x))
                        && !group.iter().any(|g| g.eq_ignore_ascii_case(y))
                    {
                        group.push(y);
                        grew = true;
                    }
                }
            }
        }
        group[1..].iter().any(|g| g.eq_ignore_ascii_case(b))
    }

    /// The `--fix` text: `E=1.69,alpha=0.3`.
    pub fn fix_text(&self) -> String {
        self.fixed
            .iter()
            .map(|f| format!("{}={}", f.name, f.value))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The `--tie` text: `alpha=beta`.
    pub fn tie_text(&self) -> String {
        self.tied
            .iter()
            .map(|t| format!("{}={}", t.leader, t.follower))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The natural index of `name` in `model` (exact, else the one name equal ignoring case).
    fn index(model: ModelId, name: &str) -> Result<usize, ConstraintError> {
        let names = model.param_names();
        names
            .iter()
            .position(|n| *n == name)
            .or_else(|| {
                let mut matches = names
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| n.eq_ignore_ascii_case(name));
                match (matches.next(), matches.next()) {
                    (Some((i, _)), None) => Some(i),
                    _ => None,
                }
            })
            .ok_or_else(|| ConstraintError::UnknownParam {
                name: name.into(),
                model,
            })
    }

    /// Checks the names against `model` without data (the command line refuses early).
    pub fn check(&self, model: ModelId) -> Result<(), ConstraintError> {
        let mut seen = Vec::new();
        let mut note = |i: usize| {
            if seen.contains(&i) {
                Err(ConstraintError::Twice {
                    name: model.param_names()[i].into(),
                })
            } else {
                seen.push(i);
                Ok(())
            }
        };
        for f in &self.fixed {
            note(Self::index(model, &f.name)?)?;
        }
        for t in &self.tied {
            let leader = Self::index(model, &t.leader)?;
            if leader == Self::index(model, &t.follower)? {
                return Err(ConstraintError::Twice {
                    name: model.param_names()[leader].into(),
                });
            }
            note(Self::index(model, &t.follower)?)?;
        }
        // A leader that is fixed makes its follower fixed too: allowed, and a chain
        // alpha=beta, beta=gamma is allowed (each follower named once).
        Ok(())
    }

    /// The reduction of `problem`'s internal parameters these constraints make.
    pub(crate) fn reduction(&self, problem: &Problem) -> Result<Reduction, ConstraintError> {
        let model = problem.model;
        self.check(model)?;
        let form = model.form();
        let internal = form.internal();
        let names = model.param_names();
        // The internal index of each natural parameter (forms map them one to one).
        let internal_of = |j: usize| {
            internal.iter().position(|map| {
                matches!(*map, Internal::Ln(i) | Internal::Same(i) | Internal::BelowSmallest(i) if i == j)
            })
        };
        // Natural parameter j → what it is: free, a value, or following another natural one.
        let mut follows: Vec<Option<usize>> = vec![None; names.len()];
        let mut value: Vec<Option<f64>> = vec![None; names.len()];
        for f in &self.fixed {
            let j = Self::index(model, &f.name)?;
            let name = names[j].to_string();
            let Some(i) = internal_of(j) else { continue };
            let theta = match internal[i] {
                Internal::Same(_) => f.value,
                Internal::Ln(_) if f.value > 0.0 => f.value.ln(),
                Internal::Ln(_) => {
                    return Err(ConstraintError::NotPositive {
                        name,
                        value: f.value,
                    })
                }
                Internal::BelowSmallest(_) => {
                    if f.value <= 0.0 {
                        return Err(ConstraintError::NotPositive {
                            name,
                            value: f.value,
                        });
                    }
                    if f.value >= problem.e_max {
                        return Err(ConstraintError::AboveSmallest {
                            name,
                            value: f.value,
                            smallest: problem.e_max,
                        });
                    }
                    let share = f.value / problem.e_max;
                    (share / (1.0 - share)).ln()
                }
            };
            value[j] = Some(theta);
        }
        for t in &self.tied {
            let (a, b) = (
                Self::index(model, &t.leader)?,
                Self::index(model, &t.follower)?,
            );
            let kind = |j: usize| internal_of(j).map(|i| std::mem::discriminant(&internal[i]));
            if kind(a) != kind(b)
                || matches!(
                    internal_of(a).map(|i| internal[i]),
                    Some(Internal::BelowSmallest(_))
                )
            {
                return Err(ConstraintError::CannotTie {
                    leader: names[a].into(),
                    follower: names[b].into(),
                });
            }
            follows[b] = Some(a);
        }
        // Each internal entry: its root natural parameter (following ties to the end).
        let root = |mut j: usize| {
            for _ in 0..names.len() {
                match follows[j] {
                    Some(next) => j = next,
                    None => break,
                }
            }
            j
        };
        let mut slots = Vec::with_capacity(internal.len());
        let mut entry_of_root: Vec<Option<usize>> = vec![None; names.len()];
        let mut dim = 0;
        for map in internal {
            let (Internal::Ln(j) | Internal::Same(j) | Internal::BelowSmallest(j)) = *map;
            let r = root(j);
            slots.push(match value[r] {
                Some(theta) => Slot::Fixed(theta),
                None => Slot::Free(*entry_of_root[r].get_or_insert_with(|| {
                    dim += 1;
                    dim - 1
                })),
            });
        }
        if dim == 0 {
            return Err(ConstraintError::NothingFree);
        }
        Ok(Reduction { slots, dim })
    }
}

/// Where internal parameter θ_i comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Slot {
    /// Entry φ_r of the reduced vector (shared by tied parameters).
    Free(usize),
    /// A fixed value of θ_i.
    Fixed(f64),
}

/// The map between the reduced vector φ the solvers see and the form's internal θ.
#[derive(Clone, Debug, PartialEq)]
pub struct Reduction {
    slots: Vec<Slot>,
    dim: usize,
}

impl Reduction {
    /// Entries of φ.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Entries of θ.
    pub fn full(&self) -> usize {
        self.slots.len()
    }

    /// θ = expand(φ), written into `theta` (length [`Reduction::full`]).
    #[inline]
    pub fn expand_into(&self, phi: &[f64], theta: &mut [f64]) {
        for (t, slot) in theta.iter_mut().zip(&self.slots) {
            *t = match *slot {
                Slot::Free(r) => phi[r],
                Slot::Fixed(v) => v,
            };
        }
    }

    /// θ = expand(φ).
    pub fn expand(&self, phi: &[f64]) -> Vec<f64> {
        let mut theta = vec![0.0; self.full()];
        self.expand_into(phi, &mut theta);
        theta
    }

    /// ∂/∂φ from ∂/∂θ: the sum over the entries of θ that share each entry of φ.
    #[inline]
    pub fn contract(&self, by_theta: &[f64], by_phi: &mut [f64]) {
        by_phi.fill(0.0);
        for (g, slot) in by_theta.iter().zip(&self.slots) {
            if let Slot::Free(r) = *slot {
                by_phi[r] += g;
            }
        }
    }

    /// φ from θ: each entry the mean of the θ sharing it (a start that breaks a tie lands
    /// between the two values).
    pub fn reduce(&self, theta: &[f64]) -> Vec<f64> {
        let mut sum = vec![0.0; self.dim];
        let mut count = vec![0usize; self.dim];
        for (t, slot) in theta.iter().zip(&self.slots) {
            if let Slot::Free(r) = *slot {
                sum[r] += t;
                count[r] += 1;
            }
        }
        sum.iter().zip(&count).map(|(s, c)| s / *c as f64).collect()
    }

    /// Whether θ_i is held at a value.
    pub fn is_fixed(&self, i: usize) -> bool {
        matches!(self.slots[i], Slot::Fixed(_))
    }

    /// The φ entry θ_i reads, if it is free.
    pub fn entry(&self, i: usize) -> Option<usize> {
        match self.slots[i] {
            Slot::Free(r) => Some(r),
            Slot::Fixed(_) => None,
        }
    }
}
