//! The page's languages: English and Traditional Chinese (繁體中文).

use crate::engine::share::ShareState;
use leptos::prelude::*;

/// A language of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    ZhHant,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhHant];

    /// The id used by `lang-select`, the share link and `<html lang>`.
    pub fn id(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHant => "zh-Hant",
        }
    }

    /// The language's own name.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhHant => "繁體中文",
        }
    }

    pub fn from_id(id: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.id().eq_ignore_ascii_case(id))
    }

    /// The browser's preferred language, when it is one of ours (any zh → Traditional Chinese).
    pub fn from_browser(tags: &[String]) -> Lang {
        tags.iter()
            .find_map(|tag| {
                let tag = tag.to_ascii_lowercase();
                if tag.starts_with("zh") {
                    Some(Lang::ZhHant)
                } else if tag.starts_with("en") {
                    Some(Lang::En)
                } else {
                    None
                }
            })
            .unwrap_or(Lang::En)
    }

    /// The language a page opens in: the one the person chose (kept in the state), else the
    /// browser's.
    pub fn initial(state: &ShareState) -> RwSignal<Lang> {
        let chosen = Lang::from_id(&state.lang);
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
            <span>"Language · 語言"</span>
            <select data-testid="lang-select" on:change=on_change>
                {Lang::ALL.iter().map(|l| view! {
                    <option value=l.id() selected=move || lang.get() == *l>{l.name()}</option>
                }).collect_view()}
            </select>
        </label>
    }
}
