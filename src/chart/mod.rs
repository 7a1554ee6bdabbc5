//! The charts: what is drawn, apart from how it is drawn.
//!
//! - What: [`ChartData`] (the main chart: points, fitted curve, extrapolation, band, marker,
//!   family curves), [`ResidualData`], [`PlanChart`] (contours, iso-FLOP lines, frontier).
//!   Each is computed once from the engine's results; drawing does no numerics. Axes say what
//!   they measure as an [`AxisQuantity`], never through their titles.
//! - How: a [`ChartStyle`] (theme, log or linear per axis, language, size). The page draws
//!   with the style on screen, and the SVG export uses that same style, so it shows exactly
//!   what the canvas does.
//!
//! Each chart is drawn layer by layer (grid and ticks, band, curves, points, markers, legend,
//! …) by functions generic over plotters' `DrawingBackend`: SVG in native tests and exports,
//! the canvas in the page, from the same code.

mod axis;
mod backtest;
mod data;
mod draw;
mod inference;
mod isoflop;
mod labels;
mod law_chart;
mod layers;
mod plan;
mod plot;
mod residuals;
mod style;

pub use axis::{log_ticks, nice_ticks, AxisQuantity, Frame, Span, MAX_TICKS};
pub use backtest::{backtest_chart, draw_backtest, BacktestChart};
pub use data::{band_xs, chart_data, sample_law, ChartData, ChartPoint, Marker};
pub use draw::{draw_chart, plane_of};
pub use inference::inference_chart;
pub use isoflop::{isoflop_chart, isoflop_frontier_chart};
pub use labels::{CurveName, FamilyName, PointsName, ToneLabel};
pub use law_chart::law_chart;
pub use plan::{draw_plan_chart, plan_chart, PlanChart};
pub use residuals::{draw_residuals, residual_data, ResidualData};
pub use style::{describe, Axes, AxisKind, ChartStyle, Theme};

use plotters::coord::Shift;
use plotters::prelude::*;

/// A chart that can be drawn in a style onto any plotters backend.
pub trait Chart {
    /// Draws the chart onto `area` in `style`; returns where the plot landed (for the
    /// pointer). Errors are the backend's, in words.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<Frame, String>;
}

impl Chart for ChartData {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<Frame, String> {
        draw_chart(area, self, style)
    }
}

impl Chart for ResidualData {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<Frame, String> {
        draw_residuals(area, self, style)
    }
}

impl Chart for BacktestChart {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<Frame, String> {
        draw_backtest(area, self, style)
    }
}

impl Chart for PlanChart {
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        style: &ChartStyle,
    ) -> Result<Frame, String> {
        draw_plan_chart(area, self, style)
    }
}

/// The chart as an SVG document, `style.width` × `style.height` pixels, drawn in `style`.
pub fn to_svg<C: Chart>(chart: &C, style: &ChartStyle) -> Result<String, String> {
    let mut svg = String::new();
    {
        let backend = SVGBackend::with_string(&mut svg, (style.width, style.height));
        chart.draw(&backend.into_drawing_area(), style)?;
    }
    Ok(svg)
}
