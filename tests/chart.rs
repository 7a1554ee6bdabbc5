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
    let data = parse_dataset(preset.data()).unwrap();
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

// ── Style: axis kinds, theme, language, size ────────────────────────────────────────────────

use scaling_calc::chart::{
    describe, draw_chart, law_chart, nice_ticks, plan_chart, Axes, AxisKind, ChartData, ChartPoint,
    Frame, Span, Theme, MAX_TICKS,
};
use scaling_calc::engine::units::parse_quantity;
use scaling_calc::text::Lang;
use std::time::{Duration, Instant};

/// The GPT-2 checkpoints fitted with a power law, to 175B.
fn gpt2_chart() -> scaling_calc::chart::ChartData {
    let preset = presets::find("gpt2-gpt3").unwrap();
    let data = parse_dataset(preset.data()).unwrap();
    let result = fit(&data, &FitOptions::new(ModelId::Power, Variable::N)).unwrap();
    chart_data(
        &data,
        &result,
        Variable::N,
        Some(175e9),
        false,
        FlopConvention::default(),
    )
}

/// Draws into an SVG string, keeping the frame.
fn svg_and_frame(chart: &ChartData, style: &ChartStyle) -> (String, Frame) {
    let mut svg = String::new();
    let frame = {
        let area =
            SVGBackend::with_string(&mut svg, (style.width, style.height)).into_drawing_area();
        draw_chart(&area, chart, style).unwrap()
    };
    (svg, frame)
}

/// The value of attribute `name` in an SVG tag.
fn attribute(tag: &str, name: &str) -> Option<f64> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[start..].split('"').next()?.parse().ok()
}

/// (x, y, text) of every text of an SVG written by plotters (the text on a line of its own).
fn texts(svg: &str) -> Vec<(f64, f64, String)> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| {
            let (tag, rest) = t.split_once('>')?;
            let text = rest.split("</text>").next()?.trim().to_string();
            Some((attribute(tag, "x")?, attribute(tag, "y")?, text))
        })
        .collect()
}

/// The x axis's tick labels: numbers written below the plot, left to right, as (pixel, value).
fn x_ticks(svg: &str, frame: &Frame) -> Vec<(f64, f64)> {
    let mut ticks: Vec<(f64, f64)> = texts(svg)
        .into_iter()
        .filter(|(_, y, _)| *y >= frame.bottom && *y < frame.bottom + 30.0)
        .filter_map(|(x, _, text)| Some((x, parse_quantity(&text).ok()?)))
        .collect();
    ticks.sort_by(|a, b| a.0.total_cmp(&b.0));
    ticks
}

const LINEAR_X: Axes = Axes {
    x: AxisKind::Linear,
    y: AxisKind::Log,
};

#[test]
fn a_linear_x_axis_draws_evenly_spaced_linear_ticks_and_a_different_svg() {
    let chart = gpt2_chart();
    let log_style = ChartStyle::default();
    let linear_style = log_style.with_axes(LINEAR_X);
    let (log_svg, log_frame) = svg_and_frame(&chart, &log_style);
    let (linear_svg, linear_frame) = svg_and_frame(&chart, &linear_style);
    assert_ne!(log_svg, linear_svg, "the axis kind changes the drawing");
    assert_eq!(to_svg(&chart, &linear_style).unwrap(), linear_svg);

    // Linear: values step by a constant, and so do their pixels.
    let ticks = x_ticks(&linear_svg, &linear_frame);
    assert!(ticks.len() >= 3, "{ticks:?}");
    let step = ticks[1].1 - ticks[0].1;
    let pixels = ticks[1].0 - ticks[0].0;
    for pair in ticks.windows(2) {
        assert!(
            ((pair[1].1 - pair[0].1) / step - 1.0).abs() < 1e-9,
            "{ticks:?}"
        );
        assert!((pair[1].0 - pair[0].0 - pixels).abs() <= 1.5, "{ticks:?}");
    }
    assert_eq!(
        ticks[0].1, 0.0,
        "a linear axis over 0 … 175B starts its ticks at 0"
    );
    // Log: evenly spaced pixels, but values multiply (by ten).
    let ticks = x_ticks(&log_svg, &log_frame);
    assert!(ticks.len() >= 3, "{ticks:?}");
    for pair in ticks.windows(2) {
        assert!((pair[1].1 / pair[0].1 - 10.0).abs() < 1e-9, "{ticks:?}");
    }
    // Each label sits at its value's pixel.
    for (frame, svg) in [(&log_frame, &log_svg), (&linear_frame, &linear_svg)] {
        for (px, value) in x_ticks(svg, frame) {
            assert!(
                (frame.to_pixel(value, 2.0).0 - px).abs() <= 1.5,
                "{value} at {px}"
            );
        }
    }
}

