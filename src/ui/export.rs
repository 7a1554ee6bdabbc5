//! Downloads: the chart as PNG (the canvas) and SVG (the same drawing code and the same style
//! through plotters' SVG backend),
//! the data with fitted values and predictions as CSV, the fit as JSON.

use super::canvas::Drawn;
use super::i18n::tr;
use super::Derived;
use crate::chart::{to_svg, ChartData, ChartStyle};
use crate::engine::export::{data_csv, fit_json};
use crate::engine::plan::predict;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Offers `contents` as a file download.
pub(super) fn download(name: &str, mime: &str, contents: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    click_link(name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Clicks a temporary `<a download>` pointing at `href`.
fn click_link(name: &str, href: &str) {
    let Some(anchor) = document()
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return;
    };
    anchor.set_href(href);
    anchor.set_download(name);
    anchor.click();
}

/// The export buttons under the chart.
#[component]
pub fn ExportButtons(
    /// What the chart shows (for the SVG).
    chart: Memo<Option<ChartData>>,
    /// The chart's last drawing on screen: the SVG is drawn in its style (axes, theme,
    /// language, size), the PNG is that canvas itself.
    drawn: RwSignal<Option<Drawn>>,
) -> impl IntoView {
    let derived = expect_context::<Derived>();
    let boot = super::uncertainty::current_bootstrap();
    let prediction = move |fit: &crate::engine::fit::Fit| {
        let target = derived.target.get_untracked().ok().flatten()?;
        fit.law
            .model
            .is_single_variable()
            .then(|| predict(&fit.law, target).map(|v| (target, v)))
            .flatten()
    };
    let png = move |_| {
        let canvas = document()
            .query_selector("[data-testid=chart]")
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok());
        if let Some(url) = canvas.and_then(|c| c.to_data_url_with_type("image/png").ok()) {
            click_link("scaling-law.png", &url);
        }
    };
    let svg = move |_| {
        let style = drawn.get_untracked().map_or_else(
            || ChartStyle {
                lang: super::i18n::lang(),
                ..ChartStyle::default()
            },
            |d| d.style,
        );
        if let Some(data) = chart.get_untracked() {
            match to_svg(&data, &style) {
                Ok(svg) => download("scaling-law.svg", "image/svg+xml", &svg),
                Err(e) => leptos::logging::warn!("SVG export: {e}"),
            }
        }
    };
    let csv = move |_| {
        if let Some((data, fit)) = derived.shown.get_untracked() {
            download(
                "scaling-law-data.csv",
                "text/csv",
                &data_csv(&data, &fit, prediction(&fit)),
            );
        }
    };
    let json = move |_| {
        // The fit carries the options that made it: a stale fit is exported with its own.
        let Some((data, fit)) = derived.shown.get_untracked() else {
            return;
        };
        let text = fit_json(&fit, &data, boot.get_untracked().as_ref(), prediction(&fit));
        download("scaling-law-fit.json", "application/json", &text);
    };
    let no_fit = move || derived.shown.with(|s| s.is_none());
    view! {
        <div class="buttons exports">
            <span class="muted small">{move || tr("Export")}</span>
            <button type="button" class="secondary" data-testid="export-png" on:click=png>"PNG"</button>
            <button type="button" class="secondary" data-testid="export-svg" on:click=svg>"SVG"</button>
            <button type="button" class="secondary" data-testid="export-csv" on:click=csv disabled=no_fit>"CSV"</button>
            <button type="button" class="secondary" data-testid="export-json" on:click=json disabled=no_fit>"JSON"</button>
        </div>
    }
}
