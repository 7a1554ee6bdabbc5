//! Backtests: fit a law on the smaller runs, predict the larger ones, and see how far off it
//! was. One cut, or a rollout over every cut between neighbouring groups of runs; and a
//! ranking of the forms the data can take by their held-out error.
//!
//! For a held-out run i, e_i = g(predicted_i) − g(actual_i), g the form's link (ln for losses,
//! logit for fractions); RMSLE = sqrt(mean e_i²); bias = mean e_i (negative: the law was
//! optimistic, predicting a lower loss than the run reached); ARE = mean |pred − act| / act;
//! worst = max |pred − act| / act.

use super::dataset::{Dataset, Point};
use super::fit::{self, Constraints, FitError, FitOptions};
use super::law::{self, Inputs, ModelId, Variable};
use serde::{Deserialize, Serialize};

/// A held-out run's prediction.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    /// The line of the data text the run is on (the header is line 1).
    pub row: usize,
    /// Its value of the variable the runs are ordered by.
    pub at: f64,
    pub actual: f64,
    pub predicted: f64,
}

/// One split: fitted on the runs with `by` ≤ `train_max`, tested on the rest.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cut {
    pub train_max: f64,
    pub n_train: usize,
    pub n_test: usize,
    /// The law fitted on the training runs (natural parameters), or why it could not be.
    pub fitted: Result<Vec<f64>, FitError>,
    pub rmsle: f64,
    pub bias: f64,
    pub are: f64,
    pub worst: f64,
    pub predictions: Vec<Prediction>,
}

/// Mean and worst over the cuts that could be fitted.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub mean_rmsle: f64,
    pub worst_rmsle: f64,
    pub mean_bias: f64,
    /// Mean and worst of the cuts' worst relative errors.
    pub mean_are: f64,
    pub worst_error: f64,
    /// Cuts fitted / cuts tried.
    pub fitted: usize,
    pub tried: usize,
}

/// A backtest of one form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backtest {
    pub model: ModelId,
    pub x: Variable,
    pub by: Variable,
    /// What each cut's fit held fixed or tied.
    #[serde(default)]
    pub constraints: Constraints,
    pub cuts: Vec<Cut>,
    /// None when no cut could be fitted.
    pub summary: Option<Summary>,
}

impl Backtest {
    /// How far out the backtest tested the law: the most decades, over the fitted cuts, from a
    /// cut (`train_max`: the largest training run's value in a rollout, the given value with
    /// `--cut`) to its furthest held-out run, log10(at / train_max).
    pub fn tested_decades(&self) -> Option<f64> {
        self.cuts
            .iter()
            .filter(|c| c.fitted.is_ok())
            .flat_map(|c| {
                c.predictions
                    .iter()
                    .map(move |p| (p.at / c.train_max).log10())
            })
            .filter(|d| d.is_finite())
            .max_by(f64::total_cmp)
    }
}

/// Why no backtest could be made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum BacktestError {
    /// The data has no column for the variable the runs are ordered by.
    NoColumn(Variable),
    /// Fewer than two groups of runs: nothing to hold out.
    OneGroup,
    /// The cut leaves no run on one side.
    EmptySide { train: usize, test: usize },
    /// The form cannot take this data at all.
    Form(FitError),
}

impl std::fmt::Display for BacktestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

impl std::error::Error for BacktestError {}

/// The forms ranked by held-out error.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ranking {
    pub by: Variable,
    /// Every form the data can take, in `ModelId::ALL` order.
    pub laws: Vec<Backtest>,
    /// Model ids, best first by mean RMSLE (forms with no fitted cut last, in order).
    pub order: Vec<ModelId>,
}

/// The training values of a rollout: one cut between each pair of neighbouring groups of runs.
/// A group is the runs sharing a value of `by`, or, where most runs have a value of their own,
/// a half-decade of it. A cut's value is the largest `by` of the runs it trains on.
pub fn rollout_cuts(data: &Dataset, by: Variable) -> Vec<f64> {
    let mut values: Vec<f64> = data
        .included()
        .filter_map(|p| p.get(by.quantity()))
        .collect();
    values.sort_by(f64::total_cmp);
    let mut distinct = values.clone();
    distinct.dedup();
    let key = |v: f64| -> f64 {
        if distinct.len() * 2 > values.len() {
            (2.0 * v.log10()).floor()
        } else {
            v
        }
    };
    let mut cuts = Vec::new();
    for pair in values.windows(2) {
        if key(pair[0]) != key(pair[1]) {
            cuts.push(pair[0]);
        }
    }
    cuts
}

