//! The main chart and the residual plot, with the axis toggles, the tooltip, the text
//! alternative and the exports.

use super::canvas::{ChartCanvas, Drawn};
use super::i18n::{tr, trf};
use super::{Derived, Inputs, PlanInputs};
use crate::chart::{
    band_xs, chart_data, describe, law_chart, residual_data, Axes, AxisKind, ResidualData,
};
use crate::engine::dataset::Point;
use crate::engine::fit::bootstrap::band;
use crate::engine::fit::prediction::one_run_band;
use crate::engine::units::{format_si, format_value};
use leptos::prelude::*;

/// How near the pointer must be to a point to be on it, in CSS pixels.
const POINT_RADIUS: f64 = 18.0;

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
        let xs = band_xs(&chart);
        let boot = boot.get();
        if let Some(boot) = &boot {
            chart.band = band(&fit.law, boot, &xs, 0.95);
        }
        chart.run_band = one_run_band(&fit, boot.as_ref(), &xs);
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
    // Clicking a point leaves its row out of the fit or takes it back in: on the full page,
    // while the chart shows the rows of the current data (not a published law alone).
    let embedded = use_context::<super::Embedded>().is_some_and(|e| e.0);
    let table = use_context::<super::table::TableView>();
    // The chart's rows are the current data's, whatever their `#` (a fit left stale by too few
    // points in it still lets the person click them back in).
    let rows_current = Memo::new(move |_| {
        derived.shown.with(|shown| {
            derived.parsed.with(|now| match (shown, now) {
                (Some((drawn, _)), Ok(now)) => {
                    drawn.points.len() == now.points.len()
                        && drawn.points.iter().zip(&now.points).all(|(a, b)| {
                            Point {
                                excluded: b.excluded,
                                ..a.clone()
                            } == *b
                        })
                }
                _ => false,
            })
        })
    });
    let clickable = move || !embedded && rows_current.get();
    // Whether the row starting on `line` is left out of the fit now.
    let excluded_now = move |line: usize| {
        derived.parsed.with(|d| {
            let d = d.as_ref().ok()?;
            d.points.iter().find(|p| p.line == line).map(|p| p.excluded)
        })
    };
    // The point under the pointer at (mx, my) CSS pixels of the canvas.
    let point_at = move |mx: f64, my: f64| {
        let Drawn { style, frame } = drawn.get()?;
        let (cx, cy) = (mx * style.scale, my * style.scale);
        if !frame.contains(cx, cy) {
            return None;
        }
        data.with(|chart| {
            chart
                .as_ref()?
                .point_near(&frame, cx, cy, POINT_RADIUS * style.scale)
                .cloned()
        })
    };
    // The last row changed from the chart, and whether it was left out.
    let toggled = RwSignal::new(None::<(usize, bool)>);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if !clickable() {
            return;
        }
        let Some(point) = untrack(|| point_at(ev.offset_x() as f64, ev.offset_y() as f64)) else {
            return;
        };
        let Some(excluded) = untrack(|| excluded_now(point.line)) else {
            return;
        };
        let exclude = !excluded;
        super::table::set_line_excluded(inputs, point.line, exclude);
        toggled.set(Some((point.line, exclude)));
        if let Some(table) = table {
            table.show_line(point.line);
        }
    };
    // What was done, while the data still says so (another text makes it moot).
    let toggled_note = move || {
        let (line, excluded) = toggled.get()?;
        let still = derived.parsed.with(|d| {
            d.as_ref().is_ok_and(|d| {
                d.points
                    .iter()
                    .any(|p| p.line == line && p.excluded == excluded)
            })
        });
        still.then(|| {
            let line = line.to_string();
            if excluded {
                trf("Row {0} is left out of the fit (marked # in the data); click the point again to bring it back.", &[&line])
            } else {
                trf("Row {0} is back in the fit.", &[&line])
            }
        })
    };
    let hovered = move || {
        let (mx, my) = pointer.get()?;
        point_at(mx, my)
    };
    let tooltip = move || {
        let (mx, my) = pointer.get()?;
        let Drawn { style, frame } = drawn.get()?;
        let (cx, cy) = (mx * style.scale, my * style.scale);
        if !frame.contains(cx, cy) {
            return None;
        }
        let chart = data.get()?;
        let text = match hovered() {
            Some(p) => {
                let excluded = if p.excluded {
                    format!(" ({})", tr("excluded"))
                } else {
                    String::new()
                };
                let action = match clickable().then(|| excluded_now(p.line)).flatten() {
                    None => String::new(),
                    Some(false) => format!(" · {}", tr("click to leave it out")),
                    Some(true) => format!(" · {}", tr("click to bring it back")),
                };
                let name = p.label.as_ref().map_or(String::new(), |l| format!("{l}: "));
                format!(
                    "{name}{} = {}, {} = {}{excluded}{action}",
                    chart.x.symbol(),
                    format_si(p.x),
                    chart.y.symbol(),
                    format_value(p.y)
                )
            }
            None => {
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
        <figure class="chart-figure" on:pointermove=on_move on:pointerleave=on_leave on:click=on_click
            class:over-point=move || clickable() && hovered().is_some()>
            <ChartCanvas chart=shown axes=axes testid="chart" class="chart" label=description drawn=drawn/>
            {move || tooltip().map(|(x, y, text)| view! {
                <div class="tooltip" data-testid="chart-tooltip" style:left=format!("{}px", x + 12.0) style:top=format!("{}px", y + 12.0)>{text}</div>
            })}
            <figcaption class="sr-only">{description}</figcaption>
        </figure>
        {move || clickable().then(|| view! {
            <p class="chart-hint muted small" data-testid="chart-hint" role="status">
                {move || toggled_note().unwrap_or_else(|| tr("Click a point to leave it out of the fit; click it again to bring it back."))}
            </p>
        })}
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
