//! The command line's grammar (clap derive). Choices come from the engine's own lists (model
//! forms, published laws, variables, losses, starts), so `--help` follows the engine.
//!
//! Just over 400 lines: every command's options with their help and checks in one place.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};
use scaling_calc::engine::fit::{
    Constraints, Loss, Starts, DEFAULT_ASYMMETRIC_WEIGHT, DEFAULT_HUBER_DELTA,
};
use scaling_calc::engine::law::{ModelId, UnknownId, Variable};
use scaling_calc::engine::plan::DEFAULT_FLOP_PER_PARAM_TOKEN;
use scaling_calc::engine::presets::{self, PublishedLaw};
use scaling_calc::engine::units::{parse_quantity, UnitError};
use std::ffi::OsStr;
use std::path::PathBuf;

/// The most bootstrap resamples a fit takes (each one is a full refit).
pub const MAX_RESAMPLES: usize = 100_000;
/// The sane range of FLOP per parameter per token (6 for training, 2 for a forward pass).
pub const FLOP_RULE_RANGE: (f64, f64) = (0.1, 1000.0);

const NUMBERS: &str = "Numbers take units: 1.5B, 300e9, 20k, 3640 PF-days (K, M, B/G, T, P; 1 PF-day = 8.64e19 FLOP).";

/// Fit and plan with neural scaling laws (the engine of the scaling-law calculator page).
#[derive(Parser, Debug)]
#[command(name = "scaling-calc", version, after_help = NUMBERS)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Fit a model form to runs (CSV or TSV with a header row: N, D, C, L or P columns).
    Fit(FitArgs),
    /// The value of a law at a given scale.
    Predict(PredictArgs),
    /// The compute-optimal split of a FLOP budget into parameters N and tokens D.
    Plan(PlanArgs),
    /// Fit on the smaller runs, predict the larger ones: one cut, or a rollout over every cut;
    /// with --model all, every form the data can take, ranked by held-out error.
    Backtest(BacktestArgs),
    /// IsoFLOP analysis (Hoffmann's approach 2): a parabola in ln N per budget, and
    /// N_opt = k C^e through the minima.
    Isoflop(IsoflopArgs),
    /// Task accuracy from scale in two steps (OLMo ladder): the task's loss as a law of N and D,
    /// then a sigmoid from task loss to accuracy; checked on held-out rows (# or role=target).
    Task(TaskArgs),
    /// The next experiments: ladders of small runs an experiment budget affords, scored by how
    /// well each would predict the loss at the target budget (simulated from the law).
    Ladder(LadderArgs),
}

#[derive(Args, Debug)]
#[command(after_help = NUMBERS)]
pub struct LadderArgs {
    #[command(flatten)]
    pub law: LawArgs,
    /// The target budget, FLOP.
    #[arg(long, value_name = "C", value_parser = budget, allow_hyphen_values = true)]
    pub budget: f64,
    /// The experiment budget as a fraction of the target's.
    #[arg(long, value_name = "F", default_value_t = 0.01, value_parser = quantity, allow_hyphen_values = true)]
    pub fraction: f64,
    /// σ of ln L for one run around the law (a fit's residual scale; 0.01 is 1 %).
    #[arg(long, value_name = "S", default_value_t = 0.01, value_parser = quantity, allow_hyphen_values = true)]
    pub noise: f64,
    /// Simulated ladders per candidate.
    #[arg(long, value_name = "N", default_value_t = 32)]
    pub simulations: usize,
    /// The seed of the simulations.
    #[arg(long, value_name = "S", default_value_t = 0)]
    pub seed: u64,
    #[arg(long, value_name = "K", default_value_t = DEFAULT_FLOP_PER_PARAM_TOKEN,
          value_parser = flop_rule, allow_hyphen_values = true, help = flop_rule_help())]
    pub flop_per_param_token: f64,
    /// Print the best ladder's runs as CSV (N,D,C,tokens_per_param).
    #[arg(long, conflicts_with = "json")]
    pub csv: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
