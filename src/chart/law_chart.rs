//! The main chart of a published law alone (nothing fitted yet): the law the planning panel
//! plans with, over the data's range or a default one.

use super::axis::AxisQuantity;
use super::data::CURVE_SAMPLES;
use super::data::{log_space, log_tone, sample_law, ChartData, Marker};
use super::labels::{CurveName, FamilyName, ToneLabel};
use crate::engine::dataset::{Dataset, Quantity};
use crate::engine::flops::FlopConvention;
use crate::engine::law::{Inputs, Law, Variable};

/// The chart of a published law alone (no fit): a one-variable law over the data's range of
/// its variable (or a default range), carried to `target`; a law of N and D as curves at fixed
/// N (the data's sizes, or 100M … 1T) along x, with its compute-optimal frontier when x is C,
/// compute being C = k N D from `flops`. Rows of `data` with N and D are drawn at the law's
/// value.
pub fn law_chart(
    law: &Law,
    data: Option<&Dataset>,
    x: Variable,
    target: Option<f64>,
    flops: FlopConvention,
) -> ChartData {
    if law.model.is_single_variable() {
        single_variable(law, data, target)
    } else {
        two_variable(law, data, x, flops)
    }
}

/// A law of one variable over the data's range (or a default one) and the target.
fn single_variable(law: &Law, data: Option<&Dataset>, target: Option<f64>) -> ChartData {
    let q = law.x.quantity();
    let xs: Vec<f64> = data
        .map(|d| d.points.iter().filter_map(|p| p.get(q)).collect())
        .unwrap_or_default();
    let (mut lo, mut hi) = xs
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if !(lo > 0.0 && hi.is_finite()) {
        (lo, hi) = match law.x {
            Variable::N => (1e7, 1e12),
            Variable::D => (1e9, 1e13),
            Variable::C => (1e18, 1e25),
        };
    }
    let target = target.filter(|t| *t > 0.0 && t.is_finite());
    if let Some(t) = target {
        lo = lo.min(t);
        hi = hi.max(t);
    }
    let runs = xs
        .iter()
        .filter_map(|&v| Some((v, law.value(&Inputs::single(law.x, v))?)))
        .collect();
    let (x_axis, y_axis) = (AxisQuantity::of(q), AxisQuantity::of(law.model.response()));
    let marker = target.and_then(|t| {
        let y = law.value(&Inputs::single(law.x, t))?;
        Some(Marker {
            x: t,
            y,
            label: format!("{} → {}", x_axis.tick_label(t), y_axis.tick_label(y)),
        })
    });
    ChartData {
        x: x_axis,
        y: y_axis,
        fitted: sample_law(law, lo, hi, CURVE_SAMPLES),
        curve_name: CurveName::PublishedLaw,
        runs,
        target: marker,
        ..ChartData::default()
    }
}

/// A law of N and D along C (or D): curves at fixed N, and the frontier along C.
fn two_variable(
    law: &Law,
    data: Option<&Dataset>,
    x: Variable,
    flops: FlopConvention,
) -> ChartData {
    // A law of N and D has no curve along N alone.
    let x_var = if x == Variable::D {
        Quantity::D
    } else {
        Quantity::C
    };
    let along = |n: f64, d: f64| match x_var {
        Quantity::D => d,
        _ => flops.compute(n, d),
    };
    let at = |n: f64, d: f64| {
        law.value(&Inputs {
            n: Some(n),
            d: Some(d),
            c: Some(flops.compute(n, d)),
            u: None,
        })
        .filter(|y| y.is_finite() && *y > 0.0)
    };
    let mut sizes: Vec<f64> = data
        .map(|d| d.points.iter().filter_map(|p| p.n).collect())
        .unwrap_or_default();
    sizes.sort_by(f64::total_cmp);
    sizes.dedup_by(|a, b| (*a / *b).ln().abs() < 0.02);
    if sizes.is_empty() {
        sizes = vec![1e8, 1e9, 1e10, 1e11, 1e12];
    }
    let (v_lo, v_hi) = (sizes[0], sizes[sizes.len() - 1]);
    // Each size over 1 … 1000 tokens per parameter.
    let family = sizes
        .iter()
        .map(|&n| {
            let curve: Vec<(f64, f64)> = log_space(1.0, 1000.0, 60)
                .into_iter()
                .filter_map(|ratio| Some((along(n, ratio * n), at(n, ratio * n)?)))
                .collect();
            (log_tone(n, v_lo, v_hi), curve)
        })
        .filter(|(_, c)| !c.is_empty())
        .collect();
    let runs = data
        .map(|d| {
            d.points
                .iter()
                .filter_map(|p| {
                    let (n, dd) = (p.n?, p.d?);
                    Some((along(n, dd), at(n, dd)?))
                })
                .collect()
        })
        .unwrap_or_default();
    let fitted = if x_var == Quantity::C {
        let c_lo = flops.compute(v_lo, v_lo);
        let c_hi = flops.compute(v_hi, v_hi) * 1000.0;
        crate::engine::plan::frontier(law, c_lo, c_hi, 60, flops.k)
            .into_iter()
            .map(|a| (a.budget, a.loss))
            .collect()
    } else {
        Vec::new()
    };
    ChartData {
        x: AxisQuantity::of(x_var),
        y: AxisQuantity::of(law.model.response()),
        fitted,
        curve_name: CurveName::Frontier,
        family_name: FamilyName::LawAtFixedN,
        family,
        tone_label: Some(ToneLabel::CurvesAtFixedN { lo: v_lo, hi: v_hi }),
        runs,
        ..ChartData::default()
    }
}
