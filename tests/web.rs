#![cfg(target_arch = "wasm32")]
//! The page in a real browser (wasm-bindgen-test, headless Chromium): mount the app, type
//! data, see the parameters change and ink on the canvas.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlCanvasElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Lets the reactive system and the browser run (a macrotask).
async fn settle() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits until the fit has settled (its status is no longer `running`), then lets the page draw.
async fn fitted() {
    for _ in 0..400 {
        settle().await;
        let state = by_testid("fit-status").and_then(|s| s.get_attribute("data-state"));
        if state.is_some_and(|s| s != "running") {
            break;
        }
    }
    settle().await;
}

fn by_testid(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?
        .document()?
        .query_selector(&format!("[data-testid=\"{id}\"]"))
        .ok()?
}

fn data_value(id: &str) -> Option<f64> {
    by_testid(id)?.get_attribute("data-value")?.parse().ok()
}

fn canvas_ink() -> usize {
    let canvas: HtmlCanvasElement = by_testid("chart").unwrap().dyn_into().unwrap();
    let context: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    let image = context
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .unwrap();
    image.data().0.chunks(4).filter(|p| p[3] > 0).count()
}

fn type_data(text: &str) {
    let area: HtmlTextAreaElement = by_testid("data-input").unwrap().dyn_into().unwrap();
    area.set_value(text);
    let event = web_sys::Event::new("input").unwrap();
    area.dispatch_event(&event).unwrap();
}

#[wasm_bindgen_test]
async fn typing_data_refits_and_draws() {
    leptos::mount::mount_to_body(scaling_calc::ui::App);
    fitted().await;
    // The default preset (GPT-2 checkpoints) is fitted on load.
    let alpha = data_value("fit-param-alpha").expect("a fitted alpha");
    assert!((alpha - 0.08135).abs() < 1e-4, "{alpha}");
    assert!(canvas_ink() > 1000);

    // A new law typed in: L = 5 N^-0.2.
    let mut text = String::from("N,L\n");
    for i in 0..6 {
        let n = 1e6 * 10f64.powi(i);
        text.push_str(&format!("{n:e},{:e}\n", 5.0 * n.powf(-0.2)));
    }
    type_data(&text);
    fitted().await;
    let alpha = data_value("fit-param-alpha").unwrap();
    assert!((alpha - 0.2).abs() < 1e-9, "{alpha}");
    assert_eq!(
        by_testid("fit-status")
            .unwrap()
            .get_attribute("data-state")
            .as_deref(),
        Some("ok")
    );
    assert!(canvas_ink() > 1000);

    // A bad cell: the error names row and column, the last fit stays.
    type_data("N,L\n1e6,3\n1e7,oops\n");
    fitted().await;
    let error = by_testid("input-error")
        .expect("an input error")
        .text_content()
        .unwrap();
    assert!(
        error.contains("Row 3") && error.contains("column L"),
        "{error}"
    );
    assert_eq!(
        by_testid("fit-status")
            .unwrap()
            .get_attribute("data-state")
            .as_deref(),
        Some("error")
    );
    assert!((data_value("fit-param-alpha").unwrap() - 0.2).abs() < 1e-9);
}

/// A worker message crosses to JS and back unchanged: the points and the fitted values travel
/// as one Uint8Array each (engine::wire), the rest as JS values.
#[wasm_bindgen_test]
fn a_fit_request_and_its_reply_cross_to_javascript_exactly() {
    use scaling_calc::engine::dataset::parse_dataset;
    use scaling_calc::engine::fit::FitOptions;
    use scaling_calc::engine::law::{ModelId, Variable};
    use scaling_calc::engine::work::{answer, Reply, Request};
    let mut data = parse_dataset(
        "N,D,L,name\n1e8,2e9,3.1,a\n3e8,2e9,2.95,b\n1e9,2e10,2.7,c\n3e9,6e10,2.55,d\n\
         1e10,2e10,2.5,e\n3e10,6e11,2.38,f\n1e8,2e10,2.9,g\n1e10,2e11,2.44,h\n3e8,6e11,2.7,i\n",
    )
    .unwrap();
    data.points[2].excluded = true;
    let request = Request::Fit {
        data,
        options: FitOptions::new(ModelId::Chinchilla, Variable::N),
    };
    let js = serde_wasm_bindgen::to_value(&request).unwrap();
    let points = js_sys::Reflect::get(&js, &"Fit".into())
        .and_then(|fit| js_sys::Reflect::get(&fit, &"data".into()))
        .and_then(|data| js_sys::Reflect::get(&data, &"points".into()))
        .unwrap();
    assert!(points.is_instance_of::<js_sys::Uint8Array>());
    let back: Request = serde_wasm_bindgen::from_value(js).unwrap();
    assert_eq!(back, request);
    let reply = answer(request, || 0.0);
    let crossed: Result<Reply, _> =
        serde_wasm_bindgen::from_value(serde_wasm_bindgen::to_value(&reply).unwrap());
    assert_eq!(crossed.unwrap(), reply);
}
