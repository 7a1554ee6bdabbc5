//! The commands over the engine: each returns the text to print, or the one-line reason it
//! could not. Calls into the engine are kept here, in few places.

use crate::args::{BacktestArgs, Command, FitArgs, Forms, LawArgs, PlanArgs, PredictArgs};
use scaling_calc::engine::backtest::{self, Backtest};
use scaling_calc::engine::dataset::{parse_dataset, Quantity};
use scaling_calc::engine::fit::bootstrap::bootstrap;
use scaling_calc::engine::fit::problem::Problem;
use scaling_calc::engine::fit::{self, FitOptions, Loss};
use scaling_calc::engine::law::{Inputs, Law, Variable};
use scaling_calc::engine::plan::{compute_optimal, predict};
use scaling_calc::engine::report::FitReport;
use scaling_calc::engine::units::{format_param, format_sci, format_si, trim_number};
use serde_json::json;
use std::io::Read;
use std::path::Path;

/// Runs one command.
pub fn run(command: &Command) -> Result<String, String> {
    match command {
        Command::Fit(args) => fit_command(args),
        Command::Predict(args) => predict_command(args),
        Command::Plan(args) => plan_command(args),
        Command::Backtest(args) => backtest_command(args),
    }
}

/// Reads the data text from a file, or stdin for `-`.
fn read_input(path: &Path) -> Result<String, String> {
    if path == Path::new("-") {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        Ok(text)
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
    }
}

/// The loss of `--loss`, or the form's default, with `--delta` or `--weight` applied.
fn resolve_loss(args: &FitArgs) -> Result<Loss, String> {
    let how = &args.how;
    let loss = how.loss.unwrap_or_else(|| fit::default_loss(args.model));
    loss_with(loss, how.delta, how.weight)
}

/// `loss` with the `--delta` or `--weight` given (refused for a loss that has no such setting).
fn loss_with(loss: Loss, delta: Option<f64>, weight: Option<f64>) -> Result<Loss, String> {
    match loss {
        Loss::Huber { delta: default } => {
            if weight.is_some() {
                return Err("--weight sets the asymmetric loss; this fit uses huber".into());
            }
            Ok(Loss::Huber {
                delta: delta.unwrap_or(default),
            })
        }
        Loss::Asymmetric { weight: default } => {
            if delta.is_some() {
                return Err("--delta sets the huber loss; this fit uses asymmetric".into());
            }
            Ok(Loss::Asymmetric {
                weight: weight.unwrap_or(default),
            })
        }
        Loss::LeastSquares => match (delta, weight) {
            (Some(_), _) => Err("--delta sets the huber loss (add --loss huber); this fit uses least-squares".into()),
            (_, Some(_)) => Err("--weight sets the asymmetric loss (add --loss asymmetric); this fit uses least-squares".into()),
            _ => Ok(loss),
        },
    }
}

fn fit_command(args: &FitArgs) -> Result<String, String> {
    let model = args.model;
    let loss = resolve_loss(args)?;
    // Before reading the data: a bad setting needs no data to be refused.
    loss.validate().map_err(|e| e.to_string())?;
    let text = read_input(&args.file)?;
    let data = parse_dataset(&text).map_err(|e| e.to_string())?;
    let options = FitOptions {
        model,
        x: args.x,
        loss,
        starts: args.how.starts,
    };
    let clock = std::time::Instant::now();
    let result = fit::fit(&data, &options).map_err(|e| e.to_string())?;
    let boot = if args.bootstrap > 0 {
        let problem = Problem::new(model, args.x, &data).map_err(|e| e.to_string())?;
        Some(bootstrap(
            &problem,
            &options.loss,
            &result,
            args.bootstrap,
            args.seed,
        ))
    } else {
        None
    };
    let millis = clock.elapsed().as_secs_f64() * 1e3;
    let report = FitReport::new(&result, boot.as_ref())
        .with_seed(args.seed)
        .with_millis(millis);
    if args.json {
        return Ok(report.to_json());
    }
    let mut lines = vec![format!(
        "{}   ({} points, {})",
        report.formula,
        report.points,
        if report.converged {
            "converged"
        } else {
            "NOT converged"
        }
    )];
    for (n, v) in &report.params.0 {
        let se = report
            .std_errors
            .as_ref()
            .and_then(|s| s.get(n))
            .map(|s| format!("  ± {}", format_param(*s)))
            .unwrap_or_default();
        let interval = report
            .intervals
            .as_ref()
            .and_then(|i| i.get(n))
            .map(|[lo, hi]| format!("  95% [{}, {}]", format_param(*lo), format_param(*hi)))
            .unwrap_or_default();
        lines.push(format!("  {n:<7} = {}{se}{interval}", format_param(*v)));
    }
    lines.push(match report.r2 {
        Some(r2) => format!("  objective = {:e}   R² (log) = {r2:.5}", report.objective),
        None => format!("  objective = {:e}", report.objective),
    });
    for w in &report.warnings {
        lines.push(format!("  warning: {}", w.message));
    }
    for note in &report.notes {
        lines.push(format!("  warning: {note}"));
    }
    Ok(lines.join("\n"))
}

