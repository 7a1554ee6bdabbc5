//! The work the page hands to its Web Workers, and what comes back: plain values, so the same
//! function answers in a worker, in a native test, or anywhere else. The page sends a
//! [`Request`]; the worker calls [`answer`] and posts the [`Reply`].

use super::backtest::{backtest, Backtest, BacktestError};
use super::dataset::Dataset;
use super::fit::bootstrap::{run_chunk, Bootstrap};
use super::fit::{self, Fit, FitError, FitOptions};
use super::law::{Law, ModelId, Variable};
use super::plan::ladder::{propose, Ladder, LadderOptions};
use super::task::{chain, Chain, TaskError, TaskRun};
use serde::{Deserialize, Serialize};

/// A piece of work for a worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Fit the options' law to the data.
    Fit { data: Dataset, options: FitOptions },
    /// Resamples `first .. first + count` of the bootstrap of `fit` (resample i is the same
    /// whichever worker runs it: its generator is seeded with seed + i).
    Bootstrap {
        data: Dataset,
        options: FitOptions,
        fit: Box<Fit>,
        seed: u64,
        first: usize,
        count: usize,
    },
    /// A backtest of the options' law: one cut at `at`, or a rollout over every cut.
    Backtest {
        data: Dataset,
        options: FitOptions,
        by: Variable,
        at: Option<f64>,
    },
    /// Task accuracy chained to scale (engine::task) on the runs of a table.
    Task { runs: Vec<TaskRun>, model: ModelId },
    /// The next experiments (engine::plan::ladder) under a law.
    Ladder { law: Law, options: LadderOptions },
}

/// A worker's answer to a [`Request`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The fit, with the milliseconds it took in the worker.
    Fit {
        result: Result<Box<Fit>, FitError>,
        millis: f64,
    },
    /// The refits of the resamples asked for (in order), or why none could be made.
    Bootstrap(Result<Bootstrap, FitError>),
    Backtest(Result<Backtest, BacktestError>),
    Task(Result<Box<Chain>, TaskError>),
    /// The ladders, best first (none when the law has no split of the target budget: the page
    /// says why from the split itself).
    Ladder(Vec<Ladder>),
}

/// Does the work; `clock` reads milliseconds (the worker passes `performance.now`).
pub fn answer(request: Request, clock: impl Fn() -> f64) -> Reply {
    match request {
        Request::Fit { data, options } => {
            let start = clock();
            let result = fit::fit(&data, &options).map(Box::new);
            Reply::Fit {
                result,
                millis: clock() - start,
            }
        }
        Request::Bootstrap {
            data,
            options,
            fit,
            seed,
            first,
            count,
        } => Reply::Bootstrap(fit::problem_of(&data, &fit.options()).map(|problem| {
            let mut result = Bootstrap::default();
            run_chunk(
                &problem,
                &options.loss,
                &fit,
                seed,
                first,
                count,
                &mut result,
            );
            result
        })),
        Request::Backtest {
            data,
            options,
            by,
            at,
        } => Reply::Backtest(backtest(&data, &options, by, at)),
        Request::Task { runs, model } => Reply::Task(chain(&runs, model).map(Box::new)),
        Request::Ladder { law, options } => {
            Reply::Ladder(propose(&law, &options).unwrap_or_default())
        }
    }
}
