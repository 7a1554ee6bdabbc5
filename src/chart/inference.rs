//! The cost of serving (engine::plan::inference): training + inference FLOP of the models that
//! reach one loss, against their size, with the least-total model marked.

use super::axis::AxisQuantity;
use super::data::{ChartData, Marker};
use super::labels::CurveName;
use crate::engine::units::format_si;

/// The part of the curve drawn: up to this many times the least total (near the smallest size
/// that can reach the loss at all, the total climbs without bound).
const SHOWN_ABOVE_LEAST: f64 = 10.0;

/// The chart of `curve` (N, total FLOP) with the least-total model at (`n`, `total`).
pub fn inference_chart(mut curve: Vec<(f64, f64)>, n: f64, total: f64) -> ChartData {
    curve.retain(|p| p.1 <= SHOWN_ABOVE_LEAST * total);
    ChartData {
        x: AxisQuantity::N,
        y: AxisQuantity::TotalFlop,
        fitted: curve,
        curve_name: CurveName::TotalCost,
        target: Some(Marker {
            x: n,
            y: total,
            label: format!("N = {}", format_si(n)),
        }),
        ..ChartData::default()
    }
}
