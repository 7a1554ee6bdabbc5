//! The command line's logic, over the engine (the binary in src/bin only prints).

use crate::engine::dataset::parse_dataset;
use crate::engine::fit::bootstrap::bootstrap;
use crate::engine::fit::problem::Problem;
use crate::engine::fit::{
    self, FitOptions, Loss, Starts, DEFAULT_ASYMMETRIC_WEIGHT, DEFAULT_HUBER_DELTA,
};
use crate::engine::law::{ModelId, Variable};
use crate::engine::units::{format_param, parse_quantity};
use serde_json::{json, Map, Value};
use std::io::Read;

const USAGE: &str = "usage: scaling-calc fit FILE --model ID [--x N|D|C] [--loss least-squares|huber|asymmetric] [--delta 1e-3] [--weight 10] [--starts auto|epoch-grid] [--bootstrap N] [--seed S] [--json]";

/// Flags as `--name value` pairs, with bare `--json`.
struct Flags {
    positional: Vec<String>,
    named: Vec<(String, String)>,
    json: bool,
}

impl Flags {
    fn parse(args: &[String]) -> Result<Flags, String> {
        let mut flags = Flags {
            positional: Vec::new(),
            named: Vec::new(),
            json: false,
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            if arg == "--json" {
                flags.json = true;
            } else if let Some(name) = arg.strip_prefix("--") {
                let (name, value) = match name.split_once('=') {
                    Some((n, v)) => (n.to_string(), v.to_string()),
                    None => (
                        name.to_string(),
                        it.next()
                            .ok_or_else(|| format!("--{name} needs a value"))?
                            .clone(),
                    ),
                };
                flags.named.push((name, value));
            } else {
                flags.positional.push(arg.clone());
            }
        }
        Ok(flags)
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.named
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn check_known(&self, known: &[&str]) -> Result<(), String> {
        match self
            .named
            .iter()
            .find(|(n, _)| !known.contains(&n.as_str()))
        {
            Some((n, _)) => Err(format!("unknown option --{n}\n{USAGE}")),
            None => Ok(()),
        }
    }
}

/// Runs the command line; returns what to print, or the one-line reason it failed.
pub fn run(args: Vec<String>) -> Result<String, String> {
    let Some((command, rest)) = args.split_first() else {
        return Err(USAGE.into());
    };
    match command.as_str() {
        "fit" => fit_command(rest),
        "--help" | "-h" | "help" => Ok(USAGE.into()),
        other => Err(format!("unknown command \"{other}\"\n{USAGE}")),
    }
}

/// Reads the data text from a file, or stdin for `-`.
fn read_input(path: &str) -> Result<String, String> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

fn parse_number(name: &str, text: &str) -> Result<f64, String> {
    parse_quantity(text).map_err(|e| format!("--{name}: {e}"))
}

fn fit_command(args: &[String]) -> Result<String, String> {
    let flags = Flags::parse(args)?;
    flags.check_known(&[
        "model",
        "x",
        "loss",
        "delta",
        "weight",
        "starts",
        "bootstrap",
        "seed",
    ])?;
    let [path] = flags.positional.as_slice() else {
        return Err(format!("fit takes one FILE (or - for stdin)\n{USAGE}"));
    };
    let model: ModelId = flags
        .get("model")
        .ok_or_else(|| format!("--model is required\n{USAGE}"))?
        .parse()?;
    let x: Variable = flags.get("x").unwrap_or("N").parse()?;
    let loss = match flags.get("loss") {
        None => fit::default_loss(model),
        Some("least-squares") => Loss::LeastSquares,
        Some("huber") => Loss::Huber {
            delta: flags
                .get("delta")
                .map(|d| parse_number("delta", d))
                .transpose()?
                .unwrap_or(DEFAULT_HUBER_DELTA),
        },
        Some("asymmetric") => Loss::Asymmetric {
            weight: flags
                .get("weight")
                .map(|w| parse_number("weight", w))
                .transpose()?
                .unwrap_or(DEFAULT_ASYMMETRIC_WEIGHT),
        },
        Some(other) => {
            return Err(format!(
                "unknown loss \"{other}\" (least-squares, huber or asymmetric)"
            ))
        }
    };
    let starts: Starts = flags.get("starts").unwrap_or("auto").parse()?;
    let resamples: usize = match flags.get("bootstrap") {
        None => 0,
        Some(n) => n
            .parse()
            .map_err(|_| format!("--bootstrap takes a count of resamples, got \"{n}\""))?,
    };
    let seed: u64 = match flags.get("seed") {
        None => 0,
        Some(s) => s
            .parse()
            .map_err(|_| format!("--seed takes a whole number, got \"{s}\""))?,
    };
    let text = read_input(path)?;
    let data = parse_dataset(&text).map_err(|e| e.to_string())?;
    let options = FitOptions {
        model,
        x,
        loss,
        starts,
    };
    let clock = std::time::Instant::now();
    let result = fit::fit(&data, &options).map_err(|e| e.to_string())?;
    let boot = (resamples > 0).then(|| {
        let problem = Problem::new(model, x, &data).expect("fitted above");
        bootstrap(&problem, &options.loss, &result, resamples, seed)
    });
    let millis = clock.elapsed().as_secs_f64() * 1e3;
    let names = model.param_names();
    if flags.json {
        let params: Map<String, Value> = names
            .iter()
            .zip(&result.law.params)
            .map(|(n, v)| (n.to_string(), json!(v)))
            .collect();
        let warnings: Vec<&str> = result.warnings.iter().map(|w| w.message.as_str()).collect();
        let mut out = json!({
            "model": model.id(),
            "params": params,
            "objective": result.objective,
            "points": result.points,
            "converged": result.converged,
            "warnings": warnings,
            "millis": millis,
            "evaluations": result.evaluations,
            "r2": result.r2,
        });
        if let Some(se) = &result.std_errors {
            let se: Map<String, Value> = names
                .iter()
                .zip(se)
                .map(|(n, v)| (n.to_string(), json!(v)))
                .collect();
            out["std_errors"] = Value::Object(se);
        }
        if let Some(boot) = &boot {
            let intervals: Map<String, Value> = names
                .iter()
                .enumerate()
                .filter_map(|(i, n)| {
                    let (lo, hi) = boot.interval(i, 0.95)?;
                    Some((n.to_string(), json!([lo, hi])))
                })
                .collect();
            out["intervals"] = Value::Object(intervals);
            out["bootstrap"] = json!({"resamples": resamples, "failed": boot.failed, "seed": seed});
        }
        Ok(out.to_string())
    } else {
        let mut lines = vec![format!(
            "{}   ({} points, {})",
            model.formula(x),
            result.points,
            if result.converged {
                "converged"
            } else {
                "NOT converged"
            }
        )];
        for (i, (n, v)) in names.iter().zip(&result.law.params).enumerate() {
            let se = result
                .std_errors
                .as_ref()
                .map(|s| format!("  ± {}", format_param(s[i])))
                .unwrap_or_default();
            let interval = boot
                .as_ref()
                .and_then(|b| b.interval(i, 0.95))
                .map(|(lo, hi)| format!("  95% [{}, {}]", format_param(lo), format_param(hi)))
                .unwrap_or_default();
            lines.push(format!("  {n:<7} = {}{se}{interval}", format_param(*v)));
        }
        lines.push(format!(
            "  objective = {:e}   R² (log) = {:.5}",
            result.objective, result.r2
        ));
        for w in &result.warnings {
            lines.push(format!("  warning: {}", w.message));
        }
        Ok(lines.join("\n"))
    }
}
