//! The engine's typed messages in words: each variant with its English and Traditional
//! Chinese side by side. The engine builds values; only this module builds sentences.
//!
//! Longer than most files on purpose: every engine message in both languages in one place,
//! grouped by the type it renders, so a translator reviews them together.

use super::Lang;
use crate::engine::backtest::{BacktestError, Verdict};
use crate::engine::dataset::{DataError, DataProblem, Quantity};
use crate::engine::fit::diagnostics::Warning;
use crate::engine::fit::{ConstraintError, ConvergedBy, Criterion, FitError, LossError, Stop};
use crate::engine::isoflop::IsoFlopError;
use crate::engine::law::{Choice, LawError, NotOffered, UnknownId, Variable};
use crate::engine::plan::{Bottleneck, CostInput, PlanError, Training};
use crate::engine::reach::Reach;
use crate::engine::report::Note;
use crate::engine::task::TaskError;
use crate::engine::units::{format_sci, format_si, trim_number, UnitError};

/// A value that can be said in each language.
pub trait Render {
    fn render(&self, lang: Lang) -> String;
}

/// `en` in English, `zh` in Traditional Chinese.
pub(super) fn say(lang: Lang, en: String, zh: String) -> String {
    match lang {
        Lang::En => en,
        Lang::ZhHant => zh,
    }
}

impl Render for Warning {
    fn render(&self, lang: Lang) -> String {
        match self {
            Warning::FewPoints { points, params } => say(
                lang,
                format!("only {points} points for {params} parameters: the fit has little or no freedom to show its error"),
                format!("{params} 個參數只有 {points} 個數據點：擬合幾乎沒有自由度可反映其誤差"),
            ),
            Warning::NarrowRange { variable, decades } => say(
                lang,
                format!("{variable} spans only {decades:.2} decades: extrapolation far beyond it is a guess"),
                format!("{variable} 只跨越 {decades:.2} 個數量級：遠超出此範圍的外推只是猜測"),
            ),
            Warning::AtLowerBound { param } => say(
                lang,
                format!("{param} is at its lower bound 0: the data shows no irreducible loss; a pure power law fits as well"),
                format!("{param} 落在下界 0：數據未顯示不可約損失；純冪律也能擬合得一樣好"),
            ),
            Warning::AtSmallestObserved { param } => say(
                lang,
                format!("{param} is at its upper bound, the smallest observed loss: the curve flattens at the last point"),
                format!("{param} 落在上界（即觀測到的最小損失值）：曲線在最後一個數據點趨於平坦"),
            ),
            Warning::NotPositive { param, value } => say(
                lang,
                format!("{param} = {value:.3} is not positive: the fitted law does not improve with scale in that direction; the form does not suit this data"),
                format!("{param} = {value:.3} 不是正數：擬合出的定律在該方向上不會隨規模擴大而改善；此形式不適合這組數據"),
            ),
            Warning::NotIdentifiable { column } => {
                let c = column.symbol();
                say(
                    lang,
                    format!("{c} is (nearly) a product of the other columns, as C = 6ND is: the data cannot tell their exponents apart, so {c} was left out of the fit"),
                    format!("{c}（幾乎）是其他欄位的乘積（如 C = 6ND）：數據無法區分各指數，因此 {c} 未納入擬合"),
                )
            }
            Warning::Correlated { a, b, r } => say(
                lang,
                format!("{a} and {b} are correlated at {r:.3}: the data pins down a combination of them, not each one"),
                format!("{a} 與 {b} 的相關係數為 {r:.3}：數據只能確定兩者的組合，無法分別確定各自的值"),
            ),
            Warning::FewValues { variable, count } => say(
                lang,
                format!("{variable} takes only {count} distinct values: too few to show the curve's shape; add runs at other {variable}"),
                format!("{variable} 只有 {count} 個不同的值：不足以呈現曲線形狀；請增加其他 {variable} 的訓練紀錄"),
            ),
            Warning::Collinear { a, b, r } => say(
                lang,
                format!("{a} and {b} move together in these runs (r = {r:.3} on log scales): the data cannot tell their effects apart; vary one without the other"),
                format!("在這些訓練紀錄中 {a} 與 {b} 同步變化（對數尺度上 r = {r:.3}）：數據無法區分兩者各自的影響；請只改變其中一個"),
            ),
            Warning::Loose { params } => {
                let list = params.join(", ");
                say(
                    lang,
                    format!("the data leaves {list} loose: each standard error is larger than the value itself"),
                    format!("數據無法確定 {list}：其標準誤差大於參數值本身"),
                )
            }
            Warning::NotConverged { stop } => {
                let why = stop.render(lang);
                say(
                    lang,
                    format!("the solver stopped before converging ({why}): treat the parameters with care"),
                    format!("求解器在收斂前就已停止（{why}）：請謹慎看待這些參數"),
                )
            }
        }
    }
}

