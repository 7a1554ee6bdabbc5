#![cfg(not(target_arch = "wasm32"))]
//! The solvers say why they stopped: a run cut short names its limit, in the fit and in the
//! `not-converged` warning, in both languages; a full run says it converged.

use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::fit::diagnostics::Warning;
use scaling_calc::engine::fit::objective::objective_and_gradient;
use scaling_calc::engine::fit::problem::Problem;
use scaling_calc::engine::fit::{finish, lbfgs, lm, Loss, Optimum, Starts, Stop};
use scaling_calc::engine::law::{ModelId, Variable};
use scaling_calc::engine::report::FitReport;
use scaling_calc::text::{Lang, Render};

/// Four model sizes and losses that flatten, enough for `power-offset` (as in tests/export.rs).
const DATA: &str = "N,L\n124M,3.12\n350M,2.84\n774M,2.67\n1558M,2.54\n";

fn problem() -> Problem {
    Problem::new(
        ModelId::PowerOffset,
        Variable::N,
        &parse_dataset(DATA).unwrap(),
    )
    .unwrap()
}

/// A start far from the optimum (E = 1, A = 10, alpha = 0.1).
fn far_start(problem: &Problem) -> Vec<f64> {
    problem.from_natural(&[1.0, 10.0, 0.1])
}

const HUBER: Loss = Loss::Huber { delta: 1e-3 };

fn lbfgs_run(problem: &Problem, settings: &lbfgs::Settings) -> lbfgs::Outcome {
    lbfgs::minimize(
        |theta, grad| objective_and_gradient(problem, &HUBER, theta, grad),
        &far_start(problem),
        settings,
    )
}

#[test]
fn lbfgs_given_two_iterations_says_it_ran_out_of_them() {
    let problem = problem();
    let settings = lbfgs::Settings {
        max_iterations: 2,
        ..lbfgs::Settings::default()
    };
    let outcome = lbfgs_run(&problem, &settings);
    assert_eq!(outcome.stop, Stop::MaxIterations { limit: 2 });
    assert!(!outcome.converged());

    // Carried into the fit and its warning, said in words in each language.
    let fit = finish(
        &problem,
        &HUBER,
        Starts::Auto,
        &Default::default(),
        Optimum {
            theta: outcome.x,
            objective: outcome.value,
            stop: outcome.stop,
            evaluations: outcome.evaluations,
        },
    );
    assert!(!fit.converged);
    assert_eq!(fit.stop, Stop::MaxIterations { limit: 2 });
    let warning = fit
        .warnings
        .iter()
        .find(|w| w.code() == "not-converged")
        .expect("a not-converged warning");
    assert_eq!(
        warning,
        &Warning::NotConverged {
            stop: Stop::MaxIterations { limit: 2 }
        }
    );
    let en = warning.render(Lang::En);
    assert!(en.contains("limit of 2 iterations"), "{en}");
    let zh = warning.render(Lang::ZhHant);
    assert!(zh.contains("2 次迭代"), "{zh}");

    // And in the report the command line prints and the page exports.
    let report = FitReport::new(&fit, None);
    assert!(!report.converged);
    assert_eq!(report.stop.code, "max-iterations");
    assert!(report
        .warnings
        .iter()
        .any(|w| w.code == "not-converged" && w.message.contains("2 iterations")));
}

#[test]
fn lbfgs_run_to_the_end_converges() {
    let problem = problem();
    let outcome = lbfgs_run(&problem, &lbfgs::Settings::default());
    assert!(outcome.converged(), "{:?}", outcome.stop);
    assert!(matches!(outcome.stop, Stop::Converged(_)));
}

#[test]
fn levenberg_marquardt_given_little_patience_says_it_ran_out_of_evaluations() {
    let problem = problem();
    // Patience 1: at most 1 × (3 parameters + 1) evaluations.
    let solution = lm::solve_with(&problem, &far_start(&problem), 1);
    assert_eq!(solution.stop, Stop::MaxEvaluations { limit: 4 });
    assert!(!solution.converged());
    let en = solution.stop.render(Lang::En);
    assert!(en.contains("4 evaluations"), "{en}");

    let solution = lm::solve(&problem, &far_start(&problem));
    assert!(solution.converged(), "{:?}", solution.stop);
}

#[test]
fn every_stop_is_said_in_both_languages() {
    use scaling_calc::engine::fit::{ConvergedBy, Criterion};
    let stops = [
        Stop::Converged(ConvergedBy::Objective),
        Stop::Converged(ConvergedBy::Step),
        Stop::Converged(ConvergedBy::ObjectiveAndStep),
        Stop::Converged(ConvergedBy::Gradient),
        Stop::Converged(ConvergedBy::PrecisionLimit),
        Stop::Converged(ConvergedBy::ZeroResiduals),
        Stop::Converged(ConvergedBy::Exact),
        Stop::MaxIterations { limit: 9 },
        Stop::MaxEvaluations { limit: 9 },
        Stop::LineSearchFailed,
        Stop::ToleranceTooTight(Criterion::Objective),
        Stop::ToleranceTooTight(Criterion::Step),
        Stop::ToleranceTooTight(Criterion::Gradient),
        Stop::NonFinite,
        Stop::Malformed,
    ];
    let mut english = std::collections::HashSet::new();
    for stop in stops {
        let (en, zh) = (stop.render(Lang::En), stop.render(Lang::ZhHant));
        assert!(!en.is_empty() && !zh.is_empty(), "{stop:?}");
        assert_ne!(en, zh, "{stop:?}");
        assert!(
            english.insert(en.clone()),
            "{stop:?} says the same as another: {en}"
        );
        assert!(!stop.code().is_empty());
    }
}
