#![cfg(not(target_arch = "wasm32"))]
//! Numbers with units (docs/CONTRACT.md: K, M, B/G, T, P, PF-days = 8.64e19 FLOP).

use proptest::prelude::*;
use scaling_calc::engine::units::{format_param, format_si, parse_quantity, UnitError};

#[test]
fn good_quantities_parse_to_their_values() {
    let cases: &[(&str, f64)] = &[
        ("1.5B", 1.5e9),
        ("175b", 175e9),
        ("300e9", 300e9),
        ("3.14e23", 3.14e23),
        ("350M", 350e6),
        ("20k", 20e3),
        ("20K", 20e3),
        ("1.4T", 1.4e12),
        ("2G", 2e9),
        ("1P", 1e15),
        ("3640 PF-days", 3640.0 * 8.64e19),
        ("3640 pf-days", 3640.0 * 8.64e19),
        ("1 PF-day", 8.64e19),
        ("2.5k PF-days", 2500.0 * 8.64e19),
        ("  42  ", 42.0),
        ("1.5 B", 1.5e9),
        ("\"1,234,567\"", 1_234_567.0),
        ("1_000", 1000.0),
        ("3.14e23 FLOP", 3.14e23),
        ("6e23 flops", 6e23),
        ("1e9b", 1e18),
        ("0.5", 0.5),
        ("-2", -2.0),
        ("+7", 7.0),
        ("1e-3", 1e-3),
    ];
    for (text, expected) in cases {
        let got = parse_quantity(text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert!(
            (got - expected).abs() <= 1e-12 * expected.abs(),
            "{text:?}: got {got}, expected {expected}"
        );
    }
}

#[test]
fn bad_quantities_say_why() {
    assert_eq!(parse_quantity(""), Err(UnitError::Empty));
    assert_eq!(parse_quantity("   "), Err(UnitError::Empty));
    assert!(matches!(
        parse_quantity("abc"),
        Err(UnitError::NotANumber(_))
    ));
    assert!(matches!(parse_quantity("1.5X"), Err(UnitError::UnknownSuffix(s)) if s == "x"));
    assert!(matches!(
        parse_quantity("2e"),
        Err(UnitError::UnknownSuffix(_))
    ));
    assert!(matches!(
        parse_quantity("inf"),
        Err(UnitError::NotANumber(_))
    ));
    assert!(matches!(
        parse_quantity("NaN"),
        Err(UnitError::NotANumber(_))
    ));
    assert!(matches!(
        parse_quantity("1e400"),
        Err(UnitError::NotFinite(_))
    ));
    assert!(matches!(
        parse_quantity("1,23"),
        Err(UnitError::NotANumber(_))
    ));
    assert!(matches!(
        parse_quantity("1.2.3"),
        Err(UnitError::UnknownSuffix(_) | UnitError::NotANumber(_))
    ));
    assert!(matches!(parse_quantity("B"), Err(UnitError::NotANumber(_))));
    // The message names the text.
    assert!(parse_quantity("abc")
        .unwrap_err()
        .to_string()
        .contains("abc"));
}

#[test]
fn counts_are_written_as_people_read_them() {
    assert_eq!(format_si(1.5e9), "1.5B");
    assert_eq!(format_si(175e9), "175B");
    assert_eq!(format_si(1e12), "1T");
    assert_eq!(format_si(20e3), "20k");
    assert_eq!(format_si(3.14e23), "3.14e23");
    assert_eq!(format_si(1e6), "1M");
}

#[test]
fn parameters_are_written_with_four_significant_digits() {
    assert_eq!(format_param(0.0), "0");
    assert_eq!(format_param(-0.0), "0");
    assert_eq!(format_param(406.4), "406.4");
    assert_eq!(format_param(0.33917084), "0.3392");
    assert_eq!(format_param(8.8e13), "8.8e13");
    assert_eq!(format_param(1.5e-4), "1.5e-4");
    assert_eq!(format_param(-2.5e-7), "-2.5e-7");
    assert_eq!(format_param(123_456.0), "1.235e5");
}

#[test]
fn parameter_rounding_carries_into_the_exponent() {
    // Expected: the value rounded to 4 significant digits (9.9996 -> 10.00 = 1.000e1), then
    // written plainly for 1e-3 <= |rounded| < 1e5 and as mantissa e exponent otherwise.
    let cases: &[(f64, &str)] = &[
        (999_996.0, "1e6"),
        (-999_996.0, "-1e6"),
        (99_999.6, "1e5"),
        (-99_999.6, "-1e5"),
        (9.9996e-5, "1e-4"),
        (-9.9996e-5, "-1e-4"),
        (9.9996e-4, "0.001"),
        (0.99996, "1"),
        (-0.99996, "-1"),
        (9_999.96, "10000"),
        (9.9996e22, "1e23"),
        (9.9994e22, "9.999e22"),
        (99_994.0, "99994"),
    ];
    for &(value, want) in cases {
        assert_eq!(format_param(value), want, "format_param({value:e})");
    }
}

#[test]
fn parameters_that_are_not_finite_say_so() {
    assert_eq!(format_param(f64::NAN), "NaN");
    assert_eq!(format_param(f64::INFINITY), "inf");
    assert_eq!(format_param(f64::NEG_INFINITY), "-inf");
}

proptest! {
    #[test]
    fn no_text_makes_the_parser_panic(text in ".{0,40}") {
        let _ = parse_quantity(&text);
    }

    #[test]
    fn no_table_makes_the_data_parser_panic(text in "[0-9a-zA-Z.,;\t\n# \"eE+-]{0,200}") {
        let _ = scaling_calc::engine::dataset::parse_dataset(&text);
    }

    #[test]
    fn written_parameters_parse_back_with_one_digit_before_the_point(
        mantissa in 1.0f64..10.0, exponent in -30i32..30, negative in any::<bool>()
    ) {
        let value = if negative { -mantissa } else { mantissa } * 10f64.powi(exponent);
        let text = format_param(value);
        let back = parse_quantity(&text).unwrap();
        // 4 significant digits: at most half a unit in the 4th digit, 5e-4 relative.
        prop_assert!((back - value).abs() <= 5.000_001e-4 * value.abs(), "{} -> {} -> {}", value, text, back);
        if let Some((m, _)) = text.split_once('e') {
            let m: f64 = m.parse().unwrap();
            prop_assert!((1.0..10.0).contains(&m.abs()), "{} -> {}", value, text);
        }
    }

    #[test]
    fn written_counts_parse_back(value in 1.0f64..1e17) {
        let text = format_si(value);
        let back = parse_quantity(&text).unwrap();
        prop_assert!((back - value).abs() <= 5e-3 * value, "{} -> {} -> {}", value, text, back);
    }
}
