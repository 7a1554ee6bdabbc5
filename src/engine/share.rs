//! The page's state as a share link and as saved state: versioned JSON, deflated and written
//! in URL-safe base64 for the link's fragment (`#s=…`). Decoding is defensive: size limits
//! before and after inflating, and every field optional (`#[serde(default)]`), so an old or
//! damaged link opens with a clear message and the defaults, never a panic.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version written into new links and saved state.
pub const VERSION: u32 = 1;
/// Fragments longer than this are refused before decoding.
pub const MAX_ENCODED: usize = 2_000_000;
/// Inflated state larger than this is refused (a deflate bomb cannot get past it).
pub const MAX_DECODED: usize = 8_000_000;
/// Links longer than this are flagged as impractical to share (many chat tools and browsers
/// cut or refuse them).
pub const PRACTICAL_LINK: usize = 8_000;

/// Everything a person chose; results are not stored (the fit reruns on open).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ShareState {
    pub v: u32,
    pub text: String,
    pub model: String,
    pub x: String,
    pub loss: String,
    pub delta: String,
    pub weight: String,
    pub starts: String,
    /// Parameters held at values, as typed (`E=1.69`; docs/CONTRACT.md `--fix`).
    pub fix: String,
    /// Parameters tied equal, as typed (`alpha=beta`; `--tie`).
    pub tie: String,
    pub predict: String,
    pub preset: String,
    pub lang: String,
    pub plan_law: String,
    pub flop_k: String,
    pub budget: String,
    pub invert: String,
    pub at_n: String,
    pub at_d: String,
    pub accelerator: String,
    pub mfu: String,
    pub price: String,
    pub count: String,
    pub watts: String,
    pub carbon: String,
    /// Unique tokens available to the planned run (blank: unlimited).
    pub unique_tokens: String,
    /// Tokens the planned model will serve (blank: none counted).
    pub inference_tokens: String,
    /// The next experiments' budget, % of the budget.
    pub ladder_percent: String,
    /// The model shape's d_model / n_layer and the context length attention is counted at.
    pub aspect: String,
    pub sequence: String,
    /// The task chain's task-loss and accuracy columns, by header (blank: the defaults).
    pub task_loss: String,
    pub task_accuracy: String,
    /// The task chain's step-1 law (a form of N and D; docs/CONTRACT.md `task --model`).
    pub task_model: String,
    pub linear_x: bool,
    pub linear_y: bool,
    /// What the person chose for columns, by header as written: header → `N`, `D`, `C`, `L`,
    /// `P`, `name` or `ignored` (`engine::columns::ColumnMap`); their header text is kept.
    pub columns: BTreeMap<String, String>,
}

impl Default for ShareState {
    fn default() -> Self {
        ShareState {
            v: VERSION,
            text: String::new(),
            model: "power".into(),
            x: "N".into(),
            loss: "least-squares".into(),
            delta: "0.001".into(),
            weight: "10".into(),
            starts: "auto".into(),
            fix: String::new(),
            tie: String::new(),
            predict: String::new(),
            preset: String::new(),
            lang: String::new(),
            plan_law: "fit".into(),
            flop_k: "6".into(),
            budget: String::new(),
            invert: String::new(),
            at_n: "175B".into(),
            at_d: "300B".into(),
            accelerator: "a100".into(),
            mfu: "40".into(),
            price: "2.00".into(),
            count: "1024".into(),
            watts: "400".into(),
            carbon: "0.4".into(),
            unique_tokens: String::new(),
            inference_tokens: String::new(),
            ladder_percent: "1".into(),
            aspect: "128".into(),
            sequence: "4096".into(),
            task_loss: String::new(),
            task_accuracy: String::new(),
            task_model: "chinchilla".into(),
            linear_x: false,
            linear_y: false,
            columns: BTreeMap::new(),
        }
    }
}

/// Why a link could not be opened (said in words by `text`).
#[derive(Clone, Debug, PartialEq)]
pub enum ShareError {
    TooLong(usize),
    NotBase64,
    NotDeflate,
    TooLarge,
    NotState(String),
    FromTheFuture(u32),
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::text::Render::render(self, crate::text::Lang::En))
    }
}

impl ShareState {
    /// JSON, deflated, URL-safe base64 without padding.
    pub fn encode(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let packed = miniz_oxide::deflate::compress_to_vec(&json, 6);
        URL_SAFE_NO_PAD.encode(packed)
    }

    /// The inverse of [`ShareState::encode`], within the size limits.
    pub fn decode(encoded: &str) -> Result<ShareState, ShareError> {
        let encoded = encoded.trim();
        if encoded.len() > MAX_ENCODED {
            return Err(ShareError::TooLong(encoded.len()));
        }
        let packed = URL_SAFE_NO_PAD
            .decode(encoded.trim_end_matches('='))
            .map_err(|_| ShareError::NotBase64)?;
        let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_DECODED)
            .map_err(|e| match e.status {
                miniz_oxide::inflate::TINFLStatus::HasMoreOutput => ShareError::TooLarge,
                _ => ShareError::NotDeflate,
            })?;
        Self::from_json(&json)
    }

    /// Saved state (plain JSON, as kept in localStorage).
    pub fn from_json(json: &[u8]) -> Result<ShareState, ShareError> {
        let state: ShareState =
            serde_json::from_slice(json).map_err(|e| ShareError::NotState(e.to_string()))?;
        if state.v > VERSION {
            return Err(ShareError::FromTheFuture(state.v));
        }
        Ok(state)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The state in a URL fragment (`#s=…`), if the fragment holds one.
pub fn from_fragment(fragment: &str) -> Option<Result<ShareState, ShareError>> {
    let body = fragment.trim_start_matches('#');
    body.split('&')
        .find_map(|part| part.strip_prefix("s="))
        .map(ShareState::decode)
}
