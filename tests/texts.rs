#![cfg(not(target_arch = "wasm32"))]
//! Every text the page shows has its Traditional Chinese: the labels found in the page's and
//! the charts' source (no hand-kept list of keys), every preset's texts, and every variant of
//! every engine message.

use scaling_calc::engine::backtest::{BacktestError, Verdict};
use scaling_calc::engine::dataset::{DataError, DataProblem, Quantity};
use scaling_calc::engine::fit::diagnostics::Warning;
use scaling_calc::engine::fit::stop::{ConvergedBy, Criterion, Stop};
use scaling_calc::engine::fit::{FitError, LossError};
use scaling_calc::engine::isoflop::IsoFlopError;
use scaling_calc::engine::law::{
    not_offered, offered, Choice, LawError, ModelId, NotOffered, UnknownId, Variable,
};
use scaling_calc::engine::plan::{CostInput, PlanError};
use scaling_calc::engine::reach::Reach;
use scaling_calc::engine::report::Note;
use scaling_calc::engine::share::ShareError;
use scaling_calc::engine::task::TaskError;
use scaling_calc::engine::units::UnitError;
use scaling_calc::text::{has_translation, Lang, Render, Said};
use std::path::Path;

/// The string literal starting at `text` (which begins after the opening quote), unescaped
/// enough for our sources (`\"` and `\\`).
fn literal(text: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push(chars.next()?),
            '"' => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// The `skip`-th string literal argument after each `call` in `source` (0 = the first).
fn arguments(source: &str, call: &str, skip: usize) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in source.match_indices(call) {
        // The call must not be the tail of a longer name (`attr(` for `tr(`).
        let before = source[..at].chars().next_back();
        let named = call.starts_with(|c: char| c.is_alphanumeric());
        if named && before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let mut rest = &source[at + call.len()..];
        let mut ok = true;
        for _ in 0..skip {
            // Skip one argument: up to the next comma at this depth.
            match rest.find(',') {
                Some(i) if !rest[..i].contains(')') => rest = &rest[i + 1..],
                _ => ok = false,
            }
        }
        let rest = rest.trim_start();
        if let (true, Some(body)) = (ok, rest.strip_prefix('"')) {
            if let Some(text) = literal(body) {
                found.push(text);
            }
        }
    }
    found
}

fn sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            out.push((path.display().to_string(), text));
        }
    }
}

#[test]
fn every_label_of_the_page_and_charts_has_its_chinese() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&root.join("ui"), &mut files);
    sources(&root.join("chart"), &mut files);
    let calls: &[(&str, usize)] = &[
        ("tr(", 0),
        ("trf(", 0),
        ("translate(", 1),
        ("fill(", 1),
        ("field(", 1),
        ("output(", 1),
        ("number(", 1),
        ("read(", 1),
        ("Said::Text(", 0),
        ("Said::Empty(", 0),
    ];
    // The charts name their axes, curves and phrases in match arms (`Axis::N => "parameters N"`).
    let chart_calls: &[(&str, usize)] = &[(".t(", 0), ("=> ", 0)];
    let mut seen = 0;
    let mut missing = Vec::new();
    for (path, source) in &files {
        let chart = path.contains("/chart/");
        let extra = if chart { chart_calls } else { &[] };
        for &(call, skip) in calls.iter().chain(extra) {
            for text in arguments(source, call, skip) {
                seen += 1;
                let wordy = text.chars().any(|c| c.is_alphabetic());
                if wordy && !has_translation(Lang::ZhHant, &text) {
                    missing.push(format!("{path}: {text:?}"));
                }
            }
        }
    }
    assert!(
        seen > 120,
        "the scan found only {seen} texts: is it still reading the calls?"
    );
    assert!(
        missing.is_empty(),
        "no zh-Hant for:\n{}",
        missing.join("\n")
    );
}

#[test]
fn every_preset_text_has_its_chinese() {
    for p in scaling_calc::engine::presets::ALL {
        for text in [p.title, p.citation, p.caveat] {
            assert!(has_translation(Lang::ZhHant, text), "{text:?}");
        }
    }
    for l in scaling_calc::engine::presets::LAWS {
        assert!(has_translation(Lang::ZhHant, l.title), "{:?}", l.title);
    }
    for a in scaling_calc::engine::plan::ACCELERATORS {
        assert!(has_translation(Lang::ZhHant, a.source), "{:?}", a.source);
    }
}

