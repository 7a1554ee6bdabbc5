//! The main chart: observed points, the fitted law, its extrapolation (dashed) and the
//! prediction marker, on log-log axes. One drawing function, generic over the plotters
//! backend: SVG in native tests and exports, the canvas in the page.

use crate::engine::dataset::Dataset;
use crate::engine::fit::Fit;
use crate::engine::law::{Inputs, Law};
use crate::engine::units::{format_sci, format_si, format_value, trim_number};
use crate::text::Lang;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::Shift;
use plotters::prelude::*;

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
}

/// A labelled marker (the prediction at the target).
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// Everything the chart shows, already computed: drawing does no numerics.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ChartData {
    pub x_label: String,
    pub y_label: String,
    pub points: Vec<ChartPoint>,
    /// The law over the data's range.
    pub fitted: Vec<(f64, f64)>,
    /// The law carried on beyond the data to the target.
    pub extrapolated: Vec<(f64, f64)>,
    pub target: Option<Marker>,
    /// Laws of several variables: the law along x at fixed values of another variable, each
    /// curve with its tone (0..1) in the colour scale.
    pub family: Vec<(f64, Vec<(f64, f64)>)>,
    /// What the colour scale shows, e.g. "colour: parameters N, 44M … 16B".
    pub tone_label: Option<String>,
    /// The legend's name for `family` ("fitted law at fixed N or D" when empty).
    pub family_label: String,
    /// The legend's name for `fitted` ("fitted law" when empty).
    pub curve_label: String,
    /// Runs without a measured loss, drawn at the law's value (crosses).
    pub runs: Vec<(f64, f64)>,
    /// A 95 % bootstrap band around the curve: (x, lo, hi).
    pub band: Vec<(f64, f64, f64)>,
    /// The fit no longer matches the data text (it has an error): say so on the chart.
    pub stale: bool,
    /// Multiplies font sizes and line widths (the device pixel ratio on the page).
    pub scale: f64,
    pub dark: bool,
    /// The language of the labels.
    pub lang: Lang,
    /// Linear instead of logarithmic axes.
    pub linear_x: bool,
    pub linear_y: bool,
}

/// Samples along a curve.
const CURVE_SAMPLES: usize = 160;

/// `n` points spaced evenly in log between lo and hi.
fn log_space(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (a, b) = (lo.ln(), hi.ln());
    (0..n)
        .map(|i| (a + (b - a) * i as f64 / (n - 1) as f64).exp())
        .collect()
}

