//! The main chart's layers, each on its own: the band, the fitted curve, the extrapolation,
//! the family of curves, the points and their names, the runs, the target's marker, and the
//! notes above the plot. Each takes the plot, the pen and the plane (data → drawn
//! coordinates), so each can be read, and tested, alone.

use super::data::{ChartPoint, Marker};
use super::labels::{CurveName, FamilyName, PointsName, ToneLabel};
use super::plot::{fail, last_per_pixel, legend_line, Plane, Plot};
use super::style::Pen;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// Width of the main curves, at scale 1.
const CURVE_WIDTH: f64 = 2.5;

/// The bootstrap band: a filled polygon from its upper edge and back along its lower one.
pub(crate) fn draw_band<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    band: &[(f64, f64, f64)],
) -> Result<(), String> {
    let upper = band.iter().filter_map(|b| plane.at((b.0, b.2)));
    let lower = band.iter().rev().filter_map(|b| plane.at((b.0, b.1)));
    let outline: Vec<(f64, f64)> = upper.chain(lower).collect();
    if outline.len() < 4 {
        return Ok(());
    }
    let color = pen.colors.curve;
    plot.draw_series(std::iter::once(Polygon::new(
        outline,
        color.mix(0.18).filled(),
    )))
    .map_err(fail)?
    .label(pen.t("mean curve, 95% (bootstrap)"))
    .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 20, y + 5)], color.mix(0.25).filled()));
    Ok(())
}

/// Where one new run would land (95 %): its two edges as thin dashed lines, apart from the
/// mean curve's filled band.
pub(crate) fn draw_run_band<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    band: &[(f64, f64, f64)],
) -> Result<(), String> {
    // One run's range can reach far past the data (few runs: a large t quantile); the plot's
    // span is set by the data and the curves, and only the pieces of each edge inside it are
    // drawn (a dash pattern along an edge thousands of plots long would never end).
    let inside = |edge: &dyn Fn(&(f64, f64, f64)) -> f64| -> Vec<Vec<(f64, f64)>> {
        let mut pieces = vec![Vec::new()];
        for b in band {
            match plane.at((b.0, edge(b))) {
                Some(p) if p.1 >= plane.y.lo && p.1 <= plane.y.hi => {
                    if let Some(piece) = pieces.last_mut() {
                        piece.push(p);
                    }
                }
                _ => pieces.push(Vec::new()),
            }
        }
        pieces.retain(|piece| piece.len() >= 2);
        pieces
    };
    let (lower, upper) = (inside(&|b| b.1), inside(&|b| b.2));
    if lower.is_empty() && upper.is_empty() {
        return Ok(());
    }
    let color = pen.colors.curve.mix(0.8);
    let width = pen.stroke(1.2);
    let (dash, gap) = (pen.stroke(3.0).max(1), pen.stroke(3.0).max(1));
    let pieces: Vec<_> = lower
        .into_iter()
        .chain(upper)
        .map(|piece| DashedPathElement::new(piece, dash, gap, color.stroke_width(width)))
        .collect();
    plot.draw_series(pieces)
        .map_err(fail)?
        .label(pen.t("one new run, 95%"))
        .legend(move |(x, y)| {
            PathElement::new(vec![(x, y), (x + 8, y)], color.stroke_width(width))
        });
    Ok(())
}

/// The fitted (or published) law over the data's range: a solid line.
pub(crate) fn draw_fitted<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    curve: &[(f64, f64)],
    name: CurveName,
) -> Result<(), String> {
    let path = plane.path(curve);
    if path.is_empty() {
        return Ok(());
    }
    let width = pen.stroke(CURVE_WIDTH);
    plot.draw_series(LineSeries::new(path, pen.colors.curve.stroke_width(width)))
        .map_err(fail)?
        .label(pen.t(name.text()))
        .legend(legend_line(pen.colors.curve, width));
    Ok(())
}

/// The law carried beyond the data: dashed, every other run of six samples, the last piece
/// always drawn so the dashes reach the target.
pub(crate) fn draw_extrapolation<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    curve: &[(f64, f64)],
) -> Result<(), String> {
    const DASH: usize = 6;
    let path = plane.path(curve);
    let last = path.len().saturating_sub(2);
    let style = pen.colors.curve.stroke_width(pen.stroke(CURVE_WIDTH));
    let pieces = path
        .windows(2)
        .enumerate()
        .filter(|(i, _)| (i / DASH).is_multiple_of(2) || *i == last)
        .map(|(_, piece)| PathElement::new(piece.to_vec(), style));
    plot.draw_series(pieces).map_err(fail)?;
    Ok(())
}

/// Curves of a law of several variables at fixed values of another, coloured by that value.
pub(crate) fn draw_family<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    family: &[(f64, Vec<(f64, f64)>)],
    name: FamilyName,
) -> Result<(), String> {
    for (i, (tone, curve)) in family.iter().enumerate() {
        let color = pen.tone(*tone);
        let series = plot
            .draw_series(LineSeries::new(
                plane.path(curve),
                color.stroke_width(pen.stroke(2.0)),
            ))
            .map_err(fail)?;
        if i == 0 {
            series
                .label(pen.t(name.text()))
                .legend(legend_line(color, 2));
        }
    }
    Ok(())
}

