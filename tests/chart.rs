#![cfg(not(target_arch = "wasm32"))]
//! The chart drawn natively into SVG: labelled log axes, the data, the law, the extrapolation.

use plotters::prelude::*;
use scaling_calc::chart::{
    chart_data, draw_residuals, log_ticks, residual_data, to_svg, ChartStyle,
};
use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::fit::{fit, FitOptions};
use scaling_calc::engine::flops::FlopConvention;
use scaling_calc::engine::law::{ModelId, Variable};
use scaling_calc::engine::presets;

#[test]
fn decade_ticks_are_written_as_people_read_them() {
    assert_eq!(log_ticks(5e7, 5e11), vec![1e8, 1e9, 1e10, 1e11]);
    let narrow = log_ticks(1.7, 3.3);
    assert!(
        narrow.len() >= 3 && narrow.iter().all(|t| (1.7..=3.3).contains(t)),
        "{narrow:?}"
    );
}

#[test]
fn the_gpt2_chart_has_labelled_log_axes_points_and_the_extrapolation() {
    let preset = presets::find("gpt2-gpt3").unwrap();
    let data = parse_dataset(&preset.data()).unwrap();
    let result = fit(&data, &FitOptions::new(ModelId::Power, Variable::N)).unwrap();
    let chart = chart_data(
        &data,
        &result,
        Variable::N,
        Some(175e9),
        false,
        FlopConvention::default(),
    );
    assert_eq!(chart.points.len(), 4);
    assert!(chart.extrapolated.last().unwrap().0 >= 175e9 * 0.999);
    let marker = chart.target.clone().unwrap();
    assert!((marker.y - 1.7226).abs() < 1e-3);
    let svg = to_svg(&chart, &ChartStyle::default()).unwrap();
    // plotters writes each text on a line of its own.
    for label in [
        "1B",
        "10B",
        "100B",
        "parameters N",
        "loss L",
        "175B → 1.723",
        "fitted law",
    ] {
        assert!(
            svg.contains(&format!("\n{label}\n")),
            "the SVG lacks {label}"
        );
    }
    // Four filled data points.
    assert!(svg.matches("<circle").count() >= 4);
}

#[test]
fn stale_charts_say_so_and_laws_of_two_variables_draw_fitted_rings() {
    let text = "N,D,L\n1e8,2e9,3.5\n1e9,2e10,2.9\n1e10,2e11,2.4\n3e8,1e10,3.0\n3e9,1e11,2.5\n5e9,2e10,2.6\n";
    let data = parse_dataset(text).unwrap();
    let result = fit(&data, &FitOptions::new(ModelId::Chinchilla, Variable::N)).unwrap();
    let chart = chart_data(
        &data,
        &result,
        Variable::C,
        None,
        true,
        FlopConvention::default(),
    );
    // Curves at fixed N for each distinct model size (6 here), points coloured by N.
    assert_eq!(chart.family.len(), 6);
    assert!(chart.points.iter().all(|p| p.tone.is_some()));
    assert!(chart.fitted.is_empty());
    let style = ChartStyle {
        width: 640,
        height: 400,
        ..ChartStyle::default()
    };
    let svg = to_svg(&chart, &style).unwrap();
    assert!(svg.contains("stale"));
    assert!(svg.contains("training compute C"));
}

#[test]
fn the_residual_plot_draws_every_point() {
    let data = parse_dataset("N,L\n1e8,3.3\n1e9,2.8\n#1e10,2.6\n1e11,2.2\n").unwrap();
    let result = fit(&data, &FitOptions::new(ModelId::Power, Variable::N)).unwrap();
    let residuals = residual_data(&data, &result, Variable::N, FlopConvention::default());
    assert_eq!(residuals.points.len(), 4);
    assert!(residuals.points[2].2, "the excluded point is marked");
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (600, 200)).into_drawing_area();
        draw_residuals(&area, &residuals, &ChartStyle::default()).unwrap();
    }
    assert!(svg.matches("<circle").count() >= 4);
    assert!(svg.contains("residual %"));
}

#[test]
fn the_planning_chart_has_contours_flop_lines_and_the_frontier_through_the_optimum() {
    use scaling_calc::chart::{draw_plan_chart, plan_chart};
    let law = presets::law("hoffmann-2022").unwrap().law();
    let chart = plan_chart(&law, Some(5.76e23), FlopConvention::default()).unwrap();
    assert_eq!(chart.contours.len(), 7);
    assert!(chart.contours.iter().all(|(_, points)| points.len() > 10));
    assert!(!chart.flops.is_empty());
    // The budget's optimum is the closed form's (tests/plan.rs), and the frontier passes by it.
    let (n, d) = chart.optimum.unwrap();
    assert!((n / 32_189_859_151.368_168 - 1.0).abs() < 1e-9);
    let nearest = chart
        .frontier
        .iter()
        .map(|&(fn_, fd)| ((fn_ / n).ln().powi(2) + (fd / d).ln().powi(2)).sqrt())
        .fold(f64::INFINITY, f64::min);
    assert!(nearest < 0.2, "{nearest}");
    // Each contour point has the contour's loss.
    let (level, points) = &chart.contours[3];
    for &(pn, pd) in points.iter().step_by(10) {
        let l = scaling_calc::engine::plan::predict_nd(&law, pn, pd, 6.0).unwrap();
        assert!((l - level).abs() < 1e-6, "{l} vs {level}");
    }
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (700, 420)).into_drawing_area();
        draw_plan_chart(&area, &chart, &ChartStyle::default()).unwrap();
    }
    assert!(svg.contains("iso-loss contours") && svg.contains("compute-optimal frontier"));
    // A law of one variable has no plane.
    assert!(plan_chart(
        &presets::law("kaplan-2020-n").unwrap().law(),
        Some(1e23),
        FlopConvention::default()
    )
    .is_none());
}
