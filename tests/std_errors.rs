#![cfg(not(target_arch = "wasm32"))]
//! Standard errors and correlations of a fit against an independent SciPy computation.
//!
//! Source: reference/std_errors.py (scipy.optimize.curve_fit, method "lm", analytic Jacobian in
//! the natural parameters, absolute_sigma=False: Cov = s² (JᵀJ)⁻¹ with s² = RSS / (m − k)), whose
//! output is committed as reference/std_errors.json together with the data text of each case.
//! The calculator fits internal parameters (ln A, …) and carries the covariance to natural
//! units by the delta method; for this linearised theory that equals the covariance of the
//! natural parametrisation, so the two must agree to the precision of the two optima.

use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::fit::{fit, FitOptions, Loss, Starts};
use scaling_calc::engine::law::{ModelId, Variable};
use serde_json::Value;

const REFERENCE: &str = include_str!("../reference/std_errors.json");

/// Parameters: the two optima agree to 4e-9 relative or better on these cases (seen).
const PARAM_AGREEMENT: f64 = 1e-7;
/// Standard errors, relative: they depend on the Jacobian at the optimum, so they inherit the
/// optima's small difference (seen: 5e-9 or better).
const SE_AGREEMENT: f64 = 1e-6;
/// Correlations, absolute (seen: 4e-9 or better).
const CORRELATION_AGREEMENT: f64 = 1e-6;

fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn rel(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}

#[test]
fn standard_errors_and_correlations_match_scipy() {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    let cases = reference["cases"].as_array().unwrap();
    assert_eq!(cases.len(), 3);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let model: ModelId = case["model"].as_str().unwrap().parse().unwrap();
        let data = parse_dataset(case["text"].as_str().unwrap()).unwrap();
        let options = FitOptions {
            model,
            x: Variable::N,
            loss: Loss::LeastSquares,
            starts: Starts::Auto,
        };
        let result = fit(&data, &options).unwrap();
        assert_eq!(result.points as u64, case["points"].as_u64().unwrap());
        let names: Vec<&str> = case["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap())
            .collect();
        assert_eq!(names, model.param_names(), "{name}: parameter order");

        for ((n, got), want) in names
            .iter()
            .zip(&result.law.params)
            .zip(numbers(&case["params"]))
        {
            assert!(
                rel(*got, want) < PARAM_AGREEMENT,
                "{name} {n}: got {got}, SciPy {want}"
            );
        }

        let se = result.std_errors.as_ref().expect("standard errors");
        for ((n, got), want) in names.iter().zip(se).zip(numbers(&case["std_errors"])) {
            assert!(
                rel(*got, want) < SE_AGREEMENT,
                "{name} se({n}): got {got}, SciPy {want} (relative {:e})",
                rel(*got, want)
            );
        }

        let k = names.len();
        let corr = result.correlation.as_ref().expect("correlations");
        assert_eq!(corr.len(), k * k);
        for (a, row) in case["correlation"].as_array().unwrap().iter().enumerate() {
            for (b, want) in numbers(row).into_iter().enumerate() {
                let got = corr[a * k + b];
                assert!(
                    (got - want).abs() < CORRELATION_AGREEMENT,
                    "{name} corr({}, {}): got {got}, SciPy {want}",
                    names[a],
                    names[b]
                );
            }
        }
    }
}
