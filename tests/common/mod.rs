//! Helpers shared by the native integration tests (each test file uses some of them).
#![allow(dead_code)]

use serde_json::Value;

/// |got − want| / |want|.
pub fn rel(got: f64, want: f64) -> f64 {
    (got - want).abs() / want.abs()
}

/// The numbers of a JSON array.
pub fn numbers(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

/// Runs the command line with `args`, asserts that it succeeded (else shows its error), and
/// reads its standard output as JSON.
pub fn cli_json(args: &[&str]) -> Value {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scaling-calc"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
