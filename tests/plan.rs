#![cfg(not(target_arch = "wasm32"))]
//! Planning reproduces cited numbers (docs/REFERENCES.md); reference values from the closed forms
//! evaluated in Python (float64) on the same constants, quoted below.

use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::law::{Law, ModelId, Variable};
use scaling_calc::engine::plan::*;
use scaling_calc::engine::presets::{self, deepseek_allocation};
use scaling_calc::engine::units::PF_DAY;

/// Closed forms against the same formula evaluated elsewhere: float64 agreement.
const CLOSED_FORM: f64 = 1e-9;
/// A numeric optimum (golden section) against a closed form.
const NUMERIC_OPTIMUM: f64 = 1e-6;

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

fn published(id: &str) -> Law {
    presets::law(id).unwrap().law()
}

#[test]
fn hoffmann_closed_form_at_chinchillas_budget() {
    // 5.76e23 FLOP (Hoffmann et al. 2022). Printed constants: N_opt = 32.19B, D_opt = 2.982T
    // (approach 3, arXiv 2203.15556: "about 32B"); unrounded: N_opt = 40.36B ("about 40B").
    let printed = compute_optimal(&published("hoffmann-2022"), 5.76e23, 6.0).unwrap();
    assert!(
        rel(printed.n, 32_189_859_151.368_168) < CLOSED_FORM,
        "{}",
        printed.n
    );
    assert!(
        rel(printed.d, 2_982_305_686_662.796) < CLOSED_FORM,
        "{}",
        printed.d
    );
    assert!(rel(printed.loss, 1.930_748_101_731_648) < CLOSED_FORM);
    let unrounded = compute_optimal(&published("hoffmann-2022-unrounded"), 5.76e23, 6.0).unwrap();
    assert!(
        rel(unrounded.n, 40_360_908_349.893_73) < CLOSED_FORM,
        "{}",
        unrounded.n
    );
    // Rounding moves tokens per parameter at 5.88e23 (6 x 70B x 1.4T) from about 59 to about 93.
    let at = |id: &str| {
        compute_optimal(&published(id), 6.0 * 70e9 * 1.4e12, 6.0)
            .unwrap()
            .tokens_per_param
    };
    assert!(rel(at("hoffmann-2022"), 92.832_421_261_360_37) < CLOSED_FORM);
    assert!(rel(at("hoffmann-2022-unrounded"), 59.037_502_461_686_735) < CLOSED_FORM);
}

#[test]
fn frontier_exponents_match_table_2() {
    // Approach 3: a = beta/(alpha+beta) = 0.452 printed (Table 2 gives 0.46), 0.4565 unrounded.
    let (a, b) = frontier_exponents(&published("hoffmann-2022"), 1e23, 6.0).unwrap();
    assert!(
        (a - 0.28 / 0.62).abs() < 1e-9 && (b - 0.34 / 0.62).abs() < 1e-9,
        "{a} {b}"
    );
    let (a, _) = frontier_exponents(&published("hoffmann-2022-unrounded"), 1e23, 6.0).unwrap();
    assert!((a - 0.4565).abs() < 1e-4, "{a}");
}

#[test]
fn the_numeric_optimum_agrees_with_the_closed_form() {
    let law = published("besiroglu-2024");
    let exact = compute_optimal(&law, 3.14e23, 6.0).unwrap();
    let (n, d) = numeric_optimum(&law, 3.14e23, 6.0).unwrap();
    assert!(rel(n, exact.n) < NUMERIC_OPTIMUM && rel(d, exact.d) < NUMERIC_OPTIMUM);
    // Kaplan's joint law has no closed form: its optimum is a minimum along the budget.
    let kaplan = published("kaplan-2020-joint");
    let opt = compute_optimal(&kaplan, 3.14e23, 6.0).unwrap();
    for step in [0.9, 1.1] {
        let n = opt.n * step;
        assert!(predict_nd(&kaplan, n, 3.14e23 / (6.0 * n), 6.0).unwrap() > opt.loss);
    }
    // Its frontier exponent with C = 6ND is alphaD/(alphaN+alphaD) = 0.575 (Kaplan et al. 2020, arXiv 2001.08361),
    // not Kaplan's separately fitted 0.73.
    let (a, _) = frontier_exponents(&kaplan, 1e23, 6.0).unwrap();
    assert!((a - 0.103 / 0.179).abs() < 1e-3, "{a}");
}

#[test]
fn published_check_values() {
    // Cerebras-GPT: f = 2.3e22 gives 1.5796.
    let cerebras = published("cerebras-gpt");
    assert!((predict(&cerebras, 2.3e22).unwrap() - 1.5796).abs() < 5e-5);
    // The stored A equals 5.984e22^0.0737 (the form L = (f/5.984e22)^-0.0737 + 0.5066).
    assert!(rel(cerebras.params[1], 5.984e22f64.powf(0.0737)) < 1e-14);
    // GPT-3 envelope: 1.73 at 3,640 PF-days; stored A = 2.57 x (8.64e19)^0.048.
    let envelope = published("gpt3-envelope");
    assert!((predict(&envelope, 3640.0 * PF_DAY).unwrap() - 1.73).abs() < 5e-3);
    assert!(rel(envelope.params[0], 2.57 * PF_DAY.powf(0.048)) < 1e-14);
    // Training compute C = 6ND: 6 x 175e9 x 300e9 = 3.15e23.
    let data = parse_dataset("N,D,L\n175B,300B,1.73\n").unwrap();
    assert!(rel(data.points[0].c.unwrap(), 3.15e23) < 1e-12);
    // Kaplan one-factor and joint constants are separate entries.
    assert_eq!(published("kaplan-2020-n").params, vec![8.8e13, 0.076]);
    assert_eq!(
        published("kaplan-2020-joint").params,
        vec![6.4e13, 1.8e13, 0.076, 0.103]
    );
    assert!(rel(published("kaplan-2020-c").params[0], 3.1e8 * 8.64e19) < 1e-15);
    // DeepSeek: M_opt = 0.1715 C^0.5243, D_opt = 5.8316 C^0.4757.
    let (m, d) = deepseek_allocation(1e24);
    assert!(
        rel(m, 0.1715 * 1e24f64.powf(0.5243)) < 1e-15
            && rel(d, 5.8316 * 1e24f64.powf(0.4757)) < 1e-15
    );
}

