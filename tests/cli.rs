#![cfg(not(target_arch = "wasm32"))]
//! The command line as a script would use it (docs/CONTRACT.md, "Command line").

use std::io::Write;
use std::process::{Command, Output, Stdio};

const GPT2: &str = "N,L\n124M,3.12\n350M,2.84\n774M,2.67\n1558M,2.54\n";

fn run(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scaling-calc"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // A command that fails on its arguments may exit before reading: a broken pipe is fine.
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    child.wait_with_output().unwrap()
}

#[test]
fn fit_power_on_gpt2_prints_json() {
    let out = run(
        &["fit", "-", "--model", "power", "--x", "N", "--json"],
        GPT2,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["model"], "power");
    // numpy.polyfit reference (tests/fit.rs): alpha = 0.08135072843717187.
    let alpha = json["params"]["alpha"].as_f64().unwrap();
    assert!((alpha - 0.081_350_728_437_171_87).abs() < 1e-10, "{alpha}");
    assert!((alpha - 0.0814).abs() < 5e-5);
    assert_eq!(json["points"], 4);
    assert_eq!(json["converged"], true);
    assert!(json["objective"].as_f64().unwrap() > 0.0);
    assert!(json["warnings"].is_array());
    assert!(json["millis"].as_f64().unwrap() >= 0.0);
}

#[test]
fn fit_power_offset_from_a_file() {
    let path = std::env::temp_dir().join("scaling-calc-cli-test.csv");
    let mut text = String::from("params,loss\n");
    for i in 0..8 {
        let n = 1e7 * 10f64.powf(i as f64 * 0.5);
        text.push_str(&format!("{n:e},{:e}\n", 1.8 + 300.0 * n.powf(-0.3)));
    }
    std::fs::write(&path, text).unwrap();
    let out = run(
        &[
            "fit",
            path.to_str().unwrap(),
            "--model",
            "power-offset",
            "--json",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let e = json["params"]["E"].as_f64().unwrap();
    assert!((e - 1.8).abs() < 1e-6, "E = {e}");
}

#[test]
fn bad_input_exits_non_zero_with_one_line() {
    for (args, stdin, needle) in [
        (
            vec!["fit", "-", "--model", "power", "--json"],
            "N,L\n1e9,abc\n2e9,2\n",
            "Row 2, column L",
        ),
        (vec!["fit", "-", "--model", "nope"], GPT2, "unknown model"),
        (vec!["fit", "-"], GPT2, "--model is required"),
        (
            vec!["fit", "/no/such/file", "--model", "power"],
            "",
            "cannot read",
        ),
        (vec!["frobnicate"], "", "unknown command"),
        (
            vec![
                "fit", "-", "--model", "power", "--loss", "huber", "--delta", "-1",
            ],
            GPT2,
            "delta",
        ),
    ] {
        let out = run(&args, stdin);
        assert!(!out.status.success(), "{args:?} should fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(
            stderr.lines().next().unwrap().starts_with("scaling-calc: "),
            "{stderr}"
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn plan_and_predict_with_published_and_given_laws() {
    // The Hoffmann approach-3 closed form at 5.76e23 (tests/plan.rs): N_opt = 32.19B.
    let out = run(
        &[
            "plan",
            "--law",
            "hoffmann-2022",
            "--budget",
            "5.76e23",
            "--json",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let n = json["N_opt"].as_f64().unwrap();
    assert!((n / 32_189_859_151.368_168 - 1.0).abs() < 1e-9, "{n}");
    assert!(json["D_opt"].as_f64().unwrap() > 2.9e12);
    assert!((json["tokens_per_param"].as_f64().unwrap() - 92.647).abs() < 1e-2);
    // The same law given by parameters, with units.
    let out = run(
        &[
            "plan",
            "--model",
            "chinchilla",
            "--params",
            "E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28",
            "--budget",
            "5.76e23",
            "--json",
        ],
        "",
    );
    let json2: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["N_opt"], json2["N_opt"]);
    // Predict at (N, D) and along one variable.
    let out = run(
        &[
            "predict",
            "--law",
            "hoffmann-2022",
            "--at",
            "N=70B,D=1.4T",
            "--json",
        ],
        "",
    );
    let v = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["value"]
        .as_f64()
        .unwrap();
    let expected = 1.69 + 406.4 / 70e9f64.powf(0.34) + 410.7 / 1.4e12f64.powf(0.28);
    assert!((v - expected).abs() < 1e-12, "{v} vs {expected}");
    let out = run(
        &[
            "predict",
            "--model",
            "power",
            "--params",
            "A=14.15,alpha=0.08135",
            "--at",
            "N=175B",
            "--json",
        ],
        "",
    );
    let v = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["value"]
        .as_f64()
        .unwrap();
    assert!((v - 14.15 * 175e9f64.powf(-0.08135)).abs() < 1e-12);
    let out = run(
        &[
            "predict",
            "--law",
            "cerebras-gpt",
            "--at",
            "C=2.3e22",
            "--json",
        ],
        "",
    );
    let v = serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["value"]
        .as_f64()
        .unwrap();
    assert!((v - 1.5796).abs() < 5e-5, "{v}");
    // Errors are one line, non-zero.
    for args in [
        vec!["plan", "--law", "kaplan-2020-n", "--budget", "1e23"],
        vec!["plan", "--law", "nope", "--budget", "1e23"],
        vec![
            "predict", "--model", "power", "--params", "A=1", "--at", "N=1B",
        ],
        vec!["plan", "--law", "hoffmann-2022", "--budget", "-5"],
    ] {
        let out = run(&args, "");
        assert!(!out.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&out.stderr).starts_with("scaling-calc: "));
    }
}

#[test]
fn a_bootstrapped_chinchilla_fit_gives_intervals_for_the_compute_optimal_exponents() {
    let text = scaling_calc::engine::presets::chinchilla_runs_epoch();
    let out = run(
        &[
            "fit",
            "-",
            "--model",
            "chinchilla",
            "--bootstrap",
            "200",
            "--seed",
            "3",
            "--json",
        ],
        &text,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // a = beta / (alpha + beta) for the Chinchilla form.
    let (alpha, beta) = (
        json["params"]["alpha"].as_f64().unwrap(),
        json["params"]["beta"].as_f64().unwrap(),
    );
    let a = json["derived"]["N_opt_exponent"]["value"].as_f64().unwrap();
    assert!((a - beta / (alpha + beta)).abs() < 1e-6, "{a}");
    let interval = json["derived"]["N_opt_exponent"]["interval"]
        .as_array()
        .unwrap();
    let (lo, hi) = (interval[0].as_f64().unwrap(), interval[1].as_f64().unwrap());
    assert!(lo < a && a < hi && hi - lo < 0.1, "{lo} {a} {hi}");
    assert!(json["intervals"]["E"].is_array());
}