pub struct TaskArgs {
    /// The data text: a file, or - for stdin (columns N, D, the task loss and the accuracy).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The column of the task's loss, e.g. hellaswag_bpb.
    #[arg(long, value_name = "COLUMN")]
    pub loss_column: String,
    /// The column of the task's accuracy, e.g. hellaswag_acc.
    #[arg(long, value_name = "COLUMN")]
    pub accuracy_column: String,
    /// The law of the task loss (a form of N and D).
    #[arg(long, value_name = "ID", default_value = "chinchilla", value_parser = model_parser())]
    pub model: ModelId,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
#[command(after_help = NUMBERS)]
pub struct IsoflopArgs {
    /// The data text: a file, or - for stdin (N, a loss, and C or D).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[arg(long, value_name = "K", default_value_t = DEFAULT_FLOP_PER_PARAM_TOKEN,
          value_parser = flop_rule, allow_hyphen_values = true, help = flop_rule_help())]
    pub flop_per_param_token: f64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// The form of a backtest: one, or every form the data can take.
#[derive(Clone, Copy, Debug)]
pub enum Forms {
    One(ModelId),
    All,
}

#[derive(Args, Debug)]
#[command(after_help = NUMBERS)]
pub struct BacktestArgs {
    /// The data text: a file, or - for stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The model form, or `all` to rank every form the data can take.
    #[arg(long, value_name = "ID|all", value_parser = forms_parser())]
    pub model: Forms,
    /// The variable X of a one-variable form.
    #[arg(long, value_name = "N|D|C", default_value = "N", value_parser = variable_parser())]
    pub x: Variable,
    /// The variable the runs are ordered by: the law is fitted on the smaller, tested on the larger.
    #[arg(long, value_name = "N|D|C", default_value = "N", value_parser = variable_parser())]
    pub by: Variable,
    /// One cut: fit on the runs with --by up to this value, predict the rest (else a rollout).
    #[arg(long, value_name = "VALUE", value_parser = quantity, allow_hyphen_values = true)]
    pub cut: Option<f64>,
    #[command(flatten)]
    pub how: HowArgs,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
#[command(after_help = NUMBERS)]
pub struct FitArgs {
    /// The data text: a file, or - for stdin.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The model form (formulas shown with X = N: --x picks X for the one-variable forms).
    #[arg(long, value_name = "ID", value_parser = model_parser())]
    pub model: ModelId,
    /// The variable X of a one-variable form.
    #[arg(long, value_name = "N|D|C", default_value = "N", value_parser = variable_parser())]
    pub x: Variable,
    #[command(flatten)]
    pub how: HowArgs,
    #[arg(long, value_name = "N", default_value = "0", value_parser = resamples,
          allow_hyphen_values = true,
          help = format!("Bootstrap resamples for 95% percentile intervals, at most {MAX_RESAMPLES} (0 = none)"))]
    pub bootstrap: usize,
    /// The seed of the bootstrap's resampling.
    #[arg(
        long,
        value_name = "S",
        default_value_t = 0,
        allow_hyphen_values = true
    )]
    pub seed: u64,
    /// Also split this FLOP budget compute-optimally under the fitted law (with --bootstrap:
    /// 95% intervals on N_opt, D_opt and the loss), e.g. 5.76e23.
    #[arg(long, value_name = "C", value_parser = budget, allow_hyphen_values = true)]
    pub budget: Option<f64>,
    #[arg(long, value_name = "K", default_value_t = DEFAULT_FLOP_PER_PARAM_TOKEN,
          value_parser = flop_rule, allow_hyphen_values = true, help = flop_rule_help())]
    pub flop_per_param_token: f64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// How a law is fitted (`fit` and `backtest`): the loss with its setting, and the starts.