/// Fits `options` on the runs with `by` ≤ `train_max` and predicts the others.
pub fn cut(data: &Dataset, options: &FitOptions, by: Variable, train_max: f64) -> Cut {
    let response = options.model.response();
    let link = options.model.form().link();
    let position = |p: &Point| p.get(by.quantity());
    let mut train = data.clone();
    let mut test: Vec<&Point> = Vec::new();
    for (point, original) in train.points.iter_mut().zip(&data.points) {
        if original.excluded {
            continue;
        }
        if position(original).is_some_and(|v| v > train_max) {
            point.excluded = true;
            test.push(original);
        }
    }
    let n_train = train.included().count();
    let fitted = fit::fit(&train, options);
    let mut predictions = Vec::new();
    if let Ok(f) = &fitted {
        for p in &test {
            if let (Some(actual), Some(predicted)) = (p.get(response), f.law.value(&Inputs::of(p)))
            {
                predictions.push(Prediction {
                    row: p.line,
                    at: position(p).unwrap_or(f64::NAN),
                    actual,
                    predicted,
                });
            }
        }
    }
    let errors: Vec<f64> = predictions
        .iter()
        .map(|p| link.apply(p.predicted) - link.apply(p.actual))
        .collect();
    let relative: Vec<f64> = predictions
        .iter()
        .map(|p| (p.predicted - p.actual).abs() / p.actual)
        .collect();
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (rmsle, bias, are, worst) = if errors.is_empty() {
        (f64::NAN, f64::NAN, f64::NAN, f64::NAN)
    } else {
        (
            mean(&errors.iter().map(|e| e * e).collect::<Vec<_>>()).sqrt(),
            mean(&errors),
            mean(&relative),
            relative.iter().copied().fold(0.0, f64::max),
        )
    };
    Cut {
        train_max,
        n_train,
        n_test: test.len(),
        fitted: fitted.map(|f| f.law.params),
        rmsle,
        bias,
        are,
        worst,
        predictions,
    }
}

/// A backtest of one form: at `at` only, or a rollout over every cut that leaves at least as
/// many training runs as the form has parameters.
pub fn backtest(
    data: &Dataset,
    options: &FitOptions,
    by: Variable,
    at: Option<f64>,
) -> Result<Backtest, BacktestError> {
    if !data.has(by.quantity()) {
        return Err(BacktestError::NoColumn(by));
    }
    options
        .model
        .applies(options.x, data)
        .map_err(BacktestError::Form)?;
    let positions: Vec<f64> = data
        .included()
        .filter_map(|p| p.get(by.quantity()))
        .collect();
    let cuts: Vec<Cut> = match at {
        Some(v) => {
            let train = positions.iter().filter(|&&p| p <= v).count();
            let test = positions.len() - train;
            if train == 0 || test == 0 {
                return Err(BacktestError::EmptySide { train, test });
            }
            vec![cut(data, options, by, v)]
        }
        None => {
            let params = options.model.param_names().len();
            let values = rollout_cuts(data, by);
            if values.is_empty() {
                return Err(BacktestError::OneGroup);
            }
            values
                .into_iter()
                .filter(|&v| positions.iter().filter(|&&p| p <= v).count() >= params)
                .map(|v| cut(data, options, by, v))
                .collect()
        }
    };
    let summary = summarise(&cuts);
    Ok(Backtest {
        model: options.model,
        x: options.x,
        by,
        constraints: options.constraints.clone(),
        cuts,
        summary,
    })
}

/// Mean and worst over the cuts with predictions.
fn summarise(cuts: &[Cut]) -> Option<Summary> {
    let good: Vec<&Cut> = cuts.iter().filter(|c| c.rmsle.is_finite()).collect();
    if good.is_empty() {
        return None;
    }
    let n = good.len() as f64;
    Some(Summary {
        mean_rmsle: good.iter().map(|c| c.rmsle).sum::<f64>() / n,
        worst_rmsle: good.iter().map(|c| c.rmsle).fold(0.0, f64::max),
        mean_bias: good.iter().map(|c| c.bias).sum::<f64>() / n,
        mean_are: good.iter().map(|c| c.are).sum::<f64>() / n,
        worst_error: good.iter().map(|c| c.worst).fold(0.0, f64::max),
        fitted: good.len(),
        tried: cuts.len(),
    })
}

/// Every form the data can take, backtested the same way, ranked by mean RMSLE. Forms that
/// need a chosen variable use `options.x`; each uses its own default loss unless `options`
/// says least squares is wanted for all (its loss is used for every form).
pub fn rank(
    data: &Dataset,
    options: &FitOptions,
    by: Variable,
    at: Option<f64>,
    same_loss: bool,
) -> Result<Ranking, BacktestError> {
    let mut laws = Vec::new();
    for own in candidates(options, data, same_loss) {
        match backtest(data, &own, by, at) {
            Ok(b) => laws.push(b),
            Err(BacktestError::Form(_)) => continue,
            Err(e) => return Err(e),
        }
    }
    if laws.is_empty() {
        return Err(BacktestError::Form(FitError::NoLoss {
            model: options.model,
        }));
    }
    Ok(Ranking::of(by, laws))
}