/// The chart of a law fitted to `data`, against the variable `x`: for a single-variable law its
/// curve, extrapolated to `target` if given; for laws of several variables, the fitted value at
/// each point.
pub fn chart_data(
    data: &Dataset,
    fit: &Fit,
    x: crate::engine::law::Variable,
    target: Option<f64>,
    stale: bool,
) -> ChartData {
    let law = &fit.law;
    let single = law.model.is_single_variable();
    let x_var = if single {
        law.x.quantity()
    } else {
        x.quantity()
    };
    let response = law.model.response();
    let response = if data.has(response) {
        response
    } else {
        crate::engine::dataset::Quantity::L
    };
    // A bounded metric close to 1 is drawn as its shortfall 1 − P on a log axis, where a
    // saturating law is a straight line; anything else as it is.
    let shortfall = response == crate::engine::dataset::Quantity::P;
    let shown = move |y: f64| if shortfall { 1.0 - y } else { y };
    let points: Vec<ChartPoint> = data
        .points
        .iter()
        .filter_map(|p| {
            Some(ChartPoint {
                x: p.get(x_var)?,
                y: shown(p.get(response)?),
                excluded: p.excluded,
                tone: None,
                label: p.label.clone(),
            })
        })
        .collect();
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.x), hi.max(p.x))
        });
    let curve = |from: f64, to: f64| -> Vec<(f64, f64)> {
        if !(from > 0.0 && to > from) {
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
    if !single {
        return family_chart(data, law, x_var, response, points, stale);
    }
    let fitted = curve(lo, hi);
    let extrapolated = match target {
        Some(t) if t > hi => curve(hi, t),
        Some(t) if t < lo => curve(t, lo),
        _ => Vec::new(),
    };
    let target = target.and_then(|t| {
        let value = law.value(&Inputs::single(law.x, t))?;
        let y = shown(value);
        (y.is_finite() && y > 0.0).then(|| Marker {
            x: t,
            y,
            label: format!("{} → {}", format_si(t), format_value(value)),
        })
    });
    ChartData {
        x_label: axis_name(x_var),
        y_label: if shortfall {
            "1 − P (shortfall from a perfect score)".into()
        } else {
            axis_name(response)
        },
        points,
        fitted,
        extrapolated,
        target,
        family: Vec::new(),
        tone_label: None,
        curve_label: String::new(),
        family_label: String::new(),
        runs: Vec::new(),
        band: Vec::new(),
        stale,
        scale: 1.0,
        dark: false,
        lang: Lang::En,
        linear_x: false,
        linear_y: false,
    }
}

/// The chart of a published law alone (no fit): a one-variable law over the data's range of
/// its variable (or a default range), carried to `target`; a law of N and D as curves at fixed
/// N (the data's sizes, or 100M … 1T) along x, with its compute-optimal frontier when x is C.
/// Rows of `data` with N and D are drawn at the law's value.
pub fn law_chart(
    law: &Law,
    data: Option<&Dataset>,
    x: crate::engine::law::Variable,
    target: Option<f64>,
    k: f64,
) -> ChartData {
    use crate::engine::dataset::Quantity;
    use crate::engine::law::Variable;
    let response = law.model.response();
    if law.model.is_single_variable() {
        let q = law.x.quantity();
        let xs: Vec<f64> = data
            .map(|d| d.points.iter().filter_map(|p| p.get(q)).collect())
            .unwrap_or_default();
        let (mut lo, mut hi) = xs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            });
        if !(lo > 0.0 && hi.is_finite()) {
            (lo, hi) = match law.x {
                Variable::N => (1e7, 1e12),
                Variable::D => (1e9, 1e13),
                Variable::C => (1e18, 1e25),
            };
        }
        if let Some(t) = target {
            lo = lo.min(t);
            hi = hi.max(t);
        }
        let runs = xs
            .iter()
            .filter_map(|&v| Some((v, law.value(&Inputs::single(law.x, v))?)))
            .collect();
        let fitted = sample_law(law, lo, hi, CURVE_SAMPLES);
        let target = target.and_then(|t| {
            let y = law.value(&Inputs::single(law.x, t))?;
            Some(Marker {
                x: t,
                y,
                label: format!("{} → {}", format_si(t), trim_number(y, 3)),
            })
        });
        return ChartData {
            x_label: axis_name(q),
            y_label: axis_name(response),
            fitted,
            curve_label: "published law".into(),
            runs,
            target,
            scale: 1.0,
            ..ChartData::default()
        };
    }
    // Along C (or D): a law of N and D has no curve along N alone.
    let x_var = if x == Variable::D {
        Quantity::D
    } else {
        Quantity::C
    };
    let mut sizes: Vec<f64> = data
        .map(|d| d.points.iter().filter_map(|p| p.n).collect())
        .unwrap_or_default();
    sizes.sort_by(f64::total_cmp);
    sizes.dedup_by(|a, b| (*a / *b).ln().abs() < 0.02);
    if sizes.is_empty() {
        sizes = vec![1e8, 1e9, 1e10, 1e11, 1e12];
    }
    let (v_lo, v_hi) = (sizes[0], sizes[sizes.len() - 1]);
    let tone = |v: f64| {
        if v_hi > v_lo {
            ((v / v_lo).ln() / (v_hi / v_lo).ln()).clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    // Each size over 1 … 1000 tokens per parameter.
    let family = sizes
        .iter()
        .map(|&n| {
            let curve = log_space(1.0, 1000.0, 60)
                .into_iter()
                .filter_map(|ratio| {
                    let d = ratio * n;
                    let c = k * n * d;
                    let y = law.value(&Inputs {
                        n: Some(n),
                        d: Some(d),
                        c: Some(c),
                    })?;
                    let xv = match x_var {
                        Quantity::N => return None,
                        Quantity::D => d,
                        _ => c,
                    };
                    (y.is_finite() && y > 0.0).then_some((xv, y))
                })
                .collect();
            (tone(n), curve)
        })
        .filter(|(_, c): &(f64, Vec<(f64, f64)>)| !c.is_empty())
        .collect();
    let runs = data
        .map(|d| {
            d.points
                .iter()
                .filter_map(|p| {
                    let (n, dd) = (p.n?, p.d?);
                    let y = law.value(&Inputs {
                        n: Some(n),
                        d: Some(dd),
                        c: Some(k * n * dd),
                    })?;
                    let xv = match x_var {
                        Quantity::N => n,
                        Quantity::D => dd,
                        _ => k * n * dd,
                    };
                    Some((xv, y))
                })
                .collect()
        })
        .unwrap_or_default();
    let fitted = if x_var == Quantity::C {
        let c_lo = k * v_lo * v_lo;
        let c_hi = k * v_hi * v_hi * 1000.0;
        crate::engine::plan::frontier(law, c_lo, c_hi, 60, k)
            .into_iter()
            .map(|a| (a.budget, a.loss))
            .collect()
    } else {
        Vec::new()
    };
    ChartData {
        x_label: axis_name(x_var),
        y_label: axis_name(response),
        fitted,
        curve_label: "compute-optimal frontier".into(),
        family_label: "the law at fixed N".into(),
        family,
        tone_label: Some(format!(
            "curves at fixed N from {} (blue) to {} (orange)",
            format_si(v_lo),
            format_si(v_hi)
        )),
        runs,
        scale: 1.0,
        ..ChartData::default()
    }
}

/// The x values at which a band is evaluated: along the fitted and extrapolated curve.
pub fn band_xs(chart: &ChartData) -> Vec<f64> {
    let all: Vec<f64> = chart
        .fitted
        .iter()
        .chain(&chart.extrapolated)
        .map(|p| p.0)
        .collect();
    let (lo, hi) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        });
    if lo > 0.0 && hi > lo {
        log_space(lo, hi, 60)
    } else {
        Vec::new()
    }
}

