#![cfg(not(target_arch = "wasm32"))]
//! IsoFLOP analysis (Hoffmann et al. 2022, approach 2) against numpy on the same runs.
//!
//! Source: reference/isoflop_numpy.py (numpy.polyfit per budget and across budgets,
//! scipy.stats.t for the interval; committed output reference/isoflop_numpy.json), on IsoFLOP
//! sweeps generated from Hoffmann's law with 0.5 % noise. That law's own exponent,
//! β / (α + β) = 0.4516, must lie in the interval.

mod common;
use common::{cli_json, rel};

use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::isoflop::{isoflop, IsoFlopError};
use serde_json::Value;

const REFERENCE: &str = include_str!("../reference/isoflop_numpy.json");
/// Two least-squares solutions of the same small systems (seen: 1e-12 or better).
const AGREEMENT: f64 = 1e-9;

#[test]
fn profiles_minima_and_frontier_match_numpy() {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    let data = parse_dataset(reference["text"].as_str().unwrap()).unwrap();
    let result = isoflop(&data, 6.0).unwrap();
    let budgets = reference["budgets"].as_array().unwrap();
    assert_eq!(result.profiles.len(), budgets.len());
    for ((profile, budget), minimum) in result
        .profiles
        .iter()
        .zip(budgets)
        .zip(reference["minima"].as_array().unwrap())
    {
        assert!(rel(profile.budget, budget.as_f64().unwrap()) < 1e-12);
        let (n, _) = profile.minimum.unwrap();
        assert!(
            rel(n, minimum.as_f64().unwrap()) < AGREEMENT,
            "{n} vs {minimum}"
        );
        assert!(profile.inside, "a centred sweep has its minimum inside");
    }
    let want = reference["exponent"].as_f64().unwrap();
    assert!(
        rel(result.exponent, want) < AGREEMENT,
        "{} vs {want}",
        result.exponent
    );
    assert!(
        rel(
            result.coefficient,
            reference["coefficient"].as_f64().unwrap()
        ) < 1e-7
    );
    let (lo, hi) = result.interval.unwrap();
    let interval = reference["interval"].as_array().unwrap();
    assert!(rel(lo, interval[0].as_f64().unwrap()) < AGREEMENT);
    assert!(rel(hi, interval[1].as_f64().unwrap()) < AGREEMENT);
    let law = reference["law_exponent"].as_f64().unwrap();
    assert!(lo < law && law < hi, "{law} in [{lo}, {hi}]");
}

#[test]
fn runs_that_are_not_isoflop_sweeps_are_said_so() {
    // One budget only.
    let data = parse_dataset("N,C,L\n1e8,1e19,3.1\n2e8,1e19,3.0\n4e8,1e19,3.05\n").unwrap();
    assert_eq!(
        isoflop(&data, 6.0),
        Err(IsoFlopError::TooFewProfiles { found: 1 })
    );
    // No compute at all.
    let data = parse_dataset("N,L\n1e8,3.1\n2e8,3.0\n").unwrap();
    assert_eq!(isoflop(&data, 6.0), Err(IsoFlopError::NeedsColumns));
}

#[test]
fn the_command_line_prints_the_profiles_and_the_frontier() {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    let dir = std::env::temp_dir().join(format!("isoflop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("sweeps.csv");
    std::fs::write(&file, reference["text"].as_str().unwrap()).unwrap();
    let json = cli_json(&["isoflop", file.to_str().unwrap(), "--json"]);
    assert!(
        rel(
            json["exponent"].as_f64().unwrap(),
            reference["exponent"].as_f64().unwrap()
        ) < AGREEMENT
    );
    assert_eq!(json["profiles"].as_array().unwrap().len(), 6);
    assert!(json["notes"][0].as_str().unwrap().contains("off-centre"));
    std::fs::remove_dir_all(dir).ok();
}
