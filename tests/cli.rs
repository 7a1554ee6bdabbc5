#![cfg(not(target_arch = "wasm32"))]
//! The command line as a script would use it (docs/CONTRACT.md, "Command line").

use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::{Command, ExitStatus, Output, Stdio};
use std::time::{Duration, Instant};

const GPT2: &str = "N,L\n124M,3.12\n350M,2.84\n774M,2.67\n1558M,2.54\n";

/// Long enough for a bootstrapped fit in a debug build; a hang is a failure.
const PATIENCE: Duration = Duration::from_secs(600);

fn run(args: &[&str], stdin: &str) -> Output {
    run_with(args, stdin, Stdio::piped(), PATIENCE)
}

/// Runs the binary with `stdout` as its standard output, killing it after `patience`.
fn run_with<A: AsRef<std::ffi::OsStr>>(
    args: &[A],
    stdin: &str,
    stdout: Stdio,
    patience: Duration,
) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scaling-calc"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // A command that fails on its arguments may exit before reading: a broken pipe is fine.
    let mut input = child.stdin.take().unwrap();
    let text = stdin.to_string();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(text.as_bytes());
    });
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut bytes);
            }
            bytes
        })
    };
    let out = drain(
        child
            .stdout
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let err = drain(
        child
            .stderr
            .take()
            .map(|p| Box::new(p) as Box<dyn Read + Send>),
    );
    let start = Instant::now();
    let status: ExitStatus = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > patience {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{:?} still running after {patience:?}",
                args.iter().map(|a| a.as_ref()).collect::<Vec<_>>()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let _ = writer.join();
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

/// Exit status 2, nothing on stdout, and exactly one line `scaling-calc: <reason>` on stderr.
/// Returns the reason.
fn assert_one_line_error(out: &Output, what: &str) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
    assert!(
        out.stdout.is_empty(),
        "{what}: stdout {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(stderr.ends_with('\n'), "{what}: {stderr:?}");
    assert_eq!(stderr.lines().count(), 1, "{what}: {stderr:?}");
    let reason = stderr
        .trim_end()
        .strip_prefix("scaling-calc: ")
        .unwrap_or_else(|| panic!("{what}: {stderr:?}"));
    assert!(!reason.trim().is_empty(), "{what}: {stderr:?}");
    reason.to_string()
}

fn json_of(out: &Output) -> serde_json::Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
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
        let reason = assert_one_line_error(&out, &format!("{args:?}"));
        assert!(reason.contains(needle), "{args:?}: {reason}");
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
        assert_one_line_error(&out, &format!("{args:?}"));
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

/// Every number in a JSON value, with its path.
fn numbers(value: &serde_json::Value, path: &str, out: &mut Vec<(String, serde_json::Value)>) {
    match value {
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                numbers(v, &format!("{path}.{k}"), out);
            }
        }
        serde_json::Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                numbers(v, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::String(_) | serde_json::Value::Bool(_) => {}
        // null stands for a number that could not be written (NaN, infinity).
        other => out.push((path.to_string(), other.clone())),
    }
}

#[test]
fn help_and_version_go_to_stdout_and_list_every_model_and_law() {
    use scaling_calc::engine::law::ModelId;
    use scaling_calc::engine::presets;
    let out = run(&["--version"], "");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(env!("CARGO_PKG_VERSION")));
    assert!(out.stderr.is_empty());
    for command in ["fit", "predict", "plan"] {
        let out = run(&[command, "--help"], "");
        assert_eq!(out.status.code(), Some(0), "{command}");
        assert!(out.stderr.is_empty(), "{command}");
        let help = String::from_utf8_lossy(&out.stdout);
        for model in ModelId::ALL {
            assert!(
                help.contains(model.id()),
                "{command} --help lacks {model}:\n{help}"
            );
        }
        if command != "fit" {
            for law in presets::LAWS {
                assert!(
                    help.contains(law.id),
                    "{command} --help lacks {}:\n{help}",
                    law.id
                );
            }
        }
        if command == "fit" {
            assert!(
                help.contains("100000") || help.contains("100,000"),
                "{help}"
            );
        }
    }
    let out = run(&["--help"], "");
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["fit", "predict", "plan"] {
        assert!(help.contains(command), "{help}");
    }
}