impl Render for LossError {
    fn render(&self, lang: Lang) -> String {
        match self {
            LossError::HuberDelta(delta) => say(
                lang,
                format!("Huber delta must be a positive number, got {delta}"),
                format!("Huber delta 必須為正數，目前為 {delta}"),
            ),
            LossError::AsymmetricWeight(weight) => say(
                lang,
                format!("the asymmetric weight must be positive, got {weight}"),
                format!("非對稱權重必須為正數，目前為 {weight}"),
            ),
            LossError::DeltaText(e) => {
                let e = e.render(lang);
                say(
                    lang,
                    format!("Huber delta: {e}"),
                    format!("Huber delta：{e}"),
                )
            }
            LossError::WeightText(e) => {
                let e = e.render(lang);
                say(
                    lang,
                    format!("asymmetric weight: {e}"),
                    format!("非對稱權重：{e}"),
                )
            }
        }
    }
}

impl Render for BacktestError {
    fn render(&self, lang: Lang) -> String {
        match self {
            BacktestError::NoColumn(by) => {
                let by = by.symbol();
                say(
                    lang,
                    format!("the data has no {by} column to order the runs by"),
                    format!("數據沒有可用來排序訓練紀錄的 {by} 欄"),
                )
            }
            BacktestError::OneGroup => say(
                lang,
                "every run has the same size: nothing larger to hold out".into(),
                "所有訓練紀錄規模相同：沒有更大的紀錄可保留作驗證".into(),
            ),
            BacktestError::EmptySide { train, test } => say(
                lang,
                format!("the cut leaves {train} runs to fit and {test} to predict: both sides need runs"),
                format!("此切點留下 {train} 筆紀錄用於擬合、{test} 筆用於預測：兩側都需要有紀錄"),
            ),
            BacktestError::Form(e) => e.render(lang),
        }
    }
}

impl Render for Verdict {
    fn render(&self, lang: Lang) -> String {
        let pct = |v: f64| format!("{} %", trim_number(100.0 * v, 2));
        match *self {
            Verdict::Best {
                model,
                mean_error,
                worst_error,
            } => {
                let (mean, worst) = (pct(mean_error), pct(worst_error));
                say(
                    lang,
                    format!(
                        "{model} extrapolated best on your runs: mean error {mean}, worst {worst}."
                    ),
                    format!("在你的訓練紀錄上，{model} 外推最準：平均誤差 {mean}，最差 {worst}。"),
                )
            }
            Verdict::Leans { model, bias } => {
                let size = pct(bias.abs());
                if bias < 0.0 {
                    say(
                        lang,
                        format!("Fitted on the smaller runs, {model} was optimistic: it predicted losses about {size} lower than the larger runs reached."),
                        format!("以較小的訓練紀錄擬合時，{model} 過於樂觀：預測的損失比較大紀錄實際達到的低約 {size}。"),
                    )
                } else {
                    say(
                        lang,
                        format!("Fitted on the smaller runs, {model} was pessimistic: it predicted losses about {size} higher than the larger runs reached."),
                        format!("以較小的訓練紀錄擬合時，{model} 過於悲觀：預測的損失比較大紀錄實際達到的高約 {size}。"),
                    )
                }
            }
            Verdict::EarlyCutsMislead { model, first, last } => {
                let (first, last) = (trim_number(first, 3), trim_number(last, 3));
                say(
                    lang,
                    format!("Fitted on the fewest runs, {model} was far off (RMSLE {first} against {last} for the last cut): a law fitted on small runs alone would have misled."),
                    format!("僅以最少的訓練紀錄擬合時，{model} 偏差很大（RMSLE {first}，最後一個切點為 {last}）：只用小規模紀錄擬合的定律會誤導判斷。"),
                )
            }
            Verdict::Holds { model, worst_error } => {
                let worst = pct(worst_error);
                say(
                    lang,
                    format!(
                        "{model} held on every cut: no held-out run was off by more than {worst}."
                    ),
                    format!("{model} 在每個切點都成立：沒有任何保留驗證紀錄的誤差超過 {worst}。"),
                )
            }
        }
    }
}

