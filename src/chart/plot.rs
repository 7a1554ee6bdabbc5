//! What every chart shares: the plot on its two spans, the grid and ticks, the legend, the
//! frame handed back for the pointer, and drawing errors in words.

use super::axis::{Axis, AxisQuantity, Frame, Span};
use super::style::{AxisKind, Pen};
use plotters::coord::Shift;
use plotters::prelude::*;

/// A plot: plotters' chart over two [`Axis`] coordinates (drawn coordinates of the spans).
pub(crate) type Plot<'a, DB> = ChartContext<'a, DB, Cartesian2d<Axis, Axis>>;

/// A drawing error, in words.
pub(crate) fn fail<E: std::error::Error + Send + Sync>(e: DrawingAreaErrorKind<E>) -> String {
    e.to_string()
}

/// Of the markers that land on one pixel in one style, the last: drawing the same opaque
/// marker on the same pixel again changes nothing on screen, and the later one is what
/// shows. 10,000 pasted points along a curve land on a few thousand pixels. `markers` are
/// (drawn coordinates, style key); returns the indices of those to draw, in order.
pub(crate) fn last_per_pixel<DB: DrawingBackend>(
    plot: &Plot<'_, DB>,
    markers: &[((f64, f64), u32)],
) -> Vec<usize> {
    use std::cmp::Reverse;
    let mut keyed: Vec<((i32, i32), u32, usize)> = markers
        .iter()
        .enumerate()
        .map(|(i, &(at, key))| (plot.backend_coord(&at), key, i))
        .collect();
    // Each (pixel, style) together, its last marker first; keep that one.
    keyed.sort_unstable_by_key(|&(pixel, key, i)| (pixel, key, Reverse(i)));
    keyed.dedup_by(|next, kept| (next.0, next.1) == (kept.0, kept.1));
    let mut kept: Vec<usize> = keyed.into_iter().map(|(_, _, i)| i).collect();
    kept.sort_unstable();
    kept
}

/// The room around a plot, in pixels at scale 1.
#[derive(Clone, Copy)]
pub(crate) struct Margins {
    pub margin: f64,
    /// Room above the plot beyond `margin` (for notes written there).
    pub top: f64,
    pub right: f64,
    pub x_labels: f64,
    pub y_labels: f64,
}

/// The plane a plot draws on: its spans, and data → drawn coordinates.
#[derive(Clone, Copy)]
pub(crate) struct Plane {
    pub x: Span,
    pub y: Span,
}

impl Plane {
    /// Where a data point is drawn (None if an axis cannot show it).
    pub fn at(&self, (x, y): (f64, f64)) -> Option<(f64, f64)> {
        Some((self.x.at(x)?, self.y.at(y)?))
    }

    /// A curve on drawn coordinates, without the points the axes cannot show.
    pub fn path(&self, curve: &[(f64, f64)]) -> Vec<(f64, f64)> {
        curve.iter().filter_map(|&p| self.at(p)).collect()
    }
}

/// Fills the background and sets up the plot on `plane`.
pub(crate) fn plot_on<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    pen: &Pen,
    margins: &Margins,
    plane: &Plane,
) -> Result<Plot<'a, DB>, String> {
    ChartBuilder::on(area)
        .margin(pen.px(margins.margin))
        .margin_top(pen.px(margins.margin + margins.top))
        .margin_right(pen.px(margins.right))
        .x_label_area_size(pen.px(margins.x_labels))
        .y_label_area_size(pen.px(margins.y_labels))
        .build_cartesian_2d(plane.x.axis(), plane.y.axis())
        .map_err(fail)
}

/// The grid and ticks layer: axis titles, tick labels written for each axis's quantity
/// (on a log axis, the value at the tick, not its logarithm), grid lines at the ticks.
pub(crate) fn draw_grid<DB: DrawingBackend>(
    plot: &mut Plot<'_, DB>,
    pen: &Pen,
    plane: &Plane,
    (x, y): (AxisQuantity, AxisQuantity),
    (label_size, title_size): (f64, f64),
) -> Result<(), String> {
    let colors = pen.colors;
    // On a linear axis, ticks near zero print as 0, not as a rounding residue like 1.4e-17.
    let label = |span: &Span, quantity: AxisQuantity, t: f64| {
        let v = span.value(t);
        if span.kind == AxisKind::Linear && v.abs() < 1e-9 * (span.hi - span.lo) {
            "0".to_string()
        } else {
            quantity.tick_label(v)
        }
    };
    let x_label = |t: &f64| label(&plane.x, x, *t);
    let y_label = |t: &f64| label(&plane.y, y, *t);
    plot.configure_mesh()
        .x_desc(pen.t(x.title()))
        .y_desc(pen.t(y.title()))
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .label_style(pen.font(label_size).color(&colors.text))
        .axis_desc_style(pen.font(title_size).color(&colors.text))
        .bold_line_style(colors.grid.stroke_width(pen.stroke(1.0)))
        .light_line_style(colors.background)
        .axis_style(colors.text.stroke_width(pen.stroke(1.0)))
        .draw()
        .map_err(fail)
}

