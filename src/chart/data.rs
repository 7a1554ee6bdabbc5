//! What the main chart shows, already computed (drawing does no numerics): the data's points,
//! the fitted law over them, its extrapolation to a target, a bootstrap band, the target's
//! marker, and for laws of several variables a family of curves at fixed values of another
//! variable.

use super::axis::{AxisQuantity, Frame};
use super::labels::{CurveName, FamilyName, PointsName, ToneLabel};
use crate::engine::dataset::{Dataset, Point, Quantity};
use crate::engine::fit::Fit;
use crate::engine::flops::FlopConvention;
use crate::engine::law::{Inputs, Law, Variable};

/// A point of the data.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    /// Kept on the chart, left out of the fit: drawn hollow and grey.
    pub excluded: bool,
    /// Position in the colour scale of a third variable, 0..1, when points are coloured.
    pub tone: Option<f64>,
    /// The point's name, drawn beside it.
    pub label: Option<String>,
    /// The line of the data text its row starts on (the header is line 1): what a click on
    /// the point edits.
    pub line: usize,
}

/// A labelled marker (the prediction at the target).
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// Everything the main chart shows, already computed. How it is drawn (theme, log or linear
/// axes, language, size) is a [`super::ChartStyle`], not part of this.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ChartData {
    /// What the x axis measures.
    pub x: AxisQuantity,
    /// What the y axis measures.
    pub y: AxisQuantity,
    pub points: Vec<ChartPoint>,
    /// The legend's name for `points`.
    pub points_name: PointsName,
    /// The law over the data's range.
    pub fitted: Vec<(f64, f64)>,
    /// The legend's name for `fitted`.
    pub curve_name: CurveName,
    /// The law carried on beyond the data to the target.
    pub extrapolated: Vec<(f64, f64)>,
    pub target: Option<Marker>,
    /// Laws of several variables: the law along x at fixed values of another variable, each
    /// curve with its tone (0..1) in the colour scale.
    pub family: Vec<(f64, Vec<(f64, f64)>)>,
    /// The legend's name for `family`.
    pub family_name: FamilyName,
    /// What the colour scale shows.
    pub tone_label: Option<ToneLabel>,
    /// Runs without a measured loss, drawn at the law's value (crosses).
    pub runs: Vec<(f64, f64)>,
    /// A 95 % bootstrap band around the curve: where the mean curve lies, (x, lo, hi).
    pub band: Vec<(f64, f64, f64)>,
    /// Where one new run would land, 95 % (`engine::fit::prediction`): (x, lo, hi).
    pub run_band: Vec<(f64, f64, f64)>,
    /// The fit no longer matches the data text (it has an error): say so on the chart.
    pub stale: bool,
}

impl ChartData {
    /// The point drawn nearest to the pixel (`px`, `py`) of a drawing whose plot landed in
    /// `frame`, if one lies within `radius` pixels: what the pointer is on.
    pub fn point_near(&self, frame: &Frame, px: f64, py: f64, radius: f64) -> Option<&ChartPoint> {
        self.points
            .iter()
            .map(|p| {
                let (x, y) = frame.to_pixel(p.x, p.y);
                ((x - px).hypot(y - py), p)
            })
            .filter(|(d, _)| d.is_finite() && *d <= radius)
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, p)| p)
    }
}

/// Samples along a curve.
pub(crate) const CURVE_SAMPLES: usize = 160;

/// `n` points spaced evenly in log between lo and hi.
pub(crate) fn log_space(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (a, b) = (lo.ln(), hi.ln());
    (0..n)
        .map(|i| (a + (b - a) * i as f64 / (n - 1) as f64).exp())
        .collect()
}

/// A point's value of `q` on the chart: as the data has it, except compute derived from N and
/// D, which follows the chart's FLOP convention (C = k N D) like the curves.
pub(crate) fn position(
    data: &Dataset,
    p: &Point,
    q: Quantity,
    flops: FlopConvention,
) -> Option<f64> {
    if q == Quantity::C && data.derived.contains(&Quantity::C) {
        return Some(flops.compute(p.n?, p.d?));
    }
    p.get(q)
}