#[test]
fn the_frame_puts_each_point_where_the_svg_draws_it() {
    let chart = gpt2_chart();
    for axes in [
        Axes::LOG_LOG,
        LINEAR_X,
        Axes {
            x: AxisKind::Log,
            y: AxisKind::Linear,
        },
    ] {
        let (svg, frame) = svg_and_frame(&chart, &ChartStyle::default().with_axes(axes));
        let circles: Vec<(f64, f64)> = svg
            .split("<circle")
            .skip(1)
            .filter_map(|c| Some((attribute(c, "cx")?, attribute(c, "cy")?)))
            .collect();
        for p in &chart.points {
            let (px, py) = frame.to_pixel(p.x, p.y);
            assert!(
                circles
                    .iter()
                    .any(|&(cx, cy)| (cx - px).abs() <= 1.5 && (cy - py).abs() <= 1.5),
                "{axes:?}: no circle at ({px}, {py}) for {p:?}"
            );
        }
    }
}

#[test]
fn a_click_near_a_drawn_point_finds_the_row_it_came_from() {
    // The GPT-2 preset's four runs are lines 2 to 5 of its text (the header is line 1).
    let chart = gpt2_chart();
    let lines: Vec<usize> = chart.points.iter().map(|p| p.line).collect();
    assert_eq!(lines, [2, 3, 4, 5]);
    for axes in [Axes::LOG_LOG, LINEAR_X] {
        let (svg, frame) = svg_and_frame(&chart, &ChartStyle::default().with_axes(axes));
        for p in &chart.points {
            // Where the SVG drew its circle, a few pixels off, as a finger or a mouse lands.
            let (cx, cy) = svg
                .split("<circle")
                .skip(1)
                .filter_map(|c| Some((attribute(c, "cx")?, attribute(c, "cy")?)))
                .min_by(|a, b| {
                    let (px, py) = frame.to_pixel(p.x, p.y);
                    let d = |c: &(f64, f64)| (c.0 - px).hypot(c.1 - py);
                    d(a).total_cmp(&d(b))
                })
                .unwrap();
            let hit = chart.point_near(&frame, cx + 4.0, cy - 3.0, 18.0);
            assert_eq!(hit.map(|h| h.line), Some(p.line), "{axes:?}: {p:?}");
        }
        // Far from every point (the plot's top-left corner): nothing.
        let corner = chart.point_near(&frame, frame.left + 1.0, frame.top + 1.0, 18.0);
        assert_eq!(corner, None, "{axes:?}");
    }
}