/// The fits a ranking compares: the chosen form with `options` as they are (when the data can
/// take it), then every other form the data can take with its own default loss (or the chosen
/// loss, with `same_loss`), all started the same way; the fixed and tied parameters go to every
/// form that has all the parameters they name (tying alpha = beta reaches each form with both),
/// and the others are fitted free (each backtest records what it held).
pub fn candidates(options: &FitOptions, data: &Dataset, same_loss: bool) -> Vec<FitOptions> {
    let takes = |m: ModelId| m.applies(options.x, data).is_ok();
    let chosen = takes(options.model).then(|| {
        let mut chosen = options.clone();
        if chosen.constraints.check(options.model).is_err() {
            chosen.constraints = Constraints::default();
        }
        chosen
    });
    let others = law::offered(options.x, data)
        .into_iter()
        .filter(|(m, why)| why.is_none() && *m != options.model && takes(*m))
        .map(|(model, _)| {
            let mut own = FitOptions::new(model, options.x);
            own.starts = options.starts;
            if same_loss {
                own.loss = options.loss;
            }
            if options.constraints.check(model).is_ok() {
                own.constraints = options.constraints.clone();
            }
            own
        });
    chosen.into_iter().chain(others).collect()
}

impl Ranking {
    /// The backtests ranked by mean RMSLE (forms with no fitted cut last, in their order).
    pub fn of(by: Variable, laws: Vec<Backtest>) -> Ranking {
        let mut order: Vec<(ModelId, f64)> = laws
            .iter()
            .map(|b| (b.model, b.summary.map_or(f64::INFINITY, |s| s.mean_rmsle)))
            .collect();
        order.sort_by(|a, b| a.1.total_cmp(&b.1));
        Ranking {
            by,
            laws,
            order: order.into_iter().map(|(m, _)| m).collect(),
        }
    }
}

/// What a backtest says, in numbers (rendered in words by `text`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Verdict {
    /// The form that extrapolated best: its mean and worst relative error over the cuts.
    Best {
        model: ModelId,
        mean_error: f64,
        worst_error: f64,
    },
    /// The chosen form's predictions leaned one way once fitted on at least half the runs
    /// (the fits closest to how the law is used): mean bias < 0 is optimistic (lower losses
    /// than the larger runs reached), > 0 pessimistic.
    Leans { model: ModelId, bias: f64 },
    /// Fitted on the fewest runs, the chosen form was far off (first cut's RMSLE several
    /// times the last one's): a law fitted on small runs alone would have misled.
    EarlyCutsMislead {
        model: ModelId,
        first: f64,
        last: f64,
    },
    /// The chosen form held: every cut's worst error below 2 %.
    Holds { model: ModelId, worst_error: f64 },
}

/// A bias beyond this (in log units, about 0.5 %) is called a lean.
const LEAN: f64 = 0.005;
/// An early cut this many times worse than the last is called misleading.
const MISLEADING: f64 = 3.0;
/// Worst errors below this are called holding.
const HOLDS: f64 = 0.02;

/// The verdicts of a ranking for the chosen form, most important first.
pub fn verdicts(ranking: &Ranking, chosen: ModelId) -> Vec<Verdict> {
    let mut out = Vec::new();
    let best = ranking
        .order
        .first()
        .and_then(|m| ranking.laws.iter().find(|b| b.model == *m));
    if let Some((model, s)) = best.and_then(|b| Some((b.model, b.summary?))) {
        out.push(Verdict::Best {
            model,
            mean_error: s.mean_are,
            worst_error: s.worst_error,
        });
    }
    let Some(own) = ranking.laws.iter().find(|b| b.model == chosen) else {
        return out;
    };
    let Some(summary) = own.summary else {
        return out;
    };
    let fitted: Vec<&Cut> = own.cuts.iter().filter(|c| c.rmsle.is_finite()).collect();
    if let (Some(first), Some(last)) = (fitted.first(), fitted.last()) {
        if fitted.len() >= 2 && first.rmsle > MISLEADING * last.rmsle {
            out.push(Verdict::EarlyCutsMislead {
                model: chosen,
                first: first.rmsle,
                last: last.rmsle,
            });
        }
    }
    let late: Vec<f64> = fitted
        .iter()
        .filter(|c| 2 * c.n_train >= c.n_train + c.n_test)
        .map(|c| c.bias)
        .collect();
    let late_bias = late.iter().sum::<f64>() / late.len().max(1) as f64;
    if late_bias.abs() > LEAN {
        out.push(Verdict::Leans {
            model: chosen,
            bias: late_bias,
        });
    }
    if summary.worst_error < HOLDS {
        out.push(Verdict::Holds {
            model: chosen,
            worst_error: summary.worst_error,
        });
    }
    out
}
