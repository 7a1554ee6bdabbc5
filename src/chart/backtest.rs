//! The backtest chart: for each cut of a rollout, the error of its predictions on the runs it
//! was not fitted on, along the variable the runs are ordered by. One line per cut, faint and
//! blue for the early cuts (fitted on the fewest runs), strong and amber for the last; a law
//! that extrapolates well keeps every line near zero, a drift shows as lines fanning out.

use super::axis::{AxisQuantity, Frame};
use super::plot::{fail, Plane, Plot};
use super::residuals::draw_percent;
use super::style::{ChartStyle, Pen};
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
    draw_percent(
        area,
        style,
        chart.cuts.iter().flatten().copied(),
        0.5,
        (chart.x, AxisQuantity::HeldOutPercent),
        |pen| pen.colors.text.stroke_width(pen.stroke(1.0)),
        |plot, pen, plane| draw_cuts(plot, pen, plane, &chart.cuts),
    )
}

/// One line per cut through its held-out errors: early cuts faint and thin, the last strong.
fn draw_cuts<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    cuts: &[Vec<(f64, f64)>],
) -> Result<(), String> {
    let last = cuts.len().saturating_sub(1).max(1) as f64;
    for (i, cut) in cuts.iter().enumerate() {
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
    Ok(())
}
