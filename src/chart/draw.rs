//! The main chart drawn: the plane from everything shown and the style's axis kinds, then
//! each layer in turn, bottom to top.

use super::axis::{Frame, Span};
use super::data::ChartData;
use super::layers::{
    draw_band, draw_extrapolation, draw_family, draw_fitted, draw_marker, draw_notes,
    draw_point_names, draw_points, draw_run_band, draw_runs, NOTE_LINE,
};
use super::plot::{
    draw_grid, draw_legend, draw_message, fail, frame_of, plot_on, quiet_corner, Corner, Margins,
    Plane,
};
use super::style::ChartStyle;
use plotters::coord::Shift;
use plotters::prelude::*;

/// The main chart's room around the plot.
const MARGINS: Margins = Margins {
    margin: 14.0,
    top: 0.0,
    right: 28.0,
    x_labels: 46.0,
    y_labels: 58.0,
};

/// The plane holding everything `data` shows, on the style's axes; None when nothing can be
/// shown (no data, or only values a log axis cannot take).
pub fn plane_of(data: &ChartData, style: &ChartStyle) -> Option<(Span, Span)> {
    let all = data
        .points
        .iter()
        .map(|p| (p.x, p.y))
        .chain(data.fitted.iter().copied())
        .chain(data.extrapolated.iter().copied())
        .chain(data.runs.iter().copied())
        .chain(data.family.iter().flat_map(|(_, c)| c.iter().copied()))
        .chain(data.band.iter().flat_map(|b| [(b.0, b.1), (b.0, b.2)]))
        .chain(data.target.iter().map(|m| (m.x, m.y)));
    // Only points both axes can show decide the ranges.
    let (x, y) = (style.axes.x, style.axes.y);
    let shown: Vec<(f64, f64)> = all
        .into_iter()
        .filter(|&(a, b)| x.forward(a).is_some() && y.forward(b).is_some())
        .collect();
    // At least a decade along a log x, 20 % along a log y.
    let x_span = Span::around(shown.iter().map(|p| p.0), x, 1.0)?;
    let y_span = Span::around(shown.iter().map(|p| p.1), y, 1.2f64.log10())?;
    Some((x_span, y_span))
}

/// Where the legend hides least: points count three times a curve sample. The upper left is
/// left to the notes (colour scale, stale) when there are any.
pub fn legend_corner(data: &ChartData, plane: &Plane) -> Corner {
    use Corner::*;
    let points = data.points.iter().map(|p| ((p.x, p.y), 3.0));
    let curves = data
        .fitted
        .iter()
        .chain(&data.extrapolated)
        .chain(data.family.iter().flat_map(|(_, c)| c))
        .map(|&p| (p, 1.0));
    let entries = [
        !data.fitted.is_empty(),
        !data.extrapolated.is_empty(),
        !data.band.is_empty(),
        !data.run_band.is_empty(),
        !data.family.is_empty(),
        !data.points.is_empty(),
        !data.runs.is_empty(),
        data.target.is_some(),
    ]
    .iter()
    .filter(|&&shown| shown)
    .count();
    // The notes have their own lines above the plot: every corner is free for the legend.
    let corners = &[UpperRight, UpperLeft, LowerLeft, LowerRight];
    quiet_corner(plane, points.chain(curves), entries, corners)
}

/// Draws `data` onto `area` in `style`; returns where the plot landed. Errors are the
/// backend's, in words.
pub fn draw_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &ChartData,
    style: &ChartStyle,
) -> Result<Frame, String> {
    let pen = style.pen();
    let Some((x, y)) = plane_of(data, style) else {
        return draw_message(area, &pen, "No data to draw yet");
    };
    let plane = Plane { x, y };
    area.fill(&pen.colors.background).map_err(fail)?;
    // The notes (colour scale, stale) get their own lines above the plot, clear of the legend.
    let notes = usize::from(data.tone_label.is_some()) + usize::from(data.stale);
    let margins = Margins {
        top: NOTE_LINE * notes as f64,
        ..MARGINS
    };
    let mut plot = plot_on(area, &pen, &margins, &plane)?;
    draw_grid(&mut plot, &pen, &plane, (data.x, data.y), (13.0, 14.0))?;
    draw_run_band(&mut plot, &pen, &plane, &data.run_band)?;
    draw_band(&mut plot, &pen, &plane, &data.band)?;
    draw_fitted(&mut plot, &pen, &plane, &data.fitted, data.curve_name)?;
    draw_extrapolation(&mut plot, &pen, &plane, &data.extrapolated)?;
    draw_family(&mut plot, &pen, &plane, &data.family, data.family_name)?;
    draw_points(&mut plot, &pen, &plane, &data.points, data.points_name)?;
    draw_point_names(&mut plot, &pen, &plane, &data.points)?;
    draw_runs(&mut plot, &pen, &plane, &data.runs)?;
    if let Some(marker) = &data.target {
        draw_marker(&mut plot, &pen, &plane, marker)?;
    }
    draw_legend(
        &mut plot,
        &pen,
        legend_corner(data, &plane).position(),
        13.0,
    )?;
    draw_notes(area, &pen, data.tone_label, data.stale)?;
    let frame = frame_of(&plot, &plane);
    area.present().map_err(fail)?;
    Ok(frame)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::data::ChartPoint;

    /// Points along a falling line fill the upper left and lower right; a cloud in the upper
    /// right pushes the legend elsewhere, and an empty upper right keeps it there.
    #[test]
    fn the_legend_goes_where_it_hides_the_fewest_points() {
        let style = ChartStyle::default();
        let cloud = |xs: &[(f64, f64)]| ChartData {
            points: xs
                .iter()
                .map(|&(x, y)| ChartPoint {
                    x,
                    y,
                    excluded: false,
                    tone: None,
                    label: None,
                    line: 0,
                })
                .collect(),
            ..ChartData::default()
        };
        let mut upper_right = vec![(1e6, 1.0), (1e10, 10.0)];
        for i in 0..20 {
            upper_right.push((1e9 + 5e7 * i as f64, 9.0 - 0.05 * i as f64));
        }
        let data = cloud(&upper_right);
        let (x, y) = plane_of(&data, &style).unwrap();
        assert_ne!(legend_corner(&data, &Plane { x, y }), Corner::UpperRight);
        let data = cloud(&[(1e6, 10.0), (1e7, 5.0), (1e8, 3.0)]);
        let (x, y) = plane_of(&data, &style).unwrap();
        assert_eq!(legend_corner(&data, &Plane { x, y }), Corner::UpperRight);
    }
}
