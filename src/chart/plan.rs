//! The planning chart of a law of N and D: the N–D plane with iso-loss contours, iso-FLOP
//! lines (C = k N D), the compute-optimal frontier and the budget's optimum.

use super::axis::{AxisQuantity, Frame, Span};
use super::data::log_space;
use super::plot::{
    draw_grid, draw_legend, fail, frame_of, legend_line, plot_on, quiet_corner, Corner, Margins,
    Plane, Plot,
};
use super::style::{AxisKind, ChartStyle, Pen};
use crate::engine::flops::FlopConvention;
use crate::engine::law::Law;
use crate::engine::plan::{compute_optimal, floor, frontier, invert_numeric, predict_nd};
use crate::engine::units::{format_sci, trim_number};
use plotters::coord::Shift;
use plotters::prelude::*;

/// The planning chart's data.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct PlanChart {
    /// Iso-loss contours: (loss, points (N, D)).
    pub contours: Vec<(f64, Vec<(f64, f64)>)>,
    /// Iso-FLOP lines: (C, points (N, D) along C = k N D inside the plane).
    pub flops: Vec<(f64, Vec<(f64, f64)>)>,
    /// The compute-optimal (N_opt, D_opt) as the budget grows.
    pub frontier: Vec<(f64, f64)>,
    /// The optimum of the chosen budget.
    pub optimum: Option<(f64, f64)>,
    pub n_range: (f64, f64),
    pub d_range: (f64, f64),
}

/// Iso-FLOP lines drawn at most (every other decade of C).
const MAX_FLOP_LINES: usize = 12;

/// The planning chart's data around a budget (or 1e23 FLOP): three decades of N and D either
/// side of the optimum, contours at loss levels spread over the visible range, compute
/// C = k N D from `flops`.
pub fn plan_chart(law: &Law, budget: Option<f64>, flops: FlopConvention) -> Option<PlanChart> {
    let k = flops.k;
    let centre = compute_optimal(law, budget.unwrap_or(1e23), k).ok()?;
    let n_range = (centre.n / 1e3, centre.n * 1e3);
    let d_range = (centre.d / 1e3, centre.d * 1e3);
    let positive = |(lo, hi): (f64, f64)| lo > 0.0 && hi > lo && hi.is_finite();
    if !(positive(n_range) && positive(d_range)) {
        return None;
    }
    let loss = |n: f64, d: f64| predict_nd(law, n, d, k).unwrap_or(f64::NAN);
    // Contour levels: between the loss at the far corner of the plane and at the optimum's
    // corner, spaced evenly in log(L − floor).
    let floor = floor(law).unwrap_or(0.0);
    let hi = loss(n_range.0 * 3.0, d_range.0 * 3.0);
    let lo = loss(n_range.1 / 3.0, d_range.1 / 3.0);
    if !(hi.is_finite() && lo.is_finite() && hi > lo) {
        return None;
    }
    let levels = (0..7).map(|i| {
        let f = i as f64 / 6.0;
        floor + ((lo - floor).ln() + f * ((hi - floor).ln() - (lo - floor).ln())).exp()
    });
    // Each contour: for each N, the D where L(N, D) = level (bisection in log D; L falls with D).
    let contours = levels
        .map(|level| {
            let points = log_space(n_range.0, n_range.1, 80)
                .into_iter()
                .filter_map(|n| {
                    let d =
                        invert_numeric(|d| -loss(n, d), -level, d_range.0 / 1e3, d_range.1 * 1e3)?;
                    (d >= d_range.0 && d <= d_range.1).then_some((n, d))
                })
                .collect();
            (level, points)
        })
        .collect();
    let c_lo = flops.compute(n_range.0, d_range.0);
    let c_hi = flops.compute(n_range.1, d_range.1).min(f64::MAX);
    let frontier = frontier(law, c_lo, c_hi, 60, k)
        .into_iter()
        .map(|a| (a.n, a.d))
        .filter(|&(n, d)| n >= n_range.0 && n <= n_range.1 && d >= d_range.0 && d <= d_range.1)
        .collect();
    Some(PlanChart {
        contours,
        flops: flop_lines(c_lo, c_hi, n_range, d_range, flops),
        frontier,
        optimum: budget.map(|_| (centre.n, centre.d)),
        n_range,
        d_range,
    })
}

/// Lines of constant C = k N D at every other decade of C in [c_lo, c_hi], each sampled
/// along N (a straight line on log-log axes, a hyperbola on linear ones) inside the plane.
fn flop_lines(
    c_lo: f64,
    c_hi: f64,
    n_range: (f64, f64),
    d_range: (f64, f64),
    flops: FlopConvention,
) -> Vec<(f64, Vec<(f64, f64)>)> {
    let exponent = |c: f64, round: fn(f64) -> f64| (round(c.log10()) as i32).clamp(-323, 308);
    (exponent(c_lo, f64::ceil)..=exponent(c_hi, f64::floor))
        .step_by(2)
        .take(MAX_FLOP_LINES)
        .filter_map(|e| {
            let c = 10f64.powf(e as f64);
            // N where the line meets the plane's top and bottom edges.
            let n_a = flops.params(c, d_range.1).max(n_range.0);
            let n_b = flops.params(c, d_range.0).min(n_range.1);
            (n_a < n_b).then(|| {
                let line = log_space(n_a, n_b, 24)
                    .into_iter()
                    .map(|n| (n, flops.tokens(c, n)))
                    .collect();
                (c, line)
            })
        })
        .collect()
}

