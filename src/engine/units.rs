//! Numbers as people write them: `1.5B`, `175b`, `300e9`, `3.14e23`, `20k`, `3640 PF-days`.
//!
//! value = mantissa × multiplier × unit, with multipliers K = 1e3, M = 1e6, B = G = 1e9,
//! T = 1e12, P = 1e15 (case-insensitive) and the unit PF-day = 8.64e19 FLOP.

use std::fmt;

/// FLOP in one petaflop/s-day: 1e15 FLOP/s × 86,400 s.
pub const PF_DAY: f64 = 8.64e19;

/// The longest text read as a number: the longest plain decimal of an f64 is far shorter, and a
/// cap keeps the parse linear (the suffix search below tries every prefix).
pub const MAX_NUMBER_LEN: usize = 128;

/// `text` shortened to at most 40 characters for a message (`…` marks the cut).
pub fn excerpt(text: &str) -> String {
    const KEEP: usize = 40;
    match text.char_indices().nth(KEEP) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// Why a piece of text is not a number.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum UnitError {
    Empty,
    NotANumber(String),
    UnknownSuffix(String),
    NotFinite(String),
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

impl std::error::Error for UnitError {}

/// The multiplier of a one-letter suffix, if it is one.
fn multiplier(suffix: &str) -> Option<f64> {
    match suffix {
        "" => Some(1.0),
        "k" => Some(1e3),
        "m" => Some(1e6),
        "b" | "g" => Some(1e9),
        "t" => Some(1e12),
        "p" => Some(1e15),
        _ => None,
    }
}

/// Strips a trailing PF-days unit (`PF-days`, `pf-day`, `PF days`, `pfdays`, `PFD`),
/// returning the rest of the text, trimmed.
fn strip_pf_days(lower: &str) -> Option<&str> {
    for unit in [
        "pf-days", "pf-day", "pf days", "pf day", "pfdays", "pfday", "pfd",
    ] {
        if let Some(rest) = lower.strip_suffix(unit) {
            return Some(rest.trim_end());
        }
    }
    None
}

/// Removes thousands separators written as `1,234,567` (every group after the first has three
/// digits); any other comma makes the text not a number.
fn strip_thousands(text: &str) -> Option<String> {
    if !text.contains(',') {
        return Some(text.to_string());
    }
    let integer_part = text.split(['.', 'e', 'E']).next().unwrap_or("");
    let groups: Vec<&str> = integer_part.split(',').collect();
    let head = groups[0].trim_start_matches(['+', '-']);
    let well_formed = !head.is_empty()
        && head.len() <= 3
        && head.chars().all(|c| c.is_ascii_digit())
        && groups[1..]
            .iter()
            .all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
    let commas_only_in_integer = text.matches(',').count() == groups.len() - 1;
    (well_formed && commas_only_in_integer).then(|| text.replace(',', ""))
}

/// Parses a quantity: a plain or scientific number, optionally followed by a multiplier
/// suffix and/or the unit PF-days; `FLOP`, `FLOPs` and `tokens`/`params` words are allowed after it.
pub fn parse_quantity(text: &str) -> Result<f64, UnitError> {
    let trimmed = text.trim().trim_matches('"').trim();
    if trimmed.is_empty() {
        return Err(UnitError::Empty);
    }
    if trimmed.len() > MAX_NUMBER_LEN {
        return Err(UnitError::NotANumber(excerpt(trimmed)));
    }
    // Most cells are plain numbers: read them at once (the same value the path below gives;
    // 10,000 pasted rows parse in a third of the time).
    if trimmed
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        if let Ok(value) = trimmed.parse::<f64>() {
            if value.is_finite() {
                return Ok(value);
            }
        }
    }
    with_units(trimmed)
}

/// [`parse_quantity`] of trimmed text that is more than a plain number: units, suffixes,
/// thousands separators.
fn with_units(trimmed: &str) -> Result<f64, UnitError> {
    let lower = trimmed.to_ascii_lowercase().replace('_', "");
    let mut rest = lower.as_str();
    let mut factor = 1.0;
    for word in ["flops", "flop", "tokens", "params", "parameters"] {
        if let Some(r) = rest.strip_suffix(word) {
            rest = r.trim_end();
            break;
        }
    }
    if let Some(r) = strip_pf_days(rest) {
        rest = r;
        factor *= PF_DAY;
    }
    // Split the numeric head from the suffix: the longest prefix that parses as a float.
    let split = rest
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(rest.len()))
        .rev()
        .find(|&i| {
            let head = &rest[..i];
            // "1e" must not eat the suffix letters of "1e9b": require a full float.
            !head.is_empty() && strip_thousands(head).is_some_and(|h| h.parse::<f64>().is_ok())
        });
    let Some(split) = split else {
        return Err(UnitError::NotANumber(trimmed.to_string()));
    };
    let (head, suffix) = rest.split_at(split);
    // Rust accepts "inf" and "nan" as floats: they are never quantities.
    if head.contains("inf") || head.contains("nan") {
        return Err(UnitError::NotANumber(trimmed.to_string()));
    }
    let mantissa: f64 = strip_thousands(head)
        .and_then(|h| h.parse().ok())
        .ok_or_else(|| UnitError::NotANumber(trimmed.to_string()))?;
    let suffix = suffix.trim();
    let m = multiplier(suffix).ok_or_else(|| {
        if suffix.chars().any(|c| c.is_ascii_digit()) {
            UnitError::NotANumber(trimmed.to_string())
        } else {
            UnitError::UnknownSuffix(suffix.to_string())
        }
    })?;
    let value = mantissa * m * factor;
    if !value.is_finite() {
        return Err(UnitError::NotFinite(trimmed.to_string()));
    }
    Ok(value)
}

