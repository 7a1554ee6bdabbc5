#![cfg(not(target_arch = "wasm32"))]
//! The `olmo-ladder` preset (data/olmo_ladder.csv, Bhagia et al. 2024, arXiv 2412.04403):
//! the Chinchilla form fitted to the 24 ladder runs, the two large targets held out.
//!
//! Reference (data/README.md): SciPy, Chinchilla form, Huber 1e-3 on log residuals, the
//! 4,500-start grid, on the ladder rows: A = 8.276, B = 62.66, E = 0.598, alpha = 0.0723,
//! beta = 0.1909, objective 7.699e-5; predictions 2.455 for 7B-4T and 2.370 for 13B-5T.

use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::fit::{fit, FitOptions, Starts};
use scaling_calc::engine::law::Inputs;
use scaling_calc::engine::presets;

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

#[test]
fn the_preset_ships_its_licence_and_citation() {
    let preset = presets::find("olmo-ladder").unwrap();
    assert!(preset.citation.contains("Apache License 2.0"));
    assert!(preset.citation.contains("arXiv 2412.04403"));
    let licence = include_str!("../data/LICENSE-Apache-2.0.txt");
    assert!(licence.contains("Apache License"));
    assert!(include_str!("../data/README.md").contains("olmo_ladder.csv"));
}
