//! The IsoFLOP chart (engine::isoflop): each budget's runs, loss against N, coloured by budget
//! from blue to orange, with the parabola in ln N fitted through them.

use super::axis::AxisQuantity;
use super::data::{log_space, log_tone, ChartData, ChartPoint};
use super::labels::{FamilyName, ToneLabel};
use crate::engine::isoflop::IsoFlop;

/// Samples along each parabola.
const PARABOLA_SAMPLES: usize = 48;
/// How far each parabola is drawn past its profile's smallest and largest size.
const REACH: f64 = 1.5;

/// The chart of an IsoFLOP analysis.
pub fn isoflop_chart(result: &IsoFlop) -> ChartData {
    let (lo, hi) = result
        .profiles
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(lo, hi), p| {
            (lo.min(p.budget), hi.max(p.budget))
        });
    let tone = |c: f64| log_tone(c, lo, hi);
    let points = result
        .profiles
        .iter()
        .flat_map(|p| {
            p.runs.iter().map(move |&(n, l)| ChartPoint {
                x: n,
                y: l,
                excluded: false,
                tone: Some(tone(p.budget)),
                label: None,
                line: 0,
            })
        })
        .collect();
    let family = result
        .profiles
        .iter()
        .filter(|p| p.minimum.is_some())
        .map(|p| {
            let [a, b, c] = p.parabola;
            let (first, last) = (p.runs[0].0, p.runs[p.runs.len() - 1].0);
            let curve = log_space(first / REACH, last * REACH, PARABOLA_SAMPLES)
                .into_iter()
                .map(|n| {
                    let x = n.ln();
                    (n, a * x * x + b * x + c)
                })
                .collect();
            (tone(p.budget), curve)
        })
        .collect();
    ChartData {
        x: AxisQuantity::N,
        y: AxisQuantity::L,
        points,
        family,
        family_name: FamilyName::IsoFlopParabolas,
        tone_label: Some(ToneLabel::Colour {
            quantity: AxisQuantity::C,
            lo,
            hi,
        }),
        ..ChartData::default()
    }
}