impl Render for Reach {
    fn render(&self, lang: Lang) -> String {
        let value = |variable: Variable, v: f64| match variable {
            Variable::C => format_sci(v),
            _ => format_si(v),
        };
        match *self {
            Reach::Beyond {
                variable,
                decades,
                largest,
            } => {
                let (x, d, at) = (
                    variable.symbol(),
                    trim_number(decades, 2),
                    value(variable, largest),
                );
                say(
                    lang,
                    format!(
                        "{d} decades of {x} beyond your largest run ({x} = {at}): an extrapolation"
                    ),
                    format!("超出你最大的訓練紀錄（{x} = {at}）{d} 個數量級的 {x}：屬於外推"),
                )
            }
            Reach::Below {
                variable,
                decades,
                smallest,
            } => {
                let (x, d, at) = (
                    variable.symbol(),
                    trim_number(decades, 2),
                    value(variable, smallest),
                );
                say(
                    lang,
                    format!("{d} decades of {x} below your smallest run ({x} = {at})"),
                    format!("低於你最小的訓練紀錄（{x} = {at}）{d} 個數量級的 {x}"),
                )
            }
        }
    }
}

impl Render for UnknownId {
    fn render(&self, lang: Lang) -> String {
        let given = &self.given;
        let ids = self.choice.ids().join(", ");
        let (what_en, what_zh) = match self.choice {
            Choice::Model => ("model", "模型"),
            Choice::Variable => ("variable", "變數"),
            Choice::Starts => ("starts", "起始方式"),
        };
        say(
            lang,
            format!("unknown {what_en} \"{given}\" (one of: {ids})"),
            format!("未知的{what_zh}「{given}」（可用：{ids}）"),
        )
    }
}

impl Render for LawError {
    fn render(&self, lang: Lang) -> String {
        match *self {
            LawError::Count { model, got } => {
                let names = model.param_names();
                let (count, list) = (names.len(), names.join(", "));
                say(
                    lang,
                    format!("{model} has {count} parameters ({list}), got {got}"),
                    format!("{model} 有 {count} 個參數（{list}），收到 {got} 個"),
                )
            }
            LawError::NotFinite { model, index } => {
                let name = model.param_names().get(index).copied().unwrap_or("?");
                say(
                    lang,
                    format!("parameter {name} is not finite"),
                    format!("參數 {name} 不是有限數值"),
                )
            }
        }
    }
}

impl Render for NotOffered {
    fn render(&self, lang: Lang) -> String {
        let ids: Vec<&str> = self.models.iter().map(|m| m.id()).collect();
        let (last, rest) = match ids.split_last() {
            Some((last, rest)) if !rest.is_empty() => (last, rest),
            _ => return self.reason.render(lang),
        };
        let en_list = format!("{} and {last}", rest.join(", "));
        let zh_list = ids.join("、");
        match &self.reason {
            FitError::NeedsColumn {
                column: Quantity::U,
                ..
            } => say(
                lang,
                format!("{en_list} need the column U, unique tokens (also named unique tokens, unique_tokens or unique)"),
                format!("{zh_list} 需要 U 欄，即不重複 token 數（也可命名為 unique tokens、unique_tokens 或 unique）"),
            ),
            FitError::NeedsColumn { column, .. } => {
                let c = column.symbol();
                say(
                    lang,
                    format!("{en_list} need the column {c} (or one it can be derived from)"),
                    format!("{zh_list} 需要 {c} 欄（或可推導出它的欄位）"),
                )
            }
            FitError::NeedsFraction { .. } => say(
                lang,
                format!("{en_list} need a P column (accuracy, score) with values in (0, 1)"),
                format!("{zh_list} 需要一個數值介於 (0, 1) 的 P 欄（準確率、分數）"),
            ),
            FitError::NoLoss { .. } => say(
                lang,
                format!("the data has no loss column to fit (name one L or loss); {en_list} need one"),
                format!("數據中沒有可擬合的損失值欄位（請將一欄命名為 L 或 loss）；{zh_list} 需要此欄位"),
            ),
            other => other.render(lang),
        }
    }
}

