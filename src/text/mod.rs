//! The page's texts in English and Traditional Chinese.
//!
//! English texts are their own keys; [`zh_hant::ZH_HANT`] gives the Chinese. Texts made with
//! values (`"only 4 points for 2 parameters: …"`) match their template (`"only {0} points for
//! {1} parameters: …"`), and a captured value that is itself a text is translated too.

mod messages;
mod zh_hant;

pub use messages::{bottleneck_sentences, Render};

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

/// A template split at its placeholders: literal pieces and the placeholder indices between.
struct Template {
    pieces: Vec<&'static str>,
    slots: Vec<usize>,
    chinese: &'static str,
}

/// Exact texts, and templates with placeholders (longest literal text first, so the most
/// specific template wins).
struct Table {
    exact: HashMap<&'static str, &'static str>,
    templates: Vec<Template>,
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut exact = HashMap::new();
        let mut templates = Vec::new();
        for &(english, chinese) in zh_hant::ZH_HANT {
            exact.insert(english, chinese);
            exact.insert(english.trim(), chinese.trim());
            if let Some(t) = split_template(english, chinese) {
                templates.push(t);
            }
        }
        templates
            .sort_by_key(|t| std::cmp::Reverse(t.pieces.iter().map(|p| p.len()).sum::<usize>()));
        Table { exact, templates }
    })
}

/// Splits "a {0} b {1} c" into pieces ["a ", " b ", " c"] and slots [0, 1]; None without
/// placeholders.
fn split_template(english: &'static str, chinese: &'static str) -> Option<Template> {
    let mut pieces = Vec::new();
    let mut slots = Vec::new();
    let mut rest = english;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let Ok(slot) = rest[open + 1..open + close].parse::<usize>() else {
            break;
        };
        pieces.push(&rest[..open]);
        slots.push(slot);
        rest = &rest[open + close + 1..];
    }
    if slots.is_empty() {
        return None;
    }
    pieces.push(rest);
    Some(Template {
        pieces,
        slots,
        chinese,
    })
}

/// The values a text captures in a template's placeholders, if it matches: each piece must
/// follow in order, a placeholder takes the shortest text up to the next piece.
fn captures(template: &Template, text: &str) -> Option<Vec<(usize, String)>> {
    let mut rest = text.strip_prefix(template.pieces[0])?;
    let mut out = Vec::new();
    for (i, &slot) in template.slots.iter().enumerate() {
        let next = template.pieces[i + 1];
        let last = i + 1 == template.slots.len();
        let end = if last {
            if next.is_empty() {
                rest.len()
            } else if rest.ends_with(next) {
                rest.len() - next.len()
            } else {
                return None;
            }
        } else {
            rest.find(next)?
        };
        let value = &rest[..end];
        if value.is_empty() {
            return None;
        }
        out.push((slot, value.to_string()));
        rest = &rest[end + next.len()..];
    }
    Some(out)
}

/// The text in `lang` (English texts are returned as they are; a text with no translation
/// stays English).
pub fn translate(lang: Lang, text: &str) -> String {
    if lang == Lang::En || text.is_empty() {
        return text.to_string();
    }
    let table = table();
    if let Some(chinese) = table.exact.get(text) {
        return chinese.to_string();
    }
    // Surrounding white space is kept as it is.
    let trimmed = text.trim();
    if trimmed.len() != text.len() {
        if let Some(chinese) = table.exact.get(trimmed) {
            return text.replace(trimmed, chinese);
        }
    }
    for template in &table.templates {
        if let Some(values) = captures(template, text) {
            let mut out = template.chinese.to_string();
            for (slot, value) in values {
                out = out.replace(&format!("{{{slot}}}"), &translate(lang, &value));
            }
            return out;
        }
    }
    text.to_string()
}

/// Whether a text has a translation in `lang` (exactly or by a template; some, like
/// "Huber", are the same in both languages).
pub fn has_translation(lang: Lang, text: &str) -> bool {
    let table = table();
    lang == Lang::En
        || table.exact.contains_key(text)
        || table.exact.contains_key(text.trim())
        || table.templates.iter().any(|t| captures(t, text).is_some())
}

/// Fills a template's placeholders `{0}`, `{1}`, … with values, in `lang`.
pub fn fill(lang: Lang, template: &str, values: &[&str]) -> String {
    let base = translate(lang, template);
    values
        .iter()
        .enumerate()
        .fold(base, |text, (i, v)| text.replace(&format!("{{{i}}}"), v))
}
