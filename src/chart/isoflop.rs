//! The IsoFLOP charts (engine::isoflop): each budget's runs, loss against N, coloured by budget
//! from blue to orange, with the parabola in ln N fitted through them; and the frontier in the
//! (C, N) plane: the parabolas' minima, N_opt = k C^e through them, and the parametric fit's
//! compute-optimal N beside it, both carried on to the planned budget.

use super::axis::AxisQuantity;
use super::data::{log_space, log_tone, ChartData, ChartPoint};
use super::labels::{CurveName, FamilyName, PointsName, ToneLabel};
use crate::engine::isoflop::IsoFlop;
use crate::engine::law::Law;
use crate::engine::plan::frontier;

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

/// Samples along each frontier.
const FRONTIER_SAMPLES: usize = 60;
/// How far the frontier is drawn either side of the budgets run.
const FRONTIER_REACH: f64 = 2.0;

/// The frontier chart of an IsoFLOP analysis: the minima (hollow when extrapolated beyond their
/// profile's sizes), the fitted N_opt = k C^e over the budgets run (a factor [`FRONTIER_REACH`]
/// either side) and dashed on to `budget` when that lies beyond, and `law`'s compute-optimal N
/// (C = `k` N D) over the same span, when a law of N and D is given.
pub fn isoflop_frontier_chart(
    result: &IsoFlop,
    law: Option<&Law>,
    k: f64,
    budget: Option<f64>,
) -> ChartData {
    let minima: Vec<(f64, f64, bool)> = result
        .profiles
        .iter()
        .filter_map(|p| p.minimum.map(|(n, _)| (p.budget, n, p.inside)))
        .collect();
    let (lo, hi) = minima.iter().fold((f64::INFINITY, 0.0f64), |(lo, hi), m| {
        (lo.min(m.0), hi.max(m.0))
    });
    let (lo, hi) = (lo / FRONTIER_REACH, hi * FRONTIER_REACH);
    let (first, last) = match budget.filter(|b| b.is_finite() && *b > 0.0) {
        Some(b) => (lo.min(b), hi.max(b)),
        None => (lo, hi),
    };
    let along = |from: f64, to: f64| -> Vec<(f64, f64)> {
        if to <= from {
            return Vec::new();
        }
        log_space(from, to, FRONTIER_SAMPLES)
            .into_iter()
            .map(|c| (c, result.n_opt(c)))
            .collect()
    };
    // The fitted line over the budgets run, dashed beyond them on either side up to the plan.
    let extrapolated = [along(first, lo), along(hi, last)].concat();
    let parametric = law
        .map(|law| {
            frontier(law, first, last, FRONTIER_SAMPLES, k)
                .into_iter()
                .map(|a| (a.budget, a.n))
                .collect::<Vec<_>>()
        })
        .filter(|curve| curve.len() > 1);
    ChartData {
        x: AxisQuantity::C,
        y: AxisQuantity::N,
        points: minima
            .iter()
            .map(|&(c, n, inside)| ChartPoint {
                x: c,
                y: n,
                excluded: !inside,
                tone: None,
                label: None,
                line: 0,
            })
            .collect(),
        points_name: PointsName::ParabolaMinima,
        fitted: along(lo, hi),
        curve_name: CurveName::IsoFlopFrontier,
        extrapolated,
        // Green, apart from the fitted line's orange and the points' blue.
        family: parametric.into_iter().map(|curve| (0.5, curve)).collect(),
        family_name: FamilyName::ParametricFrontier,
        ..ChartData::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::dataset::{parse_dataset, Dataset};
    use crate::engine::isoflop::isoflop;
    use crate::engine::law::{ModelId, Variable};
    use crate::engine::plan::{compute_optimal, predict_nd};

    /// IsoFLOP sweeps of Hoffmann's law without noise: three sizes either side of each
    /// budget's optimum.
    fn sweeps(law: &Law) -> Dataset {
        let mut text = String::from("N,D,L\n");
        for c in [1e18, 1e19, 1e20, 1e21] {
            let centre = compute_optimal(law, c, 6.0).unwrap().n;
            for step in -3..=3 {
                let n = centre * 10f64.powf(step as f64 / 6.0);
                let d = c / (6.0 * n);
                text += &format!("{n},{d},{}\n", predict_nd(law, n, d, 6.0).unwrap());
            }
        }
        parse_dataset(&text).unwrap()
    }

    #[test]
    fn the_frontier_chart_draws_the_minima_the_fitted_line_and_the_law_s_frontier() {
        // Hoffmann et al. (2022)'s approach-3 law.
        let law = Law::new(
            ModelId::Chinchilla,
            Variable::N,
            vec![1.69, 406.4, 410.7, 0.34, 0.28],
        )
        .unwrap();
        let result = isoflop(&sweeps(&law), 6.0).unwrap();
        let chart = isoflop_frontier_chart(&result, Some(&law), 6.0, Some(1e24));
        assert_eq!((chart.x, chart.y), (AxisQuantity::C, AxisQuantity::N));
        assert_eq!(chart.points.len(), 4);
        for (point, profile) in chart.points.iter().zip(&result.profiles) {
            assert_eq!(
                (point.x, point.y),
                (profile.budget, profile.minimum.unwrap().0)
            );
            assert!(!point.excluded, "sampled around the optimum: inside");
        }
        // The fitted line is N_opt = k C^e, over the budgets run (a factor 2 either side) …
        let (first, last) = (chart.fitted[0], *chart.fitted.last().unwrap());
        assert!((first.0 / 5e17 - 1.0).abs() < 1e-9 && (last.0 / 2e21 - 1.0).abs() < 1e-9);
        assert!(chart
            .fitted
            .iter()
            .all(|&(c, n)| (n / result.n_opt(c) - 1.0).abs() < 1e-12));
        // … dashed on to the planned budget …
        let end = *chart.extrapolated.last().unwrap();
        assert!((end.0 / 1e24 - 1.0).abs() < 1e-9);
        // … and the law's own frontier lies on it: without noise the parabolas' minima are
        // the law's optima to within the parabola's misfit (a few per cent in N).
        let (_, parametric) = &chart.family[0];
        assert_eq!(chart.family_name, FamilyName::ParametricFrontier);
        for &(c, n) in parametric {
            assert!((n / compute_optimal(&law, c, 6.0).unwrap().n - 1.0).abs() < 1e-9);
            assert!(
                (n / result.n_opt(c) - 1.0).abs() < 0.1,
                "{c:e}: {n:e} vs {:e}",
                result.n_opt(c)
            );
        }
        // Without a law of N and D, no parametric curve; without a plan, nothing dashed.
        let alone = isoflop_frontier_chart(&result, None, 6.0, None);
        assert!(alone.family.is_empty() && alone.extrapolated.is_empty());
    }
}
