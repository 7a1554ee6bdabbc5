//! Published data and laws, each with its citation (../shared/REFERENCES.md).

use super::law::{ModelId, Variable};

/// A preset: data to fit (or a law to evaluate) with where it comes from.
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub id: &'static str,
    pub title: &'static str,
    pub data: PresetData,
    pub model: ModelId,
    pub x: Variable,
    /// The target typed in `predict-input` when the preset opens.
    pub predict_at: &'static str,
    /// Where each number comes from.
    pub citation: &'static str,
    /// What the reader must keep in mind.
    pub caveat: &'static str,
}

/// Where a preset's data text comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PresetData {
    Text(&'static str),
    /// The Chinchilla runs with Besiroglu et al.'s 5 highest losses excluded.
    ChinchillaRuns,
}

impl Preset {
    /// The data text the preset loads.
    pub fn data(&self) -> String {
        match self.data {
            PresetData::Text(text) => text.to_string(),
            PresetData::ChinchillaRuns => chinchilla_runs_epoch(),
        }
    }
}

/// GPT-2's checkpoints on OpenWebText, extrapolated to GPT-3's 175B parameters.
pub const GPT2_GPT3: Preset = Preset {
    id: "gpt2-gpt3",
    title: "GPT-2 (1.5B) → GPT-3 (175B)",
    data: PresetData::Text("model,N,L\nGPT-2 small,124M,3.12\nGPT-2 medium,350M,2.84\nGPT-2 large,774M,2.67\nGPT-2 XL,1558M,2.54\n"),
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

/// The Chinchilla training runs fitted live with the Besiroglu et al. (2024) recipe.
pub const BESIROGLU_2024: Preset = Preset {
    id: "besiroglu-2024",
    title: "Chinchilla runs, Epoch replication (Besiroglu et al. 2024)",
    data: PresetData::ChinchillaRuns,
    model: ModelId::Chinchilla,
    x: Variable::C,
    predict_at: "",
    citation: "Hoffmann et al. (2022), Figure 4 (left), as digitised by Besiroglu, Erdil, Barnett and You (2024), \"Chinchilla Scaling: A replication attempt\" (epoch-research/analyzing-chinchilla, data/svg_extracted_data.csv). Their headline estimates: E = 1.817 (SE 0.026), A = 482.01 (SE 124.5), B = 2085.43 (SE 1293), alpha = 0.3478 (SE 0.0154), beta = 0.3658 (SE 0.0206).",
    caveat: "The 5 highest-loss runs are excluded (marked #), as in the replication; the fit uses Huber (delta = 1e-3) on log residuals. Its grid fit on this data: A = 477.84, B = 2143.86, E = 1.8172, alpha = 0.3473, beta = 0.3672.",
};

/// Every preset, the default first.
pub const ALL: &[Preset] = &[GPT2_GPT3, BESIROGLU_2024];

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    ALL.iter().find(|p| p.id == id)
}