#[test]
fn pixels_map_back_to_data_on_log_and_linear_axes() {
    let span = |kind, lo, hi| Span { kind, lo, hi };
    for (x, y) in [
        (
            span(AxisKind::Log, 7.5, 11.6),
            span(AxisKind::Linear, 1.5, 3.2),
        ),
        (
            span(AxisKind::Linear, -1e10, 2e11),
            span(AxisKind::Log, 0.1, 0.6),
        ),
    ] {
        let frame = Frame {
            left: 58.0,
            right: 772.0,
            top: 14.0,
            bottom: 440.0,
            x,
            y,
        };
        for xv in [1e8, 3.3e9, 4e10, 1e11] {
            for yv in [1.6, 2.0, 3.1] {
                let (px, py) = frame.to_pixel(xv, yv);
                assert!(frame.contains(px, py), "{xv}, {yv} -> {px}, {py}");
                assert!((frame.x_at(px) / xv - 1.0).abs() < 1e-9);
                assert!((frame.y_at(py) / yv - 1.0).abs() < 1e-9);
            }
        }
        // Equal steps on the axis's own scale are equal steps in pixels.
        let steps: Vec<f64> = match x.kind {
            AxisKind::Log => [1e8, 1e9, 1e10, 1e11].to_vec(),
            AxisKind::Linear => [0.0, 5e10, 1e11, 1.5e11].to_vec(),
        };
        let px: Vec<f64> = steps.iter().map(|&v| frame.to_pixel(v, 2.0).0).collect();
        for w in px.windows(3) {
            assert!(((w[2] - w[1]) - (w[1] - w[0])).abs() < 1e-6, "{px:?}");
        }
    }
    // A log axis cannot show zero or less.
    let frame = Frame {
        right: 100.0,
        bottom: 100.0,
        x: span(AxisKind::Log, 0.0, 2.0),
        y: span(AxisKind::Log, 0.0, 2.0),
        ..Frame::default()
    };
    assert!(frame.to_pixel(-1.0, 10.0).0.is_nan());
    assert!(!Frame::default().contains(0.0, 0.0));
}

#[test]
fn the_svg_has_the_style_size_theme_and_language() {
    let chart = gpt2_chart();
    let style = ChartStyle {
        theme: Theme::Dark,
        lang: Lang::ZhHant,
        width: 1234,
        height: 567,
        scale: 2.0,
        ..ChartStyle::default()
    };
    let svg = to_svg(&chart, &style).unwrap();
    assert!(
        svg.starts_with("<svg width=\"1234\" height=\"567\""),
        "{}",
        &svg[..60]
    );
    assert!(svg.contains("#181A1F"), "the dark background");
    assert!(svg.contains("參數數量 N") && !svg.contains("parameters N"));
}

#[test]
fn the_text_alternative_names_the_axis_kinds_in_both_languages() {
    let law = "L = 5 N^-0.1";
    let linear_x = describe(Lang::En, LINEAR_X, Some(law));
    assert!(
        linear_x.contains("linear x, log y") && linear_x.contains(law),
        "{linear_x}"
    );
    assert!(describe(Lang::En, Axes::LOG_LOG, None).contains("log-log"));
    let all = [
        Axes::LOG_LOG,
        LINEAR_X,
        Axes {
            x: AxisKind::Log,
            y: AxisKind::Linear,
        },
        Axes {
            x: AxisKind::Linear,
            y: AxisKind::Linear,
        },
    ];
    let english: Vec<String> = all
        .iter()
        .map(|&a| describe(Lang::En, a, Some(law)))
        .collect();
    let chinese: Vec<String> = all
        .iter()
        .map(|&a| describe(Lang::ZhHant, a, Some(law)))
        .collect();
    for texts in [&english, &chinese] {
        for (i, a) in texts.iter().enumerate() {
            assert!(texts[i + 1..].iter().all(|b| a != b), "{texts:?}");
        }
    }
    assert!(
        chinese[1].contains("x 軸線性、y 軸對數座標") && chinese[1].contains(law),
        "{}",
        chinese[1]
    );
    assert!(chinese.iter().all(|t| !t.contains("log")), "{chinese:?}");
}

// ── Robust at the limits of f64 ─────────────────────────────────────────────────────────────

/// Runs `f`, failing if it takes more than a second (the old tick loop took 17 s).
fn quickly<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{what} took {:?}",
        start.elapsed()
    );
    out
}

