//! The main chart: observed points, the fitted law, its extrapolation (dashed) and the
//! prediction marker, on log-log axes. One drawing function, generic over the plotters
//! backend: SVG in native tests and exports, the canvas in the page.

use crate::engine::dataset::Dataset;
use crate::engine::fit::Fit;
use crate::engine::law::{Inputs, Law};
use crate::engine::units::{format_si, trim_number};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A point of the data.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartPoint {
    pub x: f64,
    pub y: f64,
    /// Kept on the chart, left out of the fit: drawn hollow and grey.
    pub excluded: bool,
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
    /// The fit no longer matches the data text (it has an error): say so on the chart.
    pub stale: bool,
    /// Multiplies font sizes and line widths (the device pixel ratio on the page).
    pub scale: f64,
    pub dark: bool,
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

/// The chart of a single-variable law fitted to `data`, extrapolated to `target` if given.
pub fn chart_data(data: &Dataset, fit: &Fit, target: Option<f64>, stale: bool) -> ChartData {
    let law = &fit.law;
    let x_var = law.x.quantity();
    let response = law.model.response();
    let response = if data.has(response) {
        response
    } else {
        crate::engine::dataset::Quantity::L
    };
    let points: Vec<ChartPoint> = data
        .points
        .iter()
        .filter_map(|p| {
            Some(ChartPoint {
                x: p.get(x_var)?,
                y: p.get(response)?,
                excluded: p.excluded,
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
                let y = law.value(&Inputs::single(law.x, x))?;
                (y.is_finite() && y > 0.0).then_some((x, y))
            })
            .collect()
    };
    let fitted = curve(lo, hi);
    let extrapolated = match target {
        Some(t) if t > hi => curve(hi, t),
        Some(t) if t < lo => curve(t, lo),
        _ => Vec::new(),
    };
    let target = target.and_then(|t| {
        let y = law.value(&Inputs::single(law.x, t))?;
        (y.is_finite() && y > 0.0).then(|| Marker {
            x: t,
            y,
            label: format!("{} → {}", format_si(t), trim_number(y, 3)),
        })
    });
    ChartData {
        x_label: axis_name(x_var),
        y_label: axis_name(response),
        points,
        fitted,
        extrapolated,
        target,
        stale,
        scale: 1.0,
        dark: false,
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
    data: &ChartData,
) -> Result<(), String> {
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let s = if data.scale > 0.0 { data.scale } else { 1.0 };
    let px = |v: f64| (v * s).round() as i32;
    let colors = palette(data.dark);
    area.fill(&colors.background).map_err(err)?;

    let xs = data
        .points
        .iter()
        .map(|p| p.x)
        .chain(data.extrapolated.iter().map(|p| p.0))
        .chain(data.target.iter().map(|m| m.x));
    let ys = data
        .points
        .iter()
        .map(|p| p.y)
        .chain(data.fitted.iter().map(|p| p.1))
        .chain(data.extrapolated.iter().map(|p| p.1))
        .chain(data.target.iter().map(|m| m.y));
    let bounds = |it: &mut dyn Iterator<Item = f64>| {
        it.filter(|v| v.is_finite() && *v > 0.0)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            })
    };
    let (x_lo, x_hi) = bounds(&mut xs.into_iter());
    let (y_lo, y_hi) = bounds(&mut ys.into_iter());
    if !(x_lo.is_finite() && y_lo.is_finite()) {
        let style = TextStyle::from(("sans-serif", px(16.0)).into_font()).color(&colors.text);
        area.draw_text("No data to draw yet", &style, (px(20.0), px(30.0)))
            .map_err(err)?;
        return area.present().map_err(err);
    }
    // Pad in log space: a tenth of the span on each side, at least 10 %.
    let pad = |lo: f64, hi: f64, min_ratio: f64| {
        let span = (hi / lo).ln().max(min_ratio.ln());
        let f = (0.08 * span).exp().max(1.1);
        (lo / f, hi * f)
    };
    let (x_lo, x_hi) = pad(x_lo, x_hi, 10.0);
    let (y_lo, y_hi) = pad(y_lo, y_hi, 1.2);
    let x_ticks = log_ticks(x_lo, x_hi);
    let y_ticks = log_ticks(y_lo, y_hi);

    let font = |size: f64| ("sans-serif", px(size)).into_font();
    let mut chart = ChartBuilder::on(area)
        .margin(px(14.0))
        .margin_right(px(28.0))
        .x_label_area_size(px(46.0))
        .y_label_area_size(px(58.0))
        .build_cartesian_2d(
            (x_lo..x_hi).log_scale().with_key_points(x_ticks),
            (y_lo..y_hi).log_scale().with_key_points(y_ticks),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(data.x_label.as_str())
        .y_desc(data.y_label.as_str())
        .x_label_formatter(&|v| format_si(*v))
        .y_label_formatter(&|v| trim_number(*v, 3))
        .label_style(font(13.0).color(&colors.text))
        .axis_desc_style(font(14.0).color(&colors.text))
        .bold_line_style(colors.grid.stroke_width(px(1.0).max(1) as u32))
        .light_line_style(colors.background)
        .axis_style(colors.text.stroke_width(px(1.0).max(1) as u32))
        .draw()
        .map_err(err)?;

    let line_width = px(2.5).max(1) as u32;
    chart
        .draw_series(LineSeries::new(
            data.fitted.iter().copied(),
            colors.curve.stroke_width(line_width),
        ))
        .map_err(err)?
        .label("fitted law")
        .legend(move |(x, y)| {
            PathElement::new(
                vec![(x, y), (x + 20, y)],
                colors.curve.stroke_width(line_width),
            )
        });
    // Dashes: every other run of samples of the extrapolated curve.
    let dash = 6;
    for (i, run) in data.extrapolated.windows(2).enumerate() {
        if (i / dash) % 2 == 0 {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![run[0], run[1]],
                    colors.curve.stroke_width(line_width),
                )))
                .map_err(err)?;
        }
    }
    let radius = px(4.5).max(2);
    chart
        .draw_series(
            data.points
                .iter()
                .filter(|p| !p.excluded)
                .map(|p| Circle::new((p.x, p.y), radius, colors.point.filled())),
        )
        .map_err(err)?
        .label("observed")
        .legend(move |(x, y)| Circle::new((x + 10, y), radius, colors.point.filled()));
    chart
        .draw_series(data.points.iter().filter(|p| p.excluded).map(|p| {
            Circle::new(
                (p.x, p.y),
                radius,
                colors.excluded.stroke_width(px(1.5).max(1) as u32),
            )
        }))
        .map_err(err)?;
    if let Some(marker) = &data.target {
        let label_style = font(13.0).color(&colors.target);
        // Put the label on the side with room.
        let right_half = marker.x.ln() > 0.5 * (x_lo.ln() + x_hi.ln());
        let offset = if right_half {
            (
                -px(8.0) - px(7.5 * marker.label.chars().count() as f64),
                -px(20.0),
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
    if data.stale {
        let style = font(14.0).color(&colors.target);
        area.draw_text(
            "stale: the data has a problem; this is the last good fit",
            &style,
            (px(70.0), px(20.0)),
        )
        .map_err(err)?;
    }
    area.present().map_err(err)
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
