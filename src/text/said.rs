//! What the page says where a message is due: an engine message, a share-link problem, or a
//! field that cannot be read. Views hold these values and render them in the current language,
//! so switching language re-renders every message, and no English is ever parsed back.

use super::messages::say;
use super::{translate, Lang, Render};
use crate::engine::dataset::DataError;
use crate::engine::fit::FitError;
use crate::engine::law::Variable;
use crate::engine::plan::PlanError;
use crate::engine::share::ShareError;
use crate::engine::units::UnitError;

/// A message of the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Said {
    /// A fixed page text (a label of `zh_hant.rs`).
    Text(&'static str),
    /// A field's text is not a number: `field: why`.
    Field {
        field: &'static str,
        error: UnitError,
    },
    /// A field that must be filled is empty.
    Empty(&'static str),
    Data(DataError),
    Fit(FitError),
    Plan(PlanError),
    /// A share link that could not be opened; the default page is shown.
    BadLink(ShareError),
    /// `?preset=` names no preset; the default page is shown.
    NoPreset(String),
    /// The saved state could not be read; the default page is shown.
    BadSaved(ShareError),
    /// A link or preset was opened while the person has saved work of their own.
    SavedWorkKept,
    /// A budget given to a law of one variable other than C.
    LawOfOneVariable(Variable),
}

impl Render for Said {
    fn render(&self, lang: Lang) -> String {
        match self {
            Said::Text(text) => translate(lang, text),
            Said::Field { field, error } => {
                let (field, error) = (translate(lang, field), error.render(lang));
                say(lang, format!("{field}: {error}"), format!("{field}：{error}"))
            }
            Said::Empty(field) => {
                let field = translate(lang, field);
                say(lang, format!("{field} is empty"), format!("{field}尚未填寫"))
            }
            Said::Data(e) => e.render(lang),
            Said::Fit(e) => e.render(lang),
            Said::Plan(e) => e.render(lang),
            Said::BadLink(e) => {
                let e = e.render(lang);
                say(
                    lang,
                    format!("This link could not be opened: {e}. Showing the default page instead."),
                    format!("無法開啟此連結：{e}。改為顯示預設頁面。"),
                )
            }
            Said::NoPreset(id) => say(
                lang,
                format!("There is no preset \"{id}\". Showing the default page instead."),
                format!("沒有名為「{id}」的預設範例。改為顯示預設頁面。"),
            ),
            Said::SavedWorkKept => say(
                lang,
                "You are viewing a shared page. Your own saved work in this browser stays as it is until you edit this page; open the calculator without a link to return to it.".into(),
                "你正在檢視分享的頁面。在你編輯此頁之前，瀏覽器中你自己儲存的工作內容保持不變；不帶連結開啟計算器即可回到該內容。".into(),
            ),
            Said::LawOfOneVariable(x) => {
                let x = x.symbol();
                say(
                    lang,
                    format!("this law is a function of {x} alone: a budget needs a law of N and D, or of C"),
                    format!("此定律僅為 {x} 的函數：計算預算需要 N 與 D 的定律，或 C 的定律"),
                )
            }
            Said::BadSaved(e) => {
                let e = e.render(lang);
                say(
                    lang,
                    format!("Your saved work could not be restored ({e}); starting from the default page."),
                    format!("無法還原你儲存的工作內容（{e}）；將從預設頁面開始。"),
                )
            }
        }
    }
}

impl Render for ShareError {
    fn render(&self, lang: Lang) -> String {
        match self {
            ShareError::TooLong(n) => say(
                lang,
                format!("the link's data is {n} characters long, more than this page accepts"),
                format!("連結中的數據長達 {n} 個字元，超過此頁面可接受的上限"),
            ),
            ShareError::NotBase64 => say(
                lang,
                "the link is damaged (its data is not valid base64)".into(),
                "連結已損壞（其數據不是有效的 base64）".into(),
            ),
            ShareError::NotDeflate => say(
                lang,
                "the link is damaged (its data does not decompress)".into(),
                "連結已損壞（其數據無法解壓縮）".into(),
            ),
            ShareError::TooLarge => say(
                lang,
                "the link's data decompresses to more than this page accepts".into(),
                "連結中的數據解壓縮後超過此頁面可接受的上限".into(),
            ),
            ShareError::NotState(e) => say(
                lang,
                format!("the link's data is not a calculator state ({e})"),
                format!("連結中的數據不是計算器狀態（{e}）"),
            ),
            ShareError::FromTheFuture(v) => say(
                lang,
                format!(
                    "the link was made by a newer version of the calculator (state version {v})"
                ),
                format!("此連結由較新版本的計算器產生（狀態版本 {v}）"),
            ),
        }
    }
}

impl From<PlanError> for Said {
    fn from(e: PlanError) -> Said {
        Said::Plan(e)
    }
}

impl From<FitError> for Said {
    fn from(e: FitError) -> Said {
        Said::Fit(e)
    }
}