impl Render for FitError {
    fn render(&self, lang: Lang) -> String {
        match self {
            FitError::NoRows => say(
                lang,
                "no row takes part in the fit: the table is empty or every row is excluded with #".into(),
                "沒有任何數據列納入擬合：表格是空的，或每一列都以 # 排除".into(),
            ),
            FitError::NeedsFraction { model } => say(
                lang,
                format!("{model} needs a P column (accuracy, score) with values in (0, 1)"),
                format!("{model} 需要一個數值介於 (0, 1) 的 P 欄（準確率、分數）"),
            ),
            FitError::NoLoss { model } => say(
                lang,
                format!("the data has no loss column to fit (name one L or loss); {model} needs one"),
                format!("數據中沒有可擬合的損失值欄位（請將一欄命名為 L 或 loss）；{model} 需要此欄位"),
            ),
            FitError::NeedsColumn {
                model,
                column: Quantity::U,
            } => say(
                lang,
                format!("{model} needs the column U, unique tokens (also named unique tokens, unique_tokens or unique)"),
                format!("{model} 需要 U 欄，即不重複 token 數（也可命名為 unique tokens、unique_tokens 或 unique）"),
            ),
            FitError::NeedsColumn { model, column } => {
                let c = column.symbol();
                say(
                    lang,
                    format!("{model} needs the column {c} (or one it can be derived from)"),
                    format!("{model} 需要 {c} 欄（或可推導出它的欄位）"),
                )
            }
            FitError::TooFewPoints {
                model,
                params,
                points,
            } => say(
                lang,
                format!("{model} needs at least {params} points for its {params} parameters; the data has {points} in the fit"),
                format!("{model} 有 {params} 個參數，至少需要 {params} 個數據點；目前納入擬合的數據只有 {points} 個"),
            ),
            FitError::RunsOff { model } => say(
                lang,
                format!("{model} found no finite optimum for this data: its parameters run off to infinity (try a simpler form)"),
                format!("{model} 在此數據上找不到有限的最佳解：其參數趨向無窮大（請改用較簡單的形式）"),
            ),
            FitError::NoLine => say(
                lang,
                "the points do not determine a line: they need at least two distinct values of the variable".into(),
                "這些數據點無法決定一條直線：變數至少需要兩個不同的值".into(),
            ),
            FitError::NoRegressor => say(
                lang,
                "multiplicative needs at least one of the columns N, D, C with values that differ".into(),
                "multiplicative 需要數據中至少有一個數值不全相同的 N、D 或 C 欄".into(),
            ),
            FitError::NoFiniteStart => say(
                lang,
                "no starting point gives a finite objective".into(),
                "沒有任何初始點能得到有限的目標函數值".into(),
            ),
            FitError::NoFiniteOptimum => say(
                lang,
                "the solver found no finite optimum from any start".into(),
                "求解器從任何初始點出發都找不到有限的最佳解".into(),
            ),
            FitError::Loss(e) => e.render(lang),
            FitError::Constraint(e) => e.render(lang),
        }
    }
}

impl Render for TaskError {
    fn render(&self, lang: Lang) -> String {
        match self {
            TaskError::TooFewRuns { runs } => say(
                lang,
                format!("chaining accuracy to scale needs at least 5 runs with N, D, a task loss and an accuracy; there are {runs}"),
                format!("將準確率串接到規模至少需要 5 筆含 N、D、任務損失與準確率的訓練紀錄；目前只有 {runs} 筆"),
            ),
            TaskError::Loss(e) => e.render(lang),
            TaskError::NoSigmoid => say(
                lang,
                "the sigmoid from task loss to accuracy found no finite optimum: this task may not scale predictably".into(),
                "從任務損失到準確率的 S 形曲線找不到有限的最佳解：這個任務可能無法被規模可靠地預測".into(),
            ),
            TaskError::NotALawOfNAndD { model } => {
                let forms = crate::engine::task::loss_models()
                    .map(|m| m.id())
                    .collect::<Vec<_>>()
                    .join(", ");
                say(
                    lang,
                    format!("step 1 needs a loss law of N and D alone ({forms}); {model} is not one"),
                    format!("第一步需要只含 N 與 D 的損失定律（{forms}）；{model} 不是"),
                )
            }
        }
    }
}

