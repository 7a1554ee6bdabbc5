#![cfg(not(target_arch = "wasm32"))]
//! The two intervals around a prediction (engine::fit::prediction): the mean curve's, and one
//! new run's, against textbook least squares for a line in logs.
//!
//! Source: reference/prediction_numpy.py (numpy least squares, scipy.stats.t quantiles; committed
//! output reference/prediction_numpy.json). The calculator reaches the same numbers by another
//! route: the delta method from its standard errors and correlations, and its residual scale.

mod common;
use common::rel;

use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::fit::bootstrap::bootstrap;
use scaling_calc::engine::fit::prediction::{held_out, mean_interval, one_run_interval, t_975};
use scaling_calc::engine::fit::{fit, problem_of, FitOptions};
use scaling_calc::engine::law::{Inputs, ModelId, Variable};
use serde_json::Value;

const REFERENCE: &str = include_str!("../reference/prediction_numpy.json");

/// Interval ends, relative: the two routes are exact for a line (seen: 1e-12 or better).
const INTERVAL_AGREEMENT: f64 = 1e-9;
/// t quantiles: the table to the last digit up to 30 degrees of freedom, the Cornish–Fisher
/// expansion beyond (2e-8 at 30, less after).
const QUANTILE_AGREEMENT: f64 = 2e-8;

#[test]
fn t_quantiles_match_scipy() {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    for (dof, want) in reference["t_975"].as_object().unwrap() {
        let got = t_975(dof.parse().unwrap());
        let want = want.as_f64().unwrap();
        assert!(
            rel(got, want) < QUANTILE_AGREEMENT,
            "t({dof}) = {got}, SciPy {want}"
        );
    }
    assert!(t_975(0).is_infinite());
}

#[test]
fn mean_and_one_run_intervals_match_least_squares_theory() {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    for name in ["gpt2", "generated"] {
        let case = &reference[name];
        let data = parse_dataset(case["text"].as_str().unwrap()).unwrap();
        let result = fit(&data, &FitOptions::new(ModelId::Power, Variable::N)).unwrap();
        assert_eq!(result.dof as u64, case["dof"].as_u64().unwrap());
        let scale = case["residual_scale"].as_f64().unwrap();
        assert!(rel(result.residual_scale.unwrap(), scale) < INTERVAL_AGREEMENT);
        for target in case["targets"].as_array().unwrap() {
            let at = Inputs::single(Variable::N, target["at"].as_f64().unwrap());
            let pair = |v: &Value| (v[0].as_f64().unwrap(), v[1].as_f64().unwrap());
            let (mean, run) = (pair(&target["mean"]), pair(&target["one_run"]));
            let got_mean = mean_interval(&result, &at).unwrap();
            let got_run = one_run_interval(&result, &at, None).unwrap();
            for (got, want, what) in [
                (got_mean.0, mean.0, "mean lo"),
                (got_mean.1, mean.1, "mean hi"),
                (got_run.0, run.0, "one run lo"),
                (got_run.1, run.1, "one run hi"),
            ] {
                assert!(
                    rel(got, want) < INTERVAL_AGREEMENT,
                    "{name} at {}: {what} {got}, numpy {want}",
                    target["at"]
                );
            }
            // One run's interval always holds the mean's.
            assert!(got_run.0 < got_mean.0 && got_mean.1 < got_run.1);
        }
    }
}

/// With many runs the mean's interval narrows, one run's stays as wide as the runs' scatter:
/// the distinction the page states in words.
#[test]
fn one_runs_interval_does_not_shrink_with_more_runs() {
    let width = |count: usize| {
        let mut text = String::from("N,L\n");
        for i in 0..count {
            let n = 10f64.powf(6.0 + 4.0 * i as f64 / (count - 1) as f64);
            // ±3 % alternating scatter, deterministic.
            let noise = if i % 2 == 0 { 1.03 } else { 1.0 / 1.03 };
            text += &format!("{n},{}\n", 400.0 * n.powf(-0.3) * noise);
        }
        let data = parse_dataset(&text).unwrap();
        let result = fit(&data, &FitOptions::new(ModelId::Power, Variable::N)).unwrap();
        let at = Inputs::single(Variable::N, 1e8);
        let (m, r) = (
            mean_interval(&result, &at).unwrap(),
            one_run_interval(&result, &at, None).unwrap(),
        );
        ((m.1 / m.0).ln(), (r.1 / r.0).ln())
    };
    let (few_mean, few_run) = width(8);
    let (many_mean, many_run) = width(200);
    assert!(many_mean < few_mean / 3.0, "{many_mean} vs {few_mean}");
    // ln-width of one run tends to 2 · 1.96 · 0.0296 (the scatter), not to zero.
    assert!(many_run > 0.11 && many_run < 0.13, "{many_run}");
    assert!(few_run > many_run);
}

