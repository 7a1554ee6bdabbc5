#![cfg(not(target_arch = "wasm32"))]
//! Fixed and tied parameters (`--fix E=1.69`, `--tie alpha=beta`) against SciPy.
//!
//! Source: reference/constraints_scipy.py, which writes each constrained model in numpy with the
//! constraint built into the function it minimises (a tied pair is one parameter, a fixed one a
//! constant), committed as reference/constraints_scipy.json: L-BFGS-B multi-starts for the Huber
//! fits on Epoch's Chinchilla points, scipy.optimize.curve_fit for the standard errors.

mod common;
use common::{numbers, rel};

use scaling_calc::engine::backtest::{backtest, rank};
use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::fit::bootstrap::bootstrap;
use scaling_calc::engine::fit::diagnostics::Warning;
use scaling_calc::engine::fit::objective::objective_and_gradient;
use scaling_calc::engine::fit::{
    fit, problem_of, ConstraintError, Constraints, FitError, FitOptions, Loss,
};
use scaling_calc::engine::law::{ModelId, Variable};
use scaling_calc::engine::presets::chinchilla_runs_epoch;
use scaling_calc::text::{Lang, Render};
use serde_json::Value;

const REFERENCE: &str = include_str!("../reference/constraints_scipy.json");

/// Our objective may be lower than SciPy's best, never higher by more than this (relative).
const OBJECTIVE_TOLERANCE: f64 = 1e-6;
/// The well-determined parameters (E, exponents), relative.
const SHAPE_TOLERANCE: f64 = 1e-4;
/// A and B, weakly determined on these points (data/README.md), relative.
const SCALE_TOLERANCE: f64 = 2e-3;
/// Least-squares parameters and standard errors against curve_fit, relative (both optima are
/// tight: the same agreement tests/std_errors.rs asks of the free fits).
const LEAST_SQUARES_AGREEMENT: f64 = 1e-6;

fn case(name: &str) -> Value {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    reference[name].clone()
}

fn chinchilla(fix: &str, tie: &str) -> FitOptions {
    let mut options = FitOptions::new(ModelId::Chinchilla, Variable::N);
    options.constraints = Constraints::parse(fix, tie).unwrap();
    options
}

fn tolerance(name: &str) -> f64 {
    if name == "A" || name == "B" {
        SCALE_TOLERANCE
    } else {
        SHAPE_TOLERANCE
    }
}

/// The fit's objective is at most SciPy's (within [`OBJECTIVE_TOLERANCE`]) and its
/// parameters match SciPy's within their tolerances.
fn matches_scipy(result: &scaling_calc::engine::fit::Fit, reference: &Value) {
    let want_objective = reference["objective"].as_f64().unwrap();
    assert!(
        result.objective <= want_objective * (1.0 + OBJECTIVE_TOLERANCE),
        "objective {} against SciPy's {want_objective}",
        result.objective
    );
    for (name, want) in reference["names"]
        .as_array()
        .unwrap()
        .iter()
        .zip(numbers(&reference["params"]))
    {
        let name = name.as_str().unwrap();
        let got = result.law.param(name).unwrap();
        assert!(
            rel(got, want) < tolerance(name),
            "{name}: {got} against SciPy's {want}"
        );
    }
}

#[test]
fn alpha_tied_to_beta_matches_scipy_on_the_chinchilla_points() {
    let reference = case("tie-chinchilla-huber");
    let data = parse_dataset(&chinchilla_runs_epoch()).unwrap();
    let result = fit(&data, &chinchilla("", "alpha=beta")).unwrap();
    assert_eq!(result.law.param("alpha"), result.law.param("beta"));
    matches_scipy(&result, &reference);
    // Tied parameters move as one: no "correlated" warning for the pair.
    assert!(result.warnings.iter().all(|w| !matches!(
        w,
        Warning::Correlated { a, b, .. } if a == "alpha" && b == "beta"
    )));
}

#[test]
fn e_held_fixed_matches_scipy_on_the_chinchilla_points() {
    let reference = case("fix-e-chinchilla-huber");
    let data = parse_dataset(&chinchilla_runs_epoch()).unwrap();
    let result = fit(&data, &chinchilla("E=1.69", "")).unwrap();
    assert!(rel(result.law.param("E").unwrap(), 1.69) < 1e-12);
    matches_scipy(&result, &reference);
    // A fixed parameter is known exactly: standard error 0.
    let e = ModelId::Chinchilla
        .param_names()
        .iter()
        .position(|n| *n == "E")
        .unwrap();
    assert_eq!(result.std_errors.as_ref().unwrap()[e], 0.0);
}