#[test]
fn a_closed_stdout_ends_quietly() {
    for args in [
        vec!["--help"],
        vec!["fit", "--help"],
        vec![
            "plan",
            "--law",
            "hoffmann-2022",
            "--budget",
            "5.76e23",
            "--json",
        ],
        vec!["fit", "-", "--model", "power"],
    ] {
        // `scaling-calc --help | true`, without the race: the reader is gone before the start.
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let out = run_with(&args, GPT2, Stdio::from(writer), PATIENCE);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_stdout_is_a_one_line_error() {
    for args in [
        vec!["--help"],
        vec![
            "plan",
            "--law",
            "hoffmann-2022",
            "--budget",
            "5.76e23",
            "--json",
        ],
        vec!["fit", "-", "--model", "power", "--json"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = run_with(&args, GPT2, Stdio::from(full), PATIENCE);
        let reason = assert_one_line_error(&out, &format!("{args:?} > /dev/full"));
        assert!(reason.contains("write"), "{reason}");
    }
}

#[test]
fn bootstrap_resamples_are_capped() {
    let out = run_with(
        &["fit", "-", "--model", "power", "--bootstrap", "1000000000"],
        GPT2,
        Stdio::piped(),
        Duration::from_secs(60),
    );
    let reason = assert_one_line_error(&out, "--bootstrap 1000000000");
    assert!(
        reason.contains("100000") || reason.contains("100,000"),
        "{reason}"
    );
    let out = run(
        &["fit", "-", "--model", "power", "--bootstrap", "100001"],
        GPT2,
    );
    assert_one_line_error(&out, "--bootstrap 100001");
}

#[test]
fn plan_never_prints_a_number_it_could_not_compute() {
    let chinchilla = |a: &str| format!("E=1.69,A={a},B=410.7,alpha=0.34,beta=0.28");
    let (a0, a1) = (chinchilla("0"), chinchilla("-1"));
    for (args, needle) in [
        (
            vec![
                "plan",
                "--model",
                "chinchilla",
                "--params",
                &a0,
                "--budget",
                "5.76e23",
                "--json",
            ],
            "A",
        ),
        (
            vec![
                "plan",
                "--model",
                "chinchilla",
                "--params",
                &a1,
                "--budget",
                "5.76e23",
                "--json",
            ],
            "A",
        ),
        (
            vec![
                "plan",
                "--law",
                "hoffmann-2022",
                "--budget",
                "5.76e23",
                "--flop-per-param-token",
                "1e-300",
                "--json",
            ],
            "flop-per-param-token",
        ),
        (
            vec![
                "plan",
                "--law",
                "hoffmann-2022",
                "--budget",
                "5e-324",
                "--json",
            ],
            "budget",
        ),
        (
            vec![
                "plan",
                "--law",
                "kaplan-2020-joint",
                "--budget",
                "5e-324",
                "--json",
            ],
            "budget",
        ),
        (
            vec!["plan", "--law", "hoffmann-2022", "--budget", "0", "--json"],
            "budget",
        ),
        (
            vec![
                "plan",
                "--model",
                "multiplicative",
                "--params",
                "k=0,a=0.1,b=0.2,c=0",
                "--budget",
                "1e23",
                "--json",
            ],
            "k",
        ),
    ] {
        let out = run(&args, "");
        let reason = assert_one_line_error(&out, &format!("{args:?}"));
        assert!(reason.contains(needle), "{args:?}: {reason}");
    }
    // What a plan does print is finite and positive.
    for args in [
        vec![
            "plan",
            "--law",
            "hoffmann-2022",
            "--budget",
            "5.76e23",
            "--json",
        ],
        vec![
            "plan",
            "--law",
            "kaplan-2020-joint",
            "--budget",
            "1e21",
            "--json",
        ],
        vec![
            "plan",
            "--law",
            "besiroglu-2024",
            "--budget",
            "1e15",
            "--json",
        ],
        vec![
            "plan",
            "--law",
            "gpt3-envelope",
            "--budget",
            "3.14e23",
            "--json",
        ],
    ] {
        let json = json_of(&run(&args, ""));
        let mut found = Vec::new();
        numbers(&json, "", &mut found);
        assert!(!found.is_empty());
        for (path, value) in found {
            let v = value.as_f64();
            assert!(
                v.is_some_and(|v| v.is_finite() && v > 0.0),
                "{args:?}: {path} = {value}"
            );
        }
    }
}

#[test]
fn a_fit_to_equal_losses_says_why_r2_is_missing() {
    let data = "N,L\n1e8,3\n1e9,3\n1e10,3\n1e11,3\n";
    let json = json_of(&run(&["fit", "-", "--model", "power", "--json"], data));
    for key in [
        "model",
        "params",
        "objective",
        "points",
        "converged",
        "warnings",
        "millis",
    ] {
        assert!(json.get(key).is_some(), "{key}: {json}");
    }
    assert!(
        json.get("r2").is_none_or(|r| r.is_number()),
        "r2 must be a number or absent: {json}"
    );
    let notes = json["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().contains("equal")),
        "{json}"
    );
    let out = run(&["fit", "-", "--model", "power"], data);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("NaN"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.contains("warning") && l.contains("R²") && l.contains("equal")),
        "{text}"
    );
}

#[test]
fn plan_with_a_law_of_compute_alone_reads_the_loss_at_the_budget() {
    let json = json_of(&run(
        &[
            "plan",
            "--law",
            "gpt3-envelope",
            "--budget",
            "3.14e23",
            "--json",
        ],
        "",
    ));
    // Brown et al. 2020: L = 2.57 C^-0.048, C in PF-days.
    let expected = 2.57 * (3.14e23f64 / 8.64e19).powf(-0.048);
    let loss = json["loss"].as_f64().unwrap();
    assert!(
        (loss / expected - 1.0).abs() < 1e-12,
        "{loss} vs {expected}"
    );
    assert!(json.get("N_opt").is_none(), "{json}");
    let notes = json["notes"].as_array().expect("notes");
    assert!(
        notes.iter().any(|n| n.as_str().unwrap().contains("split")),
        "{json}"
    );
    let out = run(
        &["plan", "--law", "gpt3-envelope", "--budget", "3640 PF-days"],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("loss"), "{text}");
}

// Panics inside the engine (nalgebra SVD); the engine fix is under way elsewhere.
#[test]
fn multiplicative_with_no_rows_is_a_one_line_error() {
    let out = run(&["fit", "-", "--model", "multiplicative"], "N,L\n");
    assert_one_line_error(&out, "multiplicative, no rows");
}

// Panics inside the engine (nalgebra SVD); the engine fix is under way elsewhere.
#[test]
fn an_overflowing_derived_column_is_a_one_line_error() {
    let data = "N,D,L\n1e8,2e9,3.5\n1e9,2e10,2.8\n1e10,2e11,2.35\n1e300,1e300,2.2\n";
    let out = run(&["fit", "-", "--model", "power", "--x", "C"], data);
    assert_one_line_error(&out, "power of C, C = 6ND overflows");
}

#[test]
fn malformed_arguments_are_one_line_errors() {
    let fit = ["fit", "-", "--model", "power"];
    let predict = [
        "predict",
        "--model",
        "power",
        "--params",
        "A=14,alpha=0.08",
        "--at",
        "N=1B",
    ];
    let plan = ["plan", "--law", "hoffmann-2022", "--budget", "1e23"];
    let mut cases: Vec<Vec<String>> = Vec::new();
    let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
    for base in [&fit[..], &predict[..], &plan[..]] {
        for extra in [
            &["--frobnicate"][..],
            &["--frobnicate=1"],
            &["-z"],
            &["stray"],
            &["--json=yes"],
            &["--model"],
            &["--model", "nope"],
            &["--flop-per-param-token", "zero"],
            &["--x", "Q"],
        ] {
            let mut args = own(base);
            args.extend(own(extra));
            cases.push(args);
        }
    }
    for (flag, values) in [
        (
            "--budget",
            &[
                "abc",
                "1e999",
                "-1",
                "0",
                "nan",
                "inf",
                "",
                "5 parsecs",
                "1,2",
            ][..],
        ),
        (
            "--flop-per-param-token",
            &["0", "-6", "1e-300", "1e300", "x"],
        ),
    ] {
        for value in values {
            cases.push(own(&[
                "plan",
                "--law",
                "hoffmann-2022",
                "--budget",
                "1e23",
                flag,
                value,
            ]));
        }
    }
    for (flag, value) in [
        ("--delta", "x"),
        ("--weight", "-1e999"),
        ("--bootstrap", "-1"),
        ("--bootstrap", "1.5"),
        ("--bootstrap", "lots"),
        ("--seed", "-3"),
        ("--loss", "cubic"),
        ("--starts", "everywhere"),
    ] {
        cases.push(own(&["fit", "-", "--model", "chinchilla", flag, value]));
    }
    for at in ["N=abc", "N", "Q=1", "", "N=1B,N=", "=5"] {
        cases.push(own(&["predict", "--law", "hoffmann-2022", "--at", at]));
    }
    for params in [
        "A=x,alpha=1",
        "A",
        "Z=1,A=1,alpha=1",
        "",
        "A=1",
        "A=1,alpha=inf",
    ] {
        cases.push(own(&[
            "predict", "--model", "power", "--params", params, "--at", "N=1B",
        ]));
    }
    for args in [
        &[][..],
        &["fit"],
        &["fit", "-", "--model"],
        &["fit", "-", "extra", "--model", "power"],
        &["--model", "power"],
        &["help", "nope"],
        &["frobnicate"],
        &["predict", "--at", "N=1B"],
        &["plan", "--budget", "1e23"],
        &["plan", "--law", "hoffmann-2022"],
        &["plan", "--law", "nope", "--budget", "1e23"],
        &[
            "plan",
            "--law",
            "hoffmann-2022",
            "--model",
            "chinchilla",
            "--budget",
            "1e23",
        ],
        &["plan", "--model", "chinchilla", "--budget", "1e23"],
    ] {
        cases.push(own(args));
    }
    assert!(cases.len() > 60, "{}", cases.len());
    for args in &cases {
        let out = run_with(args, GPT2, Stdio::piped(), Duration::from_secs(120));
        assert_one_line_error(&out, &format!("{args:?}"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        let args = vec![
            OsString::from("fit"),
            OsString::from("-"),
            OsString::from("--model"),
            OsString::from_vec(vec![0xff, 0xfe]),
        ];
        let out = run_with(&args, GPT2, Stdio::piped(), Duration::from_secs(120));
        assert_one_line_error(&out, "a model id that is not UTF-8");
    }
}

#[test]
fn fit_json_is_the_report_the_page_exports() {
    use scaling_calc::engine::dataset::parse_dataset;
    use scaling_calc::engine::export::fit_json;
    use scaling_calc::engine::fit::bootstrap::bootstrap;
    use scaling_calc::engine::fit::problem::Problem;
    use scaling_calc::engine::fit::{fit, FitOptions};
    use scaling_calc::engine::law::{ModelId, Variable};
    let cli = json_of(&run(
        &[
            "fit",
            "-",
            "--model",
            "power",
            "--bootstrap",
            "50",
            "--seed",
            "3",
            "--json",
        ],
        GPT2,
    ));
    let data = parse_dataset(GPT2).unwrap();
    let options = FitOptions::new(ModelId::Power, Variable::N);
    let result = fit(&data, &options).unwrap();
    let problem = Problem::new(ModelId::Power, Variable::N, &data).unwrap();
    let boot = bootstrap(&problem, &options.loss, &result, 50, 3);
    let export: serde_json::Value =
        serde_json::from_str(&fit_json(&result, &data, Some(&boot), None)).unwrap();
    let keys = |v: &serde_json::Value| -> std::collections::BTreeSet<String> {
        v.as_object().unwrap().keys().cloned().collect()
    };
    // The same keys, but for the export's version and the command line's timing.
    let mut cli_keys = keys(&cli);
    cli_keys.remove("millis");
    let mut export_keys = keys(&export);
    export_keys.remove("version");
    assert_eq!(cli_keys, export_keys);
    // The same numbers: parameters, intervals (same seed), warnings.
    for key in ["params", "intervals", "warnings", "options", "stop"] {
        assert_eq!(cli[key], export[key], "{key}");
    }
    assert_eq!(cli["bootstrap"]["seed"], 3);
    assert_eq!(cli["bootstrap"]["resamples"], 50);
    for w in cli["warnings"].as_array().unwrap() {
        assert!(w["code"].is_string() && w["message"].is_string(), "{w}");
    }
}

/// `--fix` and `--tie` reach the fit, its bootstrap and the backtest, and come back in the JSON;
/// a name the form lacks is a one-line error before any data is fitted. The values themselves are
/// checked against SciPy in tests/constraints.rs.
#[test]
fn fixed_and_tied_parameters_on_the_command_line() {
    let runs = scaling_calc::engine::presets::chinchilla_runs_epoch();
    let fit = json_of(&run(
        &[
            "fit",
            "-",
            "--model",
            "chinchilla",
            "--tie",
            "alpha=beta",
            "--fix",
            "E=1.69",
            "--bootstrap",
            "20",
            "--json",
        ],
        &runs,
    ));
    assert_eq!(fit["options"]["tie"], "alpha=beta");
    assert_eq!(fit["options"]["fix"], "E=1.69");
    assert_eq!(fit["params"]["alpha"], fit["params"]["beta"]);
    assert_eq!(fit["params"]["E"].as_f64().unwrap(), 1.69);
    let interval = &fit["intervals"]["E"];
    assert_eq!(
        interval[0], interval[1],
        "a held E has no spread: {interval}"
    );
    let free = json_of(&run(
        &["fit", "-", "--model", "chinchilla", "--json"],
        &runs,
    ));
    assert!(free["options"].get("tie").is_none());
    assert_ne!(free["params"]["alpha"], free["params"]["beta"]);

    let text = run(
        &["fit", "-", "--model", "chinchilla", "--tie", "alpha=beta"],
        &runs,
    );
    assert!(String::from_utf8_lossy(&text.stdout).contains("tied: alpha=beta"));

    let backtest = json_of(&run(
        &[
            "backtest",
            "-",
            "--model",
            "chinchilla",
            "--by",
            "N",
            "--tie",
            "alpha=beta",
            "--json",
        ],
        &runs,
    ));
    assert_eq!(backtest["tie"], "alpha=beta");
    for cut in backtest["cuts"].as_array().unwrap() {
        if cut["params"].is_object() {
            assert_eq!(cut["params"]["alpha"], cut["params"]["beta"]);
        }
    }

    for (args, says) in [
        (vec!["--model", "power", "--tie", "alpha=beta"], "beta"),
        (vec!["--model", "chinchilla", "--fix", "E"], "NAME=VALUE"),
        (vec!["--model", "chinchilla", "--fix", "A=-1"], "positive"),
        (
            vec!["--model", "chinchilla", "--tie", "A=alpha"],
            "cannot be tied",
        ),
    ] {
        let mut all = vec!["fit", "-"];
        all.extend(args.iter());
        let reason = assert_one_line_error(&run(&all, &runs), &format!("{args:?}"));
        assert!(reason.contains(says), "{args:?}: {reason}");
    }
    let reason = assert_one_line_error(
        &run(
            &["backtest", "-", "--model", "all", "--tie", "gamma=delta"],
            &runs,
        ),
        "backtest all with a tie no form takes",
    );
    assert!(reason.contains("gamma"), "{reason}");
}

/// `fit --budget` splits the budget under the fitted law; with `--bootstrap` each number has its
/// 95 % interval over the resampled laws' own splits, and an optimum beyond the runs is said.
#[test]
fn fit_with_a_budget_gives_the_split_with_intervals() {
    let runs = scaling_calc::engine::presets::chinchilla_runs_epoch();
    let json = json_of(&run(
        &[
            "fit",
            "-",
            "--model",
            "chinchilla",
            "--bootstrap",
            "40",
            "--budget",
            "1e24",
            "--json",
        ],
        &runs,
    ));
    let plan = &json["plan"];
    assert_eq!(plan["budget"].as_f64().unwrap(), 1e24);
    for key in ["N", "D", "loss"] {
        let value = plan[key]["value"].as_f64().unwrap();
        let [lo, hi] = [0, 1].map(|i| plan[key]["interval"][i].as_f64().unwrap());
        assert!(lo < value && value < hi, "{key}: {value} in [{lo}, {hi}]");
    }
    // 6 N D = C.
    let (n, d) = (
        plan["N"]["value"].as_f64().unwrap(),
        plan["D"]["value"].as_f64().unwrap(),
    );
    assert!((6.0 * n * d / 1e24 - 1.0).abs() < 1e-9);
    // Epoch's largest run has 16B parameters; N_opt at 1e24 FLOP is beyond it.
    let outside = plan["outside"].as_array().unwrap();
    assert!(
        outside.iter().any(|s| s.as_str().unwrap().contains("N")),
        "{outside:?}"
    );
    // Without a bootstrap: the split alone.
    let json = json_of(&run(
        &[
            "fit",
            "-",
            "--model",
            "chinchilla",
            "--budget",
            "1e24",
            "--json",
        ],
        &runs,
    ));
    assert!(json["plan"]["N"]["interval"].is_null());
    let reason = assert_one_line_error(
        &run(&["fit", "-", "--model", "power", "--budget", "1e24"], GPT2),
        "a budget with a law of N alone",
    );
    assert!(reason.starts_with("--budget"), "{reason}");
}

/// A `#` row is checked against the fit: `held_out` in the JSON and a line in the text. The
/// power law on the three smaller GPT-2 sizes is a straight line in logs, computed here by
/// ordinary least squares (an independent route from the engine's solver).
#[test]
fn fit_checks_the_rows_left_out() {
    let text = "N,L\n124M,3.12\n350M,2.84\n774M,2.67\n#1558M,2.54\n";
    let json = json_of(&run(
        &["fit", "-", "--model", "power", "--x", "N", "--json"],
        text,
    ));
    let (xs, ys): (Vec<f64>, Vec<f64>) = [(124e6, 3.12), (350e6, 2.84), (774e6, 2.67)]
        .iter()
        .map(|(n, l): &(f64, f64)| (n.ln(), l.ln()))
        .unzip();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (mx, my) = (mean(&xs), mean(&ys));
    let slope = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| (x - mx) * (y - my))
        .sum::<f64>()
        / xs.iter().map(|x| (x - mx).powi(2)).sum::<f64>();
    let want = (my + slope * (1558e6_f64.ln() - mx)).exp();
    let held = &json["held_out"][0];
    assert_eq!(held["row"], 5);
    let predicted = held["predicted"].as_f64().unwrap();
    assert!(
        (predicted - want).abs() < 1e-9 * want,
        "{predicted} vs {want}"
    );
    let error = held["error"].as_f64().unwrap();
    assert!((error - (want - 2.54) / 2.54).abs() < 1e-9, "{error}");
    let decades = held["decades_outside"].as_f64().unwrap();
    assert!(
        (decades - (1558.0_f64 / 774.0).log10()).abs() < 1e-12,
        "{decades}"
    );
    assert!(held["lo"].as_f64().unwrap() < predicted && predicted < held["hi"].as_f64().unwrap());
    let out = run(&["fit", "-", "--model", "power", "--x", "N"], text);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("held out, line 5: predicted"), "{said}");
}
