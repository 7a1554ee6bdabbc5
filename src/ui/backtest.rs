//! "Can I trust this extrapolation?": the backtest of the fit on screen. Every form the data
//! can take is fitted on the smaller runs and scored on the larger ones (a rollout over every
//! cut), one form per worker of a pool; the chosen law's cuts are tabled and drawn, the forms
//! ranked by held-out error, and the verdict said in words. It suggests; the law on screen is
//! never switched.

use super::canvas::ChartCanvas;
use super::i18n::{say, tr, trf};
use super::worker::Pool;
use super::{Derived, Inputs};
use crate::chart::{backtest_chart, Axes, AxisKind, BacktestChart};
use crate::engine::backtest::{candidates, verdicts, Backtest, BacktestError, Ranking};
use crate::engine::law::{ModelId, Variable};
use crate::engine::units::{format_si, trim_number};
use crate::engine::work::{Reply, Request};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;

const POOL: &[&str] = &[
    "backtest-0",
    "backtest-1",
    "backtest-2",
    "backtest-3",
    "backtest-4",
    "backtest-5",
    "backtest-6",
    "backtest-7",
];

thread_local! {
    static RUNNING: RefCell<Option<Rc<Pool>>> = const { RefCell::new(None) };
}

/// A backtest started by the person, for the fit whose options and data it copied.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct BacktestRun {
    /// The fit it belongs to (its internal parameters and point count).
    key: Option<(Vec<f64>, usize)>,
    chosen: Option<ModelId>,
    by: Option<Variable>,
    running: bool,
    /// The forms asked, in order; their answers as they come.
    forms: Vec<ModelId>,
    answers: Vec<Option<Result<Backtest, BacktestError>>>,
}

impl BacktestRun {
    fn done(&self) -> usize {
        self.answers.iter().filter(|a| a.is_some()).count()
    }

    /// The forms answered so far, ranked.
    fn ranking(&self) -> Option<Ranking> {
        let laws: Vec<Backtest> = self
            .answers
            .iter()
            .filter_map(|a| a.as_ref()?.as_ref().ok().cloned())
            .collect();
        if laws.is_empty() {
            return None;
        }
        Some(Ranking::of(self.by?, laws))
    }

    /// The chosen form's backtest, or why there is none.
    fn chosen(&self) -> Option<Result<Backtest, BacktestError>> {
        let i = self.forms.iter().position(|m| Some(*m) == self.chosen)?;
        self.answers.get(i)?.clone()
    }
}

/// How far out the chosen law's backtest tested it, for the fit on screen: (the variable the
/// runs were ordered by, decades); None before a backtest of this fit has answered.
pub fn tested_reach() -> Memo<Option<(Variable, f64)>> {
    let derived = expect_context::<Derived>();
    let run = expect_context::<RwSignal<BacktestRun>>();
    Memo::new(move |_| {
        let (_, fit) = derived.shown.get()?;
        run.with(|r| {
            if r.key.as_ref() != Some(&(fit.theta.clone(), fit.points)) {
                return None;
            }
            let tested = r.chosen()?.ok()?.tested_decades()?;
            Some((r.by?, tested))
        })
    })
}

/// The variables the runs can be ordered by: those the data has, N first.
fn orderings(derived: Derived) -> Vec<Variable> {
    derived.shown.with(|s| {
        s.as_ref().map_or_else(Vec::new, |(data, _)| {
            Variable::ALL
                .into_iter()
                .filter(|v| data.has(v.quantity()))
                .collect()
        })
    })
}