impl Render for IsoFlopError {
    fn render(&self, lang: Lang) -> String {
        match self {
            IsoFlopError::NeedsColumns => say(
                lang,
                "an IsoFLOP analysis needs runs with N, a loss and their compute (a C column, or D to compute it)".into(),
                "IsoFLOP 分析需要含 N、損失值與計算量的訓練紀錄（C 欄，或可用來計算它的 D 欄）".into(),
            ),
            IsoFlopError::TooFewProfiles { found } => say(
                lang,
                format!("an IsoFLOP analysis needs at least two budgets, each with runs of three or more sizes around a minimum; these runs give {found}"),
                format!("IsoFLOP 分析至少需要兩個計算預算，每個預算都有三種以上大小、環繞最小值的訓練；這些紀錄只有 {found} 個"),
            ),
        }
    }
}

impl Render for ConstraintError {
    fn render(&self, lang: Lang) -> String {
        match self {
            ConstraintError::Syntax { text } => say(
                lang,
                format!("\"{text}\" is not NAME=VALUE (fix: E=1.69; tie: alpha=beta)"),
                format!("「{text}」不是 NAME=VALUE 的形式（固定：E=1.69；綁定：alpha=beta）"),
            ),
            ConstraintError::BadValue { name, text } => say(
                lang,
                format!("{name} cannot be fixed at \"{text}\": that is not a number"),
                format!("無法將 {name} 固定為「{text}」：這不是數字"),
            ),
            ConstraintError::UnknownParam { name, model } => {
                let names = model.param_names().join(", ");
                say(
                    lang,
                    format!("{model} has no parameter {name} (its parameters: {names})"),
                    format!("{model} 沒有參數 {name}（其參數為：{names}）"),
                )
            }
            ConstraintError::NotPositive { name, value } => {
                let v = trim_number(*value, 4);
                say(
                    lang,
                    format!("{name} must be positive; it cannot be fixed at {v}"),
                    format!("{name} 必須為正數，不能固定為 {v}"),
                )
            }
            ConstraintError::AboveSmallest {
                name,
                value,
                smallest,
            } => {
                let (v, m) = (trim_number(*value, 4), trim_number(*smallest, 4));
                say(
                    lang,
                    format!("{name} = {v} is not below the smallest observed value {m}: the law could not come down to the data"),
                    format!("{name} = {v} 不低於觀測到的最小值 {m}：定律無法降到數據的位置"),
                )
            }
            ConstraintError::CannotTie { leader, follower } => say(
                lang,
                format!("{leader} and {follower} are not of one kind (an exponent and a scale, say): they cannot be tied"),
                format!("{leader} 與 {follower} 不是同一類參數（例如一個是指數、一個是尺度）：不能綁定"),
            ),
            ConstraintError::Twice { name } => say(
                lang,
                format!("{name} is named twice among the fixed and tied parameters"),
                format!("{name} 在固定與綁定的參數中出現了兩次"),
            ),
            ConstraintError::NothingFree => say(
                lang,
                "every parameter is fixed: nothing is left to fit".into(),
                "所有參數都已固定：沒有可擬合的參數".into(),
            ),
        }
    }
}

impl Render for UnitError {
    fn render(&self, lang: Lang) -> String {
        match self {
            UnitError::Empty => say(lang, "the cell is empty".into(), "儲存格為空".into()),
            UnitError::NotANumber(s) => say(
                lang,
                format!("\"{s}\" is not a number"),
                format!("「{s}」不是數字"),
            ),
            UnitError::UnknownSuffix(s) => say(
                lang,
                format!("unknown suffix \"{s}\" (use K, M, B, T, P or PF-days)"),
                format!("無法識別的後綴「{s}」（請使用 K、M、B、T、P 或 PF-days）"),
            ),
            UnitError::NotFinite(s) => say(
                lang,
                format!("\"{s}\" is too large or not finite"),
                format!("「{s}」過大或不是有限值"),
            ),
        }
    }
}

