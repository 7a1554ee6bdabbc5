//! The pure engine: units, data, laws, fitting and planning. No browser here.

pub mod backtest;
pub mod columns;
pub mod cost;
pub mod csv;
pub mod dataset;
pub mod export;
pub mod fit;
pub mod flops;
pub mod isoflop;
pub mod law;
pub mod plan;
pub mod presets;
pub mod reach;
pub mod report;
pub mod share;
pub mod task;
pub mod tolerances;
pub mod units;
pub mod wire;
pub mod work;
