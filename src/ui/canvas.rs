//! One canvas for every chart on the page (the main chart, the residuals, the planning
//! chart): sized to its box at the device pixel ratio, drawn in the page's style (theme,
//! language, the chart's axes), redrawn in a task of its own after the update that changed the
//! chart or its style, and at once when its box changes size.

use crate::chart::{Axes, Chart, ChartStyle, Frame, Theme};
use crate::text::Lang;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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
    // The canvas's CSS size, as a ResizeObserver reports it after each layout: reading
    // clientWidth instead would force a layout in the middle of the page's update (with 10,000
    // pasted lines in the box, ~100 ms before the fit could even be sent).
    let size = Rc::new(Cell::new(None::<(f64, f64)>));
    let lang = use_context::<RwSignal<Lang>>();
    // False once the chart leaves the page: a drawing asked for before then draws nothing (its
    // signals are gone).
    let alive = Arc::new(AtomicBool::new(true));
    on_cleanup({
        let alive = alive.clone();
        move || alive.store(false, Ordering::Relaxed)
    });
    // Draws what is there now, at the size last told.
    let draw: Rc<dyn Fn()> = Rc::new({
        let size = size.clone();
        move || {
            if !alive.load(Ordering::Relaxed) {
                return;
            }
            let (Some(canvas), Some(css), Some(axes)) = (
                canvas_ref.get_untracked(),
                size.get(),
                axes.try_get_untracked(),
            ) else {
                return;
            };
            chart.try_with_untracked(|chart| {
                let Some(chart) = chart.as_ref() else {
                    return;
                };
                let lang = lang.and_then(|l| l.try_get_untracked()).unwrap_or(Lang::En);
                let style = prepare(&canvas, css, axes, lang);
                let Some(backend) = CanvasBackend::with_canvas_object(canvas) else {
                    return;
                };
                match chart.draw(&backend.into_drawing_area(), &style) {
                    Ok(frame) => {
                        if let Some(drawn) = drawn {
                            drawn.try_set(Some(Drawn { style, frame }));
                        }
                    }
                    Err(e) => leptos::logging::warn!("{testid}: {e}"),
                }
            });
        }
    });
    // A new size draws at once: the observer speaks after layout, before paint, so the first
    // drawing shows in the first frame and a resized one without a blank frame.
    canvas_ref.on_load({
        let (size, draw) = (size.clone(), draw.clone());
        move |canvas| observe_size(&canvas, size, draw)
    });
    // A new chart, axes or language is drawn in a task of its own, after the update that
    // changed it: the page's update (and its request to the worker) comes first, and several
    // changes in one update draw once. Only the first drawing reads the canvas's size itself.
    let pending = Rc::new(Cell::new(false));
    Effect::new(move |_| {
        chart.track();
        axes.track();
        if let Some(lang) = lang {
            lang.track();
        }
        if size.get().is_none() {
            // The first drawing, as the page opens: measured and drawn at once, so the first
            // chart is in the first frame (the observer first speaks a frame later).
            if let Some(canvas) = canvas_ref.get_untracked() {
                size.set(Some((
                    canvas.client_width() as f64,
                    canvas.client_height() as f64,
                )));
                draw();
            }
            return;
        }
        if pending.replace(true) {
            return;
        }
        let (pending, draw) = (pending.clone(), draw.clone());
        set_timeout(
            move || {
                pending.set(false);
                draw();
            },
            std::time::Duration::ZERO,
        );
    });
    view! {
        <canvas node_ref=canvas_ref data-testid=testid class=class role="img"
            aria-label=move || label.get()></canvas>
    }
}

/// Keeps `size` at the canvas's CSS size (width, height, whole pixels), told by a ResizeObserver after the
/// first layout and after every change of the canvas's box (the window resized or zoomed, a
/// panel opened), and draws at each new size; the observer stops when the canvas leaves the
/// page.
fn observe_size(
    canvas: &web_sys::HtmlCanvasElement,
    size: Rc<Cell<Option<(f64, f64)>>>,
    draw: Rc<dyn Fn()>,
) {
    use wasm_bindgen::{closure::Closure, JsCast};
    let told = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
        if let Ok(entry) = entries.get(0).dyn_into::<web_sys::ResizeObserverEntry>() {
            let rect = entry.content_rect();
            // Whole CSS pixels, as clientWidth gives them for the first drawing: a fractional
            // box would otherwise count as a new size and draw the first chart twice.
            let now = Some((rect.width().round(), rect.height().round()));
            if size.replace(now) != now {
                draw();
            }
        }
    });
    let Ok(observer) = web_sys::ResizeObserver::new(told.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(canvas);
    let kept = send_wrapper::SendWrapper::new((observer, told));
    on_cleanup(move || kept.take().0.disconnect());
}

/// Sizes the canvas's backing store to its CSS size times the device pixel ratio, so it is
/// sharp on high-density screens (left alone when it already is: setting it clears the canvas
/// and marks the page for layout); returns the style to draw it in now.
fn prepare(
    canvas: &web_sys::HtmlCanvasElement,
    css: (f64, f64),
    axes: Axes,
    lang: Lang,
) -> ChartStyle {
    let ratio = window().device_pixel_ratio().max(1.0);
    let width = (css.0.max(300.0) * ratio) as u32;
    let height = (css.1.max(120.0) * ratio) as u32;
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    ChartStyle {
        theme: page_theme(),
        axes,
        lang,
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