/// The variable a fit is drawn against: its own for a law of one variable, else the chosen.
pub(crate) fn x_quantity(fit: &Fit, x: Variable) -> Quantity {
    if fit.law.model.is_single_variable() {
        fit.law.x.quantity()
    } else {
        x.quantity()
    }
}

/// The quantity a fit describes (L when the data has no column of the law's response).
pub(crate) fn response(data: &Dataset, fit: &Fit) -> Quantity {
    let response = fit.law.model.response();
    if data.has(response) {
        response
    } else {
        Quantity::L
    }
}

/// The chart of a law fitted to `data`, against the variable `x`: for a single-variable law its
/// curve, extrapolated to `target` if given; for laws of several variables, curves at fixed
/// values of the other variable, with compute C = k N D from `flops`.
pub fn chart_data(
    data: &Dataset,
    fit: &Fit,
    x: Variable,
    target: Option<f64>,
    stale: bool,
    flops: FlopConvention,
) -> ChartData {
    let law = &fit.law;
    let x_var = x_quantity(fit, x);
    let response = response(data, fit);
    // A bounded metric close to 1 is drawn as its shortfall 1 − P on a log axis, where a
    // saturating law is a straight line; anything else as it is.
    let shortfall = response == Quantity::P;
    let shown = move |y: f64| if shortfall { 1.0 - y } else { y };
    let points: Vec<ChartPoint> = data
        .points
        .iter()
        .filter_map(|p| {
            Some(ChartPoint {
                x: position(data, p, x_var, flops)?,
                y: shown(p.get(response)?),
                excluded: p.excluded,
                tone: None,
                label: p.label.clone(),
                line: p.line,
            })
        })
        .collect();
    if !law.model.is_single_variable() {
        return family_chart(data, law, x_var, response, points, stale, flops);
    }
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.x), hi.max(p.x))
        });
    let curve = |from: f64, to: f64| -> Vec<(f64, f64)> {
        if !(from > 0.0 && to > from && to.is_finite()) {
            return Vec::new();
        }
        log_space(from, to, CURVE_SAMPLES)
            .into_iter()
            .filter_map(|x| {
                let y = shown(law.value(&Inputs::single(law.x, x))?);
                (y.is_finite() && y > 0.0).then_some((x, y))
            })
            .collect()
    };
    let target = target.filter(|t| *t > 0.0 && t.is_finite());
    let extrapolated = match target {
        Some(t) if t > hi => curve(hi, t),
        Some(t) if t < lo => curve(t, lo),
        _ => Vec::new(),
    };
    let (x_axis, y_axis) = (AxisQuantity::of(x_var), AxisQuantity::of(response));
    let marker = target.and_then(|t| {
        let value = law.value(&Inputs::single(law.x, t))?;
        let y = shown(value);
        (y.is_finite() && y > 0.0).then(|| Marker {
            x: t,
            y,
            label: format!("{} → {}", x_axis.tick_label(t), y_axis.value_label(value)),
        })
    });
    ChartData {
        x: x_axis,
        y: if shortfall {
            AxisQuantity::Shortfall
        } else {
            y_axis
        },
        points,
        fitted: curve(lo, hi),
        extrapolated,
        target: marker,
        stale,
        ..ChartData::default()
    }
}

/// The x values at which a band is evaluated: along the fitted and extrapolated curve.
pub fn band_xs(chart: &ChartData) -> Vec<f64> {
    let (lo, hi) = chart
        .fitted
        .iter()
        .chain(&chart.extrapolated)
        .map(|p| p.0)
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), x| {
            (lo.min(x), hi.max(x))
        });
    if lo > 0.0 && hi > lo && hi.is_finite() {
        log_space(lo, hi, 60)
    } else {
        Vec::new()
    }
}

/// A law's curve as data for any consumer (CSV export, tests).
pub fn sample_law(law: &Law, lo: f64, hi: f64, n: usize) -> Vec<(f64, f64)> {
    log_space(lo, hi, n.max(2))
        .into_iter()
        .filter_map(|x| Some((x, law.value(&Inputs::single(law.x, x))?)))
        .collect()
}

