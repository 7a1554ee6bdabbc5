//! The Web Worker's binary: answers the page's requests ([`scaling_calc::engine::work`]) off
//! the page's thread. It holds the engine only, no page code. Does nothing outside a browser.

fn main() {
    #[cfg(target_arch = "wasm32")]
    listen();
}

/// Answers each `{ id, request }` with `{ id, reply }`, after saying "ready".
#[cfg(target_arch = "wasm32")]
fn listen() {
    use scaling_calc::engine::work::{answer, Request};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let clock = scope.performance();
    let now = move || clock.as_ref().map_or_else(js_sys::Date::now, |p| p.now());
    let replies = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let data = event.data();
        let id = js_sys::Reflect::get(&data, &"id".into()).unwrap_or(JsValue::NULL);
        let request = js_sys::Reflect::get(&data, &"request".into())
            .ok()
            .and_then(|r| serde_wasm_bindgen::from_value::<Request>(r).ok());
        // A long fit tells the page how far it has come: { id, progress: [done, total] }.
        let progress_to = replies.clone();
        let progress_id = id.clone();
        scaling_calc::engine::fit::starts::on_progress(Some(Box::new(move |done, total| {
            let message = js_sys::Object::new();
            let pair = js_sys::Array::of2(&(done as f64).into(), &(total as f64).into());
            let _ = js_sys::Reflect::set(&message, &"id".into(), &progress_id);
            let _ = js_sys::Reflect::set(&message, &"progress".into(), &pair);
            let _ = progress_to.post_message(&message);
        })));
        // A request this worker cannot read gets an answer the page cannot read either: the
        // page then does the work itself.
        let reply = request
            .map(|r| answer(r, &now))
            .and_then(|reply| serde_wasm_bindgen::to_value(&reply).ok())
            .unwrap_or(JsValue::NULL);
        scaling_calc::engine::fit::starts::on_progress(None);
        let message = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&message, &"id".into(), &id);
        let _ = js_sys::Reflect::set(&message, &"reply".into(), &reply);
        let _ = replies.post_message(&message);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&"ready".into());
}