#[component]
pub fn BacktestPanel() -> impl IntoView {
    let derived = expect_context::<Derived>();
    let inputs = expect_context::<Inputs>();
    let run = expect_context::<RwSignal<BacktestRun>>();
    let by = RwSignal::new(Variable::N);
    let start = move |_| {
        let Some((data, fit)) = derived.shown.get_untracked() else {
            return;
        };
        let options = fit.options();
        let mut by_now = by.get_untracked();
        if !data.has(by_now.quantity()) {
            by_now = orderings(derived).first().copied().unwrap_or(Variable::N);
        }
        if let Some(previous) = RUNNING.with(|r| r.borrow_mut().take()) {
            previous.cancel();
        }
        // The chosen form first (its answer shows first), then every other form the data takes.
        let candidates = candidates(&options, &data, false);
        let forms: Vec<ModelId> = candidates.iter().map(|o| o.model).collect();
        let requests: Vec<Request> = candidates
            .into_iter()
            .map(|own| Request::Backtest {
                data: data.clone(),
                options: own,
                by: by_now,
                at: None,
            })
            .collect();
        run.set(BacktestRun {
            key: Some((fit.theta.clone(), fit.points)),
            chosen: Some(options.model),
            by: Some(by_now),
            running: true,
            answers: vec![None; forms.len()],
            forms,
        });
        let pool = Pool::start(POOL, requests, move |index, reply| {
            let answer = match reply {
                Reply::Backtest(result) => result,
                _ => return,
            };
            run.update(|r| {
                if let Some(slot) = r.answers.get_mut(index) {
                    *slot = Some(answer);
                }
                r.running = r.done() < r.forms.len();
            });
        });
        RUNNING.with(|r| *r.borrow_mut() = Some(pool));
    };
    let cancel = move |_| {
        if let Some(pool) = RUNNING.with(|r| r.borrow_mut().take()) {
            pool.cancel();
        }
        run.update(|r| r.running = false);
    };
    // Shown only for the fit it was run on.
    let belongs = move || {
        let fit = derived.shown.get().map(|(_, f)| (f.theta, f.points));
        run.with(|r| r.key.is_some() && r.key == fit)
    };
    let chosen = Memo::new(move |_| run.with(BacktestRun::chosen));
    let chart: Signal<Option<BacktestChart>> = Memo::new(move |_| match chosen.get() {
        Some(Ok(b)) => Some(backtest_chart(&b)),
        _ => None,
    })
    .into();
    let axes = Signal::derive(move || Axes {
        x: AxisKind::linear_if(inputs.linear_x.get()),
        y: AxisKind::Linear,
    });
    let label = Signal::derive(|| {
        tr("Prediction error of each cut's law on the runs it was not fitted on, early cuts faint, the last strong")
    });
    view! {
        <details class="backtest" data-testid="backtest">
            <summary>{move || tr("Can I trust the extrapolation? Backtest on your runs")}</summary>
            <p class="muted small">{move || tr("Each cut fits the law on the smaller runs only and predicts the larger ones it did not see; every form the data can take is scored the same way. A law that held on your runs may still fail further out.")}</p>
            <div class="buttons">
                <label class="control inline">
                    <span>{move || tr("Order runs by")}</span>
                    <select data-testid="backtest-by" on:change=move |ev| {
                        if let Ok(v) = event_target_value(&ev).parse::<Variable>() { by.set(v); }
                    } prop:value=move || by.get().symbol()>
                        {move || orderings(derived).into_iter().map(|v| view! {
                            <option value=v.symbol() selected=move || by.get() == v>{v.symbol()}</option>
                        }).collect_view()}
                    </select>
                </label>
                {move || if run.with(|r| r.running) && belongs() {
                    view! { <button type="button" data-testid="backtest-cancel" on:click=cancel>{move || tr("Cancel")}</button> }.into_any()
                } else {
                    view! { <button type="button" data-testid="backtest-run" on:click=start
                        on:pointerenter=move |_| Pool::prewarm(POOL) on:focus=move |_| Pool::prewarm(POOL) disabled=move || derived.stale() || derived.running() || derived.shown.with(Option::is_none)>{move || tr("Run backtest")}</button> }.into_any()
                }}
                {move || belongs().then(|| {
                    let (done, total) = run.with(|r| (r.done(), r.forms.len()));
                    view! {
                        <progress max=total value=done></progress>
                        <span class="muted" data-testid="backtest-state" data-state=move || if run.with(|r| r.running) { "running" } else { "done" }>
                            {trf("{0} / {1} forms", &[&done.to_string(), &total.to_string()])}
                        </span>
                    }
                })}
            </div>
            {move || belongs().then(|| view! {
                <BacktestVerdict run=run/>
                {move || match chosen.get() {
                    Some(Ok(b)) => view! { <CutTable backtest=b/> }.into_any(),
                    Some(Err(e)) => view! { <p class="input-error">{say(&e)}</p> }.into_any(),
                    None => ().into_any(),
                }}
                <ChartCanvas chart=chart axes=axes testid="backtest-chart" class="backtest-chart" label=label/>
                <LawRanking run=run/>
            })}
        </details>
    }
}

