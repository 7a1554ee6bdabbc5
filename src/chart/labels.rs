//! The words a chart draws from its data: the legend's names for its curves and the note on
//! its colour scale (English keys of the text module, rendered in the page's language).

use super::axis::AxisQuantity;
use crate::engine::units::format_si;
use crate::text::{fill, translate, Lang};

/// The legend's name for the main curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CurveName {
    #[default]
    FittedLaw,
    PublishedLaw,
    Frontier,
    /// Training + inference FLOP of the models that reach one loss, against their size.
    TotalCost,
    /// N_opt = k C^e through the IsoFLOP parabolas' minima.
    IsoFlopFrontier,
}

impl CurveName {
    /// The legend's text (English; a key of the text module).
    pub fn text(self) -> &'static str {
        match self {
            CurveName::FittedLaw => "fitted law",
            CurveName::PublishedLaw => "published law",
            CurveName::Frontier => "compute-optimal frontier",
            CurveName::TotalCost => "total FLOP for the same loss",
            CurveName::IsoFlopFrontier => "frontier through the minima",
        }
    }
}

/// The legend's name for the points.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum PointsName {
    /// The runs of the data.
    #[default]
    Observed,
    /// Each IsoFLOP parabola's minimum.
    ParabolaMinima,
}

impl PointsName {
    /// The legend's text (English; a key of the text module).
    pub fn text(self) -> &'static str {
        match self {
            PointsName::Observed => "observed",
            PointsName::ParabolaMinima => "each parabola's minimum",
        }
    }
}

/// The legend's name for a family of curves.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FamilyName {
    /// A fitted law of several variables along x, at fixed values of the other.
    #[default]
    FittedAtFixed,
    /// A published law of N and D at fixed N.
    LawAtFixedN,
    /// The parabola in ln N through each IsoFLOP budget's runs.
    IsoFlopParabolas,
    /// The fitted law's compute-optimal N against C.
    ParametricFrontier,
}

impl FamilyName {
    /// The legend's text (English; a key of the text module).
    pub fn text(self) -> &'static str {
        match self {
            FamilyName::FittedAtFixed => "fitted law at fixed N or D",
            FamilyName::LawAtFixedN => "the law at fixed N",
            FamilyName::IsoFlopParabolas => "parabola through each budget's runs",
            FamilyName::ParametricFrontier => "the fitted law's compute-optimal N",
        }
    }
}

/// What the colour scale of a chart shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ToneLabel {
    /// Points coloured by another variable, from `lo` (blue) to `hi` (orange).
    Colour {
        quantity: AxisQuantity,
        lo: f64,
        hi: f64,
    },
    /// A published law's curves at fixed N, from `lo` (blue) to `hi` (orange).
    CurvesAtFixedN { lo: f64, hi: f64 },
}

impl ToneLabel {
    /// The note in `lang`.
    pub fn text(self, lang: Lang) -> String {
        match self {
            ToneLabel::Colour { quantity, lo, hi } => fill(
                lang,
                "colour: {0} from {1} (blue) to {2} (orange)",
                &[
                    &translate(lang, quantity.title()),
                    &format_si(lo),
                    &format_si(hi),
                ],
            ),
            ToneLabel::CurvesAtFixedN { lo, hi } => fill(
                lang,
                "curves at fixed N from {0} (blue) to {1} (orange)",
                &[&format_si(lo), &format_si(hi)],
            ),
        }
    }
}