/// Writes a count the way people read it: `1.5B`, `175B`, `20k`, `3.1e23` beyond P.
pub fn format_si(value: f64) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    // Rounded to 3 significant digits before the suffix is chosen, so a carry moves the
    // suffix: 999.6 -> "1k", 999_996 -> "1M" (not "1000", "1000k").
    let abs = format!("{:.2e}", value.abs())
        .parse::<f64>()
        .unwrap_or(value.abs());
    let (scaled, suffix) = if abs >= 1e18 || (abs > 0.0 && abs < 1e-2) {
        return format_sci(value);
    } else if abs >= 1e15 {
        (value / 1e15, "P")
    } else if abs >= 1e12 {
        (value / 1e12, "T")
    } else if abs >= 1e9 {
        (value / 1e9, "B")
    } else if abs >= 1e6 {
        (value / 1e6, "M")
    } else if abs >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    format!("{}{suffix}", trim_number(scaled, 3))
}

/// Scientific notation with 3 significant digits: `3.14e23`.
pub fn format_sci(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return format!("{value}");
    }
    // Rust's `{:e}` rounds the decimal digits exactly and carries into the exponent, down to
    // subnormals (where 10^exponent underflows and a division by it would give "infe-324").
    let rounded = format!("{value:.2e}");
    let (mantissa, exponent) = rounded.split_once('e').expect("`{:e}` writes an exponent");
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    format!("{mantissa}e{exponent}")
}

/// A number with `digits` significant digits and no trailing zeros: 1.50 -> "1.5".
pub fn trim_number(value: f64, digits: usize) -> String {
    if value == 0.0 {
        return "0".into();
    }
    let magnitude = value.abs().log10().floor() as i32;
    // Far from 1 the digits would run on (a gain ratio of 1e300, 1e-11 tokens per parameter):
    // scientific notation, the mantissa trimmed the same way (9.6e300, 1.09e-11).
    if !(TRIM_SMALLEST..TRIM_LARGEST).contains(&magnitude) && value.is_finite() {
        let text = format!("{value:.*e}", digits.saturating_sub(1));
        let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
        let mantissa = if mantissa.contains('.') {
            mantissa.trim_end_matches('0').trim_end_matches('.')
        } else {
            mantissa
        };
        return format!("{mantissa}e{exponent}");
    }
    let decimals = (digits as i32 - 1 - magnitude).max(0) as usize;
    let s = format!("{value:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// The decimal magnitudes [`trim_number`] writes in plain digits: 1e-4 up to below 1e9.
const TRIM_SMALLEST: i32 = -4;
const TRIM_LARGEST: i32 = 9;

/// A parameter value for people: 4 significant digits, scientific when large or small.
///
/// The value is rounded to 4 significant digits before the form and the exponent are chosen,
/// so a carry moves the exponent: 999_996 -> "1e6", 9.9996e-5 -> "1e-4", 99_999.6 -> "1e5".
/// NaN and infinities print as Rust prints them ("NaN", "inf", "-inf").
pub fn format_param(value: f64) -> String {
    if !value.is_finite() {
        return format!("{value}");
    }
    if value == 0.0 {
        return "0".into();
    }
    // Rust's `{:e}` rounds the decimal digits exactly and carries into the exponent.
    let rounded = format!("{value:.3e}");
    let (mantissa, exponent) = rounded.split_once('e').expect("`{:e}` writes an exponent");
    let exponent: i32 = exponent.parse().expect("`{:e}` writes an integer exponent");
    if (-3..5).contains(&exponent) {
        trim_number(value, 4)
    } else {
        let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
        format!("{mantissa}e{exponent}")
    }
}

/// A loss or a bounded metric for people: 4 significant digits, and for values just below 1
/// enough digits to show how far below (0.999968, not 1).
pub fn format_value(value: f64) -> String {
    if value > 0.99 && value < 1.0 {
        let digits = (3.0 - (1.0 - value).log10()).ceil() as usize;
        trim_number(value, digits.min(15))
    } else if value.is_finite() && value != 0.0 && !(1e-4..1e6).contains(&value.abs()) {
        // Scientific when huge or tiny: a loss of 1e300 is not written with 301 digits.
        format_param(value)
    } else {
        trim_number(value, 4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain-number fast path gives what the unit-aware reading gives, value or error.
    #[test]
    fn plain_numbers_read_as_the_unit_aware_path_reads_them() {
        for text in [
            "3",
            "0.5",
            "1e9",
            "1E9",
            "-2.5e-3",
            "+7",
            "175000000000",
            ".5",
            "5.",
            "1e999",
            "-",
            "1e",
            "1.2.3",
            "e5",
            "--1",
            "0",
            "4.9e-324",
        ] {
            let fast = parse_quantity(text);
            let slow = with_units(text);
            match (&fast, &slow) {
                (Ok(a), Ok(b)) => assert_eq!(a.to_bits(), b.to_bits(), "{text}"),
                (Err(_), Err(_)) => {}
                _ => panic!("{text}: {fast:?} against {slow:?}"),
            }
        }
    }
}
