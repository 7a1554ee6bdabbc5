//! A scaling-law calculator: fit L(N, D, C) to your runs, extrapolate, and plan.
//!
//! Data flows one way: text → [`engine::dataset::Dataset`] → [`engine::fit::Fit`] →
//! predictions → [`chart`]. The engine is pure Rust; the page (`ui`) exists on wasm32 only.

pub mod chart;
pub mod engine;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod ui;
