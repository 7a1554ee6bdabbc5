#![cfg(not(target_arch = "wasm32"))]
//! Planning beyond the compute-optimal split (engine::plan::{repeated, inference, hyper,
//! accounting}), each against a cited or independently computed value:
//!
//! - limited unique data: the huggingface/datablations README's own search, for the budget of
//!   (8.67e9 parameters, 178e9 tokens) with U = 25e9 unique tokens, finds about 227B tokens,
//!   9.1 epochs and 6.8B parameters (../shared/REFERENCES.md, Muennighoff et al. 2023);
//! - inference-aware size: reference/inference_scipy.py (SciPy's bounded Brent over log N with the
//!   training tokens in closed form, for `hoffmann-2022`);
//! - hyperparameters and accounting: the check values in ../shared/REFERENCES.md ("Planning beyond
//!   the compute-optimal split").

mod common;
use common::{cli_json, rel};

use scaling_calc::engine::plan::accounting::{
    deepseek_flops_per_token, k_with_attention, nonembedding_from_total, nonembedding_params,
    shape, total_params,
};
use scaling_calc::engine::plan::hyper::{deepseek, step_law};
use scaling_calc::engine::plan::inference::inference_aware;
use scaling_calc::engine::plan::repeated::data_limited;
use scaling_calc::engine::plan::PlanError;
use scaling_calc::engine::presets;
use serde_json::Value;

const INFERENCE: &str = include_str!("../reference/inference_scipy.json");

/// The README states its optimum to 2-3 digits ("about 227B tokens, 9.1 epochs, 6.8B").
const README_DIGITS: f64 = 0.01;
/// Against SciPy's bounded Brent (xatol 1e-12 in log N): both searches are tight, but the total
/// is flat at its minimum, so N and D agree to about √ε of the total's relative precision.
const SIZE_AGREEMENT: f64 = 1e-5;
/// Total FLOP and savings: second order in the size's difference.
const TOTAL_AGREEMENT: f64 = 1e-9;
/// REFERENCES' check values are printed to 4 significant digits.
const CHECK_DIGITS: f64 = 5e-4;

#[test]
fn limited_unique_data_matches_the_datablations_search() {
    let law = presets::law("muennighoff-2023").unwrap().law();
    let budget = 6.0 * 8.67e9 * 178e9;
    let plan = data_limited(&law, budget, 6.0, 25e9).unwrap();
    assert!(rel(plan.d, 227e9) < README_DIGITS, "D = {:e}", plan.d);
    assert!(rel(plan.n, 6.8e9) < README_DIGITS, "N = {:e}", plan.n);
    assert!((plan.epochs - 9.1).abs() < 0.05, "epochs = {}", plan.epochs);
    assert!(rel(6.0 * plan.n * plan.d, budget) < 1e-12);
    // The README's point: its optimum beats the compute-optimal split that ignores the limit
    // (its check value 2.2269634 at (8.67e9, 178e9, 25e9)).
    assert!(plan.loss < 2.226_963_407_508_786_7);
    // Repetition costs loss against unlimited unique data, and nothing when U covers D.
    assert!(plan.repetition_cost() > 0.0);
    let plenty = data_limited(&law, budget, 6.0, 1e15).unwrap();
    assert!(
        plenty.repetition_cost().abs() < 1e-9,
        "{}",
        plenty.repetition_cost()
    );
    assert!(plenty.epochs < 1.0);
    // Only a data-constrained law knows what repetition costs.
    let hoffmann = presets::law("hoffmann-2022").unwrap().law();
    assert_eq!(
        data_limited(&hoffmann, budget, 6.0, 25e9),
        Err(PlanError::NeedsDataConstrained)
    );
}