/// The chart of a law of several variables against `x_var`: the points coloured by the other
/// scale variable, and the law drawn along x at up to 7 of that variable's values (N fixed when
/// x is C or D, D fixed when x is N), each over the x range of its own points.
fn family_chart(
    data: &Dataset,
    law: &Law,
    x_var: crate::engine::dataset::Quantity,
    response: crate::engine::dataset::Quantity,
    mut points: Vec<ChartPoint>,
    stale: bool,
) -> ChartData {
    use crate::engine::dataset::Quantity;
    let other = if x_var == Quantity::N {
        Quantity::D
    } else {
        Quantity::N
    };
    // Groups of points sharing the other variable (to 2 % in log), with their x range.
    let mut groups: Vec<(f64, f64, f64)> = Vec::new(); // (value, x_lo, x_hi)
    for p in data.points.iter().filter(|p| !p.excluded) {
        let (Some(v), Some(x)) = (p.get(other), p.get(x_var)) else {
            continue;
        };
        match groups.iter_mut().find(|g| (g.0.ln() - v.ln()).abs() < 0.02) {
            Some(g) => {
                g.1 = g.1.min(x);
                g.2 = g.2.max(x);
            }
            None => groups.push((v, x, x)),
        }
    }
    groups.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (v_lo, v_hi) = match (groups.first(), groups.last()) {
        (Some(a), Some(b)) => (a.0, b.0),
        _ => (1.0, 1.0),
    };
    let tone = |v: f64| {
        if v_hi > v_lo {
            ((v.ln() - v_lo.ln()) / (v_hi.ln() - v_lo.ln())).clamp(0.0, 1.0)
        } else {
            0.5
        }
    };
    for (cp, p) in points.iter_mut().zip(
        data.points
            .iter()
            .filter(|p| p.get(x_var).is_some() && p.get(response).is_some()),
    ) {
        cp.tone = p.get(other).map(tone);
    }
    let shown = 7.min(groups.len());
    let picked: Vec<(f64, f64, f64)> = (0..shown)
        .map(|i| {
            groups[if shown > 1 {
                i * (groups.len() - 1) / (shown - 1)
            } else {
                0
            }]
        })
        .collect();
    let family = picked
        .into_iter()
        .map(|(v, lo, hi)| {
            let (lo, hi) = if hi > lo * 1.01 {
                (lo / 1.3, hi * 1.3)
            } else {
                (lo / 3.0, hi * 3.0)
            };
            let curve = log_space(lo, hi, 60)
                .into_iter()
                .filter_map(|x| {
                    let (n, d) = match (x_var, other) {
                        (Quantity::C, _) => (v, x / (6.0 * v)),
                        (Quantity::D, _) => (v, x),
                        _ => (x, v),
                    };
                    let y = law.value(&Inputs {
                        n: Some(n),
                        d: Some(d),
                        c: Some(6.0 * n * d),
                    })?;
                    (y.is_finite() && y > 0.0).then_some((x, y))
                })
                .collect();
            (tone(v), curve)
        })
        .collect();
    ChartData {
        x_label: axis_name(x_var),
        y_label: axis_name(response),
        points,
        family,
        tone_label: Some(format!(
            "colour: {} from {} (blue) to {} (orange)",
            axis_name(other),
            format_si(v_lo),
            format_si(v_hi)
        )),
        stale,
        scale: 1.0,
        ..ChartData::default()
    }
}

/// A colour on a dark-blue → teal → amber scale, for a tone in 0..1.
fn tone_color(tone: f64, dark: bool) -> RGBColor {
    let stops: [(f64, f64, f64); 4] = if dark {
        [
            (110.0, 168.0, 254.0),
            (64.0, 200.0, 180.0),
            (240.0, 200.0, 90.0),
            (255.0, 140.0, 90.0),
        ]
    } else {
        [
            (26.0, 54.0, 120.0),
            (32.0, 130.0, 140.0),
            (120.0, 170.0, 60.0),
            (225.0, 140.0, 20.0),
        ]
    };
    let t = tone.clamp(0.0, 1.0) * (stops.len() - 1) as f64;
    let i = (t.floor() as usize).min(stops.len() - 2);
    let f = t - i as f64;
    let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
    RGBColor(
        mix(stops[i].0, stops[i + 1].0),
        mix(stops[i].1, stops[i + 1].1),
        mix(stops[i].2, stops[i + 1].2),
    )
}

/// A tick label: FLOP in scientific notation (1e21), counts as people read them (1B).
fn axis_number(v: f64, flop: bool) -> String {
    if flop {
        format_sci(v)
    } else {
        format_si(v)
    }
}

/// An axis title for a quantity.
fn axis_name(q: crate::engine::dataset::Quantity) -> String {
    use crate::engine::dataset::Quantity::*;
    match q {
        N => "parameters N",
        D => "training tokens D",
        C => "training compute C (FLOP)",
        L => "loss L",
        P => "performance P",
    }
    .into()
}

/// Decade ticks inside [lo, hi]; with fewer than two, 1-2-5 ticks.
pub fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let in_range = |v: &f64| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9);
    let decades: Vec<f64> = (first..=last)
        .map(|e| 10f64.powi(e))
        .filter(in_range)
        .collect();
    if decades.len() >= 2 {
        // Thin out to at most 8 labels.
        let step = decades.len().div_ceil(8);
        return decades.into_iter().step_by(step).collect();
    }
    let mut ticks: Vec<f64> = (first..=last)
        .flat_map(|e| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(e)))
        .filter(in_range)
        .collect();
    if ticks.len() < 3 {
        ticks = nice_ticks(lo, hi);
    }
    ticks
}

/// About five round ticks inside [lo, hi] (steps of 1, 2 or 5 × 10^k).
pub fn nice_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let raw = (hi - lo) / 5.0;
    if !(raw > 0.0 && raw.is_finite()) {
        return vec![lo];
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let start = (lo / step).ceil() as i64;
    let end = (hi / step).floor() as i64;
    (start..=end).map(|i| i as f64 * step).collect()
}

/// The colours of a theme.
struct Palette {
    background: RGBColor,
    text: RGBColor,
    grid: RGBColor,
    point: RGBColor,
    excluded: RGBColor,
    curve: RGBColor,
    target: RGBColor,
}

fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            background: RGBColor(24, 26, 31),
            text: RGBColor(225, 228, 235),
            grid: RGBColor(58, 62, 72),
            point: RGBColor(110, 168, 254),
            excluded: RGBColor(110, 115, 125),
            curve: RGBColor(255, 159, 67),
            target: RGBColor(255, 99, 132),
        }
    } else {
        Palette {
            background: RGBColor(255, 255, 255),
            text: RGBColor(33, 37, 41),
            grid: RGBColor(226, 229, 234),
            point: RGBColor(31, 94, 186),
            excluded: RGBColor(170, 174, 180),
            curve: RGBColor(214, 92, 0),
            target: RGBColor(200, 30, 70),
        }
    }
}

/// Draws `data` onto `area`. Errors are the backend's, in words.
pub fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    original: &ChartData,
) -> Result<Frame, String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let flop_axis = original.x_label.contains("FLOP");
    let t = |text: &str| crate::text::translate(original.lang, text);
    let s = if original.scale > 0.0 {
        original.scale
    } else {
        1.0
    };
    let px = |v: f64| (v * s).round() as i32;
    let colors = palette(original.dark);
    area.fill(&colors.background).map_err(err)?;
    // Everything is drawn on linear coordinates of log10(value) (log axes) or of the value.
    let data = &transformed(original);
    let (log_x, log_y) = (!original.linear_x, !original.linear_y);
    let back = |v: f64, log: bool| if log { 10f64.powf(v) } else { v };

    let xs = data
        .points
        .iter()
        .map(|p| p.x)
        .chain(data.extrapolated.iter().map(|p| p.0))
        .chain(data.target.iter().map(|m| m.x))
        .chain(data.family.iter().flat_map(|c| c.1.iter().map(|p| p.0)))
        .chain(data.fitted.iter().map(|p| p.0))
        .chain(data.runs.iter().map(|p| p.0));
    let ys = data
        .points
        .iter()
        .map(|p| p.y)
        .chain(data.fitted.iter().map(|p| p.1))
        .chain(data.extrapolated.iter().map(|p| p.1))
        .chain(data.family.iter().flat_map(|c| c.1.iter().map(|p| p.1)))
        .chain(data.runs.iter().map(|p| p.1))
        .chain(data.band.iter().flat_map(|b| [b.1, b.2]))
        .chain(data.target.iter().map(|m| m.y));
    let bounds = |it: &mut dyn Iterator<Item = f64>| {
        it.filter(|v| v.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            })
    };
    let (x_lo, x_hi) = bounds(&mut xs.into_iter());
    let (y_lo, y_hi) = bounds(&mut ys.into_iter());
    if !(x_lo.is_finite() && y_lo.is_finite()) {
        let style = TextStyle::from(("sans-serif", px(16.0)).into_font()).color(&colors.text);
        area.draw_text(&t("No data to draw yet"), &style, (px(20.0), px(30.0)))
            .map_err(err)?;
        area.present().map_err(err)?;
        return Ok(Frame::default());
    }
    // Pad by 8 % of the span, with a smallest span: a decade along a log x, 20 % along log y.
    let pad = |lo: f64, hi: f64, min_span: f64| {
        let span = (hi - lo).max(min_span);
        let mid = 0.5 * (lo + hi);
        (
            mid - 0.5 * span - 0.08 * span,
            mid + 0.5 * span + 0.08 * span,
        )
    };
    let (x_lo, x_hi) = pad(
        x_lo,
        x_hi,
        if log_x {
            1.0
        } else {
            x_hi.abs() * 1e-3 + 1e-12
        },
    );
    let (y_lo, y_hi) = pad(
        y_lo,
        y_hi,
        if log_y {
            1.2f64.log10()
        } else {
            y_hi.abs() * 1e-3 + 1e-12
        },
    );
    let x_ticks = drawn_ticks(x_lo, x_hi, log_x);
    let y_ticks = drawn_ticks(y_lo, y_hi, log_y);

    let font = |size: f64| ("sans-serif", px(size)).into_font();
    let mut chart = ChartBuilder::on(area)
        .margin(px(14.0))
        .margin_right(px(28.0))
        .x_label_area_size(px(46.0))
        .y_label_area_size(px(58.0))
        .build_cartesian_2d(
            Axis {
                lo: x_lo,
                hi: x_hi,
                ticks: x_ticks,
            },
            Axis {
                lo: y_lo,
                hi: y_hi,
                ticks: y_ticks,
            },
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(t(&data.x_label))
        .y_desc(t(&data.y_label))
        .x_label_formatter(&|v| axis_number(back(*v, log_x), flop_axis))
        .y_label_formatter(&|v| trim_number(back(*v, log_y), 3))
        .label_style(font(13.0).color(&colors.text))
        .axis_desc_style(font(14.0).color(&colors.text))
        .bold_line_style(colors.grid.stroke_width(px(1.0).max(1) as u32))
        .light_line_style(colors.background)
        .axis_style(colors.text.stroke_width(px(1.0).max(1) as u32))
        .draw()
        .map_err(err)?;

    let line_width = px(2.5).max(1) as u32;
    if data.band.len() >= 2 {
        let outline: Vec<(f64, f64)> = data
            .band
            .iter()
            .map(|b| (b.0, b.2))
            .chain(data.band.iter().rev().map(|b| (b.0, b.1)))
            .collect();
        chart
            .draw_series(std::iter::once(Polygon::new(
                outline,
                colors.curve.mix(0.18).filled(),
            )))
            .map_err(err)?
            .label(t("95% bootstrap band"))
            .legend(move |(x, y)| {
                Rectangle::new(
                    [(x, y - 5), (x + 20, y + 5)],
                    colors.curve.mix(0.25).filled(),
                )
            });
    }
    if !data.fitted.is_empty() {
        chart
            .draw_series(LineSeries::new(
                data.fitted.iter().copied(),
                colors.curve.stroke_width(line_width),
            ))
            .map_err(err)?
            .label(t(if data.curve_label.is_empty() {
                "fitted law"
            } else {
                data.curve_label.as_str()
            }))
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + 20, y)],
                    colors.curve.stroke_width(line_width),
                )
            });
    }
    // Dashes: every other run of samples of the extrapolated curve.
    let dash = 6;
    let last = data.extrapolated.len().saturating_sub(2);
    for (i, run) in data.extrapolated.windows(2).enumerate() {
        // The last piece is always drawn, so the dashes reach the target.
        if (i / dash) % 2 == 0 || i == last {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![run[0], run[1]],
                    colors.curve.stroke_width(line_width),
                )))
                .map_err(err)?;
        }
    }
    let radius = px(4.5).max(2);
    for (i, (tone, curve)) in data.family.iter().enumerate() {
        let color = tone_color(*tone, data.dark);
        let series = chart
            .draw_series(LineSeries::new(
                curve.iter().copied(),
                color.stroke_width(px(2.0).max(1) as u32),
            ))
            .map_err(err)?;
        if i == 0 {
            series
                .label(t(if data.family_label.is_empty() {
                    "fitted law at fixed N or D"
                } else {
                    data.family_label.as_str()
                }))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
                });
        }
    }
    let point_color = |p: &ChartPoint| p.tone.map_or(colors.point, |t| tone_color(t, data.dark));
    if data.points.iter().any(|p| !p.excluded) {
        chart
            .draw_series(
                data.points
                    .iter()
                    .filter(|p| !p.excluded)
                    .map(|p| Circle::new((p.x, p.y), radius, point_color(p).filled())),
            )
            .map_err(err)?
            .label(t("observed"))
            .legend(move |(x, y)| Circle::new((x + 10, y), radius, colors.point.filled()));
    }
    chart
        .draw_series(data.points.iter().filter(|p| p.excluded).map(|p| {
            Circle::new(
                (p.x, p.y),
                radius,
                colors.excluded.stroke_width(px(1.5).max(1) as u32),
            )
        }))
        .map_err(err)?;
    // Names beside the points, when there are few enough to read.
    let labelled: Vec<&ChartPoint> = data.points.iter().filter(|p| p.label.is_some()).collect();
    if !labelled.is_empty() && labelled.len() <= 20 {
        let style = font(12.0).color(&colors.text);
        chart
            .draw_series(labelled.iter().map(|p| {
                EmptyElement::at((p.x, p.y))
                    + Text::new(
                        p.label.clone().unwrap_or_default(),
                        (px(6.0), -px(17.0)),
                        style.clone(),
                    )
            }))
            .map_err(err)?;
    }
    if !data.runs.is_empty() {
        chart
            .draw_series(data.runs.iter().map(|&(x, y)| {
                Cross::new(
                    (x, y),
                    px(5.0),
                    colors.target.stroke_width(px(2.0).max(1) as u32),
                )
            }))
            .map_err(err)?
            .label(t("runs, at the law's value"))
            .legend(move |(x, y)| Cross::new((x + 10, y), 5, colors.target.stroke_width(2)));
    }
    if let Some(marker) = &data.target {
        let label_style = font(13.0).color(&colors.target);
        // Put the label on the side with room.
        let right_half = marker.x > 0.5 * (x_lo + x_hi);
        let offset = if right_half {
            (
                -px(10.0) - px(7.0 * marker.label.chars().count() as f64),
                px(10.0),
            )
        } else {
            (px(8.0), -px(20.0))
        };
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((marker.x, marker.y))
                    + Cross::new((0, 0), px(6.0), colors.target.stroke_width(line_width))
                    + Text::new(marker.label.clone(), offset, label_style),
            ))
            .map_err(err)?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(colors.background.mix(0.85))
        .border_style(colors.grid)
        .label_font(font(13.0).color(&colors.text))
        .draw()
        .map_err(err)?;
    if let Some(label) = &data.tone_label {
        let style = font(12.0).color(&colors.text);
        area.draw_text(&t(label), &style, (px(80.0), px(18.0)))
            .map_err(err)?;
    }
    if data.stale {
        let style = font(14.0).color(&colors.target);
        area.draw_text(
            &t("stale: the data has a problem; this is the last good fit"),
            &style,
            (
                px(80.0),
                px(if data.tone_label.is_some() {
                    36.0
                } else {
                    18.0
                }),
            ),
        )
        .map_err(err)?;
    }
    let (x_pixels, y_pixels) = chart.plotting_area().get_pixel_range();
    area.present().map_err(err)?;
    Ok(Frame {
        left: x_pixels.start as f64,
        right: x_pixels.end as f64,
        top: y_pixels.start as f64,
        bottom: y_pixels.end as f64,
        x_lo,
        x_hi,
        y_lo,
        y_hi,
        log_x,
        log_y,
    })
}