/// The verdicts in words.
#[component]
fn BacktestVerdict(run: RwSignal<BacktestRun>) -> impl IntoView {
    let said = move || {
        run.with(|r| {
            let ranking = r.ranking()?;
            let chosen = r.chosen?;
            (!r.running).then(|| verdicts(&ranking, chosen))
        })
    };
    view! {
        <ul class="verdicts" data-testid="backtest-verdict">
            {move || said().unwrap_or_default().into_iter().map(|v| view! { <li>{say(&v)}</li> }).collect_view()}
        </ul>
    }
}

/// The chosen law's cuts: what each was fitted on and how far off it was.
#[component]
fn CutTable(backtest: Backtest) -> impl IntoView {
    let symbol = backtest.by.symbol();
    let pct = |v: f64| {
        if v.is_finite() {
            format!("{} %", trim_number(100.0 * v, 3))
        } else {
            "—".into()
        }
    };
    let number = |v: f64| {
        if v.is_finite() {
            trim_number(v, 3)
        } else {
            "—".into()
        }
    };
    view! {
        <table class="compare" data-testid="backtest-table">
            <caption>{trf("{0} fitted on the smaller runs, tested on the larger", &[backtest.model.id()])}</caption>
            <thead><tr>
                <th>{trf("trained on {0} ≤", &[symbol])}</th><th>{move || tr("runs in / out")}</th>
                <th>{move || tr("RMSLE")}</th><th>{move || tr("bias")}</th>
                <th>{move || tr("mean error")}</th><th>{move || tr("worst")}</th>
            </tr></thead>
            <tbody>
                {backtest.cuts.iter().map(|c| {
                    let failed = c.fitted.as_ref().err().map(say);
                    view! {
                        <tr data-testid="backtest-cut" data-train-max=c.train_max.to_string()
                            data-rmsle=c.rmsle.to_string() data-bias=c.bias.to_string()>
                            <th scope="row">{format_si(c.train_max)}</th>
                            <td>{format!("{} / {}", c.n_train, c.n_test)}</td>
                            {match failed {
                                Some(why) => view! { <td colspan="4" class="muted">{why}</td> }.into_any(),
                                None => view! {
                                    <td>{number(c.rmsle)}</td><td>{number(c.bias)}</td>
                                    <td>{pct(c.are)}</td><td>{pct(c.worst)}</td>
                                }.into_any(),
                            }}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Every form ranked by its mean held-out error.
#[component]
fn LawRanking(run: RwSignal<BacktestRun>) -> impl IntoView {
    let rows = move || {
        run.with(|r| {
            let ranking = r.ranking()?;
            Some(
                ranking
                    .order
                    .iter()
                    .filter_map(|m| ranking.laws.iter().find(|b| b.model == *m).cloned())
                    .collect::<Vec<_>>(),
            )
        })
    };
    view! {
        <table class="compare" data-testid="law-ranking">
            <caption>{move || tr("Forms ranked by held-out error (it suggests; the law on screen stays yours to choose)")}</caption>
            <thead><tr>
                <th>{move || tr("form")}</th><th>{move || tr("parameters")}</th>
                <th>{move || tr("mean RMSLE")}</th><th>{move || tr("worst RMSLE")}</th>
                <th>{move || tr("mean error")}</th><th>{move || tr("cuts fitted")}</th>
            </tr></thead>
            <tbody>
                {move || rows().unwrap_or_default().into_iter().map(|b| {
                    let s = b.summary;
                    let cell = move |f: fn(&crate::engine::backtest::Summary) -> f64, digits: usize| {
                        s.map_or("—".to_string(), |s| trim_number(f(&s), digits))
                    };
                    view! {
                        <tr data-testid="law-rank" data-model=b.model.id()
                            data-rmsle=s.map_or(f64::NAN, |s| s.mean_rmsle).to_string()>
                            <th scope="row">{b.model.id()}</th>
                            <td>{b.model.param_names().len()}</td>
                            <td>{cell(|s| s.mean_rmsle, 3)}</td>
                            <td>{cell(|s| s.worst_rmsle, 3)}</td>
                            <td>{s.map_or("—".to_string(), |s| format!("{} %", trim_number(100.0 * s.mean_are, 3)))}</td>
                            <td>{s.map_or_else(|| format!("0 / {}", b.cuts.len()), |s| format!("{} / {}", s.fitted, s.tried))}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