/// The law of `--law ID`, or of `--model ID --params NAME=VALUE,...` (its variable, when it
/// has one, is `x`), with the name to call it by.
fn law_from_args(args: &LawArgs, x: Variable) -> Result<(Law, String), String> {
    if let Some(published) = args.law {
        return Ok((published.law(), format!("--law {}", published.id)));
    }
    let (Some(model), Some(text)) = (args.model, &args.params) else {
        return Err("--model (with --params) or --law is required".into());
    };
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
        values[index] = Some(
            crate::args::quantity(value).map_err(|e| format!("--params: {}: {e}", name.trim()))?,
        );
    }
    let params = values
        .iter()
        .zip(names)
        .map(|(v, n)| v.ok_or_else(|| format!("--params: {n} is missing")))
        .collect::<Result<Vec<f64>, String>>()?;
    let law = Law::new(model, x, params).map_err(|e| e.to_string())?;
    Ok((law, model.id().to_string()))
}

fn predict_command(args: &PredictArgs) -> Result<String, String> {
    let at = &args.at.scales;
    let k = args.flop_per_param_token;
    let first = at.first().map_or(Variable::N, |a| a.0);
    // A published one-variable law keeps its own variable; a given one takes the first of --at.
    let (law, _) = law_from_args(&args.law, first)?;
    let get = |v: Variable| at.iter().find(|a| a.0 == v).map(|a| a.1);
    let value = if law.model.is_single_variable() {
        let x = get(law.x).ok_or_else(|| format!("--at needs {} for this law", law.x.symbol()))?;
        predict(&law, x)
    } else {
        let (n, d) = match (get(Variable::N), get(Variable::D), get(Variable::C)) {
            (Some(n), Some(d), _) => (n, d),
            (Some(n), None, Some(c)) => (n, c / (k * n)),
            (None, Some(d), Some(c)) => (c / (k * d), d),
            _ => return Err("--at needs N and D (or one of them with C) for this law".into()),
        };
        if law.model.form().needs(law.x).contains(&Quantity::U) && args.at.unique.is_none() {
            return Err("--at needs U (unique tokens) for this law".into());
        }
        law.value(&Inputs {
            n: Some(n),
            d: Some(d),
            c: Some(k * n * d),
            u: args.at.unique,
        })
    }
    .filter(|v| v.is_finite())
    .ok_or("the law has no finite value there")?;
    Ok(if args.json {
        json!({ "value": value }).to_string()
    } else {
        format!("{} = {}", law.model.response().symbol(), value)
    })
}

/// `value` if it is a positive finite number, else why `what` could not be computed.
fn positive(what: &str, value: f64, why: &str) -> Result<f64, String> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(format!(
            "{what} could not be computed: it came out as {value}; {why}"
        ))
    }
}

