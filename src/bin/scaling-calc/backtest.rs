//! `scaling-calc backtest`: fit on the smaller runs, predict the larger ones (one cut or a
//! rollout), or with `--model all` every form ranked; text or the contract's JSON.

use crate::args::{BacktestArgs, Forms};
use crate::commands::{loss_with, read_input};
use scaling_calc::engine::backtest::{self, Backtest};
use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::fit::{self, FitOptions};
use scaling_calc::engine::units::format_si;
use serde_json::json;

pub fn backtest_command(args: &BacktestArgs) -> Result<String, String> {
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
        constraints: how.constraints()?,
    };
    match args.model {
        Forms::One(model) => {
            options
                .constraints
                .check(model)
                .map_err(|e| e.to_string())?;
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
            if !options.constraints.is_empty()
                && ranking.laws.iter().all(|b| b.constraints.is_empty())
            {
                let first = ranking.laws.first().map_or(options.model, |b| b.model);
                return Err(options
                    .constraints
                    .check(first)
                    .err()
                    .map_or_else(String::new, |e| {
                        format!("no form compared takes --fix/--tie: {e}")
                    }));
            }
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
    json!({"model": b.model.id(), "x": b.x.symbol(), "by": b.by.symbol(),
           "fix": b.constraints.fix_text(), "tie": b.constraints.tie_text(),
           "tested_decades": b.tested_decades().map_or(serde_json::Value::Null, number),
           "cuts": cuts, "summary": summary})
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
    if !b.constraints.is_empty() {
        lines.push(format!("  {}", held_text(&b.constraints)));
    }
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

/// "held: E=1.69; tied: alpha=beta", what a fit held fixed or tied.
pub fn held_text(c: &scaling_calc::engine::fit::Constraints) -> String {
    let mut parts = Vec::new();
    if !c.fixed.is_empty() {
        parts.push(format!("held: {}", c.fix_text()));
    }
    if !c.tied.is_empty() {
        parts.push(format!("tied: {}", c.tie_text()));
    }
    parts.join("; ")
}
