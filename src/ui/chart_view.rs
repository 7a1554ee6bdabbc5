//! The main chart and the residual plot, with the axis toggles, the tooltip, the text
//! alternative and the exports.

use super::canvas::{ChartCanvas, Drawn};
use super::i18n::{tr, trf};
use super::{Derived, Inputs, PlanInputs};
use crate::chart::{
    band_xs, chart_data, describe, law_chart, residual_data, Axes, AxisKind, ResidualData,
};
use crate::engine::fit::bootstrap::band;
use crate::engine::units::{format_si, format_value};
use leptos::prelude::*;

/// The main chart (`data-testid="chart"`), with a text alternative.
#[component]
pub fn ChartView() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let derived = expect_context::<Derived>();
    let boot = super::uncertainty::current_bootstrap();
    let plan_law = super::plan::plan_law();
    let plan_inputs = expect_context::<PlanInputs>();
    // The chart follows the planning panel's FLOP per parameter-token (6 while that is invalid;
    // the panel says why).
    let flops = Memo::new(move |_| plan_inputs.flops().unwrap_or_default());
    let data = Memo::new(move |_| {
        let target = derived.target.get().ok().flatten();
        let Some((dataset, fit)) = derived.shown.get() else {
            // Nothing fitted: draw the published law the panel plans with.
            let (law, _) = plan_law.get()?;
            let parsed = derived.parsed.get().ok();
            let x = inputs.x.get();
            return Some(law_chart(&law, parsed.as_ref(), x, target, flops.get()));
        };
        let stale = derived.stale();
        let mut chart = chart_data(&dataset, &fit, inputs.x.get(), target, stale, flops.get());
        if let Some(boot) = boot.get() {
            chart.band = band(&fit.law, &boot, &band_xs(&chart), 0.95);
        }
        Some(chart)
    });
    let axes = Signal::derive(move || Axes {
        x: AxisKind::linear_if(inputs.linear_x.get()),
        y: AxisKind::linear_if(inputs.linear_y.get()),
    });
    let residuals: Signal<Option<ResidualData>> = Memo::new(move |_| {
        let (dataset, fit) = derived.shown.get()?;
        Some(residual_data(&dataset, &fit, inputs.x.get(), flops.get()))
    })
    .into();
    // The residuals share the main chart's x; their percentage axis is always linear.
    let residual_axes = Signal::derive(move || Axes {
        x: axes.get().x,
        y: AxisKind::Linear,
    });
    // What is on screen (nothing drawn yet: the message that there is no data).
    let shown = Signal::derive(move || Some(data.get().unwrap_or_default()));
    let drawn = RwSignal::new(None::<Drawn>);
    // The point (or the curve) under the pointer.
    let pointer = RwSignal::new(None::<(f64, f64)>);
    let on_move = move |ev: leptos::ev::PointerEvent| {
        pointer.set(Some((ev.offset_x() as f64, ev.offset_y() as f64)));
    };
    let on_leave = move |_| pointer.set(None);
    let tooltip = move || {
        let (mx, my) = pointer.get()?;
        let Drawn { style, frame } = drawn.get()?;
        let (cx, cy) = (mx * style.scale, my * style.scale);
        if !frame.contains(cx, cy) {
            return None;
        }
        let chart = data.get()?;
        let nearest = chart
            .points
            .iter()
            .map(|p| {
                let (px, py) = frame.to_pixel(p.x, p.y);
                (((px - cx).powi(2) + (py - cy).powi(2)).sqrt(), p)
            })
            .filter(|(d, _)| d.is_finite())
            .min_by(|a, b| a.0.total_cmp(&b.0));
        let text = match nearest {
            Some((d, p)) if d <= 18.0 * style.scale => {
                let excluded = if p.excluded {
                    format!(" ({})", tr("excluded"))
                } else {
                    String::new()
                };
                format!(
                    "{} = {}, {} = {}{excluded}",
                    chart.x.symbol(),
                    format_si(p.x),
                    chart.y.symbol(),
                    format_value(p.y)
                )
            }
            _ => {
                let (_, fit) = derived.shown.get()?;
                let law = Some(fit.law).filter(|l| l.model.is_single_variable())?;
                let x = Some(frame.x_at(cx)).filter(|x| x.is_finite())?;
                let y = crate::engine::plan::predict(&law, x)?;
                trf(
                    "the law at {0} = {1}: {2}",
                    &[law.x.symbol(), &format_si(x), &format_value(y)],
                )
            }
        };
        Some((mx, my, text))
    };
    let description = Signal::derive(move || {
        let lang = super::i18n::lang();
        let law = derived
            .shown
            .get()
            .map(|(_, fit)| super::summary::law_with_values(&fit.law));
        if law.is_none() && data.with(|d| d.is_none()) {
            return tr("No data to draw yet");
        }
        describe(lang, axes.get(), law.as_deref())
    });
    let residual_label = Signal::derive(|| {
        tr("Residual plot: each point's observed value relative to the fitted law")
    });
    view! {
        <figure class="chart-figure" on:pointermove=on_move on:pointerleave=on_leave>
            <ChartCanvas chart=shown axes=axes testid="chart" class="chart" label=description drawn=drawn/>
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
        <super::export::ExportButtons chart=data drawn=drawn/>
        <details class="residuals" open class:hidden=move || derived.shown.with(|s| s.is_none())>
            <summary>{move || tr("Residuals (observed / fitted − 1)")}</summary>
            <ChartCanvas chart=residuals axes=residual_axes testid="residual-chart" class="residual-chart"
                label=residual_label/>
        </details>
    }
}
