#![cfg(not(target_arch = "wasm32"))]
//! The command line as a script would use it (CONTRACT.md).

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
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
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
