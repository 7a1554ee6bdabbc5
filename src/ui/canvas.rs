//! One canvas for every chart on the page (the main chart, the residuals, the planning
//! chart): sized to its box at the device pixel ratio, drawn in the page's style (theme,
//! language, the chart's axes), redrawn when the chart, its style or the window changes.

use crate::chart::{Axes, Chart, ChartStyle, Frame, Theme};
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

/// The last drawing on a canvas: the style it was drawn in (what an export must reuse) and
/// where its plot landed (what the pointer maps back to data).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Drawn {
    pub style: ChartStyle,
    pub frame: Frame,
}

/// A chart on a canvas.
#[component]
pub fn ChartCanvas<C>(
    /// What is drawn; the canvas keeps its last drawing while this is None.
    chart: Signal<Option<C>>,
    /// The kinds of the chart's axes.
    #[prop(into)]
    axes: Signal<Axes>,
    /// The canvas's `data-testid` (a stable hook of the page).
    testid: &'static str,
    /// The canvas's class, which sets its size on the page.
    class: &'static str,
    /// The chart's text alternative.
    #[prop(into)]
    label: Signal<String>,
    /// Receives the style and frame of each drawing.
    #[prop(optional)]
    drawn: Option<RwSignal<Option<Drawn>>>,
) -> impl IntoView
where
    C: Chart + Send + Sync + 'static,
{
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let resized = RwSignal::new(0u32);
    let _listener = window_event_listener(leptos::ev::resize, move |_| {
        resized.update(|n| *n = n.wrapping_add(1))
    });
    // The one effect of a chart: draw it onto the canvas.
    Effect::new(move |_| {
        resized.track();
        let axes = axes.get();
        chart.with(|chart| {
            let (Some(chart), Some(canvas)) = (chart.as_ref(), canvas_ref.get()) else {
                return;
            };
            let style = prepare(&canvas, axes);
            let Some(backend) = CanvasBackend::with_canvas_object(canvas) else {
                return;
            };
            match chart.draw(&backend.into_drawing_area(), &style) {
                Ok(frame) => {
                    if let Some(drawn) = drawn {
                        drawn.set(Some(Drawn { style, frame }));
                    }
                }
                Err(e) => leptos::logging::warn!("{testid}: {e}"),
            }
        });
    });
    view! {
        <canvas node_ref=canvas_ref data-testid=testid class=class role="img"
            aria-label=move || label.get()></canvas>
    }
}

/// Sizes the canvas's backing store to its CSS size times the device pixel ratio, so it is
/// sharp on high-density screens; returns the style to draw it in now.
fn prepare(canvas: &web_sys::HtmlCanvasElement, axes: Axes) -> ChartStyle {
    let ratio = window().device_pixel_ratio().max(1.0);
    let width = (canvas.client_width().max(300) as f64 * ratio) as u32;
    let height = (canvas.client_height().max(120) as f64 * ratio) as u32;
    canvas.set_width(width);
    canvas.set_height(height);
    ChartStyle {
        theme: page_theme(),
        axes,
        lang: super::i18n::lang(),
        width,
        height,
        scale: ratio,
    }
}

/// Dark when the reader's system asks for a dark theme.
pub fn page_theme() -> Theme {
    let dark = window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches());
    if dark {
        Theme::Dark
    } else {
        Theme::Light
    }
}
