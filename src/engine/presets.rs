//! Published data and laws, each with its citation (../shared/REFERENCES.md).

use super::law::{ModelId, Variable};

/// A preset: data to fit (or a law to evaluate) with where it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    pub data: &'static str,
    pub model: ModelId,
    pub x: Variable,
    /// The target typed in `predict-input` when the preset opens.
    pub predict_at: &'static str,
    /// Where each number comes from.
    pub citation: &'static str,
    /// What the reader must keep in mind.
    pub caveat: &'static str,
}

/// GPT-2's checkpoints on OpenWebText, extrapolated to GPT-3's 175B parameters.
pub const GPT2_GPT3: Preset = Preset {
    id: "gpt2-gpt3",
    title: "GPT-2 (1.5B) → GPT-3 (175B)",
    data: "model,N,L\nGPT-2 small,124M,3.12\nGPT-2 medium,350M,2.84\nGPT-2 large,774M,2.67\nGPT-2 XL,1558M,2.54\n",
    model: ModelId::Power,
    x: Variable::N,
    predict_at: "175B",
    citation: "GPT-2 checkpoints (Radford et al. 2019) evaluated on OpenWebText: validation loss as listed in the karpathy/nanoGPT README. GPT-3: 175B parameters (Brown et al. 2020).",
    caveat: "OpenWebText is not GPT-3's evaluation set: the value at 175B illustrates the extrapolation, it does not predict GPT-3's reported loss.",
};

/// The Chinchilla runs digitised by Besiroglu et al. (2024) (data/README.md), as shipped.
pub const CHINCHILLA_RUNS_CSV: &str = include_str!("../../data/chinchilla_svg_extracted_data.csv");

/// How many of the highest losses Besiroglu et al. drop before fitting.
pub const EPOCH_DROPPED: usize = 5;

/// The Chinchilla runs with the 5 highest losses marked `#` (kept on the chart, out of the
/// fit), as in Besiroglu et al. (2024).
pub fn chinchilla_runs_epoch() -> String {
    let mut lines: Vec<String> = CHINCHILLA_RUNS_CSV.lines().map(str::to_string).collect();
    let header = lines[0].split(',').position(|h| h == "loss");
    let loss_of = |line: &str| -> f64 {
        header
            .and_then(|i| line.split(',').nth(i))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NEG_INFINITY)
    };
    let mut order: Vec<usize> = (1..lines.len()).collect();
    order.sort_by(|&a, &b| loss_of(&lines[b]).total_cmp(&loss_of(&lines[a])));
    for &i in order.iter().take(EPOCH_DROPPED) {
        lines[i] = format!("#{}", lines[i]);
    }
    lines.join("\n") + "\n"
}

/// Every preset, the default first.
pub const ALL: &[Preset] = &[GPT2_GPT3];

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    ALL.iter().find(|p| p.id == id)
}
