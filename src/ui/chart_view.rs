//! The chart on a canvas, sharp at the device pixel ratio and redrawn on resize.

use super::{Derived, Inputs};
use crate::chart::{chart_data, draw_chart, ChartData};
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

/// The main chart (`data-testid="chart"`), with a text alternative.
#[component]
pub fn ChartView() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let derived = expect_context::<Derived>();
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let resized = RwSignal::new(0u32);
    let _listener = window_event_listener(leptos::ev::resize, move |_| {
        resized.update(|n| *n = n.wrapping_add(1))
    });
    let data = Memo::new(move |_| {
        let (dataset, fit) = derived.shown.get()?;
        if !fit.law.model.is_single_variable() {
            return None;
        }
        let target = derived.target.get().ok();
        Some(chart_data(&dataset, &fit, target, derived.stale()))
    });
    // The one effect: draw what the memo says onto the canvas.
    Effect::new(move |_| {
        resized.track();
        let _ = inputs.model.get();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let ratio = window().device_pixel_ratio().max(1.0);
        let width = canvas.client_width().max(300) as f64;
        let height = canvas.client_height().max(200) as f64;
        canvas.set_width((width * ratio) as u32);
        canvas.set_height((height * ratio) as u32);
        let mut chart = data.get().unwrap_or_else(ChartData::default);
        chart.scale = ratio;
        if let Some(backend) = CanvasBackend::with_canvas_object(canvas) {
            if let Err(e) = draw_chart(&backend.into_drawing_area(), &chart) {
                leptos::logging::warn!("chart: {e}");
            }
        }
    });
    let description = move || {
        derived.shown.get().map(|(_, fit)| {
            format!(
                "Log-log chart of the data and the fitted law {}.",
                super::summary::law_with_values(&fit.law)
            )
        })
    };
    view! {
        <figure class="chart-figure">
            <canvas node_ref=canvas_ref data-testid="chart" class="chart" role="img" aria-label=description></canvas>
        </figure>
    }
}
