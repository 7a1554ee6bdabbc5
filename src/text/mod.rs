//! The page's texts in English and Traditional Chinese.
//!
//! Page labels: English texts are their own keys; [`zh_hant::ZH_HANT`] gives the Chinese
//! (templates such as `"Fitted {0} points in {1} ms."` are looked up whole, then filled).
//! The engine's messages are typed values rendered by [`Render`] in `messages.rs`.

mod messages;
mod said;
mod zh_hant;

pub use messages::{bottleneck_sentences, Render};
pub use said::Said;

use std::collections::HashMap;
use std::sync::OnceLock;

/// A language of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
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

    /// Sentences one after another, the empty ones left out: after a space in English,
    /// directly in Chinese (its full stop `。` carries its own space).
    pub fn sentences<S: AsRef<str>>(self, sentences: impl IntoIterator<Item = S>) -> String {
        let gap = match self {
            Lang::En => " ",
            Lang::ZhHant => "",
        };
        let mut out = String::new();
        for sentence in sentences {
            let sentence = sentence.as_ref();
            if sentence.is_empty() {
                continue;
            }
            if !out.is_empty() {
                out.push_str(gap);
            }
            out.push_str(sentence);
        }
        out
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

    /// The first of the browser's languages that is one of ours (any zh → Traditional Chinese).
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
}

/// The Chinese of each English text (exact keys; templates keep their `{0}` placeholders).
fn table() -> &'static HashMap<&'static str, &'static str> {
    static TABLE: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    TABLE.get_or_init(|| zh_hant::ZH_HANT.iter().copied().collect())
}

/// A page text in `lang` (English texts are their own keys; one with no translation stays
/// English). Surrounding white space is kept. Messages with numbers are not looked up here:
/// they are typed values rendered by [`Render`].
pub fn translate(lang: Lang, text: &str) -> String {
    if lang == Lang::En || text.is_empty() {
        return text.to_string();
    }
    let table = table();
    if let Some(chinese) = table.get(text) {
        return chinese.to_string();
    }
    let trimmed = text.trim();
    match table.get(trimmed) {
        Some(chinese) if trimmed.len() != text.len() => text.replace(trimmed, chinese),
        _ => text.to_string(),
    }
}

/// Whether a page text has a translation in `lang` (some, like "Huber", are the same in
/// both languages).
pub fn has_translation(lang: Lang, text: &str) -> bool {
    lang == Lang::En || table().contains_key(text) || table().contains_key(text.trim())
}

/// A template's placeholders `{0}`, `{1}`, … filled with values, in `lang`.
pub fn fill(lang: Lang, template: &str, values: &[&str]) -> String {
    values
        .iter()
        .enumerate()
        .fold(translate(lang, template), |text, (i, v)| {
            text.replace(&format!("{{{i}}}"), v)
        })
}
