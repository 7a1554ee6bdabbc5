//! The commands over the engine: each returns the text to print, or the one-line reason it
//! could not. Calls into the engine are kept here, in few places.

use crate::args::{Command, FitArgs, LawArgs, PlanArgs, PredictArgs};
use scaling_calc::engine::dataset::{parse_dataset, Quantity};
use scaling_calc::engine::fit::bootstrap::bootstrap;
use scaling_calc::engine::fit::{self, FitOptions, Loss};
use scaling_calc::engine::law::{Inputs, Law, Variable};
use scaling_calc::engine::plan::{
    accounting, compute_optimal, hyper, inference, predict, repeated,
};
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
        Command::Backtest(args) => crate::backtest::backtest_command(args),
        Command::Isoflop(args) => isoflop_command(args),
        Command::Task(args) => task_command(args),
        Command::Ladder(args) => ladder_command(args),
    }
}

/// Reads the data text from a file, or stdin for `-`.
pub fn read_input(path: &Path) -> Result<String, String> {
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
pub fn loss_with(loss: Loss, delta: Option<f64>, weight: Option<f64>) -> Result<Loss, String> {
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
        constraints: args.how.constraints()?,
    };
    options
        .constraints
        .check(model)
        .map_err(|e| e.to_string())?;
    let clock = std::time::Instant::now();
    let result = fit::fit(&data, &options).map_err(|e| e.to_string())?;
    let boot = if args.bootstrap > 0 {
        let problem = fit::problem_of(&data, &options).map_err(|e| e.to_string())?;
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
    let mut report = FitReport::new(&result, boot.as_ref())
        .with_seed(args.seed)
        .with_millis(millis)
        .with_held_out(&result, &data, boot.as_ref());
    if let Some(budget) = args.budget {
        report = report
            .with_plan(
                &result,
                boot.as_ref(),
                &data,
                budget,
                args.flop_per_param_token,
            )
            .map_err(|e| format!("--budget: {e}"))?;
    }
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
    if !result.constraints.is_empty() {
        lines.push(format!(
            "  {}",
            crate::backtest::held_text(&result.constraints)
        ));
    }
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
    if let Some(plan) = &report.plan {
        let with = |e: &scaling_calc::engine::report::Estimate, show: fn(f64) -> String| {
            let value = e.value.map(show).unwrap_or_default();
            match e.interval {
                Some([lo, hi]) => format!("{value} (95% [{}, {}])", show(lo), show(hi)),
                None => value,
            }
        };
        lines.push(format!(
            "  at C = {}: N_opt = {}, D_opt = {}, loss = {}",
            format_sci(plan.budget),
            with(&plan.n, format_si),
            with(&plan.d, format_si),
            with(&plan.loss, |v| trim_number(v, 4)),
        ));
        for far in &plan.outside {
            lines.push(format!("  {far}"));
        }
    }
    for h in &report.held_out {
        let name = h
            .label
            .as_deref()
            .map(|l| format!(" ({l})"))
            .unwrap_or_default();
        let interval = match (h.lo, h.hi, h.inside) {
            (Some(lo), Some(hi), Some(inside)) => format!(
                ", one run 95% [{}, {}]: {}",
                trim_number(lo, 4),
                trim_number(hi, 4),
                if inside { "inside" } else { "OUTSIDE" }
            ),
            _ => String::new(),
        };
        let far = if h.decades_outside > 0.0 {
            format!(", {:.2} decades outside the fitted runs", h.decades_outside)
        } else {
            String::new()
        };
        lines.push(format!(
            "  held out, line {}{name}: predicted {}, actual {}, error {:+.1}%{interval}{far}",
            h.row,
            trim_number(h.predicted, 4),
            trim_number(h.actual, 4),
            100.0 * h.error
        ));
    }
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
    let hyper = hyper::suggest(n, d, k);
    let shape = accounting::shape(n, args.aspect, 128);
    let limited = args
        .unique_tokens
        .map(|u| repeated::data_limited(&law, budget, k, u))
        .transpose()
        .map_err(|e| format!("--unique-tokens: {e}"))?;
    let served = args
        .inference_tokens
        .map(|t| inference::inference_aware(&law, budget, k, t))
        .transpose()
        .map_err(|e| format!("--inference-tokens: {e}"))?;
    if args.json {
        let rates = |h: Option<hyper::Hyperparameters>| {
            h.map_or(serde_json::Value::Null, |h| {
                let mut rates =
                    json!({"learning_rate": h.learning_rate, "batch_tokens": h.batch_tokens});
                // Present only when the run lies outside the range the law was fitted on.
                if h.decades_outside > 0.0 {
                    rates["decades_outside"] = json!(h.decades_outside);
                }
                rates
            })
        };
        let mut out = json!({
            "N_opt": n,
            "D_opt": d,
            "loss": loss,
            "tokens_per_param": tokens_per_param,
            "budget": budget,
            "hyperparameters": {"deepseek": rates(hyper.deepseek), "step_law": rates(hyper.step_law)},
        });
        if let Some(s) = shape {
            let (layers, width) = (f64::from(s.layers), f64::from(s.width));
            out["shape"] = json!({"layers": s.layers, "width": s.width, "heads": s.heads,
                                  "params": s.params, "aspect": args.aspect});
            out["parameters"] = json!({"nonembedding": n, "total": accounting::total_params(n)});
            out["flop_per_token"] = json!({
                "six_n": 6.0 * s.params,
                "deepseek_m": accounting::deepseek_flops_per_token(layers, width, args.sequence),
                "k_with_attention": accounting::k_with_attention(width, args.sequence),
                "sequence": args.sequence,
            });
        }
        if let Some(l) = limited {
            out["data_limited"] = json!({"N": l.n, "D": l.d, "epochs": l.epochs, "loss": l.loss,
                                         "loss_unique": l.loss_unique,
                                         "repetition_cost": l.repetition_cost()});
        }
        if let Some(s) = served {
            out["inference_aware"] = json!({"N": s.n, "D": s.d, "total_flop": s.total_flop,
                                            "saving": s.saving, "tokens_per_param": s.tokens_per_param});
        }
        return Ok(out.to_string());
    }
    let mut lines = vec![format!(
        "budget {} FLOP: N_opt = {}, D_opt = {} ({} tokens per parameter), loss {}",
        format_sci(budget),
        format_si(n),
        format_si(d),
        trim_number(tokens_per_param, 3),
        trim_number(loss, 4)
    )];
    for (name, h) in [
        ("DeepSeek (by compute)", hyper.deepseek),
        ("Step Law (by N and D)", hyper.step_law),
    ] {
        if let Some(h) = h {
            let outside = if h.decades_outside > 0.0 {
                format!(
                    " — {} decades outside the range it was fitted on",
                    trim_number(h.decades_outside, 2)
                )
            } else {
                String::new()
            };
            lines.push(format!(
                "  {name}: learning rate {}, batch {} tokens{outside}",
                format_param(h.learning_rate),
                format_si(h.batch_tokens)
            ));
        }
    }
    if let Some(s) = shape {
        lines.push(format!(
            "  a shape for N_opt at d_model/n_layer = {}: {} layers, width {}, {} heads; {} parameters with embeddings; k with attention at {} tokens of context = {}",
            trim_number(args.aspect, 3),
            s.layers,
            s.width,
            s.heads,
            format_si(accounting::total_params(n)),
            trim_number(args.sequence, 5),
            trim_number(accounting::k_with_attention(f64::from(s.width), args.sequence), 4)
        ));
    }
    if let Some(l) = limited {
        lines.push(format!(
            "  with {} unique tokens: N = {}, D = {} ({} epochs), loss {} ({} above unlimited unique data)",
            format_si(args.unique_tokens.unwrap_or_default()),
            format_si(l.n),
            format_si(l.d),
            trim_number(l.epochs, 3),
            trim_number(l.loss, 4),
            trim_number(l.repetition_cost(), 3)
        ));
    }
    if let Some(s) = served {
        lines.push(format!(
            "  serving {} tokens: N = {}, D = {} ({} tokens per parameter), {} total FLOP, {}% less than the compute-optimal model",
            format_si(args.inference_tokens.unwrap_or_default()),
            format_si(s.n),
            format_si(s.d),
            trim_number(s.tokens_per_param, 3),
            format_sci(s.total_flop),
            trim_number(100.0 * s.saving, 3)
        ));
    }
    Ok(lines.join("\n"))
}

fn isoflop_command(args: &crate::args::IsoflopArgs) -> Result<String, String> {
    let text = read_input(&args.file)?;
    let data = parse_dataset(&text).map_err(|e| e.to_string())?;
    let k = args.flop_per_param_token;
    let result = scaling_calc::engine::isoflop::isoflop(&data, k).map_err(|e| e.to_string())?;
    let bias = "approach 2 is biased when profiles are sampled off-centre or drift across budgets, and when alpha != beta; small errors grow at extrapolated budgets";
    if args.json {
        let profiles: Vec<serde_json::Value> = result
            .profiles
            .iter()
            .map(|p| {
                json!({"budget": p.budget, "runs": p.runs.len(), "parabola": p.parabola,
                       "N_min": p.minimum.map(|m| m.0), "loss_min": p.minimum.map(|m| m.1),
                       "inside": p.inside})
            })
            .collect();
        return Ok(json!({
            "profiles": profiles,
            "exponent": result.exponent,
            "interval": result.interval.map(|(lo, hi)| [lo, hi]),
            "coefficient": result.coefficient,
            "notes": [bias],
        })
        .to_string());
    }
    let mut lines = vec![format!(
        "N_opt = {} C^{}{}   ({} budgets)",
        format_param(result.coefficient),
        trim_number(result.exponent, 4),
        result.interval.map_or(String::new(), |(lo, hi)| format!(
            "  95% [{}, {}]",
            trim_number(lo, 4),
            trim_number(hi, 4)
        )),
        result.profiles.len()
    )];
    for p in &result.profiles {
        lines.push(match p.minimum {
            Some((n, l)) => format!(
                "  C = {}: {} runs, minimum at N = {} (loss {}){}",
                format_sci(p.budget),
                p.runs.len(),
                format_si(n),
                trim_number(l, 4),
                if p.inside {
                    ""
                } else {
                    " — outside the sizes sampled"
                }
            ),
            None => format!(
                "  C = {}: {} runs, the parabola opens downwards: no minimum",
                format_sci(p.budget),
                p.runs.len()
            ),
        });
    }
    lines.push(format!("  note: {bias}"));
    Ok(lines.join("\n"))
}

fn task_command(args: &crate::args::TaskArgs) -> Result<String, String> {
    use scaling_calc::engine::task::{chain, runs_from_table};
    let text = read_input(&args.file)?;
    let runs =
        runs_from_table(&text, &args.loss_column, &args.accuracy_column).ok_or_else(|| {
            format!(
                "the data needs the columns N, D, {} and {}",
                args.loss_column, args.accuracy_column
            )
        })?;
    let result = chain(&runs, args.model).map_err(|e| e.to_string())?;
    let caution = "many tasks do not scale predictably (Lourie, Hu, Cho 2025 found about 39 % of 46 did): trust the chain only as far as its held-out error";
    let s = result.sigmoid;
    if args.json {
        let names = result.loss_fit.law.model.param_names();
        let params: serde_json::Map<String, serde_json::Value> = names
            .iter()
            .zip(&result.loss_fit.law.params)
            .map(|(n, v)| (n.to_string(), json!(v)))
            .collect();
        let checks: Vec<serde_json::Value> = result
            .checks
            .iter()
            .map(|c| {
                json!({"N": c.n, "D": c.d, "loss": c.loss, "predicted_loss": c.predicted_loss,
                       "accuracy": c.accuracy, "predicted_accuracy": c.predicted_accuracy,
                       "relative_error": c.relative_error()})
            })
            .collect();
        return Ok(json!({"loss_model": args.model.id(), "loss_params": params,
                         "sigmoid": {"a": s.a, "k": s.k, "L0": s.l0, "b": s.b},
                         "checks": checks, "notes": [caution]})
        .to_string());
    }
    let mut lines = vec![
        format!(
            "step 1: {} = {}",
            args.loss_column,
            result
                .loss_fit
                .law
                .formula_with(&|v| format_param(v))
                .trim_start_matches("L = ")
        ),
        format!(
            "step 2: {} = {} / (1 + exp(-({}) ({} - {}))) + {}",
            args.accuracy_column,
            format_param(s.a),
            format_param(s.k),
            args.loss_column,
            format_param(s.l0),
            format_param(s.b)
        ),
    ];
    for c in &result.checks {
        lines.push(format!(
            "  held out N = {}, D = {}: predicted {}, actual {} ({:+.1} %)",
            format_si(c.n),
            format_si(c.d),
            trim_number(c.predicted_accuracy, 4),
            trim_number(c.accuracy, 4),
            100.0 * c.relative_error()
        ));
    }
    if result.checks.is_empty() {
        lines.push("  no held-out rows (# or role=target): the chain is unchecked".into());
    }
    lines.push(format!("  note: {caution}"));
    Ok(lines.join("\n"))
}

fn ladder_command(args: &crate::args::LadderArgs) -> Result<String, String> {
    use scaling_calc::engine::plan::ladder::{propose, LadderOptions};
    let (law, name) = law_from_args(&args.law, Variable::N)?;
    if law.model.is_single_variable() {
        return Err(format!(
            "{name} is a law of one variable: a ladder needs a law of N and D"
        ));
    }
    let k = args.flop_per_param_token;
    let ladders = propose(
        &law,
        &LadderOptions {
            target_budget: args.budget,
            fraction: args.fraction,
            noise: args.noise,
            k,
            simulations: args.simulations.max(1),
            seed: args.seed,
        },
    )
    .map_err(|e| e.to_string())?;
    let best = ladders
        .first()
        .ok_or("no ladder fits the experiment budget")?;
    if args.csv {
        return Ok(best.csv(k).trim_end().to_string());
    }
    if args.json {
        let all: Vec<serde_json::Value> = ladders
            .iter()
            .map(|l| {
                let runs: Vec<serde_json::Value> = l
                    .rungs
                    .iter()
                    .map(|r| json!({"N": r.n, "D": r.d}))
                    .collect();
                json!({"runs": runs, "flop": l.flop, "expected_error": l.expected_error,
                       "error_spread": l.error_spread, "bias": l.bias, "failed": l.failed})
            })
            .collect();
        return Ok(
            json!({"budget": args.budget, "experiment_flop": args.fraction * args.budget,
                         "noise": args.noise, "ladders": all})
            .to_string(),
        );
    }
    let mut lines = vec![format!(
        "{} ladders for {} FLOP of experiments ({} % of {}), scored by the error of the predicted loss at the target ({} simulations, noise {} %):",
        ladders.len(),
        format_sci(args.fraction * args.budget),
        trim_number(100.0 * args.fraction, 3),
        format_sci(args.budget),
        args.simulations,
        trim_number(100.0 * args.noise, 3)
    )];
    for l in ladders.iter().take(5) {
        let sizes: Vec<String> = {
            let mut n: Vec<f64> = l.rungs.iter().map(|r| r.n).collect();
            n.dedup();
            n.iter().map(|v| format_si(*v)).collect()
        };
        lines.push(format!(
            "  {} runs, N = {}: expected error {} ± {} % (bias {:+.2} %)",
            l.rungs.len(),
            sizes.join(", "),
            trim_number(100.0 * l.expected_error, 3),
            trim_number(100.0 * l.error_spread, 2),
            100.0 * l.bias
        ));
    }
    lines.push("  (--csv prints the best ladder's runs)".into());
    Ok(lines.join("\n"))
}