impl Render for DataProblem {
    fn render(&self, lang: Lang) -> String {
        match self {
            DataProblem::NoData => say(
                lang,
                "no data: paste a table with a header row (e.g. N,L)".into(),
                "沒有數據：請貼上含標題列的表格（例如 N,L）".into(),
            ),
            DataProblem::SameQuantity {
                first,
                second,
                quantity,
            } => {
                let q = quantity.symbol();
                say(
                    lang,
                    format!("both \"{first}\" and \"{second}\" mean {q}: keep one"),
                    format!("「{first}」與「{second}」都代表 {q}：請只保留其中一欄"),
                )
            }
            DataProblem::NoScaleColumn => say(
                lang,
                "no scale column: name one N (parameters), D (tokens) or C (FLOP)".into(),
                "沒有規模欄位：請將其中一欄命名為 N（參數數量）、D（token 數）或 C（FLOP）".into(),
            ),
            DataProblem::Cell(e) => e.render(lang),
            DataProblem::NotAFraction(v) => say(
                lang,
                format!("{v} is outside (0, 1): a bounded metric must be a fraction"),
                format!("{v} 不在 (0, 1) 範圍內：有界指標必須是介於 0 與 1 之間的比例值"),
            ),
            DataProblem::NotPositive(v) => say(
                lang,
                format!("{v} must be positive (it goes on a log scale)"),
                format!("{v} 必須為正數（需以對數尺度表示）"),
            ),
            DataProblem::DerivedOutOfRange(q) => {
                let (what, from) = if *q == Quantity::C {
                    ("C = k·N·D", "N, D")
                } else {
                    ("D = C/(k·N)", "C, N")
                };
                say(
                    lang,
                    format!("{what} is outside the range of numbers for the values of {from}"),
                    format!("由 {from} 的數值算出的 {what} 超出數字可表示的範圍"),
                )
            }
        }
    }
}

impl Render for DataError {
    fn render(&self, lang: Lang) -> String {
        let problem = self.problem.render(lang);
        match (&self.line, &self.column) {
            (Some(line), Some(col)) => say(
                lang,
                format!("Row {line}, column {col}: {problem}"),
                format!("第 {line} 列，{col} 欄：{problem}"),
            ),
            (Some(line), None) => say(
                lang,
                format!("Row {line}: {problem}"),
                format!("第 {line} 列：{problem}"),
            ),
            (None, Some(col)) => say(
                lang,
                format!("Column {col}: {problem}"),
                format!("{col} 欄：{problem}"),
            ),
            (None, None) => problem,
        }
    }
}

impl Render for CostInput {
    fn render(&self, lang: Lang) -> String {
        let (en, zh) = match self {
            CostInput::Flops => ("the FLOP count", "FLOP 數"),
            CostInput::PeakThroughput => ("peak throughput", "峰值算力"),
            CostInput::Count => ("the number of accelerators", "加速器數量"),
            CostInput::Price => ("the price", "價格"),
            CostInput::Power => ("the power", "功率"),
            CostInput::CarbonIntensity => ("the carbon intensity", "碳排放強度"),
        };
        say(lang, en.into(), zh.into())
    }
}