/// Position of `v` in 0..1 between `lo` and `hi` on a log scale (0.5 when they are equal).
pub(crate) fn log_tone(v: f64, lo: f64, hi: f64) -> f64 {
    if hi > lo {
        ((v / lo).ln() / (hi / lo).ln()).clamp(0.0, 1.0)
    } else {
        0.5
    }
}

/// The chart of a law of several variables against `x_var`: the points coloured by the other
/// scale variable, and the law drawn along x at up to 7 of that variable's values (N fixed when
/// x is C or D, D fixed when x is N), each over the x range of its own points.
fn family_chart(
    data: &Dataset,
    law: &Law,
    x_var: Quantity,
    response: Quantity,
    mut points: Vec<ChartPoint>,
    stale: bool,
    flops: FlopConvention,
) -> ChartData {
    let other = if x_var == Quantity::N {
        Quantity::D
    } else {
        Quantity::N
    };
    // Groups of points sharing the other variable (to 2 % in log), with their x range; for a
    // law that reads unique tokens U, sharing U too (each curve is drawn at its group's U).
    let reads_u = law.model.form().needs(law.x).contains(&Quantity::U);
    let same = |a: f64, b: f64| (a.ln() - b.ln()).abs() < 0.02;
    let mut groups: Vec<(f64, f64, f64, Option<f64>)> = Vec::new(); // (value, x_lo, x_hi, U)
    for p in data.points.iter().filter(|p| !p.excluded) {
        let (Some(v), Some(x)) = (p.get(other), position(data, p, x_var, flops)) else {
            continue;
        };
        let u = p.u.filter(|_| reads_u);
        let found = groups.iter_mut().find(|g| {
            same(g.0, v)
                && match (g.3, u) {
                    (Some(a), Some(b)) => same(a, b),
                    (a, b) => a.is_none() && b.is_none(),
                }
        });
        match found {
            Some(g) => {
                g.1 = g.1.min(x);
                g.2 = g.2.max(x);
            }
            None => groups.push((v, x, x, u)),
        }
    }
    groups.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.3.partial_cmp(&b.3).unwrap_or(std::cmp::Ordering::Equal))
    });
    let (v_lo, v_hi) = match (groups.first(), groups.last()) {
        (Some(a), Some(b)) => (a.0, b.0),
        _ => (1.0, 1.0),
    };
    for (cp, p) in points.iter_mut().zip(
        data.points
            .iter()
            .filter(|p| position(data, p, x_var, flops).is_some() && p.get(response).is_some()),
    ) {
        cp.tone = p.get(other).map(|v| log_tone(v, v_lo, v_hi));
    }
    let shown = 7.min(groups.len());
    let family = (0..shown)
        .map(|i| {
            groups[if shown > 1 {
                i * (groups.len() - 1) / (shown - 1)
            } else {
                0
            }]
        })
        .map(|(v, lo, hi, u)| {
            let (lo, hi) = if hi > lo * 1.01 {
                (lo / 1.3, hi * 1.3)
            } else {
                (lo / 3.0, hi * 3.0)
            };
            let curve = log_space(lo, hi, 60)
                .into_iter()
                .filter_map(|x| {
                    let (n, d) = match x_var {
                        Quantity::C => (v, flops.tokens(x, v)),
                        Quantity::D => (v, x),
                        _ => (x, v),
                    };
                    let y = law.value(&Inputs {
                        n: Some(n),
                        d: Some(d),
                        c: Some(flops.compute(n, d)),
                        u,
                    })?;
                    (y.is_finite() && y > 0.0).then_some((x, y))
                })
                .collect();
            (log_tone(v, v_lo, v_hi), curve)
        })
        .collect();
    ChartData {
        x: AxisQuantity::of(x_var),
        y: AxisQuantity::of(response),
        points,
        family,
        tone_label: Some(ToneLabel::Colour {
            quantity: AxisQuantity::of(other),
            lo: v_lo,
            hi: v_hi,
        }),
        stale,
        ..ChartData::default()
    }
}
