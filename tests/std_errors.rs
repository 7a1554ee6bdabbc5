#![cfg(not(target_arch = "wasm32"))]
//! Standard errors and correlations of a fit against an independent SciPy computation.
//!
//! Source: reference/std_errors.py (scipy.optimize.curve_fit, method "lm", analytic Jacobian in
//! the natural parameters, absolute_sigma=False: Cov = s² (JᵀJ)⁻¹ with s² = RSS / (m − k)), whose
//! output is committed as reference/std_errors.json together with the data text of each case.
//! The calculator fits internal parameters (ln A, …) and carries the covariance to natural
//! units by the delta method; for this linearised theory that equals the covariance of the
//! natural parametrisation, so the two must agree to the precision of the two optima.
//!
//! `multiplicative` with fewer than three regressors holds the unused exponents at 0: its
//! standard errors are taken over the free parameters and checked against the normal
//! equations of its log-space regression (and, on N alone, against `power`).

mod common;
use common::{numbers, rel};

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
            constraints: Default::default(),
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

/// `multiplicative` against the textbook regression: the same numbers by normal equations.
const REGRESSION_AGREEMENT: f64 = 1e-9;

/// L = 12 N^-0.07 D^-0.05 times a deterministic wobble of up to ±1 %, on a 4 × 4 grid.
fn noisy_n_d_text() -> String {
    let mut text = String::from("N,D,L\n");
    for i in 0..4 {
        for j in 0..4 {
            let n = 1e7 * 10f64.powi(i);
            let d = n * 5.0 * 3f64.powi(j);
            let wobble = 1.0 + 0.01 * ((7 * i + 3 * j) as f64).sin();
            let l = 12.0 * n.powf(-0.07) * d.powf(-0.05) * wobble;
            text.push_str(&format!("{n:e},{d:e},{l:e}\n"));
        }
    }
    text
}

#[test]
fn multiplicative_with_two_regressors_has_standard_errors_and_a_fixed_c() {
    use nalgebra::{DMatrix, DVector};
    let text = noisy_n_d_text();
    let data = parse_dataset(&text).unwrap();
    let result = fit(
        &data,
        &FitOptions::new(ModelId::Multiplicative, Variable::N),
    )
    .unwrap();
    // C is derived, not a regressor: its exponent is fixed at 0, known exactly.
    assert_eq!(result.law.param("c"), Some(0.0));
    let se = result
        .std_errors
        .as_ref()
        .expect("standard errors with two regressors");
    assert_eq!(se[3], 0.0, "c is fixed");

    // Ordinary least squares of ln L on [1, ln N, ln D]: Cov = s² (XᵀX)⁻¹, s² = RSS / (m − 3).
    let rows: Vec<(f64, f64, f64)> = text
        .lines()
        .skip(1)
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|c| c.parse().unwrap()).collect();
            (v[0].ln(), v[1].ln(), v[2].ln())
        })
        .collect();
    let m = rows.len();
    let x = DMatrix::from_fn(m, 3, |r, c| match c {
        0 => 1.0,
        1 => rows[r].0,
        _ => rows[r].1,
    });
    let y = DVector::from_fn(m, |r, _| rows[r].2);
    let inverse = (x.transpose() * &x).try_inverse().unwrap();
    let beta = &inverse * x.transpose() * &y;
    let rss = (&x * &beta - &y).norm_squared();
    let cov = inverse * (rss / (m - 3) as f64);
    let k = beta[0].exp();
    let want = [
        k * cov[(0, 0)].sqrt(),
        cov[(1, 1)].sqrt(),
        cov[(2, 2)].sqrt(),
    ];
    for (name, (got, want)) in ["k", "a", "b"].iter().zip(se.iter().zip(want)) {
        assert!(
            rel(*got, want) < REGRESSION_AGREEMENT,
            "se({name}): got {got}, regression {want}"
        );
    }
    let corr = result.correlation.as_ref().unwrap();
    let want_ab = cov[(1, 2)] / (cov[(1, 1)] * cov[(2, 2)]).sqrt();
    assert!((corr[4 + 2] - want_ab).abs() < REGRESSION_AGREEMENT);
    assert_eq!(corr[3 * 4 + 3], 1.0);
    for i in 0..3 {
        assert_eq!(corr[i * 4 + 3], 0.0);
        assert_eq!(corr[3 * 4 + i], 0.0);
    }
}

#[test]
fn multiplicative_of_n_alone_has_the_standard_errors_of_power() {
    let data = parse_dataset("N,L\n124M,3.12\n350M,2.84\n774M,2.67\n1558M,2.54\n").unwrap();
    let of = |model| fit(&data, &FitOptions::new(model, Variable::N)).unwrap();
    let (power, multiplicative) = (of(ModelId::Power), of(ModelId::Multiplicative));
    let (p, m) = (
        power.std_errors.unwrap(),
        multiplicative
            .std_errors
            .expect("standard errors with one regressor"),
    );
    // k = A, a = alpha; b and c are fixed at 0.
    assert!(rel(m[0], p[0]) < REGRESSION_AGREEMENT, "{m:?} {p:?}");
    assert!(rel(m[1], p[1]) < REGRESSION_AGREEMENT, "{m:?} {p:?}");
    assert_eq!(&m[2..], &[0.0, 0.0]);
}