#[test]
fn standard_errors_of_a_tied_fit_match_curve_fit() {
    let reference = case("tie-chinchilla-std-errors");
    let data = parse_dataset(reference["text"].as_str().unwrap()).unwrap();
    let mut options = chinchilla("", "alpha=beta");
    options.loss = Loss::LeastSquares;
    let result = fit(&data, &options).unwrap();
    let names = ModelId::Chinchilla.param_names();
    let se = result.std_errors.clone().unwrap();
    for ((name, want), want_se) in reference["names"]
        .as_array()
        .unwrap()
        .iter()
        .zip(numbers(&reference["params"]))
        .zip(numbers(&reference["std_errors"]))
    {
        let name = name.as_str().unwrap();
        let i = names.iter().position(|n| *n == name).unwrap();
        assert!(
            rel(result.law.params[i], want) < LEAST_SQUARES_AGREEMENT,
            "{name}: {} against {want}",
            result.law.params[i]
        );
        assert!(
            rel(se[i], want_se) < LEAST_SQUARES_AGREEMENT,
            "se of {name}: {} against {want_se}",
            se[i]
        );
    }
    let (alpha, beta) = (3, 4);
    assert_eq!(se[alpha], se[beta]);
    let corr = result.correlation.unwrap();
    assert!((corr[alpha * names.len() + beta] - 1.0).abs() < 1e-9);
}

/// The gradient of the objective in the solvers' reduced vector, against central differences.
#[test]
fn the_reduced_gradient_matches_finite_differences() {
    let data = parse_dataset(&chinchilla_runs_epoch()).unwrap();
    for (fix, tie) in [("E=1.7", ""), ("", "alpha=beta"), ("A=400", "alpha=beta")] {
        for loss in [Loss::LeastSquares, Loss::Huber { delta: 1e-3 }] {
            let mut options = chinchilla(fix, tie);
            options.loss = loss;
            let problem = problem_of(&data, &options).unwrap();
            let phi = problem.from_natural(&[1.8, 450.0, 2000.0, 0.34, 0.36]);
            assert_eq!(phi.len(), problem.dim());
            let mut gradient = vec![0.0; phi.len()];
            objective_and_gradient(&problem, &loss, &phi, &mut gradient);
            for i in 0..phi.len() {
                let h = 1e-6 * phi[i].abs().max(1.0);
                let at = |step: f64| {
                    let mut moved = phi.clone();
                    moved[i] += step;
                    let mut ignored = vec![0.0; phi.len()];
                    objective_and_gradient(&problem, &loss, &moved, &mut ignored)
                };
                let numeric = (at(h) - at(-h)) / (2.0 * h);
                assert!(
                    (gradient[i] - numeric).abs() <= 1e-5 * numeric.abs().max(1e-6),
                    "{fix} {tie} {loss:?} entry {i}: {} against {numeric}",
                    gradient[i]
                );
            }
        }
    }
}

#[test]
fn a_bootstrap_keeps_what_the_fit_held() {
    let data = parse_dataset(&chinchilla_runs_epoch()).unwrap();
    let options = chinchilla("E=1.69", "alpha=beta");
    let result = fit(&data, &options).unwrap();
    let problem = problem_of(&data, &options).unwrap();
    let boot = bootstrap(&problem, &options.loss, &result, 40, 7);
    assert!(boot.samples.len() >= 38, "{} of 40", boot.samples.len());
    for p in &boot.samples {
        assert!(rel(p[0], 1.69) < 1e-12, "E moved to {}", p[0]);
        assert_eq!(p[3], p[4]);
    }
    // And the intervals of A do spread: the resamples were refitted.
    let (lo, hi) = boot.interval(1, 0.95).unwrap();
    assert!(hi > lo);
}

