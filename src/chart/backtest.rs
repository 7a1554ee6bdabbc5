//! The backtest chart: for each cut of a rollout, the error of its predictions on the runs it
//! was not fitted on, along the variable the runs are ordered by. One line per cut, faint and
//! blue for the early cuts (fitted on the fewest runs), strong and amber for the last; a law
//! that extrapolates well keeps every line near zero, a drift shows as lines fanning out.

use super::axis::{AxisQuantity, Frame};
use super::plot::{draw_grid, fail, frame_of, plot_on};
use super::residuals::{draw_zero_line, percent_plane, MARGINS};
use super::style::ChartStyle;
use crate::engine::backtest::Backtest;
use plotters::coord::Shift;
use plotters::prelude::*;

/// What the backtest chart shows.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BacktestChart {
    /// What the x axis measures (the variable the runs are ordered by).
    pub x: AxisQuantity,
    /// Per cut, in order: its held-out runs as (x, 100 · (predicted / actual − 1)), by x.
    pub cuts: Vec<Vec<(f64, f64)>>,
}

/// The chart of a backtest's cuts.
pub fn backtest_chart(backtest: &Backtest) -> BacktestChart {
    let cuts = backtest
        .cuts
        .iter()
        .map(|cut| {
            let mut errors: Vec<(f64, f64)> = cut
                .predictions
                .iter()
                .map(|p| (p.at, 100.0 * (p.predicted / p.actual - 1.0)))
                .filter(|(x, y)| x.is_finite() && y.is_finite())
                .collect();
            errors.sort_by(|a, b| a.0.total_cmp(&b.0));
            errors
        })
        .collect();
    BacktestChart {
        x: AxisQuantity::of(backtest.by.quantity()),
        cuts,
    }
}

/// Draws the chart: x on the style's x axis kind, a linear percentage axis centred on zero.
pub fn draw_backtest<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &BacktestChart,
    style: &ChartStyle,
) -> Result<Frame, String> {
    let pen = style.pen();
    area.fill(&pen.colors.background).map_err(fail)?;
    let all = chart.cuts.iter().flatten().copied();
    let Some(plane) = percent_plane(all, style.axes.x, 0.5) else {
        area.present().map_err(fail)?;
        return Ok(Frame::default());
    };
    let mut plot = plot_on(area, &pen, &MARGINS, &plane)?;
    draw_grid(
        &mut plot,
        &pen,
        &plane,
        (chart.x, AxisQuantity::HeldOutPercent),
        (12.0, 12.0),
    )?;
    draw_zero_line(
        &mut plot,
        &plane,
        pen.colors.text.stroke_width(pen.stroke(1.0)),
    )?;
    let last = chart.cuts.len().saturating_sub(1).max(1) as f64;
    for (i, cut) in chart.cuts.iter().enumerate() {
        let tone = i as f64 / last;
        // Early cuts faint and thin, the last strong.
        let colour = pen.tone(tone).mix(0.35 + 0.65 * tone);
        let width = pen.stroke(1.0 + 1.5 * tone);
        let path = plane.path(cut);
        plot.draw_series(std::iter::once(PathElement::new(
            path.clone(),
            colour.stroke_width(width),
        )))
        .map_err(fail)?;
        let radius = pen.px(2.5 + tone).max(2);
        plot.draw_series(
            path.into_iter()
                .map(|at| Circle::new(at, radius, colour.filled())),
        )
        .map_err(fail)?;
    }
    let frame = frame_of(&plot, &plane);
    area.present().map_err(fail)?;
    Ok(frame)
}
