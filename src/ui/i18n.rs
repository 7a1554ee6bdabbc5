//! The page's languages: English and Traditional Chinese (繁體中文).

use leptos::prelude::*;

pub use crate::text::Lang;

/// The language a page opens in: the one the person chose (kept in the state), else the
/// browser's.
pub fn initial_lang(chosen: Option<Lang>) -> RwSignal<Lang> {
    let lang = chosen.unwrap_or_else(|| {
        let navigator = window().navigator();
        let mut tags: Vec<String> = navigator
            .languages()
            .iter()
            .filter_map(|v| v.as_string())
            .collect();
        if let Some(first) = navigator.language() {
            tags.push(first);
        }
        Lang::from_browser(&tags)
    });
    RwSignal::new(lang)
}

/// The page's language now (tracked: a view calling this re-renders when it changes).
pub fn lang() -> Lang {
    use_context::<RwSignal<Lang>>().map_or(Lang::En, |l| l.get())
}

/// A text in the page's language.
pub fn tr(text: &str) -> String {
    crate::text::translate(lang(), text)
}

/// An engine message (a warning, an error, a verdict) in the page's language.
pub fn say(message: &impl crate::text::Render) -> String {
    message.render(lang())
}

/// A template (`"{0} / {1} resamples"`) in the page's language, filled with values.
pub fn trf(template: &str, values: &[&str]) -> String {
    crate::text::fill(lang(), template, values)
}

/// Sentences one after another, as the page's language joins them ([`Lang::sentences`]).
pub fn sentences<S: AsRef<str>>(parts: impl IntoIterator<Item = S>) -> String {
    lang().sentences(parts)
}

/// The language picker (`lang-select`); also keeps `<html lang>` in step.
#[component]
pub fn LangPicker() -> impl IntoView {
    let lang = expect_context::<RwSignal<Lang>>();
    Effect::new(move |_| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("lang", lang.get().id());
        }
    });
    let on_change = move |ev| {
        if let Some(l) = Lang::from_id(&event_target_value(&ev)) {
            lang.set(l);
        }
    };
    view! {
        <label class="control">
            <span>{move || tr("Language")}</span>
            <select data-testid="lang-select" on:change=on_change>
                {Lang::ALL.iter().map(|l| view! {
                    <option value=l.id() selected=move || lang.get() == *l>{l.name()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
