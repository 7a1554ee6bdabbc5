//! The engine's typed messages in words: each variant with its English and Traditional
//! Chinese side by side. The engine builds values; only this module builds sentences.

use super::Lang;
use crate::engine::fit::diagnostics::Warning;

/// A value that can be said in each language.
pub trait Render {
    fn render(&self, lang: Lang) -> String;
}

/// `en` in English, `zh` in Traditional Chinese.
fn say(lang: Lang, en: String, zh: String) -> String {
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
            Warning::NotConverged => say(
                lang,
                "the solver stopped before converging: treat the parameters with care".into(),
                "求解器在收斂前就已停止：請謹慎看待這些參數".into(),
            ),
        }
    }
}
