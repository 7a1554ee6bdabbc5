#![cfg(not(target_arch = "wasm32"))]
//! Backtests (docs/CONTRACT.md, "backtest"): fit on the smaller runs, predict the larger ones.
//!
//! References:
//! - OLMo ladder (data/olmo_ladder.csv; Bhagia et al. 2024, arXiv 2412.04403; data/README.md):
//!   the Chinchilla form fitted with SciPy on the 24 ladder runs (N ≤ 1.3e9) predicts the C4 loss
//!   of 7B-4T at −1.1 % and of 13B-5T at −2.8 % of the actual (2.455 vs 2.483, 2.370 vs 2.438).
//! - Chinchilla runs (data/chinchilla_svg_extracted_data.csv, Besiroglu et al. 2024): fitted on
//!   the runs up to 1e19 FLOP only, the law collapses (E ≈ 0.07, alpha ≈ 0.08), while the full
//!   data gives E = 1.817, alpha = 0.347.

mod common;
use common::cli_json;

use scaling_calc::engine::backtest::{
    backtest, rank, rollout_cuts, verdicts, BacktestError, Verdict,
};
use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::fit::FitOptions;
use scaling_calc::engine::law::{ModelId, Variable};
use scaling_calc::engine::presets::{chinchilla_runs_epoch, OLMO_LADDER_CSV};
use scaling_calc::engine::reach::{reach, Reach};
use std::process::Command;

/// The data's percentages are printed to one decimal; our fit of the ladder lies within
/// 6e-4 of SciPy's predictions (tests/olmo.rs).
const PERCENT_TOLERANCE: f64 = 0.12;

#[test]
fn the_ladder_predicts_its_7b_and_13b_models_as_the_reference_does() {
    let data = parse_dataset(OLMO_LADDER_CSV).unwrap();
    let options = FitOptions::new(ModelId::Chinchilla, Variable::N);
    let result = backtest(&data, &options, Variable::N, Some(1.3e9)).unwrap();
    assert_eq!(result.cuts.len(), 1);
    let cut = &result.cuts[0];
    assert_eq!((cut.n_train, cut.n_test), (24, 2));
    let errors: Vec<f64> = cut
        .predictions
        .iter()
        .map(|p| 100.0 * (p.predicted / p.actual - 1.0))
        .collect();
    for (got, want) in errors.iter().zip([-1.1, -2.8]) {
        assert!((got - want).abs() < PERCENT_TOLERANCE, "{errors:?}");
    }
    // Optimistic: a negative bias, and worse the further out.
    assert!(cut.bias < 0.0);
    assert!(errors[1] < errors[0]);
    assert!((cut.worst - errors[1].abs() / 100.0).abs() < 1e-12);
}