#[test]
fn inference_aware_size_matches_scipy() {
    let reference: Value = serde_json::from_str(INFERENCE).unwrap();
    let law = presets::law("hoffmann-2022").unwrap().law();
    for case in reference["cases"].as_array().unwrap() {
        let get = |key: &str| case[key].as_f64().unwrap();
        let got = inference_aware(&law, get("budget"), 6.0, get("inference")).unwrap();
        let what = format!("C = {:e}, T = {:e}", get("budget"), get("inference"));
        assert!(
            rel(got.n, get("N")) < SIZE_AGREEMENT,
            "{what}: N {:e} vs {:e}",
            got.n,
            get("N")
        );
        assert!(
            rel(got.d, get("D")) < SIZE_AGREEMENT,
            "{what}: D {:e} vs {:e}",
            got.d,
            get("D")
        );
        assert!(
            rel(got.total_flop, get("total_flop")) < TOTAL_AGREEMENT,
            "{what}: total {:e} vs {:e}",
            got.total_flop,
            get("total_flop")
        );
        assert!(
            (got.saving - get("saving")).abs() < TOTAL_AGREEMENT,
            "{what}: saving"
        );
        assert!(rel(got.loss, get("loss")) < 1e-12);
    }
}

#[test]
fn more_inference_means_a_smaller_model_trained_longer() {
    let law = presets::law("hoffmann-2022").unwrap().law();
    let sizes: Vec<(f64, f64)> = [0.0, 1e11, 1e12, 1e13, 1e14]
        .iter()
        .map(|&t| {
            let a = inference_aware(&law, 1e23, 6.0, t).unwrap();
            (a.n, a.tokens_per_param)
        })
        .collect();
    for pair in sizes.windows(2) {
        assert!(pair[1].0 < pair[0].0 && pair[1].1 > pair[0].1, "{sizes:?}");
    }
}

#[test]
fn hyperparameters_match_the_published_check_values() {
    for (c, batch, rate) in [(1e17, 1.062e5, 2.338e-3), (1e20, 1.017e6, 9.86e-4)] {
        let h = deepseek(c).unwrap();
        assert!(
            rel(h.batch_tokens, batch) < CHECK_DIGITS,
            "B({c:e}) = {}",
            h.batch_tokens
        );
        assert!(
            rel(h.learning_rate, rate) < CHECK_DIGITS,
            "eta({c:e}) = {}",
            h.learning_rate
        );
    }
    assert_eq!(deepseek(1e18).unwrap().decades_outside, 0.0);
    assert!((deepseek(2e21).unwrap().decades_outside - 2.0).abs() < 1e-12);
    let h = step_law(1e9, 1e11).unwrap();
    assert!(
        rel(h.learning_rate, 1.632e-3) < CHECK_DIGITS,
        "{}",
        h.learning_rate
    );
    assert!(
        rel(h.batch_tokens, 1.108e6) < CHECK_DIGITS,
        "{}",
        h.batch_tokens
    );
    assert_eq!(h.decades_outside, 0.0);
    assert!((step_law(7e10, 1.4e12).unwrap().decades_outside - 70f64.log10()).abs() < 1e-12);
    assert!(deepseek(0.0).is_none() && step_law(0.0, 1e9).is_none());
}

#[test]
fn flop_and_parameter_accounting_match_the_references() {
    // Pearce & Song: N_nonembed = 1e9 gives N_total = 1.0475e9; and back.
    assert!(
        rel(total_params(1e9), 1.0475e9) < 1e-4,
        "{}",
        total_params(1e9)
    );
    for n in [1e6, 1e9, 7e10] {
        assert!(rel(nonembedding_from_total(total_params(n)).unwrap(), n) < 1e-12);
    }
    // DeepSeek's M: 72 n d² + 12 n d l; with 6N = 72 n d², k = 6 + l/d.
    let (layers, width, sequence) = (30.0, 4096.0, 4096.0);
    let m = deepseek_flops_per_token(layers, width, sequence);
    let n = nonembedding_params(layers, width);
    assert!(rel(m, 6.0 * n + 12.0 * layers * width * sequence) < 1e-15);
    assert!(rel(k_with_attention(width, sequence), m / n) < 1e-15);
    assert!(rel(k_with_attention(width, sequence), 7.0) < 1e-15);
    // A shape for 7B non-embedding parameters at d/n_layer = 128 with 128-wide heads: within
    // one layer of 7B, width a multiple of 128.
    let s = shape(7e9, 128.0, 128).unwrap();
    assert_eq!(s.width % 128, 0);
    assert_eq!(s.heads * 128, s.width);
    let per_layer = 12.0 * f64::from(s.width).powi(2);
    assert!((s.params - 7e9).abs() <= per_layer / 2.0, "{s:?}");
    assert!(shape(0.0, 128.0, 128).is_none());
}

