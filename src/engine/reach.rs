//! How far a prediction lies outside the runs it rests on: the first thing to know about an
//! extrapolation, shown next to every prediction and planned optimum.

use super::dataset::Dataset;
use super::law::Variable;
use serde::{Deserialize, Serialize};

/// How far a prediction lies outside the runs it rests on, in decades (powers of ten) of one
/// variable: log10(at / largest) beyond the largest run, log10(smallest / at) below the
/// smallest.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reach {
    Beyond {
        variable: Variable,
        decades: f64,
        largest: f64,
    },
    Below {
        variable: Variable,
        decades: f64,
        smallest: f64,
    },
}

impl Reach {
    /// How many decades outside the runs.
    pub fn decades(self) -> f64 {
        match self {
            Reach::Beyond { decades, .. } | Reach::Below { decades, .. } => decades,
        }
    }
}

/// Where `at` lies against the fitted runs' values of `variable`; None inside their range (or
/// when the runs have no such values).
pub fn reach(data: &Dataset, variable: Variable, at: f64) -> Option<Reach> {
    let values = data
        .included()
        .filter_map(|p| p.get(variable.quantity()))
        .filter(|v| *v > 0.0);
    let (smallest, largest) = values.fold((f64::INFINITY, 0.0_f64), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !(at > 0.0 && largest > 0.0 && at.is_finite()) {
        return None;
    }
    if at > largest {
        Some(Reach::Beyond {
            variable,
            decades: (at / largest).log10(),
            largest,
        })
    } else if at < smallest {
        Some(Reach::Below {
            variable,
            decades: (smallest / at).log10(),
            smallest,
        })
    } else {
        None
    }
}