/// The data: filled circles (in their tone when coloured), hollow grey ones for points left
/// out of the fit.
pub(crate) fn draw_points<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    points: &[ChartPoint],
    name: PointsName,
) -> Result<(), String> {
    let radius = pen.px(4.5).max(2);
    let colors = pen.colors;
    let at = |p: &ChartPoint| plane.at((p.x, p.y));
    // Each point's colour, packed as 0x00RRGGBB, is its style.
    let included: Vec<((f64, f64), u32)> = points
        .iter()
        .filter(|p| !p.excluded)
        .filter_map(|p| {
            let RGBColor(r, g, b) = p.tone.map_or(colors.point, |t| pen.tone(t));
            Some((at(p)?, u32::from_be_bytes([0, r, g, b])))
        })
        .collect();
    let included: Vec<Circle<(f64, f64), i32>> = last_per_pixel(plot, &included)
        .into_iter()
        .map(|i| {
            let (at, packed) = included[i];
            let [_, r, g, b] = packed.to_be_bytes();
            Circle::new(at, radius, RGBColor(r, g, b).filled())
        })
        .collect();
    if !included.is_empty() {
        plot.draw_series(included)
            .map_err(fail)?
            .label(pen.t(name.text()))
            .legend(move |(x, y)| Circle::new((x + 10, y), radius, colors.point.filled()));
    }
    let hollow = colors.excluded.stroke_width(pen.stroke(1.5));
    let excluded: Vec<((f64, f64), u32)> = points
        .iter()
        .filter(|p| p.excluded)
        .filter_map(|p| Some((at(p)?, 0)))
        .collect();
    plot.draw_series(
        last_per_pixel(plot, &excluded)
            .into_iter()
            .map(|i| Circle::new(excluded[i].0, radius, hollow)),
    )
    .map_err(fail)?;
    Ok(())
}

/// The points' names beside them, when there are few enough (20) to read.
pub(crate) fn draw_point_names<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    points: &[ChartPoint],
) -> Result<(), String> {
    let named: Vec<((f64, f64), &str)> = points
        .iter()
        .filter_map(|p| Some((plane.at((p.x, p.y))?, p.label.as_deref()?)))
        .collect();
    if named.is_empty() || named.len() > 20 {
        return Ok(());
    }
    let style = pen.font(12.0).color(&pen.colors.text);
    let offset = (pen.px(6.0), -pen.px(17.0));
    plot.draw_series(named.into_iter().map(|(at, name)| {
        EmptyElement::at(at) + Text::new(name.to_string(), offset, style.clone())
    }))
    .map_err(fail)?;
    Ok(())
}

/// Runs without a measured loss, as crosses at the law's value.
pub(crate) fn draw_runs<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    runs: &[(f64, f64)],
) -> Result<(), String> {
    let path = plane.path(runs);
    if path.is_empty() {
        return Ok(());
    }
    let color = pen.colors.target;
    let style = color.stroke_width(pen.stroke(2.0));
    plot.draw_series(
        path.into_iter()
            .map(|at| Cross::new(at, pen.px(5.0), style)),
    )
    .map_err(fail)?
    .label(pen.t("runs, at the law's value"))
    .legend(move |(x, y)| Cross::new((x + 10, y), 5, color.stroke_width(2)));
    Ok(())
}

/// The prediction at the target: a cross and its label, on the side of the plot with room.
pub(crate) fn draw_marker<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    marker: &Marker,
) -> Result<(), String> {
    let Some((x, y)) = plane.at((marker.x, marker.y)) else {
        return Ok(());
    };
    let right_half = x > 0.5 * (plane.x.lo + plane.x.hi);
    let offset = if right_half {
        let width = 7.0 * marker.label.chars().count() as f64;
        (-pen.px(10.0) - pen.px(width), pen.px(10.0))
    } else {
        (pen.px(8.0), -pen.px(20.0))
    };
    let color = pen.colors.target;
    plot.draw_series(std::iter::once(
        EmptyElement::at((x, y))
            + Cross::new(
                (0, 0),
                pen.px(6.0),
                color.stroke_width(pen.stroke(CURVE_WIDTH)),
            )
            + Text::new(marker.label.clone(), offset, pen.font(13.0).color(&color)),
    ))
    .map_err(fail)?;
    Ok(())
}

/// The height of a line of notes above the plot, in pixels at scale 1.
pub(crate) const NOTE_LINE: f64 = 18.0;

/// Notes above the plot: what the colour scale shows, and that the fit is stale.
pub(crate) fn draw_notes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pen: &Pen,
    tone_label: Option<ToneLabel>,
    stale: bool,
) -> Result<(), String> {
    let mut top = 6.0;
    if let Some(label) = tone_label {
        let style = pen.font(12.0).color(&pen.colors.text);
        area.draw_text(&label.text(pen.lang), &style, (pen.px(12.0), pen.px(top)))
            .map_err(fail)?;
        top += NOTE_LINE;
    }
    if stale {
        let style = pen.font(14.0).color(&pen.colors.target);
        let text = pen.t("stale: the data has a problem; this is the last good fit");
        area.draw_text(&text, &style, (pen.px(12.0), pen.px(top)))
            .map_err(fail)?;
    }
    Ok(())
}