/// The command line's planning keys (docs/CONTRACT.md, "Planning beyond the split").
#[test]
fn plan_on_the_command_line_gives_the_contract_keys() {
    let json = cli_json(&[
        "plan",
        "--law",
        "muennighoff-2023",
        "--budget",
        &format!("{:e}", 6.0 * 8.67e9 * 178e9),
        "--unique-tokens",
        "25B",
        "--inference-tokens",
        "1T",
        "--json",
    ]);
    let limited = &json["data_limited"];
    assert!(rel(limited["D"].as_f64().unwrap(), 227e9) < README_DIGITS);
    assert!((limited["epochs"].as_f64().unwrap() - 9.1).abs() < 0.05);
    let served = &json["inference_aware"];
    for key in ["N", "D", "total_flop", "saving"] {
        assert!(served[key].as_f64().is_some(), "{key}: {served}");
    }
    assert!(served["N"].as_f64().unwrap() < json["N_opt"].as_f64().unwrap());
    // The shape for N_opt and its FLOP per token (DeepSeek's M at 4096 tokens of context).
    let shape = &json["shape"];
    let (layers, width) = (
        shape["layers"].as_f64().unwrap(),
        shape["width"].as_f64().unwrap(),
    );
    assert!(
        rel(
            shape["params"].as_f64().unwrap(),
            12.0 * layers * width * width
        ) < 1e-12
    );
    let k = json["flop_per_token"]["k_with_attention"].as_f64().unwrap();
    assert!(rel(k, 6.0 + 4096.0 / width) < 1e-12);
    let n = json["N_opt"].as_f64().unwrap();
    assert!(
        rel(
            json["parameters"]["total"].as_f64().unwrap(),
            n + 47_491.0 * n.cbrt()
        ) < 1e-12
    );
    for law in ["deepseek", "step_law"] {
        for key in ["learning_rate", "batch_tokens"] {
            assert!(json["hyperparameters"][law][key].as_f64().unwrap() > 0.0);
        }
    }
    // A law without repetition cannot plan with limited data: a one-line error, exit 2.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_scaling-calc"))
        .args([
            "plan",
            "--law",
            "hoffmann-2022",
            "--budget",
            "1e22",
            "--unique-tokens",
            "1e9",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("data-constrained"));
}

/// The chart's curve of total FLOP against N has its least value at the inference-aware size.
#[test]
fn the_total_cost_curve_bottoms_out_at_the_inference_aware_size() {
    use scaling_calc::engine::plan::inference::total_cost_curve;
    let law = presets::law("hoffmann-2022").unwrap().law();
    let best = inference_aware(&law, 1e23, 6.0, 1e12).unwrap();
    let curve = total_cost_curve(&law, 1e23, 6.0, 1e12, 400);
    assert!(curve.len() > 350);
    let lowest = curve.iter().min_by(|a, b| a.1.total_cmp(&b.1)).unwrap();
    // Within one sample's step in ln N of the optimum, and no point below its total.
    let step = (curve[1].0 / curve[0].0).ln();
    assert!(
        (lowest.0 / best.n).ln().abs() <= step,
        "{:e} vs {:e}",
        lowest.0,
        best.n
    );
    assert!(lowest.1 >= best.total_flop * (1.0 - 1e-12));
}