#[test]
fn backtests_fit_every_cut_with_the_constraints() {
    let data = parse_dataset(&chinchilla_runs_epoch()).unwrap();
    let options = chinchilla("", "alpha=beta");
    let b = backtest(&data, &options, Variable::N, None).unwrap();
    assert_eq!(b.constraints, options.constraints);
    let names = ModelId::Chinchilla.param_names();
    let (alpha, beta) = (
        names.iter().position(|n| *n == "alpha").unwrap(),
        names.iter().position(|n| *n == "beta").unwrap(),
    );
    let fitted: Vec<&Vec<f64>> = b
        .cuts
        .iter()
        .filter_map(|c| c.fitted.as_ref().ok())
        .collect();
    assert!(fitted.len() >= 3);
    for p in fitted {
        assert_eq!(p[alpha], p[beta]);
    }
    // A ranking ties alpha = beta in every form that has both, and fits the others free.
    let ranking = rank(&data, &options, Variable::N, None, false).unwrap();
    for law in &ranking.laws {
        let has_both = ["alpha", "beta"]
            .iter()
            .all(|n| law.model.param_names().contains(n));
        assert_eq!(!law.constraints.is_empty(), has_both, "{}", law.model);
    }
}

/// Which error a case expects.
type Expected = fn(&ConstraintError) -> bool;

#[test]
fn constraints_the_form_or_data_cannot_take_are_errors_in_words() {
    let data = parse_dataset(&chinchilla_runs_epoch()).unwrap();
    let cases: Vec<(&str, &str, ModelId, Expected)> = vec![
        ("gamma=1", "", ModelId::Chinchilla, |e| {
            matches!(e, ConstraintError::UnknownParam { .. })
        }),
        ("", "alpha=delta", ModelId::Chinchilla, |e| {
            matches!(e, ConstraintError::UnknownParam { .. })
        }),
        ("", "A=alpha", ModelId::Chinchilla, |e| {
            matches!(e, ConstraintError::CannotTie { .. })
        }),
        ("A=-3", "", ModelId::Chinchilla, |e| {
            matches!(e, ConstraintError::NotPositive { .. })
        }),
        ("E=9", "", ModelId::PowerOffset, |e| {
            matches!(e, ConstraintError::AboveSmallest { .. })
        }),
        ("beta=0.3", "alpha=beta", ModelId::Chinchilla, |e| {
            matches!(e, ConstraintError::Twice { .. })
        }),
        ("", "alpha=alpha", ModelId::Chinchilla, |e| {
            matches!(e, ConstraintError::Twice { .. })
        }),
        (
            "E=1.7,A=400,B=400,alpha=0.3,beta=0.3",
            "",
            ModelId::Chinchilla,
            |e| matches!(e, ConstraintError::NothingFree),
        ),
    ];
    for (fix, tie, model, expected) in cases {
        let mut options = FitOptions::new(model, Variable::N);
        options.constraints = Constraints::parse(fix, tie).unwrap();
        match fit(&data, &options) {
            Err(FitError::Constraint(e)) => {
                assert!(expected(&e), "{fix} {tie}: {e:?}");
                for lang in [Lang::En, Lang::ZhHant] {
                    assert!(!e.render(lang).is_empty());
                }
            }
            other => panic!("{fix} {tie}: {other:?}"),
        }
    }
    for (fix, tie) in [("E", ""), ("E=", ""), ("E=abc", ""), ("", "alpha")] {
        let e = Constraints::parse(fix, tie).unwrap_err();
        assert!(
            matches!(
                e,
                ConstraintError::Syntax { .. } | ConstraintError::BadValue { .. }
            ),
            "{fix} {tie}: {e:?}"
        );
    }
}

#[test]
fn constraints_read_and_write_as_the_command_line_does() {
    let c = Constraints::parse(" E = 1.69 ; alpha=0.3", "alpha=beta").unwrap();
    assert_eq!(c.fix_text(), "E=1.69,alpha=0.3");
    assert_eq!(c.tie_text(), "alpha=beta");
    assert_eq!(Constraints::parse(&c.fix_text(), &c.tie_text()).unwrap(), c);
    assert!(Constraints::parse("", "").unwrap().is_empty());
    // Names match ignoring case when only one parameter has that name.
    let data = parse_dataset(&chinchilla_runs_epoch()).unwrap();
    let mut options = chinchilla("e=1.69", "ALPHA=Beta");
    options.loss = Loss::LeastSquares;
    let result = fit(&data, &options).unwrap();
    assert!(rel(result.law.param("E").unwrap(), 1.69) < 1e-12);
    assert_eq!(result.law.param("alpha"), result.law.param("beta"));
}