/// With a bootstrap the mean's part comes from the resamples: close to the delta method here.
#[test]
fn the_bootstrap_gives_a_one_run_interval_close_to_the_delta_methods() {
    let reference: Value = serde_json::from_str(REFERENCE).unwrap();
    let data = parse_dataset(reference["generated"]["text"].as_str().unwrap()).unwrap();
    let options = FitOptions::new(ModelId::Power, Variable::N);
    let result = fit(&data, &options).unwrap();
    let problem = problem_of(&data, &options).unwrap();
    let boot = bootstrap(&problem, &options.loss, &result, 400, 3);
    let at = Inputs::single(Variable::N, 1e12);
    let delta = one_run_interval(&result, &at, None).unwrap();
    let resampled = one_run_interval(&result, &at, Some(&boot)).unwrap();
    let (wd, wb) = ((delta.1 / delta.0).ln(), (resampled.1 / resampled.0).ln());
    assert!((wb / wd - 1.0).abs() < 0.25, "bootstrap {wb}, delta {wd}");
}

/// Rows left out of a fit (`#`) are predicted, each with one run's interval, its error and how
/// far past the fitted runs it lies. The numbers come from the functions checked against NumPy
/// above.
#[test]
fn held_out_rows_are_predicted_with_their_interval_and_reach() {
    let law = |n: f64| 400.0 * n.powf(-0.3);
    let mut text = String::from("N,L\n");
    for i in 0..12 {
        let n = 10f64.powf(6.0 + 3.0 * i as f64 / 11.0);
        let noise = if i % 2 == 0 { 1.02 } else { 1.0 / 1.02 };
        text += &format!("{n},{}\n", law(n) * noise);
    }
    // Line 14: on the law, a decade past the largest run; line 15: 30 % above it, inside the
    // range.
    text += &format!("#1e10,{}\n#1e7,{}\n", law(1e10), 1.3 * law(1e7));
    let data = parse_dataset(&text).unwrap();
    let result = fit(&data, &FitOptions::new(ModelId::Power, Variable::N)).unwrap();
    let (checks, all) = held_out(&result, &data, None, usize::MAX);
    assert_eq!(all, 2);
    assert_eq!(checks.iter().map(|h| h.row).collect::<Vec<_>>(), [14, 15]);
    // At most one: the furthest out along N (line 14, at 1e10), of the two.
    let (furthest, all) = held_out(&result, &data, None, 1);
    assert_eq!((furthest.len(), all), (1, 2));
    assert_eq!(furthest[0], checks[0]);
    for h in &checks {
        let at = Inputs::single(Variable::N, data.points[h.row - 2].n.unwrap());
        assert_eq!(h.predicted, result.law.value(&at).unwrap());
        assert_eq!(h.interval, one_run_interval(&result, &at, None));
        assert!(rel(h.error, h.predicted / h.actual - 1.0) < 1e-12);
    }
    let (far, off) = (&checks[0], &checks[1]);
    assert_eq!(far.inside(), Some(true));
    assert!(far.error.abs() < 0.03, "{}", far.error);
    let decades = far.reach.unwrap().decades();
    assert!(rel(decades, 1.0) < 1e-9, "{decades}");
    assert_eq!(off.inside(), Some(false));
    assert!(rel(off.error, 1.0 / 1.3 - 1.0) < 0.03, "{}", off.error);
    assert!(off.reach.is_none());
}
