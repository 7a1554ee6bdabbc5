#![cfg(not(target_arch = "wasm32"))]
//! The `olmo-ladder` preset (data/olmo_ladder.csv, Bhagia et al. 2024, arXiv 2412.04403):
//! the Chinchilla form fitted to the 24 ladder runs, the two large targets held out.
//!
//! Reference (data/README.md): SciPy, Chinchilla form, Huber 1e-3 on log residuals, the
//! 4,500-start grid, on the ladder rows: A = 8.276, B = 62.66, E = 0.598, alpha = 0.0723,
//! beta = 0.1909, objective 7.699e-5; predictions 2.455 for 7B-4T and 2.370 for 13B-5T.

use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::dataset::Point;
use scaling_calc::engine::fit::{fit, FitOptions, Starts};
use scaling_calc::engine::law::{Inputs, Variable};
use scaling_calc::engine::presets;
use scaling_calc::engine::report::FitReport;

/// Predictions are printed to 4 digits.
const PREDICTION_TOLERANCE: f64 = 6e-4;

#[test]
fn the_ladder_fit_matches_the_reference_and_misses_the_targets_as_it_does() {
    let preset = presets::find("olmo-ladder").unwrap();
    let data = parse_dataset(preset.data()).unwrap();
    assert_eq!(data.points.len(), 26);
    assert_eq!(data.included().count(), 24);
    // The preset's own settings (auto starts). The valley along E is flat: a fit within 1e-3
    // of the optimum's objective may predict the targets 0.2 % apart.
    {
        let starts = Starts::Auto;
        let mut options = FitOptions::new(preset.model, preset.x);
        options.starts = starts;
        let result = fit(&data, &options).unwrap();
        // 7.699e-5 as printed: the optimum lies within half a unit of its last digit.
        assert!(
            (result.objective - 7.699e-5).abs() <= 0.5e-8,
            "{starts:?}: objective {:e}",
            result.objective
        );
        let targets: Vec<_> = data.points.iter().filter(|p| p.excluded).collect();
        for (point, want) in targets.iter().zip([2.455, 2.370]) {
            let got = result.law.value(&Inputs::of(point)).unwrap();
            assert!(
                (got - want).abs() < PREDICTION_TOLERANCE * want,
                "{starts:?} {:?}: {got} vs {want}",
                point.label
            );
            // Optimistic, as the paper's own check found: below the actual loss.
            assert!(got < point.l.unwrap());
        }
    }
}

/// The page's and the command line's held-out check on the preset: both targets predicted as
/// SciPy does, optimistic by 1.1 % and 2.8 % (the reference's own predictions against the
/// actual losses), each inside one run's interval, 1.92 and 2.12 decades of compute past the ladder.
#[test]
fn the_targets_are_checked_as_held_out_rows() {
    let preset = presets::find("olmo-ladder").unwrap();
    let data = parse_dataset(preset.data()).unwrap();
    let result = fit(&data, &FitOptions::new(preset.model, preset.x)).unwrap();
    let report = FitReport::new(&result, None).with_held_out(&result, &data, None);
    // Along the preset's variable, C = 6ND.
    assert_eq!(result.law.x, Variable::C);
    let compute = |p: &Point| 6.0 * p.n.unwrap() * p.d.unwrap();
    let largest_ladder_c = data.included().map(compute).fold(0.0, f64::max);
    let checks = &report.held_out;
    assert_eq!(checks.len(), 2);
    for (h, (label, want, actual, c)) in checks.iter().zip([
        (
            "7B-4T",
            2.455,
            2.48292,
            6.0 * 6887575552.0 * 3945065873408.0,
        ),
        (
            "13B-5T",
            2.370,
            2.43758,
            6.0 * 13202396160.0 * 5000088518656.0,
        ),
    ]) {
        assert_eq!(h.label.as_deref(), Some(label));
        assert_eq!(h.actual, actual);
        assert!(
            (h.predicted - want).abs() < PREDICTION_TOLERANCE * want,
            "{label}: {}",
            h.predicted
        );
        let reference_error = (want - actual) / actual;
        assert!(
            (h.error - reference_error).abs() < PREDICTION_TOLERANCE,
            "{label}: {}",
            h.error
        );
        assert_eq!(h.inside, Some(true));
        assert!(h.lo.unwrap() < h.predicted && h.predicted < h.hi.unwrap());
        let decades = (c / largest_ladder_c).log10();
        assert!(
            (h.decades_outside - decades).abs() < 1e-9,
            "{label}: {}",
            h.decades_outside
        );
    }
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["held_out"][1]["row"], 27);
    assert_eq!(json["held_out"][1]["inside"], true);
}

#[test]
fn the_preset_ships_its_licence_and_citation() {
    let preset = presets::find("olmo-ladder").unwrap();
    assert!(preset.citation.contains("Apache License 2.0"));
    assert!(preset.citation.contains("arXiv 2412.04403"));
    let licence = include_str!("../data/LICENSE-Apache-2.0.txt");
    assert!(licence.contains("Apache License"));
    assert!(include_str!("../data/README.md").contains("olmo_ladder.csv"));
}
