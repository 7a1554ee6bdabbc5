//! Axes: what an axis measures (typed, never read back from its title), where it starts and
//! ends on the coordinates it is drawn on, its ticks, and the pixel frame of a drawn plot.
//!
//! Every chart is drawn on linear coordinates: log10 of the value along a log axis, the value
//! itself along a linear one. Ranges and ticks stay inside the finite range of f64 whatever
//! the data, so a target of 1e308 or 5e-324 draws (at the edge) instead of looping over
//! billions of ticks.

use super::style::AxisKind;
use crate::engine::dataset::Quantity;
use crate::engine::units::{format_sci, format_si, format_value, trim_number};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};

/// The most ticks an axis ever gets.
pub const MAX_TICKS: usize = 12;

/// log10 of the smallest positive f64 (5e-324, subnormal).
const LOG_MIN: f64 = -323.3062153431158;
/// log10 of the largest finite f64.
const LOG_MAX: f64 = 308.25471555991675;
/// Linear axes stay within ± this, so a span and its padding stay finite.
const LINEAR_LIMIT: f64 = 1e307;

/// What an axis measures: its title, its symbol, how its ticks are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AxisQuantity {
    /// Parameters N.
    #[default]
    N,
    /// Training tokens D.
    D,
    /// Training compute C, in FLOP.
    C,
    /// Unique tokens U.
    U,
    /// Loss L.
    L,
    /// A bounded performance metric P.
    P,
    /// 1 − P: how far a bounded metric falls short of a perfect score.
    Shortfall,
    /// 100 · (observed / fitted − 1).
    ResidualPercent,
    /// 100 · (predicted / actual − 1) for a run the law was not fitted on.
    HeldOutPercent,
    /// Training and inference FLOP together.
    TotalFlop,
}

impl AxisQuantity {
    /// The axis of a quantity of the data.
    pub fn of(q: Quantity) -> AxisQuantity {
        match q {
            Quantity::N => AxisQuantity::N,
            Quantity::D => AxisQuantity::D,
            Quantity::C => AxisQuantity::C,
            Quantity::L => AxisQuantity::L,
            Quantity::P => AxisQuantity::P,
            Quantity::U => AxisQuantity::U,
        }
    }

    /// The axis title (English; a key of the text module).
    pub fn title(self) -> &'static str {
        match self {
            AxisQuantity::N => "parameters N",
            AxisQuantity::D => "training tokens D",
            AxisQuantity::C => "training compute C (FLOP)",
            AxisQuantity::U => "unique tokens U",
            AxisQuantity::L => "loss L",
            AxisQuantity::P => "performance P",
            AxisQuantity::Shortfall => "1 − P (shortfall from a perfect score)",
            AxisQuantity::ResidualPercent => "residual %",
            AxisQuantity::HeldOutPercent => "held-out error %",
            AxisQuantity::TotalFlop => "training + inference FLOP",
        }
    }

    /// The symbol a value is named by (the tooltip's "N = 1.5B").
    pub fn symbol(self) -> &'static str {
        match self {
            AxisQuantity::N => "N",
            AxisQuantity::D => "D",
            AxisQuantity::C => "C",
            AxisQuantity::U => "U",
            AxisQuantity::L => "L",
            AxisQuantity::P => "P",
            AxisQuantity::Shortfall => "1 − P",
            AxisQuantity::ResidualPercent | AxisQuantity::HeldOutPercent => "%",
            AxisQuantity::TotalFlop => "FLOP",
        }
    }

    /// A tick label: FLOP in scientific notation (1e21), counts as people read them (1B),
    /// losses and scores with three significant digits (scientific when tiny or huge).
    pub fn tick_label(self, v: f64) -> String {
        match self {
            _ if is_extreme(v) => extreme_sci(v),
            AxisQuantity::C | AxisQuantity::TotalFlop => format_sci(v),
            AxisQuantity::N | AxisQuantity::D | AxisQuantity::U => format_si(v),
            AxisQuantity::ResidualPercent | AxisQuantity::HeldOutPercent => trim_number(v, 2),
            _ if v != 0.0 && !(1e-3..1e6).contains(&v.abs()) => format_sci(v),
            _ => trim_number(v, 3),
        }
    }

    /// A value of this quantity in a label (the prediction marker's): as its ticks are
    /// written, except losses and scores with four significant digits (and enough to show how
    /// far below 1 a score is).
    pub fn value_label(self, v: f64) -> String {
        match self {
            AxisQuantity::L | AxisQuantity::P | AxisQuantity::Shortfall
                if v != 0.0 && (1e-3..1e6).contains(&v.abs()) =>
            {
                format_value(v)
            }
            _ => self.tick_label(v),
        }
    }
}

