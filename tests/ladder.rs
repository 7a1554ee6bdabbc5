#![cfg(not(target_arch = "wasm32"))]
//! The next experiments (engine::plan::ladder): ladders the experiment budget affords, scored by
//! simulation from the law with the runs' noise. No published number to check against: the
//! tests check the budget, the exactness of a noiseless simulation, and the ranking's behaviour.

use scaling_calc::engine::plan::ladder::{propose, LadderOptions};
use scaling_calc::engine::presets;

fn options(noise: f64) -> LadderOptions {
    LadderOptions {
        target_budget: 1e23,
        fraction: 0.01,
        noise,
        k: 6.0,
        simulations: 6,
        seed: 3,
    }
}

#[test]
fn every_ladder_spends_the_experiment_budget() {
    let law = presets::law("hoffmann-2022").unwrap().law();
    let ladders = propose(&law, &options(0.01)).unwrap();
    // 18 candidates, less the four with 3 or 4 runs (chinchilla has five parameters).
    assert_eq!(ladders.len(), 14);
    for l in &ladders {
        assert!((l.flop / 1e21 - 1.0).abs() < 1e-9, "{}", l.flop);
        assert!(l.rungs.len() >= 3);
        let csv = l.csv(6.0);
        assert_eq!(csv.lines().count(), l.rungs.len() + 1);
        assert!(csv.starts_with("N,D,C,tokens_per_param\n"));
    }
    // Best first, each score with its Monte-Carlo standard error.
    for pair in ladders.windows(2) {
        assert!(pair[0].expected_error <= pair[1].expected_error);
    }
    for l in &ladders {
        assert!(
            l.error_spread > 0.0 && l.error_spread < l.expected_error,
            "{l:?}"
        );
    }
}

#[test]
fn without_noise_every_ladder_recovers_the_law() {
    let law = presets::law("hoffmann-2022").unwrap().law();
    let ladders = propose(&law, &options(0.0)).unwrap();
    // Ladders that vary the tokens per parameter pin all five parameters: exact up to the fit's
    // tolerance. (One run per size at a fixed ratio cannot tell A from B: those may miss.)
    for l in ladders.iter().filter(|l| l.rungs.len() > 5) {
        assert!(
            l.expected_error < 1e-4,
            "{} runs: {}",
            l.rungs.len(),
            l.expected_error
        );
        assert_eq!(l.failed, 0);
    }
}

#[test]
fn more_noise_means_a_larger_expected_error() {
    let law = presets::law("hoffmann-2022").unwrap().law();
    let quiet = propose(&law, &options(0.005)).unwrap();
    let noisy = propose(&law, &options(0.05)).unwrap();
    assert!(noisy[0].expected_error > quiet[0].expected_error);
}

#[test]
fn the_command_line_proposes_and_exports_the_best_ladder() {
    let run = |extra: &[&str]| {
        let mut args = vec![
            "ladder",
            "--law",
            "hoffmann-2022",
            "--budget",
            "1e23",
            "--simulations",
            "4",
        ];
        args.extend(extra);
        std::process::Command::new(env!("CARGO_BIN_EXE_scaling-calc"))
            .args(&args)
            .output()
            .unwrap()
    };
    let out = run(&["--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ladders = json["ladders"].as_array().unwrap();
    assert_eq!(ladders.len(), 14);
    assert!(
        ladders[0]["expected_error"].as_f64().unwrap()
            <= ladders[1]["expected_error"].as_f64().unwrap()
    );
    let csv = String::from_utf8(run(&["--csv"]).stdout).unwrap();
    assert!(csv.starts_with("N,D,C,tokens_per_param\n"));
    assert_eq!(
        csv.lines().count(),
        ladders[0]["runs"].as_array().unwrap().len() + 1
    );
}

/// An independent check of the simulated score: with noise well inside the Huber loss's
/// quadratic zone (σ = 2e-4 against δ = 1e-3), the refit is least squares on ln L and, to first
/// order in σ, linear in the noise, so the root-mean-square error of ln L at the target is the
/// delta method's σ √(gᵀ (JᵀJ)⁻¹ g), with J = ∂ ln L(rung) / ∂θ and g = ∂ ln L(target) / ∂θ
/// by central differences of the law alone (no fitter). The simulation must agree within its
/// own Monte-Carlo error (three standard errors) plus 5 % for the linearisation.
#[test]
fn the_simulated_score_matches_the_delta_method() {
    use nalgebra::{DMatrix, DVector};
    use scaling_calc::engine::law::Law;
    use scaling_calc::engine::plan::{compute_optimal, predict_nd};
    let law = presets::law("hoffmann-2022").unwrap().law();
    let sigma = 2e-4;
    let mut opts = options(sigma);
    opts.simulations = 60;
    let target = compute_optimal(&law, opts.target_budget, opts.k).unwrap();
    // ∂ ln L(n, d) / ∂θ_j by central differences, relative steps.
    let gradient = |n: f64, d: f64| -> Vec<f64> {
        (0..law.params.len())
            .map(|j| {
                let h = 1e-5 * law.params[j].abs();
                let at = |step: f64| {
                    let mut params = law.params.clone();
                    params[j] += step;
                    let moved = Law::new(law.model, law.x, params).unwrap();
                    predict_nd(&moved, n, d, opts.k).unwrap().ln()
                };
                (at(h) - at(-h)) / (2.0 * h)
            })
            .collect()
    };
    let ladders = propose(&law, &opts).unwrap();
    // The two best ladders that vary tokens per parameter (the others leave A and B unpinned,
    // where the linearisation does not hold).
    let checked: Vec<_> = ladders
        .iter()
        .filter(|l| l.rungs.len() > 5)
        .take(2)
        .collect();
    assert_eq!(checked.len(), 2);
    for ladder in checked {
        let p = law.params.len();
        let rows: Vec<f64> = ladder
            .rungs
            .iter()
            .flat_map(|r| gradient(r.n, r.d))
            .collect();
        let j = DMatrix::from_row_slice(ladder.rungs.len(), p, &rows);
        let g = DVector::from_vec(gradient(target.n, target.d));
        let information = j.transpose() * &j;
        let variance = g.dot(&(information.lu().solve(&g).unwrap()));
        let delta_method = sigma * variance.sqrt();
        let simulated = ladder.expected_error;
        println!(
            "{} runs: simulated {simulated:.3e} ± {:.1e}, delta method {delta_method:.3e}",
            ladder.rungs.len(),
            ladder.error_spread
        );
        assert_eq!(ladder.failed, 0);
        assert!(
            (simulated - delta_method).abs() < 3.0 * ladder.error_spread + 0.05 * delta_method,
            "simulated {simulated} ± {} against {delta_method}",
            ladder.error_spread
        );
    }
}