#[derive(Args, Debug)]
pub struct HowArgs {
    /// How residuals are weighed [default: the form's own: huber for chinchilla, least-squares otherwise].
    #[arg(long, value_name = "KIND", value_parser = loss_parser())]
    pub loss: Option<Loss>,
    #[arg(long, value_name = "DELTA", value_parser = quantity, allow_hyphen_values = true,
          help = format!("Huber's delta, for the huber loss [default: {DEFAULT_HUBER_DELTA:e}]"))]
    pub delta: Option<f64>,
    #[arg(long, value_name = "W", value_parser = quantity, allow_hyphen_values = true,
          help = format!("The weight of a point below the curve, for the asymmetric loss [default: {DEFAULT_ASYMMETRIC_WEIGHT}]"))]
    pub weight: Option<f64>,
    /// How the solver is started.
    #[arg(long, value_name = "HOW", default_value = "auto", value_parser = starts_parser())]
    pub starts: Starts,
    /// Hold parameters at values, e.g. E=1.69 or E=1.69,alpha=0.34.
    #[arg(long, value_name = "NAME=VALUE,...", allow_hyphen_values = true)]
    pub fix: Option<String>,
    /// Tie parameters equal, e.g. alpha=beta (the second takes the first's value).
    #[arg(long, value_name = "NAME=NAME,...")]
    pub tie: Option<String>,
}

impl HowArgs {
    /// The fixed and tied parameters of --fix and --tie.
    pub fn constraints(&self) -> Result<Constraints, String> {
        Constraints::parse(
            self.fix.as_deref().unwrap_or(""),
            self.tie.as_deref().unwrap_or(""),
        )
        .map_err(|e| e.to_string())
    }
}

/// A law given by a published id or by a form and its parameters.
#[derive(Args, Debug)]
pub struct LawArgs {
    /// A published law.
    #[arg(long, value_name = "ID", value_parser = law_parser(), conflicts_with_all = ["model", "params"])]
    pub law: Option<&'static PublishedLaw>,
    /// A model form, with its parameters in --params.
    #[arg(long, value_name = "ID", value_parser = model_parser(), requires = "params")]
    pub model: Option<ModelId>,
    /// The parameters of --model, e.g. E=1.69,A=406.4,B=410.7,alpha=0.34,beta=0.28.
    #[arg(long, value_name = "NAME=VALUE,...", requires = "model")]
    pub params: Option<String>,
}

#[derive(Args, Debug)]
#[command(after_help = NUMBERS)]
pub struct PredictArgs {
    #[command(flatten)]
    pub law: LawArgs,
    /// Where: N=175B, or N and D (or one of them with C) for a law of N and D, with U (unique
    /// tokens) for a data-constrained law.
    #[arg(long, value_name = "N=175B[,D=300B][,U=25B]", value_parser = at_parser)]
    pub at: At,
    #[arg(long, value_name = "K", default_value_t = DEFAULT_FLOP_PER_PARAM_TOKEN,
          value_parser = flop_rule, allow_hyphen_values = true, help = flop_rule_help())]
    pub flop_per_param_token: f64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Args, Debug)]
