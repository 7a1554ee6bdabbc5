//! The chart on a canvas, sharp at the device pixel ratio and redrawn on resize.

use super::i18n::{tr, trf};
use super::{Derived, Inputs};
use crate::chart::Frame;
use crate::chart::{
    band_xs, chart_data, draw_chart, draw_residuals, law_chart, residual_data, ChartData,
};
use crate::engine::fit::bootstrap::band;
use crate::engine::units::{format_si, format_value};
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
    let boot = super::uncertainty::current_bootstrap();
    let plan_law = super::plan::plan_law();
    let plan_inputs = expect_context::<super::PlanInputs>();
    let data = Memo::new(move |_| {
        let target = derived.target.get().ok();
        let Some((dataset, fit)) = derived.shown.get() else {
            // Nothing fitted: draw the published law the panel plans with.
            let (law, _) = plan_law.get()?;
            let parsed = derived.parsed.get().ok();
            let k = plan_inputs
                .flop_k
                .with(|t| crate::engine::units::parse_quantity(t))
                .unwrap_or(6.0);
            return Some(law_chart(&law, parsed.as_ref(), inputs.x.get(), target, k));
        };
        let mut chart = chart_data(&dataset, &fit, inputs.x.get(), target, derived.stale());
        if let Some(boot) = boot.get() {
            chart.band = band(&fit.law, &boot, &band_xs(&chart), 0.95);
        }
        Some(chart)
    });
    let residuals = Memo::new(move |_| {
        let (dataset, fit) = derived.shown.get()?;
        Some(residual_data(&dataset, &fit, inputs.x.get()))
    });
    let residual_ref = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        resized.track();
        let Some(canvas) = residual_ref.get() else {
            return;
        };
        let ratio = prepare(&canvas);
        let mut plot = residuals.get().unwrap_or_default();
        plot.scale = ratio;
        plot.lang = super::i18n::lang();
        plot.dark = prefers_dark();
        plot.linear_x = inputs.linear_x.get();
        if let Some(backend) = CanvasBackend::with_canvas_object(canvas) {
            if let Err(e) = draw_residuals(&backend.into_drawing_area(), &plot) {
                leptos::logging::warn!("residuals: {e}");
            }
        }
    });
    // Where the plot sits on the canvas (from the last drawing), for the pointer.
    let frame = RwSignal::new(Frame::default());
    // The one effect of the chart: draw what the memo says onto the canvas.
    Effect::new(move |_| {
        resized.track();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let ratio = prepare(&canvas);
        let mut chart = data.get().unwrap_or_else(ChartData::default);
        chart.scale = ratio;
        chart.lang = super::i18n::lang();
        chart.dark = prefers_dark();
        chart.linear_x = inputs.linear_x.get();
        chart.linear_y = inputs.linear_y.get();
        if let Some(backend) = CanvasBackend::with_canvas_object(canvas) {
            match draw_chart(&backend.into_drawing_area(), &chart) {
                Ok(f) => frame.set(f),
                Err(e) => leptos::logging::warn!("chart: {e}"),
            }
        }
    });
    // The point (or the curve) under the pointer.
    let pointer = RwSignal::new(None::<(f64, f64)>);
    let on_move = move |ev: leptos::ev::PointerEvent| {
        pointer.set(Some((ev.offset_x() as f64, ev.offset_y() as f64)));
    };
    let on_leave = move |_| pointer.set(None);
    let tooltip = move || {
        let (mx, my) = pointer.get()?;
        let ratio = window().device_pixel_ratio().max(1.0);
        let (cx, cy) = (mx * ratio, my * ratio);
        let f = frame.get();
        if !f.contains(cx, cy) {
            return None;
        }
        let chart = data.get()?;
        let nearest = chart
            .points
            .iter()
            .map(|p| {
                let (px, py) = f.to_pixel(p.x, p.y);
                (((px - cx).powi(2) + (py - cy).powi(2)).sqrt(), p)
            })
            .filter(|(d, _)| d.is_finite())
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let fit = derived.shown.get().map(|(_, fit)| fit.law);
        let text = match nearest {
            Some((d, p)) if d <= 18.0 * ratio => {
                let excluded = if p.excluded {
                    format!(" ({})", tr("excluded"))
                } else {
                    String::new()
                };
                format!(
                    "{} = {}, {} = {}{excluded}",
                    chart_axis(&chart.x_label),
                    format_si(p.x),
                    chart_axis(&chart.y_label),
                    format_value(p.y)
                )
            }
            _ => {
                let law = fit.filter(|l| l.model.is_single_variable())?;
                let x = f.x_at(cx);
                let y = crate::engine::plan::predict(&law, x)?;
                trf(
                    "the law at {0} = {1}: {2}",
                    &[law.x.symbol(), &format_si(x), &format_value(y)],
                )
            }
        };
        Some((mx, my, text))
    };
    let description = move || {
        derived.shown.get().map(|(_, fit)| {
            trf(
                "Log-log chart of the data and the fitted law {0}.",
                &[&super::summary::law_with_values(&fit.law)],
            )
        })
    };
    view! {
        <figure class="chart-figure">
            <canvas node_ref=canvas_ref data-testid="chart" class="chart" role="img" aria-label=description
                on:pointermove=on_move on:pointerleave=on_leave></canvas>
            {move || tooltip().map(|(x, y, text)| view! {
                <div class="tooltip" data-testid="chart-tooltip" style:left=format!("{}px", x + 12.0) style:top=format!("{}px", y + 12.0)>{text}</div>
            })}
            <figcaption class="sr-only">{description}</figcaption>
        </figure>
        <div class="axes-toggles">
            <label><input type="checkbox" data-testid="log-x" prop:checked=move || !inputs.linear_x.get()
                on:change=move |ev| inputs.linear_x.set(!event_target_checked(&ev))/>" "{move || tr("log x axis")}</label>
            <label><input type="checkbox" data-testid="log-y" prop:checked=move || !inputs.linear_y.get()
                on:change=move |ev| inputs.linear_y.set(!event_target_checked(&ev))/>" "{move || tr("log y axis")}</label>
        </div>
        <super::export::ExportButtons chart=data/>
        <details class="residuals" open class:hidden=move || derived.shown.with(|s| s.is_none())>
            <summary>{move || tr("Residuals (observed / fitted − 1)")}</summary>
            <canvas node_ref=residual_ref data-testid="residual-chart" class="residual-chart" role="img"
                aria-label=move || tr("Residual plot: each point's observed value relative to the fitted law")></canvas>
        </details>
    }
}

/// Sizes the canvas's backing store to its CSS size times the device pixel ratio, so it is
/// sharp on high-density screens; returns the ratio.
pub(super) fn prepare(canvas: &web_sys::HtmlCanvasElement) -> f64 {
    let ratio = window().device_pixel_ratio().max(1.0);
    let width = canvas.client_width().max(300) as f64;
    let height = canvas.client_height().max(120) as f64;
    canvas.set_width((width * ratio) as u32);
    canvas.set_height((height * ratio) as u32);
    ratio
}

/// Whether the reader's system asks for a dark theme.
pub(super) fn prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// The symbol an axis title ends with ("parameters N" → "N"), for the tooltip.
fn chart_axis(title: &str) -> &str {
    title
        .split_whitespace()
        .rev()
        .find(|w| w.len() == 1)
        .unwrap_or(title)
}