impl Render for PlanError {
    fn render(&self, lang: Lang) -> String {
        match self {
            PlanError::BelowFloor { floor } => say(
                lang,
                format!("the target is at or below the irreducible loss E = {floor:.4}: no scale reaches it"),
                format!("目標等於或低於不可約損失 E = {floor:.4}：任何規模都無法達到"),
            ),
            PlanError::OutOfRange => say(
                lang,
                "the law does not reach the target at any scale searched".into(),
                "在搜尋的所有規模下，此定律都無法達到目標".into(),
            ),
            PlanError::NotSingleVariable => say(
                lang,
                "this needs a law of one variable (power, power-offset, kaplan, saturating)".into(),
                "這需要單一變數的定律（power、power-offset、kaplan、saturating）".into(),
            ),
            PlanError::NeedsTwoVariables => say(
                lang,
                "this needs a law of both N and D (chinchilla, kaplan-joint, multiplicative)".into(),
                "這需要同時包含 N 與 D 的定律（chinchilla、kaplan-joint、multiplicative）".into(),
            ),
            PlanError::NoInteriorOptimum => say(
                lang,
                "along a fixed budget this law keeps improving towards one side: it has no compute-optimal split".into(),
                "在固定計算預算下，此定律會朝某一側持續改善：不存在計算最優的分配".into(),
            ),
            PlanError::ParamNotPositive { param, value } => say(
                lang,
                format!("{param} = {value}: a compute-optimal split needs {param} > 0 (otherwise the loss does not fall as N and D grow, so no split of the budget is best)"),
                format!("{param} = {value}：計算最優分配需要 {param} > 0（否則損失不會隨 N 與 D 增大而下降，任何預算分配都不是最佳）"),
            ),
            PlanError::NotFinite => say(
                lang,
                "the split of this budget is outside the range of numbers: check the law's parameters and the budget".into(),
                "此預算的分配超出數字可表示的範圍：請檢查定律的參數與計算預算".into(),
            ),
            PlanError::BadTarget => say(
                lang,
                "the target must be a positive number".into(),
                "目標必須為正數".into(),
            ),
            PlanError::BadBudget => say(
                lang,
                "the budget must be a positive number of FLOP".into(),
                "計算預算必須為正的 FLOP 數".into(),
            ),
            PlanError::BadFlopConvention => say(
                lang,
                "FLOP per parameter per token must be positive".into(),
                "每參數每 token 的 FLOP 數必須為正數".into(),
            ),
            PlanError::BudgetTooSmall => say(
                lang,
                "the budget is too small for one parameter and one token".into(),
                "計算預算太小，連一個參數和一個 token 都不夠".into(),
            ),
            PlanError::BadScale => say(
                lang,
                "N and D must be positive numbers".into(),
                "N 與 D 必須為正數".into(),
            ),
            PlanError::NotPositive(what) => {
                let what = what.render(lang);
                say(
                    lang,
                    format!("{what} must be a positive number"),
                    format!("{what}必須為正數"),
                )
            }
            PlanError::Negative(what) => {
                let what = what.render(lang);
                say(
                    lang,
                    format!("{what} must be zero or positive"),
                    format!("{what}必須為零或正數"),
                )
            }
            PlanError::BadMfu => say(
                lang,
                "MFU must be between 0 and 100 %".into(),
                "MFU 必須介於 0 與 100 % 之間".into(),
            ),
            PlanError::NeedsDataConstrained => say(
                lang,
                "planning with limited unique data needs a data-constrained law: fit data-constrained to runs with a U column, or use muennighoff-2023".into(),
                "在不重複數據有限時做規劃需要資料受限定律：請以含 U 欄的訓練紀錄擬合 data-constrained，或使用 muennighoff-2023".into(),
            ),
            PlanError::RunNotFinite => say(
                lang,
                "this run's compute C = k·N·D is outside the range of numbers: check N, D and the FLOP per parameter per token".into(),
                "此訓練的計算量 C = k·N·D 超出數字可表示的範圍：請檢查 N、D 與每參數每 token 的 FLOP 數".into(),
            ),
            PlanError::CostNotFinite => say(
                lang,
                "the cost of this run is outside the range of numbers: check the FLOP count and the hardware's numbers".into(),
                "此訓練的成本超出數字可表示的範圍：請檢查 FLOP 數與硬體的數值".into(),
            ),
        }
    }
}

/// The bottleneck's finding, a sentence at a time.
pub fn bottleneck_sentences(b: &Bottleneck, lang: Lang) -> Vec<String> {
    let (params, data) = match lang {
        Lang::En => ("parameters", "data"),
        Lang::ZhHant => ("參數數量", "數據量"),
    };
    let (more, less) = match b.grow() {
        Variable::N => (params, data),
        _ => (data, params),
    };
    let (n, d, budget) = (format_si(b.n), format_si(b.d), format_sci(b.budget));
    let ratio = trim_number(b.gain_ratio(), 3);
    let mut parts = vec![say(
        lang,
        format!("At N = {n}, D = {d} ({budget} FLOP), an extra FLOP spent on {more} lowers the loss {ratio}× as much as one spent on {less}: grow {more} first."),
        format!("在 N = {n}、D = {d}（{budget} FLOP）時，多花在{more}上的每個 FLOP 所降低的損失值，是花在{less}上的 {ratio} 倍：應優先增加{more}。"),
    )];
    if let (Some(training), Some(opt)) = (b.training(), &b.optimum) {
        let verdict = match training {
            Training::Undertrained => say(
                lang,
                "under-trained: too few tokens for its size, so data is the limiting factor".into(),
                "訓練不足：以其規模而言 token 太少，數據量不足是限制性能的主要因素".into(),
            ),
            Training::Balanced => say(lang, "close to compute-optimal".into(), "接近計算最優".into()),
            Training::Overtrained => say(
                lang,
                "over-trained for its size: more tokens than compute-optimal (sensible when inference cost matters), so parameters are the limiting factor".into(),
                "以其規模而言過度訓練：token 數多於計算最優值（在重視推論成本時是合理的選擇），參數數量是限制性能的主要因素".into(),
            ),
        };
        let (tpp, opt_tpp) = (
            trim_number(b.d / b.n, 3),
            trim_number(opt.tokens_per_param, 3),
        );
        let (on, od) = (format_si(opt.n), format_si(opt.d));
        parts.push(say(
            lang,
            format!("It has {tpp} tokens per parameter against {opt_tpp} at the compute-optimal split of the same budget (N = {on}, D = {od}): {verdict}."),
            format!("其每參數 token 數為 {tpp}，而同一計算預算下的計算最優分配（N = {on}，D = {od}）為 {opt_tpp}：{verdict}。"),
        ));
    }
    parts
}