/// Ticks on drawn coordinates [lo, hi]: decades (as log10) along a log axis, round values
/// along a linear one.
fn drawn_ticks(lo: f64, hi: f64, log: bool) -> Vec<f64> {
    if log {
        log_ticks(10f64.powf(lo), 10f64.powf(hi))
            .into_iter()
            .map(f64::log10)
            .collect()
    } else {
        nice_ticks(lo, hi)
    }
}

/// A linear axis with the ticks it is given (log axes pass log10 values and their ticks).
#[derive(Clone)]
struct Axis {
    lo: f64,
    hi: f64,
    ticks: Vec<f64>,
}

impl Ranged for Axis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let f = (value - self.lo) / (self.hi - self.lo);
        limit.0 + (f * (limit.1 - limit.0) as f64).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, _hint: Hint) -> Vec<f64> {
        self.ticks.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.lo..self.hi
    }
}

/// Where the plot sits on the canvas, in canvas pixels, and what its edges mean (log10 of
/// the value on a log axis): enough to map a pointer back to data.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Frame {
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
    pub x_lo: f64,
    pub x_hi: f64,
    pub y_lo: f64,
    pub y_hi: f64,
    pub log_x: bool,
    pub log_y: bool,
}

impl Frame {
    /// The canvas pixel of a data point.
    pub fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let tx = if self.log_x { x.log10() } else { x };
        let ty = if self.log_y { y.log10() } else { y };
        (
            self.left + (tx - self.x_lo) / (self.x_hi - self.x_lo) * (self.right - self.left),
            self.bottom - (ty - self.y_lo) / (self.y_hi - self.y_lo) * (self.bottom - self.top),
        )
    }

    /// The data x at a canvas pixel column.
    pub fn x_at(&self, px: f64) -> f64 {
        let t = self.x_lo + (px - self.left) / (self.right - self.left) * (self.x_hi - self.x_lo);
        if self.log_x {
            10f64.powf(t)
        } else {
            t
        }
    }

    /// Whether a pixel lies inside the plot.
    pub fn contains(&self, px: f64, py: f64) -> bool {
        self.right > self.left
            && (self.left..=self.right).contains(&px)
            && (self.top..=self.bottom).contains(&py)
    }
}