#[command(after_help = NUMBERS)]
pub struct PlanArgs {
    #[command(flatten)]
    pub law: LawArgs,
    /// The variable of a one-variable --model (a law of C alone reads the loss at the budget).
    #[arg(long, value_name = "N|D|C", requires = "model", value_parser = variable_parser())]
    pub x: Option<Variable>,
    /// The FLOP budget, e.g. 5.76e23 or 3640 PF-days.
    #[arg(long, value_name = "C", value_parser = budget, allow_hyphen_values = true)]
    pub budget: f64,
    /// Unique tokens available: the best split when data must be repeated (needs a
    /// data-constrained law, e.g. --law muennighoff-2023).
    #[arg(long, value_name = "U", value_parser = quantity, allow_hyphen_values = true)]
    pub unique_tokens: Option<f64>,
    /// d_model / n_layer of the model shape given for N_opt.
    #[arg(long, value_name = "A", default_value_t = 128.0, value_parser = quantity)]
    pub aspect: f64,
    /// Context length at which attention FLOP are counted (DeepSeek's M).
    #[arg(long, value_name = "L", default_value_t = 4096.0, value_parser = quantity)]
    pub sequence: f64,
    /// Tokens the model will serve: the smaller, longer-trained model that reaches the same loss
    /// at the least training + inference FLOP (Sardana et al. 2024).
    #[arg(long, value_name = "T", value_parser = quantity, allow_hyphen_values = true)]
    pub inference_tokens: Option<f64>,
    #[arg(long, value_name = "K", default_value_t = DEFAULT_FLOP_PER_PARAM_TOKEN,
          value_parser = flop_rule, allow_hyphen_values = true, help = flop_rule_help())]
    pub flop_per_param_token: f64,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `--at N=175B,D=300B[,U=25B]`: (variable, value) pairs in the order given, and the unique
/// tokens U a data-constrained law reads.
#[derive(Clone, Debug)]
pub struct At {
    pub scales: Vec<(Variable, f64)>,
    pub unique: Option<f64>,
}

/// A choice among the engine's values: the possible values (with their help) for `--help`,
/// the engine's own parser (and its message) for the value.
#[derive(Clone)]
pub struct Choice<T> {
    values: Vec<PossibleValue>,
    parse: fn(&str) -> Result<T, String>,
}

impl<T: Clone + Send + Sync + 'static> TypedValueParser for Choice<T> {
    type Value = T;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let name = arg
            .and_then(|a| a.get_long())
            .map_or_else(|| "the value".to_string(), |l| format!("--{l}"));
        let reason = match value.to_str() {
            Some(text) => (self.parse)(text),
            None => Err(format!("\"{}\" is not UTF-8", value.to_string_lossy())),
        };
        reason.map_err(|reason| {
            clap::Error::raw(ErrorKind::ValueValidation, format!("{name}: {reason}\n"))
                .with_cmd(cmd)
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values.iter().cloned()))
    }
}

fn model_parser() -> Choice<ModelId> {
    Choice {
        values: ModelId::ALL
            .iter()
            .map(|m| PossibleValue::new(m.id()).help(m.formula(Variable::N)))
            .collect(),
        parse: |s| s.parse().map_err(|e: UnknownId| e.to_string()),
    }
}

fn forms_parser() -> Choice<Forms> {
    let mut values = vec![PossibleValue::new("all").help("every form the data can take, ranked")];
    values.extend(
        ModelId::ALL
            .iter()
            .map(|m| PossibleValue::new(m.id()).help(m.formula(Variable::N))),
    );
    Choice {
        values,
        parse: |s| match s {
            "all" => Ok(Forms::All),
            _ => s
                .parse()
                .map(Forms::One)
                .map_err(|e: UnknownId| e.to_string()),
        },
    }
}

fn law_parser() -> Choice<&'static PublishedLaw> {
    Choice {
        values: presets::LAWS
            .iter()
            .map(|l| PossibleValue::new(l.id).help(l.title))
            .collect(),
        parse: |s| {
            presets::law(s).ok_or_else(|| {
                let ids: Vec<&str> = presets::LAWS.iter().map(|l| l.id).collect();
                format!("unknown published law \"{s}\" (one of: {})", ids.join(", "))
            })
        },
    }
}

fn variable_parser() -> Choice<Variable> {
    Choice {
        values: Variable::ALL
            .iter()
            .map(|v| {
                PossibleValue::new(v.symbol()).help(match v {
                    Variable::N => "parameters",
                    Variable::D => "training tokens",
                    Variable::C => "training compute, FLOP",
                })
            })
            .collect(),
        parse: |s| s.parse().map_err(|e: UnknownId| e.to_string()),
    }
}