fn plan_command(args: &PlanArgs) -> Result<String, String> {
    let budget = args.budget;
    let k = args.flop_per_param_token;
    let (law, name) = law_from_args(&args.law, args.x.unwrap_or(Variable::N))?;
    if law.model.is_single_variable() {
        if law.x != Variable::C {
            return Err(format!(
                "{name} is a law of {} alone: a budget needs a law of N and D (chinchilla, kaplan-joint, multiplicative) or of C",
                law.x.symbol()
            ));
        }
        // A law of compute alone has no split: it reads the loss at the budget.
        let loss = positive(
            "the loss",
            predict(&law, budget).unwrap_or(f64::NAN),
            "the law has no positive value at this budget",
        )?;
        let note = "a law of compute alone does not split the budget into N and D: only the loss at the budget is given";
        return Ok(if args.json {
            json!({ "loss": loss, "budget": budget, "notes": [note] }).to_string()
        } else {
            format!(
                "budget {} FLOP: loss {} ({note})",
                format_sci(budget),
                trim_number(loss, 4)
            )
        });
    }
    if budget < k {
        return Err(format!(
            "the budget of {} FLOP is less than one parameter trained on one token ({k} FLOP)",
            crate::args::shown(budget)
        ));
    }
    let plan = compute_optimal(&law, budget, k).map_err(|e| e.to_string())?;
    let range = format!(
        "the budget of {} FLOP is outside the range this law can split",
        format_sci(budget)
    );
    let n = positive("N_opt", plan.n, &range)?;
    let d = positive("D_opt", plan.d, &range)?;
    for (what, value, unit) in [("N_opt", n, "parameter"), ("D_opt", d, "token")] {
        if value < 1.0 {
            return Err(format!(
                "{what} came out as {value:.3e}, less than one {unit}: the budget of {} FLOP is too small for this law",
                format_sci(budget)
            ));
        }
    }
    let loss = positive(
        "the loss at the split",
        plan.loss,
        "the law gives no positive loss there",
    )?;
    let tokens_per_param = positive("tokens_per_param", plan.tokens_per_param, &range)?;
    Ok(if args.json {
        json!({
            "N_opt": n,
            "D_opt": d,
            "loss": loss,
            "tokens_per_param": tokens_per_param,
            "budget": budget,
        })
        .to_string()
    } else {
        format!(
            "budget {} FLOP: N_opt = {}, D_opt = {} ({} tokens per parameter), loss {}",
            format_sci(budget),
            format_si(n),
            format_si(d),
            trim_number(tokens_per_param, 3),
            trim_number(loss, 4)
        )
    })
}

fn backtest_command(args: &BacktestArgs) -> Result<String, String> {
    let text = read_input(&args.file)?;
    let data = parse_dataset(&text).map_err(|e| e.to_string())?;
    let model = match args.model {
        Forms::One(model) => model,
        Forms::All => scaling_calc::engine::law::ModelId::Power,
    };
    let how = &args.how;
    let loss = loss_with(
        how.loss.unwrap_or_else(|| fit::default_loss(model)),
        how.delta,
        how.weight,
    )?;
    loss.validate().map_err(|e| e.to_string())?;
    let options = FitOptions {
        model,
        x: args.x,
        loss,
        starts: how.starts,
    };
    match args.model {
        Forms::One(_) => {
            let result = backtest::backtest(&data, &options, args.by, args.cut)
                .map_err(|e| e.to_string())?;
            Ok(if args.json {
                backtest_json(&result).to_string()
            } else {
                backtest_text(&result).join("\n")
            })
        }
        Forms::All => {
            let same_loss = how.loss.is_some();
            let ranking = backtest::rank(&data, &options, args.by, args.cut, same_loss)
                .map_err(|e| e.to_string())?;
            if args.json {
                let laws: Vec<serde_json::Value> = ranking.laws.iter().map(backtest_json).collect();
                let order: Vec<&str> = ranking.order.iter().map(|m| m.id()).collect();
                return Ok(
                    json!({"by": args.by.symbol(), "laws": laws, "ranking": order}).to_string(),
                );
            }
            let mut lines = vec![format!(
                "Forms ranked by held-out error (runs ordered by {}):",
                args.by.symbol()
            )];
            for (place, model) in ranking.order.iter().enumerate() {
                let Some(b) = ranking.laws.iter().find(|b| b.model == *model) else {
                    continue;
                };
                lines.push(match b.summary {
                    Some(s) => format!(
                        "  {}. {:<18} mean RMSLE {:.4}  worst {:.4}  bias {:+.4}  ({} of {} cuts fitted)",
                        place + 1,
                        model.id(),
                        s.mean_rmsle,
                        s.worst_rmsle,
                        s.mean_bias,
                        s.fitted,
                        s.tried
                    ),
                    None => format!("  {}. {:<18} no cut could be fitted", place + 1, model.id()),
                });
            }
            Ok(lines.join("\n"))
        }
    }
}