/// The chart's data on the coordinates it is drawn on: log10 of each value along a log
/// axis (non-positive values dropped there), the value itself along a linear one.
fn transformed(data: &ChartData) -> ChartData {
    let fx = |v: f64| if data.linear_x { v } else { v.log10() };
    let fy = |v: f64| if data.linear_y { v } else { v.log10() };
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let pairs = |v: &[(f64, f64)]| -> Vec<(f64, f64)> {
        v.iter()
            .map(|&(x, y)| (fx(x), fy(y)))
            .filter(finite)
            .collect()
    };
    let mut out = data.clone();
    out.points = data
        .points
        .iter()
        .map(|p| ChartPoint {
            x: fx(p.x),
            y: fy(p.y),
            ..p.clone()
        })
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .collect();
    out.fitted = pairs(&data.fitted);
    out.extrapolated = pairs(&data.extrapolated);
    out.runs = pairs(&data.runs);
    out.family = data.family.iter().map(|(t, c)| (*t, pairs(c))).collect();
    out.band = data
        .band
        .iter()
        .map(|&(x, lo, hi)| (fx(x), fy(lo), fy(hi)))
        .filter(|b| b.0.is_finite() && b.1.is_finite() && b.2.is_finite())
        .collect();
    out.target = data.target.as_ref().and_then(|m| {
        let (x, y) = (fx(m.x), fy(m.y));
        (x.is_finite() && y.is_finite()).then(|| Marker {
            x,
            y,
            label: m.label.clone(),
        })
    });
    out
}

/// The chart as an SVG document.
pub fn to_svg(data: &ChartData, width: u32, height: u32) -> Result<String, String> {
    let mut svg = String::new();
    {
        let backend = SVGBackend::with_string(&mut svg, (width, height));
        let area = backend.into_drawing_area();
        draw_chart(&area, data)?;
    }
    Ok(svg)
}

/// A law's curve as data for any consumer (CSV export, tests).
pub fn sample_law(law: &Law, lo: f64, hi: f64, n: usize) -> Vec<(f64, f64)> {
    log_space(lo, hi, n.max(2))
        .into_iter()
        .filter_map(|x| Some((x, law.value(&Inputs::single(law.x, x))?)))
        .collect()
}

/// The residual plot: observed against fitted, as a percentage, for each point.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ResidualData {
    pub x_label: String,
    /// (x, 100 · (observed / fitted − 1), excluded)
    pub points: Vec<(f64, f64, bool)>,
    pub scale: f64,
    pub dark: bool,
    pub lang: Lang,
    /// A linear x axis, as the main chart's.
    pub linear_x: bool,
}

/// The residuals of `fit` on every point of `data` (excluded ones too, drawn hollow), against
/// the chart's variable.
pub fn residual_data(data: &Dataset, fit: &Fit, x: crate::engine::law::Variable) -> ResidualData {
    let law = &fit.law;
    let x_var = if law.model.is_single_variable() {
        law.x.quantity()
    } else {
        x.quantity()
    };
    let response = if data.has(law.model.response()) {
        law.model.response()
    } else {
        crate::engine::dataset::Quantity::L
    };
    let points = data
        .points
        .iter()
        .filter_map(|p| {
            let fitted = law.value(&Inputs::of(p))?;
            let observed = p.get(response)?;
            let pct = 100.0 * (observed / fitted - 1.0);
            pct.is_finite().then_some((p.get(x_var)?, pct, p.excluded))
        })
        .collect();
    ResidualData {
        x_label: axis_name(x_var),
        points,
        scale: 1.0,
        dark: false,
        lang: Lang::En,
        linear_x: false,
    }
}

