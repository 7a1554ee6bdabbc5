#![cfg(not(target_arch = "wasm32"))]
//! Muennighoff et al. (2023, arXiv 2305.16264), "Scaling Data-Constrained Language Models":
//! the published fit as the law `muennighoff-2023`, against the check values printed in the
//! huggingface/datablations README (its `scaling_law(N, D, U)`, "Models in Figure 1 (right)").

mod common;
use common::cli_json;

use scaling_calc::engine::law::Inputs;
use scaling_calc::engine::presets;
use std::process::Command;

/// The README's check values: (N, D, U) and the loss it prints.
const CHECKS: [((f64, f64, f64), f64); 2] = [
    ((6.34e9, 242e9, 25e9), 2.225_644_088_998_447_7),
    ((8.67e9, 178e9, 25e9), 2.226_963_407_508_786_7),
];
/// Relative agreement with the README's printed values.
const CHECK_TOLERANCE: f64 = 1e-9;

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= CHECK_TOLERANCE * want.abs()
}

#[test]
fn the_published_law_gives_the_readme_check_values() {
    let law = presets::law("muennighoff-2023").unwrap().law();
    for ((n, d, u), want) in CHECKS {
        let got = law
            .value(&Inputs {
                n: Some(n),
                d: Some(d),
                c: None,
                u: Some(u),
            })
            .unwrap();
        assert!(close(got, want), "({n:e}, {d:e}, {u:e}): {got} vs {want}");
    }
    // The README's point: fewer parameters and more epochs reach a lower loss on 25B unique
    // tokens at nearly the same compute.
    assert!(CHECKS[0].1 < CHECKS[1].1);
}

#[test]
fn the_command_line_predicts_with_unique_tokens() {
    for ((n, d, u), want) in CHECKS {
        let at = format!("N={n:e},D={d:e},U={u:e}");
        let json = cli_json(&[
            "predict",
            "--law",
            "muennighoff-2023",
            "--at",
            &at,
            "--json",
        ]);
        let got = json["value"].as_f64().unwrap();
        assert!(close(got, want), "{at}: {got} vs {want}");
    }
    // Without U the law has nothing to repeat against: one line saying so, non-zero status.
    let out = Command::new(env!("CARGO_BIN_EXE_scaling-calc"))
        .args([
            "predict",
            "--law",
            "muennighoff-2023",
            "--at",
            "N=6.34e9,D=242e9",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("U (unique tokens)"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}

#[test]
fn more_epochs_are_worth_less_and_one_epoch_is_chinchilla() {
    let law = presets::law("muennighoff-2023").unwrap().law();
    let p = &law.params;
    let at = |n: f64, d: f64, u: f64| {
        law.value(&Inputs {
            n: Some(n),
            d: Some(d),
            c: None,
            u: Some(u),
        })
        .unwrap()
    };
    // One epoch, with N below the compute-optimal size for its data: the plain Chinchilla law.
    let (n, d): (f64, f64) = (1e9, 100e9);
    let chinchilla = p[0] + p[1] / n.powf(p[3]) + p[2] / d.powf(p[4]);
    assert!((at(n, d, d) - chinchilla).abs() < 1e-12 * chinchilla);
    // The same tokens, repeated: worse the fewer unique tokens there are.
    assert!(at(n, d, d / 4.0) > at(n, d, d));
    assert!(at(n, d, d / 40.0) > at(n, d, d / 4.0));
}