#[test]
fn ticks_stay_few_and_finite_at_the_limits_of_f64() {
    let cases = [
        (5e-324, 1e308),
        (1e300, 1e308),
        (1e308, 5e-324),
        (f64::MAX, f64::MAX),
        (5e-324, 5e-324),
        (7.0, 7.0),
        (0.0, f64::INFINITY),
        (-1.0, 10.0),
        (f64::NEG_INFINITY, f64::INFINITY),
        (f64::NAN, 1.0),
        (1.0, f64::NAN),
        (-1e308, 1e308),
    ];
    for (lo, hi) in cases {
        let ticks = quickly("log ticks", || log_ticks(lo, hi));
        assert!(ticks.len() <= MAX_TICKS, "{lo}..{hi}: {ticks:?}");
        assert!(ticks.iter().all(|t| t.is_finite() && *t > 0.0), "{ticks:?}");
        let ticks = quickly("linear ticks", || nice_ticks(lo, hi));
        assert!(ticks.len() <= MAX_TICKS, "{lo}..{hi}: {ticks:?}");
        assert!(ticks.iter().all(|t| t.is_finite()), "{ticks:?}");
    }
    let full = log_ticks(5e-324, 1e308);
    assert!(
        full.len() >= 2 && full[0] >= 5e-324 && *full.last().unwrap() <= 1e308,
        "{full:?}"
    );
    assert_eq!(
        log_ticks(1e300, 1e308),
        vec![1e300, 1e302, 1e304, 1e306, 1e308]
    );
    assert_eq!(log_ticks(7.0, 7.0), vec![7.0]);
    assert_eq!(nice_ticks(7.0, 7.0), vec![7.0]);
    assert!(log_ticks(f64::NAN, 1.0).is_empty());
}

#[test]
fn axis_spans_take_only_what_the_axis_can_show() {
    let bad = [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -1.0, 0.0];
    assert_eq!(Span::around(bad, AxisKind::Log, 1.0), None);
    assert_eq!(
        Span::around([f64::NAN, f64::INFINITY], AxisKind::Linear, 1.0),
        None
    );
    for kind in [AxisKind::Log, AxisKind::Linear] {
        for values in [
            vec![5e-324, 1e308],
            vec![1e300, 1e308],
            vec![f64::MAX],
            vec![5e-324],
            vec![3.0, 3.0],
            vec![-1e308, 1e308, f64::NAN],
        ] {
            let Some(span) = Span::around(values.iter().copied(), kind, 1.0) else {
                assert!(kind == AxisKind::Log && values[0] < 0.0, "{values:?}");
                continue;
            };
            assert!(
                span.lo.is_finite() && span.hi.is_finite() && span.hi > span.lo,
                "{span:?}"
            );
            assert!(span.value(span.lo).is_finite() && span.value(span.hi).is_finite());
            let ticks = quickly("span ticks", || span.ticks());
            assert!(ticks.len() <= MAX_TICKS, "{span:?}: {ticks:?}");
        }
    }
}

#[test]
fn targets_and_data_at_the_limits_of_f64_draw_at_once() {
    let preset = presets::find("gpt2-gpt3").unwrap();
    let data = parse_dataset(preset.data()).unwrap();
    let result = fit(&data, &FitOptions::new(ModelId::Power, Variable::N)).unwrap();
    let kinds = [AxisKind::Log, AxisKind::Linear];
    let styles: Vec<ChartStyle> = kinds
        .iter()
        .flat_map(|&x| kinds.map(|y| ChartStyle::default().with_axes(Axes { x, y })))
        .collect();
    let mut charts: Vec<ChartData> = [1e308, 5e-324, f64::MAX, f64::MIN_POSITIVE, f64::NAN]
        .into_iter()
        .flat_map(|t| {
            let law = presets::law("kaplan-2020-n").unwrap().law();
            [
                chart_data(
                    &data,
                    &result,
                    Variable::N,
                    Some(t),
                    false,
                    FlopConvention::default(),
                ),
                law_chart(&law, None, Variable::N, Some(t), FlopConvention::default()),
            ]
        })
        .collect();
    let point = |x: f64, y: f64| ChartPoint {
        x,
        y,
        excluded: false,
        tone: None,
        label: None,
        line: 0,
    };
    charts.push(ChartData {
        points: vec![
            point(5e-324, 1e-300),
            point(1e308, 1e308),
            point(f64::NAN, 1.0),
            point(f64::INFINITY, 2.0),
            point(-1.0, 3.0),
            point(0.0, 0.0),
        ],
        fitted: vec![(5e-324, 5e-324), (f64::MAX, f64::MAX)],
        ..ChartData::default()
    });
    charts.push(ChartData {
        points: vec![point(3.0, 2.0), point(3.0, 2.0)],
        ..ChartData::default()
    });
    for chart in &charts {
        for style in &styles {
            let svg = quickly("a chart", || to_svg(chart, style).unwrap());
            assert!(
                svg.matches("<text").count() < 60,
                "{} texts",
                svg.matches("<text").count()
            );
        }
    }
    for budget in [1e308, 5e-324, f64::MAX] {
        let law = presets::law("hoffmann-2022").unwrap().law();
        if let Some(plan) = quickly("a plan", || {
            plan_chart(&law, Some(budget), FlopConvention::default())
        }) {
            quickly("its drawing", || {
                to_svg(&plan, &ChartStyle::default()).unwrap()
            });
        }
    }
}