/// Whether a value lies beyond 1e±300, where the engine's number formats lose precision
/// (10^-324 is 0 in f64).
fn is_extreme(v: f64) -> bool {
    v.is_finite() && v != 0.0 && !(1e-300..1e300).contains(&v.abs())
}

/// Scientific notation from Rust's own formatting, which handles subnormal numbers: 1e-323.
fn extreme_sci(v: f64) -> String {
    let text = format!("{v:.2e}");
    match text.split_once('e') {
        Some((mantissa, exponent)) if mantissa.contains('.') => {
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            format!("{mantissa}e{exponent}")
        }
        _ => text,
    }
}

/// An axis's extent on the coordinates it is drawn on (log10 of the value on a log axis).
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Span {
    pub kind: AxisKind,
    pub lo: f64,
    pub hi: f64,
}

impl Span {
    /// The span holding `values` (those the axis can show: positive on a log axis, finite on
    /// both), padded by 8 % each side; at least `min_log_span` wide on a log axis, 0.1 % of
    /// the largest magnitude on a linear one. None when no value can be shown.
    pub fn around(
        values: impl IntoIterator<Item = f64>,
        kind: AxisKind,
        min_log_span: f64,
    ) -> Option<Span> {
        let (lo, hi) = values
            .into_iter()
            .filter_map(|v| kind.forward(v))
            .map(|t| t.clamp(-LINEAR_LIMIT, LINEAR_LIMIT))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), t| {
                (lo.min(t), hi.max(t))
            });
        if !(lo.is_finite() && hi.is_finite()) {
            return None;
        }
        let min_span = match kind {
            AxisKind::Log => min_log_span,
            AxisKind::Linear => lo.abs().max(hi.abs()) * 1e-3 + 1e-12,
        };
        let span = (hi - lo).max(min_span);
        let mid = 0.5 * lo + 0.5 * hi;
        Some(Span::clamped(kind, mid - 0.58 * span, mid + 0.58 * span))
    }

    /// A span from `lo` to `hi` (drawn coordinates), cut to what f64 can hold: 5e-324 … 1.8e308
    /// on a log axis, ± 1e307 on a linear one. Non-finite ends fall back to that limit.
    pub fn clamped(kind: AxisKind, lo: f64, hi: f64) -> Span {
        let (min, max) = match kind {
            AxisKind::Log => (LOG_MIN, LOG_MAX),
            AxisKind::Linear => (-LINEAR_LIMIT, LINEAR_LIMIT),
        };
        let fix = |v: f64, fallback: f64| {
            if v.is_nan() {
                fallback
            } else {
                v.clamp(min, max)
            }
        };
        let (lo, hi) = (fix(lo, min), fix(hi, max));
        let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        Span { kind, lo, hi }
    }

    /// Where a value is drawn (None if the axis cannot show it).
    pub fn at(&self, v: f64) -> Option<f64> {
        self.kind.forward(v)
    }

    /// The value at a drawn coordinate.
    pub fn value(&self, t: f64) -> f64 {
        self.kind.back(t)
    }

    /// The fraction of the way from `lo` to `hi` of a drawn coordinate.
    pub(crate) fn fraction(&self, t: f64) -> f64 {
        (t - self.lo) / (self.hi - self.lo)
    }

    /// The ticks, as drawn coordinates: decades (or 1-2-5) on a log axis, round values on a
    /// linear one; never more than [`MAX_TICKS`].
    pub fn ticks(&self) -> Vec<f64> {
        let ticks = match self.kind {
            AxisKind::Log => log_ticks(self.value(self.lo), self.value(self.hi))
                .into_iter()
                .map(f64::log10)
                .collect(),
            AxisKind::Linear => nice_ticks(self.lo, self.hi),
        };
        let slack = 1e-9 * (self.hi - self.lo).abs();
        ticks
            .into_iter()
            .filter(|t| t.is_finite() && *t >= self.lo - slack && *t <= self.hi + slack)
            .take(MAX_TICKS)
            .collect()
    }

    /// The plotters coordinate of this span, with its ticks.
    pub(crate) fn axis(&self) -> Axis {
        Axis {
            span: *self,
            ticks: self.ticks(),
        }
    }
}

