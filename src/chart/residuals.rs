//! The residual plot: each point's observed value against the fitted law, as a percentage,
//! along the main chart's x axis (log or linear as the style says); the percentage axis is
//! always linear and centred on zero.

use super::axis::{AxisQuantity, Frame, Span};
use super::data::{position, response, x_quantity};
use super::plot::{draw_grid, fail, frame_of, last_per_pixel, plot_on, Margins, Plane, Plot};
use super::style::{AxisKind, ChartStyle, Pen};
use crate::engine::dataset::Dataset;
use crate::engine::fit::Fit;
use crate::engine::flops::FlopConvention;
use crate::engine::law::{Inputs, Variable};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The residual plot's data.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ResidualData {
    /// What the x axis measures (the main chart's x).
    pub x: AxisQuantity,
    /// (x, 100 · (observed / fitted − 1), excluded)
    pub points: Vec<(f64, f64, bool)>,
}

/// The residuals of `fit` on every point of `data` (excluded ones too, drawn hollow), against
/// the chart's variable (compute derived from N and D as C = k N D from `flops`, as on the
/// main chart).
pub fn residual_data(
    data: &Dataset,
    fit: &Fit,
    x: Variable,
    flops: FlopConvention,
) -> ResidualData {
    let x_var = x_quantity(fit, x);
    let response = response(data, fit);
    let points = data
        .points
        .iter()
        .filter_map(|p| {
            let fitted = fit.law.value(&Inputs::of(p))?;
            let observed = p.get(response)?;
            let pct = 100.0 * (observed / fitted - 1.0);
            pct.is_finite()
                .then_some((position(data, p, x_var, flops)?, pct, p.excluded))
        })
        .collect();
    ResidualData {
        x: AxisQuantity::of(x_var),
        points,
    }
}

/// The room around a plot of percentages (the residuals, the backtest's errors).
const MARGINS: Margins = Margins {
    margin: 10.0,
    top: 0.0,
    right: 28.0,
    x_labels: 40.0,
    y_labels: 58.0,
};

/// Draws the residual plot: x on the style's x axis kind, a linear percentage axis centred on
/// zero (the style's y kind does not apply).
pub fn draw_residuals<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ResidualData,
    style: &ChartStyle,
) -> Result<Frame, String> {
    draw_percent(
        area,
        style,
        data.points.iter().map(|p| (p.0, p.1)),
        0.1,
        (data.x, AxisQuantity::ResidualPercent),
        |pen| pen.colors.curve.stroke_width(pen.stroke(1.5)),
        |plot, pen, plane| draw_residual_points(plot, pen, plane, &data.points),
    )
}

/// A chart of percentages along x (the residuals, the backtest's errors): the background, a
/// linear percentage axis centred on zero around `points`, the grid, the zero line in `zero`'s
/// style, then `layers`; an empty chart when no point can be shown.
pub(super) fn draw_percent<'a, DB: DrawingBackend + 'a>(
    area: &'a DrawingArea<DB, Shift>,
    style: &ChartStyle,
    points: impl Iterator<Item = (f64, f64)> + Clone,
    floor: f64,
    quantities: (AxisQuantity, AxisQuantity),
    zero: impl Fn(&Pen) -> ShapeStyle,
    layers: impl FnOnce(&mut Plot<'a, DB>, &Pen, &Plane) -> Result<(), String>,
) -> Result<Frame, String> {
    let pen = style.pen();
    area.fill(&pen.colors.background).map_err(fail)?;
    let Some(plane) = percent_plane(points, style.axes.x, floor) else {
        area.present().map_err(fail)?;
        return Ok(Frame::default());
    };
    let mut plot = plot_on(area, &pen, &MARGINS, &plane)?;
    draw_grid(&mut plot, &pen, &plane, quantities, (12.0, 12.0))?;
    draw_zero_line(&mut plot, &plane, zero(&pen))?;
    layers(&mut plot, &pen, &plane)?;
    let frame = frame_of(&plot, &plane);
    area.present().map_err(fail)?;
    Ok(frame)
}

/// A plane for percentages along x: x on `kind` around the points, a linear y axis centred on
/// zero, 20 % beyond the largest |y| (at least `floor`). None when no point can be shown.
fn percent_plane(
    points: impl Iterator<Item = (f64, f64)> + Clone,
    kind: AxisKind,
    floor: f64,
) -> Option<Plane> {
    let x = Span::around(points.clone().map(|p| p.0), kind, 1.0)?;
    let extent = points
        .filter(|p| kind.forward(p.0).is_some())
        .map(|p| p.1.abs())
        .fold(0.0, f64::max)
        .max(floor)
        * 1.2;
    Some(Plane {
        x,
        y: Span::clamped(AxisKind::Linear, -extent, extent),
    })
}

/// The line y = 0 (observed equals fitted; a prediction that was right).
fn draw_zero_line<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    plane: &Plane,
    style: ShapeStyle,
) -> Result<(), String> {
    plot.draw_series(std::iter::once(PathElement::new(
        vec![(plane.x.lo, 0.0), (plane.x.hi, 0.0)],
        style,
    )))
    .map_err(fail)?;
    Ok(())
}

/// The residuals: filled circles, hollow grey ones for points left out of the fit.
fn draw_residual_points<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    points: &[(f64, f64, bool)],
) -> Result<(), String> {
    let radius = pen.px(3.5).max(2);
    let hollow = pen.colors.excluded.stroke_width(pen.stroke(1.5));
    let filled = pen.colors.point.filled();
    let markers: Vec<((f64, f64), u32)> = points
        .iter()
        .filter_map(|&(x, y, excluded)| Some((plane.at((x, y))?, u32::from(excluded))))
        .collect();
    plot.draw_series(last_per_pixel(plot, &markers).into_iter().map(|i| {
        let (at, excluded) = markers[i];
        Circle::new(at, radius, if excluded == 1 { hollow } else { filled })
    }))
    .map_err(fail)?;
    Ok(())
}