impl Render for Stop {
    fn render(&self, lang: Lang) -> String {
        match self {
            Stop::Converged(by) => {
                let by = by.render(lang);
                say(lang, format!("converged: {by}"), format!("已收斂：{by}"))
            }
            Stop::MaxIterations { limit } => say(
                lang,
                format!("it used its limit of {limit} iterations"),
                format!("已用盡 {limit} 次迭代的上限"),
            ),
            Stop::MaxEvaluations { limit } => say(
                lang,
                format!("it used its limit of {limit} evaluations of the objective"),
                format!("已用盡 {limit} 次目標函數求值的上限"),
            ),
            Stop::LineSearchFailed => say(
                lang,
                "no step along the search direction lowered the objective, though the gradient was not yet small".into(),
                "沿搜尋方向的任何步長都無法降低目標函數，但梯度尚未足夠小".into(),
            ),
            Stop::ToleranceTooTight(test) => {
                let test = test.render(lang);
                say(
                    lang,
                    format!("its {test} test is set below machine precision and can never be met"),
                    format!("其{test}檢驗的容差低於機器精度，永遠無法滿足"),
                )
            }
            Stop::NonFinite => say(
                lang,
                "the objective or its derivatives stopped being finite numbers".into(),
                "目標函數或其導數不再是有限值".into(),
            ),
            Stop::Malformed => say(
                lang,
                "the problem handed to the solver was malformed (no parameters, no residuals or sizes that disagree)".into(),
                "交給求解器的問題格式有誤（沒有參數、沒有殘差或維度不符）".into(),
            ),
        }
    }
}

impl Render for ConvergedBy {
    fn render(&self, lang: Lang) -> String {
        let (en, zh) = match self {
            ConvergedBy::Objective => (
                "the relative change of the objective fell below its tolerance",
                "目標函數的相對變化低於容差",
            ),
            ConvergedBy::Step => (
                "the relative step of the parameters fell below its tolerance",
                "參數的相對步長低於容差",
            ),
            ConvergedBy::ObjectiveAndStep => (
                "the relative change of the objective and the relative step both fell below their tolerances",
                "目標函數的相對變化與參數的相對步長皆低於容差",
            ),
            ConvergedBy::Gradient => ("the gradient fell below its tolerance", "梯度低於容差"),
            ConvergedBy::PrecisionLimit => (
                "no step lowers the objective any further and the gradient is small (the limit of the arithmetic's precision)",
                "已無任何步長能再降低目標函數，且梯度很小（已達計算精度的極限）",
            ),
            ConvergedBy::ZeroResiduals => (
                "the law passes exactly through every point",
                "定律精確通過每個數據點",
            ),
            ConvergedBy::Exact => (
                "the closed-form least-squares solution",
                "最小平方法的解析解",
            ),
        };
        say(lang, en.into(), zh.into())
    }
}

impl Render for Criterion {
    fn render(&self, lang: Lang) -> String {
        let (en, zh) = match self {
            Criterion::Objective => ("objective-change (ftol)", "目標函數變化（ftol）"),
            Criterion::Step => ("step (xtol)", "步長（xtol）"),
            Criterion::Gradient => ("gradient (gtol)", "梯度（gtol）"),
        };
        say(lang, en.into(), zh.into())
    }
}

impl Render for Note {
    fn render(&self, lang: Lang) -> String {
        match self {
            Note::NoSpread => say(
                lang,
                "R² cannot be computed because every observed value is equal (there is no spread for the law to explain)".into(),
                "無法計算 R²，因為所有觀測值都相同（沒有變異可供定律解釋）".into(),
            ),
            Note::NoSplit => say(
                lang,
                "the compute-optimal exponents are left out: this law keeps improving towards one side along a fixed budget, so it has no compute-optimal split".into(),
                "未列出計算最優指數：在固定計算預算下此定律會朝某一側持續改善，因此沒有計算最優的分配".into(),
            ),
        }
    }
}