fn loss_parser() -> Choice<Loss> {
    Choice {
        values: Loss::ALL
            .iter()
            .map(|l| {
                PossibleValue::new(l.id()).help(match l {
                    Loss::LeastSquares => "sum of r²/2".to_string(),
                    Loss::Huber { .. } => "r²/2 within --delta, linear beyond".to_string(),
                    Loss::Asymmetric { .. } => {
                        "r²/2, times --weight where the curve is above the point (lower envelope)"
                            .to_string()
                    }
                })
            })
            .collect(),
        parse: |s| {
            Loss::from_id(s).ok_or_else(|| {
                let ids: Vec<&str> = Loss::ALL.iter().map(|l| l.id()).collect();
                format!("unknown loss \"{s}\" (one of: {})", ids.join(", "))
            })
        },
    }
}

fn starts_parser() -> Choice<Starts> {
    Choice {
        values: Starts::ALL
            .iter()
            .map(|s| {
                PossibleValue::new(s.id()).help(match s {
                    Starts::Auto => "a coarse grid, its best few starts polished",
                    Starts::EpochGrid => {
                        "the 4,500 starts of Besiroglu et al. (2024), each polished"
                    }
                })
            })
            .collect(),
        parse: |s| s.parse().map_err(|e: UnknownId| e.to_string()),
    }
}

/// A number as people write it (the engine's units).
pub fn quantity(text: &str) -> Result<f64, String> {
    parse_quantity(text).map_err(|e| match e {
        UnitError::Empty => "no number given".to_string(),
        other => other.to_string(),
    })
}

/// A number as given back in a message: plain when short, scientific otherwise.
pub fn shown(value: f64) -> String {
    if value == 0.0 || (1e-3..1e12).contains(&value.abs()) {
        format!("{value}")
    } else {
        format!("{value:e}")
    }
}

fn budget(text: &str) -> Result<f64, String> {
    let c = quantity(text)?;
    if c > 0.0 {
        Ok(c)
    } else {
        Err(format!(
            "the budget must be a positive number of FLOP, got {}",
            shown(c)
        ))
    }
}

fn flop_rule_help() -> String {
    let (lo, hi) = FLOP_RULE_RANGE;
    format!("FLOP per parameter per token, C = K·N·D, from {lo} to {hi}")
}

fn flop_rule(text: &str) -> Result<f64, String> {
    let k = quantity(text)?;
    let (lo, hi) = FLOP_RULE_RANGE;
    if (lo..=hi).contains(&k) {
        Ok(k)
    } else {
        Err(format!(
            "FLOP per parameter per token must be from {lo} to {hi} (6 for training), got {}",
            shown(k)
        ))
    }
}

fn resamples(text: &str) -> Result<usize, String> {
    let n = quantity(text)?;
    if !(n >= 0.0 && n.fract() == 0.0) {
        return Err(format!(
            "a whole number of resamples is needed, got {}",
            shown(n)
        ));
    }
    if n > MAX_RESAMPLES as f64 {
        return Err(format!(
            "at most {MAX_RESAMPLES} resamples (each is a full refit), got {}",
            shown(n)
        ));
    }
    Ok(n as usize)
}

fn at_parser(text: &str) -> Result<At, String> {
    let mut at = At {
        scales: Vec::new(),
        unique: None,
    };
    for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("\"{pair}\" is not N=VALUE, D=VALUE, C=VALUE or U=VALUE"))?;
        let value = quantity(value).map_err(|e| format!("{}: {e}", name.trim()))?;
        if name.trim().eq_ignore_ascii_case("U") {
            at.unique = Some(value);
        } else {
            let variable = name
                .parse::<Variable>()
                .map_err(|_| format!("unknown variable \"{name}\" (one of: N, D, C, U)"))?;
            at.scales.push((variable, value));
        }
    }
    if at.scales.is_empty() {
        return Err("give N=VALUE, D=VALUE or C=VALUE".into());
    }
    Ok(at)
}
