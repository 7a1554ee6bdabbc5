//! The command line's logic, over the engine (the binary in src/bin only prints).

use crate::engine::dataset::parse_dataset;
use crate::engine::fit::bootstrap::bootstrap;
use crate::engine::fit::problem::Problem;
use crate::engine::fit::{
    self, FitOptions, Loss, Starts, DEFAULT_ASYMMETRIC_WEIGHT, DEFAULT_HUBER_DELTA,
};
use crate::engine::law::{Law, ModelId, Variable};
use crate::engine::plan::{compute_optimal, predict, predict_nd, DEFAULT_FLOP_PER_PARAM_TOKEN};
use crate::engine::presets;
use crate::engine::units::{format_param, format_sci, format_si, parse_quantity, trim_number};
use crate::text::{Lang, Render};
use serde_json::{json, Map, Value};
use std::io::Read;

const USAGE: &str = "usage:
  scaling-calc fit FILE --model ID [--x N|D|C] [--loss least-squares|huber|asymmetric] [--delta 1e-3] [--weight 10] [--starts auto|epoch-grid] [--bootstrap N] [--seed S] [--json]
  scaling-calc predict (--model ID --params NAME=VALUE,... | --law PUBLISHED) --at N=175B[,D=300B] [--flop-per-param-token 6] [--json]
  scaling-calc plan (--model ID --params NAME=VALUE,... | --law PUBLISHED) --budget 5.76e23 [--flop-per-param-token 6] [--json]
published laws: hoffmann-2022, hoffmann-2022-unrounded, besiroglu-2024, kaplan-2020-joint, kaplan-2020-n, kaplan-2020-d, kaplan-2020-c, cerebras-gpt, gpt3-envelope";

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
        "predict" => predict_command(rest),
        "plan" => plan_command(rest),
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
        let warnings: Vec<String> = result.warnings.iter().map(|w| w.render(Lang::En)).collect();
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
            // Derived numbers: the compute-optimal exponents N_opt ∝ C^a, D_opt ∝ C^b.
            if crate::engine::plan::is_two_variable(&result.law) {
                let exponent = |which: usize| {
                    let of = |law: &Law| {
                        crate::engine::plan::frontier_exponents(
                            law,
                            1e23,
                            DEFAULT_FLOP_PER_PARAM_TOKEN,
                        )
                        .ok()
                        .map(|e| if which == 0 { e.0 } else { e.1 })
                    };
                    json!({
                        "value": of(&result.law),
                        "interval": boot.derived_interval(&result.law, 0.95, of).map(|(lo, hi)| [lo, hi]),
                    })
                };
                out["derived"] = json!({
                    "N_opt_exponent": exponent(0),
                    "D_opt_exponent": exponent(1),
                });
            }
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
            lines.push(format!("  warning: {}", w.render(Lang::En)));
        }
        Ok(lines.join("\n"))
    }
}

/// The law named by `--law ID`, or built from `--model ID --params NAME=VALUE,...` (and the
/// variable, when one-variable, from `x`).
fn law_from_flags(flags: &Flags, x: Variable) -> Result<Law, String> {
    if let Some(id) = flags.get("law") {
        let published =
            presets::law(id).ok_or_else(|| format!("unknown published law \"{id}\"\n{USAGE}"))?;
        return Ok(published.law());
    }
    let model: ModelId = flags
        .get("model")
        .ok_or_else(|| format!("--model (with --params) or --law is required\n{USAGE}"))?
        .parse()?;
    let text = flags
        .get("params")
        .ok_or_else(|| format!("--params NAME=VALUE,... is required with --model\n{USAGE}"))?;
    let names = model.param_names();
    let mut values = vec![None; names.len()];
    for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("--params: \"{pair}\" is not NAME=VALUE"))?;
        let index = names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| {
                format!(
                    "--params: {model} has no parameter \"{}\" (it has {})",
                    name.trim(),
                    names.join(", ")
                )
            })?;
        values[index] = Some(parse_number("params", value)?);
    }
    let params = values
        .iter()
        .zip(names)
        .map(|(v, n)| v.ok_or_else(|| format!("--params: {n} is missing")))
        .collect::<Result<Vec<f64>, String>>()?;
    Law::new(model, x, params)
}

/// `--at N=175B,D=300B` as (variable, value) pairs.
fn parse_at(text: &str) -> Result<Vec<(Variable, f64)>, String> {
    text.split(',')
        .filter(|p| !p.trim().is_empty())
        .map(|pair| {
            let (name, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("--at: \"{pair}\" is not N=VALUE, D=VALUE or C=VALUE"))?;
            Ok((name.parse::<Variable>()?, parse_number("at", value)?))
        })
        .collect()
}

fn flop_rule(flags: &Flags) -> Result<f64, String> {
    flags
        .get("flop-per-param-token")
        .map_or(Ok(DEFAULT_FLOP_PER_PARAM_TOKEN), |k| {
            parse_number("flop-per-param-token", k)
        })
}

fn predict_command(args: &[String]) -> Result<String, String> {
    let flags = Flags::parse(args)?;
    flags.check_known(&["model", "params", "law", "at", "flop-per-param-token"])?;
    let at = parse_at(
        flags
            .get("at")
            .ok_or_else(|| format!("--at is required\n{USAGE}"))?,
    )?;
    let k = flop_rule(&flags)?;
    let first = at.first().map_or(Variable::N, |a| a.0);
    let mut law = law_from_flags(&flags, first)?;
    let get = |v: Variable| at.iter().find(|a| a.0 == v).map(|a| a.1);
    let value = if law.model.is_single_variable() {
        // A published one-variable law keeps its own variable.
        if flags.get("law").is_none() {
            law.x = first;
        }
        let x = get(law.x).ok_or_else(|| format!("--at needs {} for this law", law.x.symbol()))?;
        predict(&law, x)
    } else {
        let (n, d) = match (get(Variable::N), get(Variable::D), get(Variable::C)) {
            (Some(n), Some(d), _) => (n, d),
            (Some(n), None, Some(c)) => (n, c / (k * n)),
            (None, Some(d), Some(c)) => (c / (k * d), d),
            _ => return Err("--at needs N and D (or one of them with C) for this law".into()),
        };
        predict_nd(&law, n, d, k)
    }
    .filter(|v| v.is_finite())
    .ok_or("the law has no finite value there")?;
    Ok(if flags.json {
        json!({ "value": value }).to_string()
    } else {
        format!("{} = {}", law.model.response().symbol(), value)
    })
}

fn plan_command(args: &[String]) -> Result<String, String> {
    let flags = Flags::parse(args)?;
    flags.check_known(&["model", "params", "law", "budget", "flop-per-param-token"])?;
    let budget = parse_number(
        "budget",
        flags
            .get("budget")
            .ok_or_else(|| format!("--budget is required\n{USAGE}"))?,
    )?;
    let k = flop_rule(&flags)?;
    let law = law_from_flags(&flags, Variable::N)?;
    let plan = compute_optimal(&law, budget, k).map_err(|e| e.to_string())?;
    Ok(if flags.json {
        json!({
            "N_opt": plan.n,
            "D_opt": plan.d,
            "loss": plan.loss,
            "tokens_per_param": plan.tokens_per_param,
            "budget": budget,
        })
        .to_string()
    } else {
        format!(
            "budget {} FLOP: N_opt = {}, D_opt = {} ({} tokens per parameter), loss {}",
            format_sci(budget),
            format_si(plan.n),
            format_si(plan.d),
            trim_number(plan.tokens_per_param, 3),
            trim_number(plan.loss, 4)
        )
    })
}