/// Ticks inside [lo, hi] on a log axis: decades (at most 8 labelled); with fewer than two,
/// 1-2-5 ticks; with fewer than three of those, round linear ticks. Bounded whatever the
/// input: ends are cut to 5e-324 … f64::MAX, NaN gives no ticks.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    if lo.is_nan() || hi.is_nan() {
        return Vec::new();
    }
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let smallest = f64::from_bits(1);
    let lo = lo.clamp(smallest, f64::MAX);
    let hi = hi.clamp(lo, f64::MAX);
    // Decade exponents of f64: 1e-324 rounds to 0, 1e309 overflows.
    let exponent = |v: f64, round: fn(f64) -> f64| (round(v.log10()) as i32).clamp(-323, 308);
    let (first, last) = (exponent(lo, f64::floor), exponent(hi, f64::ceil));
    let decade = |e: i32| 10f64.powf(e as f64);
    let in_range = |v: &f64| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9);
    let decades: Vec<f64> = (first..=last).map(decade).filter(in_range).collect();
    if decades.len() >= 2 {
        // Thin out to at most 8 labels.
        let step = decades.len().div_ceil(8);
        return decades.into_iter().step_by(step).collect();
    }
    // Here hi / lo < 100: a few decades at most.
    let mut ticks: Vec<f64> = (first..=last)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * decade(e)))
        .filter(in_range)
        .take(MAX_TICKS)
        .collect();
    if ticks.len() < 3 {
        ticks = nice_ticks(lo, hi);
    }
    ticks
}

/// About five round ticks inside [lo, hi] (steps of 1, 2 or 5 × 10^k); `[lo]` when the range
/// is empty or not finite.
pub fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let raw = (hi - lo) / 5.0;
    if !(raw > 0.0 && raw.is_finite()) {
        return if lo.is_finite() { vec![lo] } else { Vec::new() };
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let start = (lo / step).ceil() as i64;
    let end = (hi / step).floor() as i64;
    (start..=end)
        .take(MAX_TICKS)
        .map(|i| i as f64 * step)
        .filter(|t| t.is_finite())
        .collect()
}

/// A plotters coordinate: linear over a span, with the span's ticks.
#[derive(Clone)]
pub(crate) struct Axis {
    span: Span,
    ticks: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        // Far outside the plot is as good as just outside it (and keeps pixels in i32).
        let f = self.span.fraction(*value);
        let f = if f.is_nan() {
            0.0
        } else {
            f.clamp(-10.0, 10.0)
        };
        limit.0 + (f * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.span.lo..self.span.hi
    }
}

/// Where the plot sits on the drawing, in pixels, and its axes' spans: enough to map a
/// pointer back to data.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Frame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub x: Span,
    pub y: Span,
}

impl Frame {
    /// The pixel of a data point (NaN where an axis cannot show the value).
    pub fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let fx = self.x.at(x).map_or(f64::NAN, |t| self.x.fraction(t));
        let fy = self.y.at(y).map_or(f64::NAN, |t| self.y.fraction(t));
        (
            self.left + fx * (self.right - self.left),
            self.bottom - fy * (self.bottom - self.top),
        )
    }

    /// The data x at a pixel column.
    pub fn x_at(&self, px: f64) -> f64 {
        let f = (px - self.left) / (self.right - self.left);
        self.x.value(self.x.lo + f * (self.x.hi - self.x.lo))
    }

    /// The data y at a pixel row.
    pub fn y_at(&self, py: f64) -> f64 {
        let f = (self.bottom - py) / (self.bottom - self.top);
        self.y.value(self.y.lo + f * (self.y.hi - self.y.lo))
    }

    /// Whether a pixel lies inside the plot.
    pub fn contains(&self, px: f64, py: f64) -> bool {
        self.right > self.left
            && (self.left..=self.right).contains(&px)
            && (self.top..=self.bottom).contains(&py)
    }
}