#[test]
fn the_command_line_prints_the_contract_json() {
    let json = cli_json(&[
        "backtest",
        "data/olmo_ladder.csv",
        "--model",
        "chinchilla",
        "--by",
        "N",
        "--cut",
        "1.3e9",
        "--json",
    ]);
    assert_eq!(json["model"], "chinchilla");
    assert_eq!(json["by"], "N");
    let cut = &json["cuts"][0];
    assert_eq!(cut["n_train"], 24);
    assert_eq!(cut["n_test"], 2);
    let predictions = cut["predictions"].as_array().unwrap();
    let rows: Vec<u64> = predictions
        .iter()
        .map(|p| p["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [26, 27], "rows numbered as in the data text");
    let actual = predictions[1]["actual"].as_f64().unwrap();
    let predicted = predictions[1]["predicted"].as_f64().unwrap();
    assert!((100.0 * (predicted / actual - 1.0) + 2.8).abs() < PERCENT_TOLERANCE);
    for key in ["rmsle", "bias", "are", "worst"] {
        assert!(cut[key].as_f64().unwrap().is_finite(), "{key}");
    }
    assert!(cut["params"]["E"].as_f64().unwrap() > 0.0);
    assert!(json["summary"]["mean_rmsle"].as_f64().unwrap() > 0.0);
}

#[test]
fn the_chinchilla_rollout_shows_the_collapse_at_small_compute() {
    let data = parse_dataset(&chinchilla_runs_epoch()).unwrap();
    let options = FitOptions::new(ModelId::Chinchilla, Variable::N);
    let early = backtest(&data, &options, Variable::C, Some(1e19)).unwrap();
    let params = early.cuts[0].fitted.as_ref().unwrap();
    let (e, alpha) = (params[0], params[3]);
    assert!(e < 0.5 && alpha < 0.15, "E {e}, alpha {alpha}: no collapse");
    // The full rollout: every cut predicts the larger runs; the early ones worst.
    let rollout = backtest(&data, &options, Variable::C, None).unwrap();
    assert!(rollout.cuts.len() >= 4, "{} cuts", rollout.cuts.len());
    let summary = rollout.summary.unwrap();
    assert_eq!(summary.fitted, summary.tried);
    let last = rollout.cuts.last().unwrap();
    assert!(last.rmsle < rollout.cuts[0].rmsle);
}

#[test]
fn a_rollout_cuts_between_groups_of_runs() {
    // Four sizes with two runs each: a cut after each of the first three sizes.
    let text = "N,L\n1e6,4\n1e6,4.1\n1e7,3\n1e7,3.1\n1e8,2.5\n1e8,2.4\n1e9,2\n1e9,2.1\n";
    let data = parse_dataset(text).unwrap();
    assert_eq!(rollout_cuts(&data, Variable::N), [1e6, 1e7, 1e8]);
    // Every run its own size: half-decades (1e6, 2e6 | 4e6 | 1e7, 2e7 | 5e7).
    let text = "N,L\n1e6,4\n2e6,3.8\n4e6,3.5\n1e7,3\n2e7,2.9\n5e7,2.7\n";
    let data = parse_dataset(text).unwrap();
    assert_eq!(rollout_cuts(&data, Variable::N), [2e6, 4e6, 2e7]);
}

#[test]
fn a_backtest_says_why_it_cannot_be_made() {
    let data = parse_dataset("N,L\n1e6,4\n1e7,3\n1e8,2.5\n").unwrap();
    let options = FitOptions::new(ModelId::Power, Variable::N);
    assert_eq!(
        backtest(&data, &options, Variable::D, None),
        Err(BacktestError::NoColumn(Variable::D))
    );
    assert_eq!(
        backtest(&data, &options, Variable::N, Some(1e9)),
        Err(BacktestError::EmptySide { train: 3, test: 0 })
    );
    let same = parse_dataset("N,L\n1e6,4\n1e6,3\n").unwrap();
    assert_eq!(
        backtest(&same, &options, Variable::N, None),
        Err(BacktestError::OneGroup)
    );
}

#[test]
fn every_form_the_data_can_take_is_ranked() {
    let data = parse_dataset(OLMO_LADDER_CSV).unwrap();
    let options = FitOptions::new(ModelId::Chinchilla, Variable::N);
    let ranking = rank(&data, &options, Variable::N, Some(1.3e9), false).unwrap();
    for model in [
        ModelId::Power,
        ModelId::PowerOffset,
        ModelId::Chinchilla,
        ModelId::Multiplicative,
    ] {
        assert!(ranking.order.contains(&model), "{model} not ranked");
    }
    assert_eq!(ranking.order.len(), ranking.laws.len());
    let rmsle = |m: ModelId| {
        ranking
            .laws
            .iter()
            .find(|b| b.model == m)
            .and_then(|b| b.summary)
            .map_or(f64::INFINITY, |s| s.mean_rmsle)
    };
    for pair in ranking.order.windows(2) {
        assert!(rmsle(pair[0]) <= rmsle(pair[1]), "{:?}", ranking.order);
    }
}

#[test]
fn the_chinchilla_rollouts_say_in_words_that_small_runs_mislead() {
    let data = parse_dataset(&chinchilla_runs_epoch()).unwrap();
    let options = FitOptions::new(ModelId::Chinchilla, Variable::N);
    for by in [Variable::N, Variable::C] {
        let ranking = rank(&data, &options, by, None, false).unwrap();
        let said = verdicts(&ranking, ModelId::Chinchilla);
        eprintln!("by {}: {said:?}", by.symbol());
        assert!(
            matches!(said.first(), Some(Verdict::Best { .. })),
            "the best form first: {said:?}"
        );
        if by == Variable::N {
            // Fitted on the smaller models, the law turns optimistic on the largest ones.
            assert!(
                said.iter()
                    .any(|v| matches!(v, Verdict::Leans { bias, .. } if *bias < 0.0)),
                "optimistic drift: {said:?}"
            );
        } else {
            // Fitted on the runs of least compute, it collapses.
            assert!(
                said.iter()
                    .any(|v| matches!(v, Verdict::EarlyCutsMislead { .. })),
                "the collapse of the early cuts: {said:?}"
            );
        }
    }
}

#[test]
fn a_prediction_says_how_many_decades_out_it_is() {
    // The GPT-2 checkpoints: 124M to 1558M parameters.
    let data = parse_dataset("N,L\n124M,3.12\n350M,2.84\n774M,2.67\n1558M,2.54\n").unwrap();
    match reach(&data, Variable::N, 175e9) {
        Some(Reach::Beyond {
            decades, largest, ..
        }) => {
            assert_eq!(largest, 1558e6);
            assert!((decades - (175e9_f64 / 1558e6).log10()).abs() < 1e-12);
            assert!((decades - 2.05).abs() < 0.01, "{decades}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(reach(&data, Variable::N, 500e6), None, "inside the runs");
    assert!(matches!(
        reach(&data, Variable::N, 12e6),
        Some(Reach::Below { decades, .. }) if (decades - 1.0142).abs() < 1e-4
    ));
    assert_eq!(reach(&data, Variable::D, 1e12), None, "no D in the runs");
}

/// How far out a backtest tested the law: the OLMo cut at 1.3e9 held out the 13B model,
/// log10(13.2e9 / 1.3e9) = 1.007 decades past the cut (model size from data/olmo_ladder.csv).
#[test]
fn a_backtest_says_how_far_out_it_tested() {
    let out = Command::new(env!("CARGO_BIN_EXE_scaling-calc"))
        .args([
            "backtest",
            "data/olmo_ladder.csv",
            "--model",
            "chinchilla",
            "--cut",
            "1.3e9",
            "--json",
        ])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tested = json["tested_decades"].as_f64().unwrap();
    let want = (13_202_396_160f64 / 1.3e9).log10();
    assert!((tested - want).abs() < 1e-12, "{tested} against {want}");
}