/// Draws the residual plot: x on the main chart's scale, a linear percentage axis centred on zero.
pub fn draw_residuals<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ResidualData,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let flop_axis = data.x_label.contains("FLOP");
    let t = |text: &str| crate::text::translate(data.lang, text);
    let s = if data.scale > 0.0 { data.scale } else { 1.0 };
    let px = |v: f64| (v * s).round() as i32;
    let colors = palette(data.dark);
    area.fill(&colors.background).map_err(err)?;
    let (x_lo, x_hi) = data
        .points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.0), hi.max(p.0))
        });
    if !(x_lo > 0.0 && x_hi.is_finite()) {
        return area.present().map_err(err);
    }
    // x on the main chart's scale: log10 of the value (log axis) or the value itself.
    let log_x = !data.linear_x;
    let fx = |v: f64| if log_x { v.log10() } else { v };
    let back = |v: f64| if log_x { 10f64.powf(v) } else { v };
    let (x_lo, x_hi) = (fx(x_lo), fx(x_hi));
    let span = (x_hi - x_lo).max(if log_x {
        1.0
    } else {
        x_hi.abs() * 1e-3 + 1e-12
    });
    let mid = 0.5 * (x_lo + x_hi);
    let (x_lo, x_hi) = (mid - 0.58 * span, mid + 0.58 * span);
    let x_ticks = drawn_ticks(x_lo, x_hi, log_x);
    let extent = data
        .points
        .iter()
        .map(|p| p.1.abs())
        .fold(0.0, f64::max)
        .max(0.1)
        * 1.2;
    let font = |size: f64| ("sans-serif", px(size)).into_font();
    let mut chart = ChartBuilder::on(area)
        .margin(px(10.0))
        .margin_right(px(28.0))
        .x_label_area_size(px(40.0))
        .y_label_area_size(px(58.0))
        .build_cartesian_2d(
            Axis {
                lo: x_lo,
                hi: x_hi,
                ticks: x_ticks,
            },
            -extent..extent,
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(t(&data.x_label))
        .y_desc(t("residual %"))
        .x_label_formatter(&|v| axis_number(back(*v), flop_axis))
        // Ticks near zero print as 0, not as a rounding residue like 1.4e-17.
        .y_label_formatter(&|v| {
            if v.abs() < 1e-9 * extent {
                "0".into()
            } else {
                trim_number(*v, 2)
            }
        })
        .y_labels(5)
        .label_style(font(12.0).color(&colors.text))
        .axis_desc_style(font(12.0).color(&colors.text))
        .bold_line_style(colors.grid.stroke_width(px(1.0).max(1) as u32))
        .light_line_style(colors.background)
        .axis_style(colors.text.stroke_width(px(1.0).max(1) as u32))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(x_lo, 0.0), (x_hi, 0.0)],
            colors.curve.stroke_width(px(1.5).max(1) as u32),
        )))
        .map_err(err)?;
    let radius = px(3.5).max(2);
    chart
        .draw_series(data.points.iter().map(|&(x, y, excluded)| {
            let x = fx(x);
            if excluded {
                Circle::new(
                    (x, y),
                    radius,
                    colors.excluded.stroke_width(px(1.5).max(1) as u32),
                )
            } else {
                Circle::new((x, y), radius, colors.point.filled())
            }
        }))
        .map_err(err)?;
    area.present().map_err(err)
}

/// The planning chart of a law of N and D: the N–D plane (log-log) with iso-loss contours,
/// iso-FLOP lines (C = k N D), the compute-optimal frontier and the budget's optimum.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PlanChart {
    /// Iso-loss contours: (loss, points (N, D)).
    pub contours: Vec<(f64, Vec<(f64, f64)>)>,
    /// Iso-FLOP lines: (C, two end points (N, D)).
    pub flops: Vec<(f64, [(f64, f64); 2])>,
    /// The compute-optimal (N_opt, D_opt) as the budget grows.
    pub frontier: Vec<(f64, f64)>,
    /// The optimum of the chosen budget.
    pub optimum: Option<(f64, f64)>,
    pub n_range: (f64, f64),
    pub d_range: (f64, f64),
    pub scale: f64,
    pub dark: bool,
    pub lang: Lang,
}