/// The planning chart's room around the plot.
const MARGINS: Margins = Margins {
    margin: 12.0,
    top: 0.0,
    right: 24.0,
    x_labels: 42.0,
    y_labels: 58.0,
};

/// Draws the planning chart on the style's axes (log-log on the page).
pub fn draw_plan_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &PlanChart,
    style: &ChartStyle,
) -> Result<Frame, String> {
    let pen = style.pen();
    area.fill(&pen.colors.background).map_err(fail)?;
    let span = |kind: AxisKind, (lo, hi): (f64, f64)| {
        Span::clamped(
            kind,
            kind.forward(lo).unwrap_or(f64::NAN),
            kind.forward(hi).unwrap_or(f64::NAN),
        )
    };
    let plane = Plane {
        x: span(style.axes.x, data.n_range),
        y: span(style.axes.y, data.d_range),
    };
    let mut plot = plot_on(area, &pen, &MARGINS, &plane)?;
    draw_grid(
        &mut plot,
        &pen,
        &plane,
        (AxisQuantity::N, AxisQuantity::D),
        (12.0, 13.0),
    )?;
    draw_flop_lines(&mut plot, &pen, &plane, &data.flops)?;
    draw_contours(&mut plot, &pen, &plane, &data.contours)?;
    draw_frontier(&mut plot, &pen, &plane, &data.frontier)?;
    if let Some(optimum) = data.optimum {
        draw_optimum(&mut plot, &pen, &plane, optimum)?;
    }
    // The legend goes where it hides least of the frontier and the optimum (contours and
    // iso-FLOP lines run everywhere and count a little).
    let lines = data
        .contours
        .iter()
        .chain(&data.flops)
        .flat_map(|(_, line)| line.iter().map(|&p| (p, 0.2)));
    let marked = data.frontier.iter().map(|&p| (p, 3.0));
    let optimum = data.optimum.iter().map(|&p| (p, 30.0));
    let corner = quiet_corner(
        &plane,
        lines.chain(marked).chain(optimum),
        4,
        &[
            Corner::UpperLeft,
            Corner::LowerRight,
            Corner::UpperRight,
            Corner::LowerLeft,
        ],
    );
    draw_legend(&mut plot, &pen, corner.position(), 12.0)?;
    let frame = frame_of(&plot, &plane);
    area.present().map_err(fail)?;
    Ok(frame)
}

/// Iso-FLOP lines, grey, each labelled with its C where it enters the plane.
fn draw_flop_lines<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    lines: &[(f64, Vec<(f64, f64)>)],
) -> Result<(), String> {
    let color = pen.colors.excluded;
    for (i, (c, line)) in lines.iter().enumerate() {
        let path = plane.path(line);
        let Some(&start) = path.first() else {
            continue;
        };
        let series = plot
            .draw_series(LineSeries::new(path, color.stroke_width(pen.stroke(1.0))))
            .map_err(fail)?;
        if i == 0 {
            series
                .label(pen.t("iso-FLOP lines (C = k·N·D)"))
                .legend(legend_line(color, 1));
        }
        let label = Text::new(
            format_sci(*c),
            (pen.px(4.0), pen.px(4.0)),
            pen.font(11.0).color(&color),
        );
        plot.draw_series(std::iter::once(EmptyElement::at(start) + label))
            .map_err(fail)?;
    }
    Ok(())
}

/// Iso-loss contours, coloured along the tone scale, each labelled with its loss.
fn draw_contours<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    contours: &[(f64, Vec<(f64, f64)>)],
) -> Result<(), String> {
    for (i, (level, points)) in contours.iter().enumerate() {
        let color = pen.tone(i as f64 / contours.len().max(2) as f64);
        let path = plane.path(points);
        let label_at = path.get(path.len() / 5).copied();
        let series = plot
            .draw_series(LineSeries::new(path, color.stroke_width(pen.stroke(1.5))))
            .map_err(fail)?;
        if i == 0 {
            series
                .label(pen.t("iso-loss contours"))
                .legend(legend_line(color, 2));
        }
        if let Some(at) = label_at {
            let label = Text::new(
                trim_number(*level, 3),
                (pen.px(3.0), pen.px(2.0)),
                pen.font(11.0).color(&color),
            );
            plot.draw_series(std::iter::once(EmptyElement::at(at) + label))
                .map_err(fail)?;
        }
    }
    Ok(())
}

/// The compute-optimal frontier: where each budget's optimum lies.
fn draw_frontier<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    frontier: &[(f64, f64)],
) -> Result<(), String> {
    let color = pen.colors.curve;
    plot.draw_series(LineSeries::new(
        plane.path(frontier),
        color.stroke_width(pen.stroke(2.5)),
    ))
    .map_err(fail)?
    .label(pen.t("compute-optimal frontier"))
    .legend(legend_line(color, 3));
    Ok(())
}

/// The chosen budget's optimum, a cross.
fn draw_optimum<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    optimum: (f64, f64),
) -> Result<(), String> {
    let Some(at) = plane.at(optimum) else {
        return Ok(());
    };
    let color = pen.colors.target;
    plot.draw_series(std::iter::once(Cross::new(
        at,
        pen.px(7.0),
        color.stroke_width(pen.stroke(2.5)),
    )))
    .map_err(fail)?
    .label(pen.t("optimum for the budget"))
    .legend(move |(x, y)| Cross::new((x + 10, y), 5, color.stroke_width(2)));
    Ok(())
}
