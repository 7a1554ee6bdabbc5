//! How a chart is drawn, apart from what it shows: the theme, the kind of each axis, the
//! language, the size. The page draws with the style it is showing; the exports reuse it.

use crate::text::{fill, translate, Lang};
use plotters::prelude::*;
use plotters::style::FontDesc;

/// Light or dark colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// A logarithmic or a linear axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AxisKind {
    #[default]
    Log,
    Linear,
}

impl AxisKind {
    /// `Linear` when `linear`, else `Log`.
    pub fn linear_if(linear: bool) -> AxisKind {
        if linear {
            AxisKind::Linear
        } else {
            AxisKind::Log
        }
    }

    /// The coordinate a value is drawn at: log10 of it on a log axis (positive values only),
    /// the value itself on a linear one; None for what the axis cannot show.
    pub fn forward(self, v: f64) -> Option<f64> {
        match self {
            AxisKind::Log => (v > 0.0 && v.is_finite()).then(|| v.log10()),
            AxisKind::Linear => v.is_finite().then_some(v),
        }
    }

    /// The value at a drawn coordinate (kept within the finite positive range on a log axis).
    pub fn back(self, t: f64) -> f64 {
        match self {
            AxisKind::Log => 10f64.powf(t).clamp(f64::from_bits(1), f64::MAX),
            AxisKind::Linear => t,
        }
    }
}

/// The kinds of both axes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Axes {
    pub x: AxisKind,
    pub y: AxisKind,
}

impl Axes {
    pub const LOG_LOG: Axes = Axes {
        x: AxisKind::Log,
        y: AxisKind::Log,
    };

    /// The axes in words, as the text alternative says them (English; a key of the text
    /// module): "log-log", "linear x, log y", …
    pub fn phrase(self) -> &'static str {
        match (self.x, self.y) {
            (AxisKind::Log, AxisKind::Log) => "log-log",
            (AxisKind::Linear, AxisKind::Log) => "linear x, log y",
            (AxisKind::Log, AxisKind::Linear) => "log x, linear y",
            (AxisKind::Linear, AxisKind::Linear) => "linear x and y",
        }
    }
}

/// Everything about how a chart is drawn that is not what it shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChartStyle {
    pub theme: Theme,
    pub axes: Axes,
    /// The language of titles, legends and notes.
    pub lang: Lang,
    /// The drawing's size in pixels (the canvas's backing store; the SVG's width and height).
    pub width: u32,
    pub height: u32,
    /// Multiplies font sizes and line widths (the device pixel ratio on the page).
    pub scale: f64,
}

impl Default for ChartStyle {
    fn default() -> Self {
        ChartStyle {
            theme: Theme::Light,
            axes: Axes::LOG_LOG,
            lang: Lang::En,
            width: 800,
            height: 500,
            scale: 1.0,
        }
    }
}

impl ChartStyle {
    /// This style with other axes.
    pub fn with_axes(self, axes: Axes) -> ChartStyle {
        ChartStyle { axes, ..self }
    }

    /// The pen the layers draw with.
    pub(crate) fn pen(&self) -> Pen {
        Pen {
            colors: Palette::of(self.theme),
            theme: self.theme,
            scale: if self.scale > 0.0 && self.scale.is_finite() {
                self.scale
            } else {
                1.0
            },
            lang: self.lang,
        }
    }
}

/// The text alternative of a chart of `subject` ("the data and the fitted law L = …"): what
/// it shows and on which axes ("log-log", "linear x, log y", …), in `lang`. Without a subject,
/// the chart of the law chosen for planning.
pub fn describe(lang: Lang, axes: Axes, subject: Option<&str>) -> String {
    let axes = translate(lang, axes.phrase());
    match subject {
        Some(law) => fill(
            lang,
            "Chart of the data and the fitted law {0}, on {1} axes.",
            &[law, &axes],
        ),
        None => fill(
            lang,
            "Chart of the law chosen for planning, on {0} axes.",
            &[&axes],
        ),
    }
}

/// The colours of a theme.
#[derive(Clone, Copy)]
pub(crate) struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub grid: RGBColor,
    pub point: RGBColor,
    pub excluded: RGBColor,
    pub curve: RGBColor,
    pub target: RGBColor,
}

impl Palette {
    fn of(theme: Theme) -> Palette {
        match theme {
            Theme::Dark => Palette {
                background: RGBColor(24, 26, 31),
                text: RGBColor(225, 228, 235),
                grid: RGBColor(58, 62, 72),
                point: RGBColor(110, 168, 254),
                excluded: RGBColor(110, 115, 125),
                curve: RGBColor(255, 159, 67),
                target: RGBColor(255, 99, 132),
            },
            Theme::Light => Palette {
                background: RGBColor(255, 255, 255),
                text: RGBColor(33, 37, 41),
                grid: RGBColor(226, 229, 234),
                point: RGBColor(31, 94, 186),
                excluded: RGBColor(170, 174, 180),
                curve: RGBColor(214, 92, 0),
                target: RGBColor(200, 30, 70),
            },
        }
    }
}

/// What every layer draws with: colours, sizes at the style's scale, the language.
#[derive(Clone, Copy)]
pub(crate) struct Pen {
    pub colors: Palette,
    pub theme: Theme,
    pub scale: f64,
    pub lang: Lang,
}

impl Pen {
    /// A length in pixels at the style's scale.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    /// A line width at the style's scale, at least one pixel.
    pub fn stroke(&self, v: f64) -> u32 {
        self.px(v).max(1) as u32
    }

    /// The chart's font at a size.
    pub fn font(&self, size: f64) -> FontDesc<'static> {
        ("sans-serif", self.px(size)).into_font()
    }

    /// A text in the style's language.
    pub fn t(&self, text: &str) -> String {
        translate(self.lang, text)
    }

    /// A colour on a dark-blue → teal → amber scale, for a tone in 0..1.
    pub fn tone(&self, tone: f64) -> RGBColor {
        let stops: [(f64, f64, f64); 4] = match self.theme {
            Theme::Dark => [
                (110.0, 168.0, 254.0),
                (64.0, 200.0, 180.0),
                (240.0, 200.0, 90.0),
                (255.0, 140.0, 90.0),
            ],
            Theme::Light => [
                (26.0, 54.0, 120.0),
                (32.0, 130.0, 140.0),
                (120.0, 170.0, 60.0),
                (225.0, 140.0, 20.0),
            ],
        };
        let t = if tone.is_nan() {
            0.5
        } else {
            tone.clamp(0.0, 1.0)
        } * (stops.len() - 1) as f64;
        let i = (t.floor() as usize).min(stops.len() - 2);
        let f = t - i as f64;
        let mix = |a: f64, b: f64| (a + (b - a) * f).round() as u8;
        RGBColor(
            mix(stops[i].0, stops[i + 1].0),
            mix(stops[i].1, stops[i + 1].1),
            mix(stops[i].2, stops[i + 1].2),
        )
    }
}