/// The legend layer: a box with the label of every series drawn with one.
pub(crate) fn draw_legend<'a, DB: DrawingBackend + 'a>(
    plot: &mut Plot<'a, DB>,
    pen: &Pen,
    position: SeriesLabelPosition,
    size: f64,
) -> Result<(), String> {
    plot.configure_series_labels()
        .position(position)
        .background_style(pen.colors.background.mix(0.85))
        .border_style(pen.colors.grid)
        .label_font(pen.font(size).color(&pen.colors.text))
        .draw()
        .map_err(fail)
}

/// A corner of the plot, for the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Corner {
    UpperLeft,
    UpperRight,
    LowerLeft,
    LowerRight,
}

impl Corner {
    pub(crate) fn position(self) -> SeriesLabelPosition {
        match self {
            Corner::UpperLeft => SeriesLabelPosition::UpperLeft,
            Corner::UpperRight => SeriesLabelPosition::UpperRight,
            Corner::LowerLeft => SeriesLabelPosition::LowerLeft,
            Corner::LowerRight => SeriesLabelPosition::LowerRight,
        }
    }
}

/// The corner where a legend of `entries` lines hides the fewest points and curve samples
/// (`items`, in data coordinates, each with a weight), among `corners` in order of preference.
/// The legend's box is taken as 40 % of the plot's width and 7 % of its height per entry.
pub(crate) fn quiet_corner(
    plane: &Plane,
    items: impl Iterator<Item = ((f64, f64), f64)>,
    entries: usize,
    corners: &[Corner],
) -> Corner {
    let (width, height) = (0.4, (0.07 * entries as f64 + 0.04).min(0.6));
    let mut hidden = vec![0.0; corners.len()];
    for (point, weight) in items {
        let Some((tx, ty)) = plane.at(point) else {
            continue;
        };
        let (fx, fy) = (plane.x.fraction(tx), plane.y.fraction(ty));
        for (corner, count) in corners.iter().zip(&mut hidden) {
            let inside = match corner {
                Corner::UpperLeft => fx < width && fy > 1.0 - height,
                Corner::UpperRight => fx > 1.0 - width && fy > 1.0 - height,
                Corner::LowerLeft => fx < width && fy < height,
                Corner::LowerRight => fx > 1.0 - width && fy < height,
            };
            if inside {
                *count += weight;
            }
        }
    }
    // The first corner with the fewest hidden (ties keep the order of preference).
    let mut best = 0;
    for (i, count) in hidden.iter().enumerate() {
        if *count < hidden[best] {
            best = i;
        }
    }
    corners[best]
}

/// A message instead of a plot (nothing to draw).
pub(crate) fn draw_message<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pen: &Pen,
    text: &str,
) -> Result<Frame, String> {
    area.fill(&pen.colors.background).map_err(fail)?;
    let style = TextStyle::from(pen.font(16.0)).color(&pen.colors.text);
    area.draw_text(&pen.t(text), &style, (pen.px(20.0), pen.px(30.0)))
        .map_err(fail)?;
    area.present().map_err(fail)?;
    Ok(Frame::default())
}

/// Where the plot landed on the drawing, for the pointer.
pub(crate) fn frame_of<DB: DrawingBackend>(plot: &Plot<'_, DB>, plane: &Plane) -> Frame {
    let (x_pixels, y_pixels) = plot.plotting_area().get_pixel_range();
    Frame {
        left: x_pixels.start as f64,
        right: x_pixels.end as f64,
        top: y_pixels.start as f64,
        bottom: y_pixels.end as f64,
        x: plane.x,
        y: plane.y,
    }
}

/// A short horizontal line for a legend entry.
pub(crate) fn legend_line(
    color: RGBColor,
    width: u32,
) -> impl Fn((i32, i32)) -> PathElement<(i32, i32)> {
    move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(width))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// On a 100 × 100 plot of [0, 100]², markers half a unit apart share a pixel and only
    /// the last of each style there stays; another style on the same pixel stays too; the
    /// order of what stays is the order given.
    #[test]
    fn last_per_pixel_keeps_the_last_marker_of_each_style_on_a_pixel() {
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (100, 100)).into_drawing_area();
        let span = Span {
            kind: AxisKind::Linear,
            lo: 0.0,
            hi: 100.0,
        };
        let plot = ChartBuilder::on(&area)
            .build_cartesian_2d(span.axis(), span.axis())
            .unwrap();
        let markers = [
            ((10.0, 10.0), 1),
            ((10.2, 10.2), 2),
            ((50.0, 50.0), 1),
            ((10.3, 10.1), 1),
            ((90.0, 20.0), 1),
        ];
        assert_eq!(last_per_pixel(&plot, &markers), vec![1, 2, 3, 4]);
    }
}