/// A backtest as the contract's JSON (NaN and infinities as null).
fn backtest_json(b: &Backtest) -> serde_json::Value {
    let number = |v: f64| {
        if v.is_finite() {
            json!(v)
        } else {
            serde_json::Value::Null
        }
    };
    let names = b.model.param_names();
    let cuts: Vec<serde_json::Value> = b
        .cuts
        .iter()
        .map(|c| {
            let params = match &c.fitted {
                Ok(values) => {
                    let map: serde_json::Map<String, serde_json::Value> = names
                        .iter()
                        .zip(values)
                        .map(|(n, v)| (n.to_string(), number(*v)))
                        .collect();
                    serde_json::Value::Object(map)
                }
                Err(_) => serde_json::Value::Null,
            };
            let predictions: Vec<serde_json::Value> = c
                .predictions
                .iter()
                .map(|p| json!({"row": p.row, "at": number(p.at), "actual": number(p.actual), "predicted": number(p.predicted)}))
                .collect();
            json!({
                "train_max": number(c.train_max),
                "n_train": c.n_train,
                "n_test": c.n_test,
                "params": params,
                "error": c.fitted.as_ref().err().map(|e| e.to_string()),
                "rmsle": number(c.rmsle),
                "bias": number(c.bias),
                "are": number(c.are),
                "worst": number(c.worst),
                "predictions": predictions,
            })
        })
        .collect();
    let summary = b.summary.map(|s| {
        json!({
            "mean_rmsle": number(s.mean_rmsle),
            "worst_rmsle": number(s.worst_rmsle),
            "mean_bias": number(s.mean_bias),
            "mean_are": number(s.mean_are),
            "worst_error": number(s.worst_error),
            "cuts_fitted": s.fitted,
            "cuts_tried": s.tried,
        })
    });
    json!({"model": b.model.id(), "x": b.x.symbol(), "by": b.by.symbol(), "cuts": cuts, "summary": summary})
}

/// A backtest as lines of text: one per cut, each held-out run's error, and the summary.
fn backtest_text(b: &Backtest) -> Vec<String> {
    let mut lines = vec![format!(
        "{} backtested by {} ({} cut{}):",
        b.model.id(),
        b.by.symbol(),
        b.cuts.len(),
        if b.cuts.len() == 1 { "" } else { "s" }
    )];
    for c in &b.cuts {
        let head = format!(
            "  {} ≤ {}: {} runs in, {} out",
            b.by.symbol(),
            format_si(c.train_max),
            c.n_train,
            c.n_test
        );
        match &c.fitted {
            Ok(_) => {
                lines.push(format!(
                    "{head}: RMSLE {:.4}, bias {:+.4}, ARE {:.2} %, worst {:.2} %",
                    c.rmsle,
                    c.bias,
                    100.0 * c.are,
                    100.0 * c.worst
                ));
                for p in &c.predictions {
                    lines.push(format!(
                        "    row {:>3}  {} = {:<8} actual {:.4}  predicted {:.4}  ({:+.2} %)",
                        p.row,
                        b.by.symbol(),
                        format_si(p.at),
                        p.actual,
                        p.predicted,
                        100.0 * (p.predicted / p.actual - 1.0)
                    ));
                }
            }
            Err(e) => lines.push(format!("{head}: no fit ({e})")),
        }
    }
    if let Some(s) = b.summary {
        lines.push(format!(
            "  mean RMSLE {:.4}, worst {:.4}, mean bias {:+.4} ({} of {} cuts fitted)",
            s.mean_rmsle, s.worst_rmsle, s.mean_bias, s.fitted, s.tried
        ));
    }
    lines
}