/// One value of every variant of every message the engine and the page produce.
fn every_message() -> Vec<Box<dyn Render>> {
    let unit = [
        UnitError::Empty,
        UnitError::NotANumber("abc".into()),
        UnitError::UnknownSuffix("X".into()),
        UnitError::NotFinite("1e999".into()),
    ];
    let mut all: Vec<Box<dyn Render>> = vec![
        Box::new(BacktestError::NoColumn(Variable::C)),
        Box::new(BacktestError::OneGroup),
        Box::new(Reach::Beyond {
            variable: Variable::N,
            decades: 2.1,
            largest: 1.5e9,
        }),
        Box::new(Reach::Below {
            variable: Variable::C,
            decades: 0.5,
            smallest: 1e18,
        }),
    ];
    for verdict in [
        Verdict::Best {
            model: ModelId::PowerOffset,
            mean_error: 0.012,
            worst_error: 0.021,
        },
        Verdict::Leans {
            model: ModelId::Chinchilla,
            bias: -0.03,
        },
        Verdict::Leans {
            model: ModelId::Chinchilla,
            bias: 0.03,
        },
        Verdict::EarlyCutsMislead {
            model: ModelId::Chinchilla,
            first: 0.2,
            last: 0.01,
        },
        Verdict::Holds {
            model: ModelId::Power,
            worst_error: 0.015,
        },
    ] {
        all.push(Box::new(verdict));
    }
    all.push(Box::new(BacktestError::EmptySide { train: 3, test: 0 }));
    all.push(Box::new(BacktestError::Form(FitError::NoRows)));
    for choice in [Choice::Model, Choice::Variable, Choice::Starts] {
        all.push(Box::new(UnknownId::new(choice, "zzz")));
    }
    all.push(Box::new(LawError::Count {
        model: ModelId::Chinchilla,
        got: 2,
    }));
    all.push(Box::new(LawError::NotFinite {
        model: ModelId::Power,
        index: 1,
    }));
    for u in &unit {
        all.push(Box::new(u.clone()));
    }
    let problems = [
        DataProblem::NoData,
        DataProblem::SameQuantity {
            first: "N".into(),
            second: "params".into(),
            quantity: Quantity::N,
        },
        DataProblem::NoScaleColumn,
        DataProblem::Cell(unit[1].clone()),
        DataProblem::NotAFraction(1.5),
        DataProblem::NotPositive(-1.0),
        DataProblem::DerivedOutOfRange(Quantity::C),
        DataProblem::DerivedOutOfRange(Quantity::D),
    ];
    for problem in problems {
        for (line, column) in [
            (Some(3), Some("L".to_string())),
            (Some(3), None),
            (None, Some("L".into())),
            (None, None),
        ] {
            all.push(Box::new(DataError {
                line,
                column,
                problem: problem.clone(),
            }));
        }
    }
    let m = ModelId::Chinchilla;
    let losses = [
        LossError::HuberDelta(-1.0),
        LossError::AsymmetricWeight(0.0),
        LossError::DeltaText(unit[1].clone()),
        LossError::WeightText(unit[2].clone()),
    ];
    for fit in [
        FitError::NoRows,
        FitError::NeedsFraction { model: m },
        FitError::NoLoss { model: m },
        FitError::NeedsColumn {
            model: m,
            column: Quantity::D,
        },
        FitError::TooFewPoints {
            model: m,
            params: 5,
            points: 3,
        },
        FitError::RunsOff { model: m },
        FitError::NoLine,
        FitError::NoRegressor,
        FitError::NoFiniteStart,
        FitError::NoFiniteOptimum,
    ]
    .into_iter()
    .chain(losses.into_iter().map(FitError::Loss))
    {
        all.push(Box::new(fit));
    }
    for w in [
        Warning::FewPoints {
            points: 4,
            params: 2,
        },
        Warning::NarrowRange {
            variable: "N".into(),
            decades: 0.5,
        },
        Warning::AtLowerBound { param: "E".into() },
        Warning::AtSmallestObserved { param: "E".into() },
        Warning::NotPositive {
            param: "alpha".into(),
            value: -0.1,
        },
        Warning::NotIdentifiable {
            column: Quantity::C,
        },
        Warning::Correlated {
            a: "A".into(),
            b: "alpha".into(),
            r: 0.99,
        },
    ] {
        all.push(Box::new(w));
    }
    let converged = [
        ConvergedBy::Objective,
        ConvergedBy::Step,
        ConvergedBy::ObjectiveAndStep,
        ConvergedBy::Gradient,
        ConvergedBy::PrecisionLimit,
        ConvergedBy::ZeroResiduals,
        ConvergedBy::Exact,
    ];
    let criteria = [Criterion::Objective, Criterion::Step, Criterion::Gradient];
    let stops: Vec<Stop> = converged
        .iter()
        .map(|c| Stop::Converged(*c))
        .chain(criteria.iter().map(|c| Stop::ToleranceTooTight(*c)))
        .chain([
            Stop::MaxIterations { limit: 2 },
            Stop::MaxEvaluations { limit: 4 },
            Stop::LineSearchFailed,
            Stop::NonFinite,
            Stop::Malformed,
        ])
        .collect();
    for stop in stops {
        all.push(Box::new(stop));
        all.push(Box::new(Warning::NotConverged { stop }));
    }
    all.push(Box::new(Warning::FewValues {
        variable: "N".into(),
        count: 2,
    }));
    all.push(Box::new(Warning::Collinear {
        a: "N".into(),
        b: "D".into(),
        r: 0.995,
    }));
    all.push(Box::new(Warning::Loose {
        params: vec!["A".into(), "B".into()],
    }));
    for reason in [
        FitError::NeedsColumn {
            model: m,
            column: Quantity::D,
        },
        FitError::NeedsColumn {
            model: m,
            column: Quantity::U,
        },
        FitError::NeedsFraction { model: m },
        FitError::NoLoss { model: m },
        FitError::RunsOff { model: m },
    ] {
        for models in [vec![m], vec![m, ModelId::Skaling, ModelId::KaplanJoint]] {
            all.push(Box::new(NotOffered {
                models,
                reason: reason.clone(),
            }));
        }
    }
    all.push(Box::new(TaskError::TooFewRuns { runs: 3 }));
    all.push(Box::new(TaskError::Loss(FitError::NoRows)));
    all.push(Box::new(TaskError::NoSigmoid));
    all.push(Box::new(TaskError::NotALawOfNAndD {
        model: ModelId::Power,
    }));
    all.push(Box::new(IsoFlopError::NeedsColumns));
    all.push(Box::new(IsoFlopError::TooFewProfiles { found: 1 }));
    all.push(Box::new(Note::NoSpread));
    all.push(Box::new(Note::NoSplit));
    let costs = [
        CostInput::Flops,
        CostInput::PeakThroughput,
        CostInput::Count,
        CostInput::Price,
        CostInput::Power,
        CostInput::CarbonIntensity,
    ];
    let mut plans = vec![
        PlanError::BelowFloor { floor: 1.69 },
        PlanError::OutOfRange,
        PlanError::NotSingleVariable,
        PlanError::NeedsTwoVariables,
        PlanError::NoInteriorOptimum,
        PlanError::NotFinite,
        PlanError::BadTarget,
        PlanError::BadBudget,
        PlanError::BadFlopConvention,
        PlanError::BudgetTooSmall,
        PlanError::BadScale,
        PlanError::BadMfu,
        PlanError::ParamNotPositive {
            param: "A",
            value: -1.0,
        },
    ];
    plans.extend(costs.iter().map(|c| PlanError::NotPositive(*c)));
    plans.extend(costs.iter().map(|c| PlanError::Negative(*c)));
    for p in plans {
        all.push(Box::new(p.clone()));
        all.push(Box::new(Said::Plan(p)));
    }
    let shares = [
        ShareError::TooLong(3_000_000),
        ShareError::NotBase64,
        ShareError::NotDeflate,
        ShareError::TooLarge,
        ShareError::NotState("expected value".into()),
        ShareError::FromTheFuture(9),
    ];
    for s in shares {
        all.push(Box::new(Said::BadLink(s.clone())));
        all.push(Box::new(Said::BadSaved(s.clone())));
        all.push(Box::new(s));
    }
    for said in [
        Said::Text("choose an accelerator"),
        Said::Field {
            field: "FLOP budget",
            error: unit[1].clone(),
        },
        Said::Empty("MFU"),
        Said::NoPreset("nope".into()),
        Said::SavedWorkKept,
        Said::LawOfOneVariable(Variable::N),
        Said::Fit(FitError::NoRows),
    ] {
        all.push(Box::new(said));
    }
    all
}