/// The planning chart's data around a budget (or 1e23 FLOP): three decades of N and D either
/// side of the optimum, contours at loss levels spread over the visible range.
pub fn plan_chart(law: &Law, budget: Option<f64>, k: f64) -> Option<PlanChart> {
    use crate::engine::plan::{compute_optimal, frontier, predict_nd};
    let centre = compute_optimal(law, budget.unwrap_or(1e23), k).ok()?;
    let n_range = (centre.n / 1e3, centre.n * 1e3);
    let d_range = (centre.d / 1e3, centre.d * 1e3);
    let loss = |n: f64, d: f64| predict_nd(law, n, d, k).unwrap_or(f64::NAN);
    // Contour levels: between the loss at the far corner of the plane and at the optimum's
    // corner, spaced evenly in log(L − floor).
    let floor = crate::engine::plan::floor(law).unwrap_or(0.0);
    let hi = loss(n_range.0 * 3.0, d_range.0 * 3.0);
    let lo = loss(n_range.1 / 3.0, d_range.1 / 3.0);
    if !(hi.is_finite() && lo.is_finite() && hi > lo) {
        return None;
    }
    let levels: Vec<f64> = (0..7)
        .map(|i| {
            let f = i as f64 / 6.0;
            floor + ((lo - floor).ln() + f * ((hi - floor).ln() - (lo - floor).ln())).exp()
        })
        .collect();
    // Each contour: for each N, the D where L(N, D) = level (bisection in log D; L falls with D).
    let contours = levels
        .iter()
        .map(|&level| {
            let points = log_space(n_range.0, n_range.1, 80)
                .into_iter()
                .filter_map(|n| {
                    let d = crate::engine::plan::invert_numeric(
                        |d| -loss(n, d),
                        -level,
                        d_range.0 / 1e3,
                        d_range.1 * 1e3,
                    )?;
                    (d >= d_range.0 && d <= d_range.1).then_some((n, d))
                })
                .collect();
            (level, points)
        })
        .collect();
    let c_lo = k * n_range.0 * d_range.0;
    let c_hi = k * n_range.1 * d_range.1;
    let flops = (c_lo.log10().ceil() as i32..=c_hi.log10().floor() as i32)
        .step_by(2)
        .map(|e| {
            let c = 10f64.powi(e);
            // D = C / (k N), clipped to the plane.
            let n_a = (c / (k * d_range.1)).max(n_range.0);
            let n_b = (c / (k * d_range.0)).min(n_range.1);
            (c, [(n_a, c / (k * n_a)), (n_b, c / (k * n_b))])
        })
        .filter(|(_, [a, b])| a.0 < b.0)
        .collect();
    let frontier = frontier(law, c_lo, c_hi, 60, k)
        .into_iter()
        .map(|a| (a.n, a.d))
        .filter(|&(n, d)| n >= n_range.0 && n <= n_range.1 && d >= d_range.0 && d <= d_range.1)
        .collect();
    Some(PlanChart {
        contours,
        flops,
        frontier,
        optimum: budget.map(|_| (centre.n, centre.d)),
        n_range,
        d_range,
        scale: 1.0,
        dark: false,
        lang: Lang::En,
    })
}

/// Draws the planning chart.
pub fn draw_plan_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &PlanChart,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let t = |text: &str| crate::text::translate(data.lang, text);
    let s = if data.scale > 0.0 { data.scale } else { 1.0 };
    let px = |v: f64| (v * s).round() as i32;
    let colors = palette(data.dark);
    area.fill(&colors.background).map_err(err)?;
    let font = |size: f64| ("sans-serif", px(size)).into_font();
    let (n_lo, n_hi) = data.n_range;
    let (d_lo, d_hi) = data.d_range;
    let mut chart = ChartBuilder::on(area)
        .margin(px(12.0))
        .margin_right(px(24.0))
        .x_label_area_size(px(42.0))
        .y_label_area_size(px(58.0))
        .build_cartesian_2d(
            (n_lo..n_hi)
                .log_scale()
                .with_key_points(log_ticks(n_lo, n_hi)),
            (d_lo..d_hi)
                .log_scale()
                .with_key_points(log_ticks(d_lo, d_hi)),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(t("parameters N"))
        .y_desc(t("training tokens D"))
        .x_label_formatter(&|v| format_si(*v))
        .y_label_formatter(&|v| format_si(*v))
        .label_style(font(12.0).color(&colors.text))
        .axis_desc_style(font(13.0).color(&colors.text))
        .bold_line_style(colors.grid.stroke_width(px(1.0).max(1) as u32))
        .light_line_style(colors.background)
        .axis_style(colors.text.stroke_width(px(1.0).max(1) as u32))
        .draw()
        .map_err(err)?;
    for (i, (c, ends)) in data.flops.iter().enumerate() {
        let series = chart
            .draw_series(std::iter::once(PathElement::new(
                ends.to_vec(),
                colors.excluded.stroke_width(px(1.0).max(1) as u32),
            )))
            .map_err(err)?;
        if i == 0 {
            series
                .label(t("iso-FLOP lines (C = k·N·D)"))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], colors.excluded.stroke_width(1))
                });
        }
        let label_at = ends[0];
        chart
            .draw_series(std::iter::once(
                EmptyElement::at(label_at)
                    + Text::new(
                        format_sci(*c),
                        (px(4.0), px(4.0)),
                        font(11.0).color(&colors.excluded),
                    ),
            ))
            .map_err(err)?;
    }
    for (i, (level, points)) in data.contours.iter().enumerate() {
        let color = tone_color(i as f64 / data.contours.len().max(2) as f64, data.dark);
        let series = chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                color.stroke_width(px(1.5).max(1) as u32),
            ))
            .map_err(err)?;
        if i == 0 {
            series.label(t("iso-loss contours")).legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
            });
        }
        if let Some(&p) = points.get(points.len() / 5) {
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at(p)
                        + Text::new(
                            trim_number(*level, 3),
                            (px(3.0), px(2.0)),
                            font(11.0).color(&color),
                        ),
                ))
                .map_err(err)?;
        }
    }
    chart
        .draw_series(LineSeries::new(
            data.frontier.iter().copied(),
            colors.curve.stroke_width(px(2.5).max(1) as u32),
        ))
        .map_err(err)?
        .label(t("compute-optimal frontier"))
        .legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 20, y)], colors.curve.stroke_width(3))
        });
    if let Some(opt) = data.optimum {
        chart
            .draw_series(std::iter::once(Cross::new(
                opt,
                px(7.0),
                colors.target.stroke_width(px(2.5).max(1) as u32),
            )))
            .map_err(err)?
            .label(t("optimum for the budget"))
            .legend(move |(x, y)| Cross::new((x + 10, y), 5, colors.target.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(colors.background.mix(0.85))
        .border_style(colors.grid)
        .label_font(font(12.0).color(&colors.text))
        .draw()
        .map_err(err)?;
    area.present().map_err(err)
}