#[test]
fn inverting_a_target_loss() {
    let law = Law::new(ModelId::PowerOffset, Variable::N, vec![1.7, 400.0, 0.3]).unwrap();
    let n = invert(&law, 2.0).unwrap();
    assert!(rel(predict(&law, n).unwrap(), 2.0) < 1e-12);
    assert_eq!(invert(&law, 1.7), Err(PlanError::BelowFloor { floor: 1.7 }));
    assert!(invert(&law, 1.5)
        .unwrap_err()
        .to_string()
        .contains("irreducible"));
    let hoffmann = published("hoffmann-2022");
    let plan = budget_for_loss(&hoffmann, 2.0, 6.0).unwrap();
    assert!(rel(plan.loss, 2.0) < 1e-9, "{}", plan.loss);
    assert!(matches!(
        budget_for_loss(&hoffmann, 1.6, 6.0),
        Err(PlanError::BelowFloor { .. })
    ));
    let power = Law::new(ModelId::Power, Variable::N, vec![14.15, 0.08135]).unwrap();
    assert!(rel(predict(&power, invert(&power, 2.0).unwrap()).unwrap(), 2.0) < 1e-12);
}

#[test]
fn gpt3_is_undertrained_under_hoffmann() {
    let b = bottleneck(&published("hoffmann-2022"), 175e9, 300e9, 6.0).unwrap();
    assert_eq!(b.grow(), Variable::D);
    assert_eq!(b.training(), Some(Training::Undertrained));
    let text = scaling_calc::text::bottleneck_sentences(&b, scaling_calc::text::Lang::En).join(" ");
    assert!(
        text.contains("grow data") && text.contains("under-trained"),
        "{text}"
    );
    // A model trained far beyond the optimum is limited by its parameters.
    let b = bottleneck(&published("hoffmann-2022"), 1e9, 1e13, 6.0).unwrap();
    assert_eq!(b.grow(), Variable::N);
    assert_eq!(b.training(), Some(Training::Overtrained));
    // One-variable laws cannot say.
    assert!(bottleneck(&published("kaplan-2020-n"), 1e9, 1e10, 6.0).is_err());
}

#[test]
fn cost_of_gpt3_on_a100s_at_40_percent_mfu() {
    // 3.14e23 / (312e12 x 0.4) / 3600 = 698,896 A100-hours.
    let a100 = ACCELERATORS.iter().find(|a| a.id == "a100").unwrap();
    let cost = cost(&CostInputs {
        flops: 3.14e23,
        peak_flops: a100.peak_flops,
        mfu: 0.4,
        price_per_hour: 2.0,
        watts: a100.watts,
        count: 1024.0,
        carbon_per_kwh: 0.4,
    })
    .unwrap();
    assert!(rel(cost.accelerator_hours, 698_896.011_396_011_3) < 1e-12);
    assert!(rel(cost.money, 2.0 * 698_896.011_396_011_3) < 1e-12);
    assert!(rel(cost.energy_kwh, 0.4 * 698_896.011_396_011_3) < 1e-12);
    assert!(rel(cost.wall_days, 698_896.011_396_011_3 / 1024.0 / 24.0) < 1e-12);
    let bad = CostInputs {
        mfu: 1.5,
        ..CostInputs {
            flops: 1.0,
            peak_flops: 1.0,
            mfu: 0.4,
            price_per_hour: 0.0,
            watts: 0.0,
            count: 1.0,
            carbon_per_kwh: 0.0,
        }
    };
    assert!(scaling_calc::engine::plan::cost(&bad).is_err());
}

#[test]
fn a_split_names_the_parameter_that_must_be_positive() {
    let law =
        |model: ModelId, params: &[f64]| Law::new(model, Variable::N, params.to_vec()).unwrap();
    for (law, param, value) in [
        (
            law(ModelId::Chinchilla, &[1.69, 0.0, 410.7, 0.34, 0.28]),
            "A",
            0.0,
        ),
        (
            law(ModelId::Chinchilla, &[1.69, 406.4, 410.7, 0.34, -0.28]),
            "beta",
            -0.28,
        ),
        (
            law(ModelId::KaplanJoint, &[6.4e13, -1.8e13, 0.076, 0.103]),
            "Dc",
            -1.8e13,
        ),
        (
            law(ModelId::Multiplicative, &[0.0, 0.1, 0.2, 0.0]),
            "k",
            0.0,
        ),
    ] {
        assert_eq!(
            compute_optimal(&law, 5.76e23, 6.0),
            Err(PlanError::ParamNotPositive { param, value }),
            "{law:?}"
        );
    }
    // E is not needed positive: a law without an irreducible loss still splits.
    let no_floor = law(ModelId::Chinchilla, &[0.0, 406.4, 410.7, 0.34, 0.28]);
    assert!(compute_optimal(&no_floor, 5.76e23, 6.0).is_ok());
}