#[test]
fn every_message_renders_in_both_languages() {
    let all = every_message();
    assert!(all.len() > 100, "{}", all.len());
    for message in &all {
        let en = message.render(Lang::En);
        let zh = message.render(Lang::ZhHant);
        assert!(!en.trim().is_empty() && !zh.trim().is_empty());
        assert_ne!(en, zh, "no Chinese for {en:?}");
        // The Chinese is Chinese: it holds CJK characters (numbers and symbols aside).
        assert!(
            zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{zh:?}"
        );
    }
}

/// The forms a table cannot take are named once per reason: on N and L alone, the four forms
/// of N and D share one sentence, and `saturating` has its own.
#[test]
fn forms_not_offered_for_one_reason_are_said_together() {
    let data =
        scaling_calc::engine::dataset::parse_dataset("N,L\n1e6,4\n1e7,3.5\n1e8,3.1\n").unwrap();
    let groups = not_offered(&offered(Variable::N, &data));
    let said: Vec<String> = groups.iter().map(|g| g.render(Lang::En)).collect();
    assert_eq!(groups.len(), 2, "{said:?}");
    assert_eq!(
        said[0],
        "kaplan-joint, chinchilla, skaling and data-constrained need the column D (or one it can be derived from)"
    );
    assert!(
        said[1].starts_with("saturating needs a P column"),
        "{said:?}"
    );
    let zh = groups[0].render(Lang::ZhHant);
    assert!(
        zh.starts_with("kaplan-joint、chinchilla、skaling、data-constrained 需要 D 欄"),
        "{zh}"
    );
}

/// Sentences in a row: after a space in English, directly after Chinese's `。`; empty ones
/// (a note that does not apply) leave no gap behind.
#[test]
fn sentences_are_joined_as_each_language_joins_them() {
    assert_eq!(Lang::En.sentences(["One.", "", "Two."]), "One. Two.");
    assert_eq!(Lang::ZhHant.sentences(["一。", "", "二。"]), "一。二。");
    assert_eq!(Lang::En.sentences(["Alone.", ""]), "Alone.");
    assert_eq!(Lang::En.sentences(Vec::<String>::new()), "");
}