// ── The FLOP convention ─────────────────────────────────────────────────────────────────────

#[test]
fn a_fitted_law_of_n_and_d_against_c_follows_the_flop_convention() {
    let text = "N,D,L\n1e8,2e9,3.5\n1e9,2e10,2.9\n1e10,2e11,2.4\n3e8,1e10,3.0\n3e9,1e11,2.5\n5e9,2e10,2.6\n";
    let data = parse_dataset(text).unwrap();
    let result = fit(&data, &FitOptions::new(ModelId::Chinchilla, Variable::N)).unwrap();
    let at = |k: f64| {
        chart_data(
            &data,
            &result,
            Variable::C,
            None,
            false,
            FlopConvention { k },
        )
    };
    let (six, eight) = (at(6.0), at(8.0));
    assert_eq!(six.family.len(), eight.family.len());
    assert_ne!(six.family, eight.family, "the curves move with k");
    // The same runs (N, D) cost 8/6 as much compute: curves and points move right by 8/6, at
    // the same loss.
    for ((_, a), (_, b)) in six.family.iter().zip(&eight.family) {
        for (p, q) in a.iter().zip(b) {
            assert!((q.0 / p.0 - 8.0 / 6.0).abs() < 1e-9 && (q.1 - p.1).abs() < 1e-9);
        }
    }
    for (p, q) in six.points.iter().zip(&eight.points) {
        assert!((q.x / p.x - 8.0 / 6.0).abs() < 1e-9 && q.y == p.y);
    }
    // A published law of N and D too.
    let law = presets::law("hoffmann-2022").unwrap().law();
    let published = |k: f64| law_chart(&law, Some(&data), Variable::C, None, FlopConvention { k });
    assert_ne!(published(6.0).family, published(8.0).family);
    assert_ne!(published(6.0).fitted, published(8.0).fitted);
}

/// The backtest chart: one line per cut through its held-out runs' errors, in percent.
#[test]
fn the_backtest_chart_draws_a_line_per_cut() {
    use scaling_calc::chart::backtest_chart;
    use scaling_calc::engine::backtest::backtest;
    let data = parse_dataset(presets::OLMO_LADDER_CSV).unwrap();
    let options = FitOptions::new(ModelId::Chinchilla, Variable::N);
    let result = backtest(&data, &options, Variable::N, None).unwrap();
    let chart = backtest_chart(&result);
    assert_eq!(chart.cuts.len(), result.cuts.len());
    // The last cut (fitted up to 1.3B) predicts the 7B and 13B models.
    let last = chart.cuts.last().unwrap();
    assert!(last.iter().all(|(_, pct)| pct.is_finite()));
    let svg = to_svg(&chart, &ChartStyle::default()).unwrap();
    let lines = svg.matches("<polyline").count();
    assert!(
        lines >= chart.cuts.len(),
        "{lines} polylines for {} cuts",
        chart.cuts.len()
    );
    assert!(svg.contains("held-out error %"));
}
