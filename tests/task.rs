#![cfg(not(target_arch = "wasm32"))]
//! The two-step task prediction (engine::task) on the OLMo ladder's HellaSwag columns, against
//! SciPy on the same recipe (reference/task_chain_scipy.py, committed output
//! reference/task_chain_scipy.json): task loss by the Chinchilla form on the 24 ladder runs, the
//! sigmoid from task loss to accuracy, both chained to the held-out 7B-4T and 13B-5T models.

mod common;
use common::{cli_json, rel};

use scaling_calc::engine::law::ModelId;
use scaling_calc::engine::task::{chain, fit_sigmoid, runs_from_table};
use serde_json::Value;

const REFERENCE: &str = include_str!("../reference/task_chain_scipy.json");
const LADDER: &str = include_str!("../data/olmo_ladder.csv");

/// Step 1's objective may be lower than SciPy's, never higher by more than this (relative).
const OBJECTIVE_TOLERANCE: f64 = 1e-6;
/// The sigmoid: both solvers run Levenberg–Marquardt to 1e-15 on the same 24 points.
const SIGMOID_AGREEMENT: f64 = 1e-6;
/// Chained accuracies: step 1's E sits at its bound 0 (the data leaves it undetermined), so
/// the two optima differ along that flat direction; the predictions agree to this (absolute).
const CHAIN_AGREEMENT: f64 = 1e-4;

#[test]
fn hellaswag_chain_matches_scipy_and_reports_its_held_out_error() {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    let runs = runs_from_table(LADDER, "hellaswag_bpb", "hellaswag_acc").unwrap();
    assert_eq!(runs.iter().filter(|r| !r.held_out).count(), 24);
    assert_eq!(runs.iter().filter(|r| r.held_out).count(), 2);
    let result = chain(&runs, ModelId::Chinchilla).unwrap();
    let want = reference["loss_objective"].as_f64().unwrap();
    assert!(
        result.loss_fit.objective <= want * (1.0 + OBJECTIVE_TOLERANCE),
        "step 1 objective {} against SciPy's {want}",
        result.loss_fit.objective
    );
    let s = &reference["sigmoid"];
    for (got, key) in [
        (result.sigmoid.a, "a"),
        (result.sigmoid.k, "k"),
        (result.sigmoid.l0, "l0"),
        (result.sigmoid.b, "b"),
    ] {
        let want = s[key].as_f64().unwrap();
        assert!(rel(got, want) < SIGMOID_AGREEMENT, "{key}: {got} vs {want}");
    }
    let checks = reference["checks"].as_array().unwrap();
    assert_eq!(result.checks.len(), checks.len());
    for (got, want) in result.checks.iter().zip(checks) {
        let acc = want["predicted_accuracy"].as_f64().unwrap();
        assert!(
            (got.predicted_accuracy - acc).abs() < CHAIN_AGREEMENT,
            "{}: {} vs {acc}",
            want["model"],
            got.predicted_accuracy
        );
        assert_eq!(got.accuracy, want["accuracy"].as_f64().unwrap());
        println!(
            "{}: predicted {:.4}, actual {:.4}, error {:+.1} %",
            want["model"],
            got.predicted_accuracy,
            got.accuracy,
            100.0 * got.relative_error()
        );
    }
}

/// Step 1 takes every loss law of N and D alone, and nothing else: a law of one variable or
/// one that needs unique tokens is refused in words.
#[test]
fn step_one_takes_the_laws_of_n_and_d() {
    use scaling_calc::engine::task::{loss_models, TaskError};
    let forms: Vec<ModelId> = loss_models().collect();
    assert!(forms.contains(&ModelId::Chinchilla) && forms.contains(&ModelId::Skaling));
    assert!(!forms.contains(&ModelId::Power) && !forms.contains(&ModelId::DataConstrained));
    let runs = runs_from_table(LADDER, "hellaswag_bpb", "hellaswag_acc").unwrap();
    for model in [
        ModelId::Power,
        ModelId::DataConstrained,
        ModelId::Saturating,
    ] {
        let error = chain(&runs, model).unwrap_err();
        assert_eq!(error, TaskError::NotALawOfNAndD { model });
        assert!(error.to_string().contains("chinchilla"), "{error}");
    }
    // Another form of N and D chains too, and is checked on the same held-out models.
    let other = chain(&runs, ModelId::KaplanJoint).unwrap();
    assert_eq!(other.loss_fit.law.model, ModelId::KaplanJoint);
    assert_eq!(other.checks.len(), 2);
}

#[test]
fn a_sigmoid_through_exact_points_is_recovered() {
    let truth = scaling_calc::engine::task::Sigmoid {
        a: 0.7,
        k: -9.0,
        l0: 0.9,
        b: 0.25,
    };
    let points: Vec<(f64, f64)> = (0..12)
        .map(|i| {
            let l = 0.6 + 0.05 * i as f64;
            (l, truth.at(l))
        })
        .collect();
    let got = fit_sigmoid(&points).unwrap();
    for (g, w) in [
        (got.a, truth.a),
        (got.k, truth.k),
        (got.l0, truth.l0),
        (got.b, truth.b),
    ] {
        assert!(rel(g, w) < 1e-8, "{g} vs {w}");
    }
}

#[test]
fn the_command_line_reports_the_chain_and_its_held_out_error() {
    let json = cli_json(&[
        "task",
        "data/olmo_ladder.csv",
        "--loss-column",
        "hellaswag_bpb",
        "--accuracy-column",
        "hellaswag_acc",
        "--json",
    ]);
    let checks = json["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 2);
    for c in checks {
        assert!(c["relative_error"].as_f64().unwrap().abs() < 0.5);
    }
    assert!(json["notes"][0]
        .as_str()
        .unwrap()
        .contains("do not scale predictably"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scaling-calc"))
        .args([
            "task",
            "data/olmo_ladder.csv",
            "--loss-column",
            "nope",
            "--accuracy-column",
            "hellaswag_acc",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope"));
}
