//! Published data and laws, each with its citation (docs/REFERENCES.md).

use super::law::{Law, ModelId, Variable};
use super::units::PF_DAY;

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
    /// The law the planning panel uses: `fit` (the fit of the data) or a [`PublishedLaw`] id.
    pub plan_law: &'static str,
    /// The budget typed in `budget-input` when the preset opens.
    pub budget: &'static str,
}

/// Where a preset's data text comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PresetData {
    Text(&'static str),
    /// The Chinchilla runs with Besiroglu et al.'s 5 highest losses excluded.
    ChinchillaRuns,
    /// The OLMo 2 ladder with its two large target models excluded (kept on the chart).
    OlmoLadder,
    /// The article's simulated metric P = 1/(1 + N^-0.5) at N = 1e6 … 1e11, written with
    /// every digit of the f64 (shortest round-trip form).
    ArticleSimulated,
}

impl Preset {
    /// The data text the preset loads, built once per preset (the page compares it with the
    /// person's text on every keystroke).
    pub fn data(&self) -> &'static str {
        use std::sync::OnceLock;
        static CHINCHILLA: OnceLock<String> = OnceLock::new();
        static OLMO: OnceLock<String> = OnceLock::new();
        static SIMULATED: OnceLock<String> = OnceLock::new();
        match self.data {
            PresetData::Text(text) => text,
            PresetData::ChinchillaRuns => CHINCHILLA.get_or_init(chinchilla_runs_epoch),
            PresetData::OlmoLadder => OLMO.get_or_init(olmo_ladder_targets_held_out),
            PresetData::ArticleSimulated => SIMULATED.get_or_init(|| {
                (6..=11).fold(String::from("N,P\n"), |text, e| {
                    let n = 10f64.powi(e);
                    text + &format!("1e{e},{}\n", 1.0 / (1.0 + n.powf(-0.5)))
                })
            }),
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
    plan_law: "hoffmann-2022",
    budget: "3.14e23",
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
    caveat: "The 5 highest-loss runs are excluded (marked #), as in the replication; the other columns of the file (x, y, color) are artefacts of the digitisation and are ignored. The fit uses Huber (delta = 1e-3) on log residuals. The replication's own grid fit on this data: A = 477.84, B = 2143.86, E = 1.8172, alpha = 0.3473, beta = 0.3672. Planning uses the paper's headline estimates.",
    plan_law: "besiroglu-2024",
    budget: "5.76e23",
};

/// The OLMo 2 model ladder of Bhagia et al. (2024) (data/README.md), as shipped under the
/// Apache License 2.0 of allenai/OLMo-ladder (data/LICENSE-Apache-2.0.txt).
pub const OLMO_LADDER_CSV: &str = include_str!("../../data/olmo_ladder.csv");

/// The ladder's runs with its `target` rows (7B and 13B) marked `#`: on the chart, out of the
/// fit, as the paper predicts them from the small runs.
pub fn olmo_ladder_targets_held_out() -> String {
    OLMO_LADDER_CSV
        .lines()
        .map(|line| {
            if line.ends_with(",target") {
                format!("#{line}\n")
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}

/// The OLMo 2 ladder: C4 loss of small runs, the large models held out.
pub const OLMO_LADDER: Preset = Preset {
    id: "olmo-ladder",
    title: "OLMo 2 model ladder: 24 small runs, 7B and 13B held out (Bhagia et al. 2024)",
    data: PresetData::OlmoLadder,
    model: ModelId::Chinchilla,
    x: Variable::C,
    predict_at: "",
    citation: "Bhagia et al. (2024), \"Establishing Task Scaling Laws via Compute-Efficient Model Ladders\" (arXiv 2412.04403), repository allenai/OLMo-ladder (commit 67a3f44, Apache License 2.0): C4 validation loss (nats per token) at the last evaluation of each ladder run (190M to 1.3B parameters at 0.5 to 10 times Chinchilla's tokens, one rerun per size) and of the two targets, 7B on 3.9T tokens and 13B on 5T tokens.",
    caveat: "The 7B and 13B targets are marked # (on the chart, out of the fit), to check the extrapolation: fitted on the ladder alone, the Chinchilla form predicts them about 1 % and 3 % below their actual C4 loss. The ladder spans less than one decade of N, so E and the exponents are poorly determined.",
    plan_law: "fit",
    budget: "1.6e23",
};

/// A learning curve that bends: neural machine translation (data/README.md; CC BY 4.0).
pub const NMT_LEARNING_CURVE: Preset = Preset {
    id: "nmt-learning-curve",
    title: "A learning curve that bends: translation log-perplexity (Alabdulmohsin et al. 2022)",
    data: PresetData::Text(include_str!("../../data/nmt_learning_curve.csv")),
    model: ModelId::BrokenPower,
    x: Variable::D,
    predict_at: "512M",
    citation: "Alabdulmohsin, Neyshabur, Zhai (2022), \"Revisiting Neural Scaling Laws in Language and Vision\" (NeurIPS 2022, arXiv 2209.06640), benchmark data of google-research/google-research (revisiting_neural_scaling_laws/data/benchmark.lang.csv, released under CC BY 4.0): log-perplexity of the 6-encoder, 6-decoder translation model (Bansal et al. 2022) against examples seen in training.",
    caveat: "D here counts training examples seen (batch size × steps), not tokens. The last point (512M examples) is marked # and held out, as in the benchmark, to check the extrapolation. The curve flattens: a broken power law fits it about ten times better than a power law with an offset.",
    plan_law: "fit",
    budget: "",
};

/// Hoffmann et al. (2022), approach 3, with the runs behind it.
pub const HOFFMANN_2022: Preset = Preset {
    id: "hoffmann-2022",
    title: "Chinchilla law, Hoffmann et al. 2022 (approach 3)",
    data: PresetData::ChinchillaRuns,
    model: ModelId::Chinchilla,
    x: Variable::C,
    predict_at: "",
    citation: "Hoffmann et al. (2022), \"Training Compute-Optimal Large Language Models\" (arXiv 2203.15556), approach 3: L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28 (rounded as printed). Unrounded values in circulation (origin unverified): E = 1.69337, A = 406.401, B = 410.723, alpha = 0.33917084, beta = 0.2849083. The data are their runs as digitised by Besiroglu et al. (2024).",
    caveat: "The chart and the fit show this calculator's own fit of the digitised runs (the Besiroglu et al. recipe), which differs from Hoffmann's printed constants; the planning panel uses the printed constants. Approach 3 does not put Chinchilla's 70B at the optimum of its own budget (5.76e23 FLOP): its closed form gives about 32B with the printed constants (about 40B unrounded); approaches 1 and 2 of the paper point to ~70B. Rounding alone moves the optimal tokens per parameter from about 59 to about 93 at 5.88e23 FLOP.",
    plan_law: "hoffmann-2022",
    budget: "5.76e23",
};

/// Kaplan et al. (2020): the one-factor laws and the joint law, never mixed.
pub const KAPLAN_2020: Preset = Preset {
    id: "kaplan-2020",
    title: "Kaplan et al. 2020 (one-factor and joint laws)",
    data: PresetData::Text(""),
    model: ModelId::Kaplan,
    x: Variable::N,
    predict_at: "175B",
    citation: "Kaplan et al. (2020), \"Scaling Laws for Neural Language Models\" (arXiv 2001.08361), as reported by several write-ups (secondary): L(N) = (8.8e13/N)^0.076, L(D) = (5.4e13/D)^0.095, L(C_min) = (3.1e8 PF-days/C)^0.050; joint L(N, D) = [(6.4e13/N)^(0.076/0.103) + 1.8e13/D]^0.103 with its own constants. N counts non-embedding parameters; loss in nats per token.",
    caveat: "The joint law has its own constants: mixing them with the one-factor set is a known bug of other calculators. alpha_C = 0.050 is for compute-efficient training (C_min), not for the compute a real run such as GPT-3 used; Kaplan's compute-efficient N grows as C^0.73 by a separate fit, which the joint law with C = 6ND does not give (it gives C^0.575).",
    plan_law: "kaplan-2020-joint",
    budget: "3.14e23",
};

/// The source article's simulated bounded metric.
pub const ARTICLE_SIMULATED: Preset = Preset {
    id: "article-simulated",
    title: "The article's simulated example: P = 1/(1 + N^-0.5)",
    data: PresetData::ArticleSimulated,
    model: ModelId::Saturating,
    x: Variable::N,
    predict_at: "1e12",
    citation: "The source article's simulated example: parameters 1e6 … 1e11 and performance P = 1/(1 + N^-0.5), a saturating curve for a bounded metric (X0 = 1, alpha = 0.5), values kept at full precision.",
    caveat: "Simulated data: the fit must return X0 = 1 and alpha = 0.5. P is fitted on logit residuals, where this curve is a straight line.",
    plan_law: "fit",
    budget: "",
};

/// Cerebras-GPT's compute-frontier law.
pub const CEREBRAS_GPT: Preset = Preset {
    id: "cerebras-gpt",
    title: "Cerebras-GPT compute frontier (2023)",
    data: PresetData::Text(""),
    model: ModelId::PowerOffset,
    x: Variable::C,
    predict_at: "2.3e22",
    citation: "Cerebras-GPT (arXiv 2304.03208), secondary: L(f) = (f / 5.984e22)^-0.0737 + 0.5066, f in FLOP, Pile test loss. Check value: f = 2.3e22 gives 1.5796.",
    caveat: "A law of compute alone along their compute-optimal frontier: it says nothing about how to split a budget between N and D.",
    plan_law: "cerebras-gpt",
    budget: "2.3e22",
};

/// The GPT-3 model family (Brown et al. 2020, Table D.1): sizes and training compute.
pub const GPT3_FAMILY: Preset = Preset {
    id: "gpt3-family",
    title: "GPT-3 family: sizes and compute (Brown et al. 2020)",
    data: PresetData::Text("model,N,D,C\nGPT-3 Small,125M,300B,2.25e20\nGPT-3 Medium,356M,300B,6.41e20\nGPT-3 Large,760M,300B,1.37e21\nGPT-3 XL,1.32B,300B,2.38e21\nGPT-3 2.7B,2.65B,300B,4.77e21\nGPT-3 6.7B,6.66B,300B,1.20e22\nGPT-3 13B,12.85B,300B,2.31e22\nGPT-3 175B,174.6B,300B,3.14e23\n"),
    model: ModelId::Power,
    x: Variable::C,
    predict_at: "",
    citation: "Brown et al. (2020), Table D.1 (secondary): parameters and total training compute, all trained on 300B tokens; 174.6B parameters used 3.14e23 FLOP (3,640 PF-days); 6 x 175e9 x 300e9 = 3.15e23. Loss envelope of Fig. 3.1 (secondary): L = 2.57 C^-0.048 with C in PF-days (1.73 at 3,640 PF-days).",
    caveat: "The table has no losses to fit: the planning panel weighs each model against a published law (Hoffmann's by default: its tokens per parameter against the compute-optimal split of its own compute). Choose the GPT-3 envelope law to read the loss against compute.",
    plan_law: "hoffmann-2022",
    budget: "3.14e23",
};

/// DeepSeek LLM's allocation rule.
pub const DEEPSEEK_2024: Preset = Preset {
    id: "deepseek-2024",
    title: "DeepSeek LLM allocation (2024)",
    data: PresetData::Text(""),
    model: ModelId::Chinchilla,
    x: Variable::C,
    predict_at: "",
    citation: "DeepSeek LLM (arXiv 2401.02954), secondary: with M = non-embedding FLOPs per token and C = M D, M_opt = 0.1715 C^0.5243 and D_opt = 5.8316 C^0.4757.",
    caveat: "M is FLOPs per token (about 6N plus attention), not a parameter count: N ≈ M_opt / 6 is an approximation. DeepSeek gives an allocation, not a loss law: its split is the last row of the comparison table, beside the loss laws (the rest of the panel plans with Hoffmann's law).",
    plan_law: "hoffmann-2022",
    budget: "1e24",
};

/// Every preset, the default first.
pub const ALL: &[Preset] = &[
    GPT2_GPT3,
    HOFFMANN_2022,
    BESIROGLU_2024,
    OLMO_LADDER,
    NMT_LEARNING_CURVE,
    KAPLAN_2020,
    DEEPSEEK_2024,
    CEREBRAS_GPT,
    GPT3_FAMILY,
    ARTICLE_SIMULATED,
];

/// A published law with its citation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PublishedLaw {
    pub id: &'static str,
    pub title: &'static str,
    pub model: ModelId,
    pub x: Variable,
    /// Natural parameters in the order of [`ModelId::param_names`].
    pub params: &'static [f64],
    pub citation: &'static str,
}

impl PublishedLaw {
    pub fn law(&self) -> Law {
        Law {
            model: self.model,
            x: self.x,
            params: self.params.to_vec(),
        }
    }
}

/// Cc of Kaplan's L(C_min), converted from PF-days to FLOP.
const KAPLAN_CC_FLOP: f64 = 3.1e8 * PF_DAY;

/// Published laws (docs/REFERENCES.md). Constants of different fits are separate entries.
pub const LAWS: &[PublishedLaw] = &[
    PublishedLaw {
        id: "hoffmann-2022",
        title: "Hoffmann 2022, approach 3 (as printed)",
        model: ModelId::Chinchilla,
        x: Variable::N,
        params: &[1.69, 406.4, 410.7, 0.34, 0.28],
        citation: "Hoffmann et al. 2022 (arXiv 2203.15556), approach 3, rounded as printed",
    },
    PublishedLaw {
        id: "hoffmann-2022-unrounded",
        title: "Hoffmann 2022, approach 3 (unrounded values in circulation)",
        model: ModelId::Chinchilla,
        x: Variable::N,
        params: &[1.69337, 406.401, 410.723, 0.33917084, 0.2849083],
        citation: "unrounded approach-3 values in circulation (origin unverified)",
    },
    PublishedLaw {
        id: "besiroglu-2024",
        title: "Besiroglu 2024, Epoch replication (headline estimates)",
        model: ModelId::Chinchilla,
        x: Variable::N,
        params: &[1.817, 482.01, 2085.43, 0.3478, 0.3658],
        citation: "Besiroglu, Erdil, Barnett, You 2024, \"Chinchilla Scaling: A replication attempt\", headline estimates",
    },
    PublishedLaw {
        id: "kaplan-2020-joint",
        title: "Kaplan 2020, joint L(N, D)",
        model: ModelId::KaplanJoint,
        x: Variable::N,
        params: &[6.4e13, 1.8e13, 0.076, 0.103],
        citation: "Kaplan et al. 2020 (arXiv 2001.08361), joint law with its own constants (secondary)",
    },
    PublishedLaw {
        id: "kaplan-2020-n",
        title: "Kaplan 2020, L(N)",
        model: ModelId::Kaplan,
        x: Variable::N,
        params: &[8.8e13, 0.076],
        citation: "Kaplan et al. 2020, one-factor L(N) (secondary)",
    },
    PublishedLaw {
        id: "kaplan-2020-d",
        title: "Kaplan 2020, L(D)",
        model: ModelId::Kaplan,
        x: Variable::D,
        params: &[5.4e13, 0.095],
        citation: "Kaplan et al. 2020, one-factor L(D) (secondary)",
    },
    PublishedLaw {
        id: "kaplan-2020-c",
        title: "Kaplan 2020, L(C_min)",
        model: ModelId::Kaplan,
        x: Variable::C,
        params: &[KAPLAN_CC_FLOP, 0.050],
        citation: "Kaplan et al. 2020, one-factor L(C_min), Cc = 3.1e8 PF-days (secondary)",
    },
    PublishedLaw {
        id: "cerebras-gpt",
        title: "Cerebras-GPT compute frontier",
        model: ModelId::PowerOffset,
        x: Variable::C,
        // (f / 5.984e22)^-0.0737 + 0.5066 = 0.5066 + 5.984e22^0.0737 · f^-0.0737
        params: &[0.5066, 47.716_027_455_717_274, 0.0737],
        citation: "Cerebras-GPT 2023 (arXiv 2304.03208), L(f) = (f/5.984e22)^-0.0737 + 0.5066 (secondary)",
    },
    PublishedLaw {
        id: "gpt3-envelope",
        title: "GPT-3 loss envelope, L = 2.57 C^-0.048 (C in PF-days)",
        model: ModelId::Power,
        x: Variable::C,
        // 2.57 · (C / 8.64e19)^-0.048 = 2.57 · 8.64e19^0.048 · C^-0.048
        params: &[23.274_790_631_371_232, 0.048],
        citation: "Brown et al. 2020, Fig. 3.1 envelope (secondary)",
    },
    PublishedLaw {
        id: "muennighoff-2023",
        title: "Muennighoff 2023, data-constrained (repeated data)",
        model: ModelId::DataConstrained,
        x: Variable::N,
        // E, A, B = exp(0.6254804), exp(6.255414), exp(7.3049974), as the README fits their logs.
        params: &[
            1.869_143_678_405_485_8,
            520.824_951_659_918_7,
            1_487.716_093_782_861,
            0.352_659_6,
            0.352_659_6,
            15.387_756,
            5.309_743,
        ],
        citation: "Muennighoff et al. 2023, \"Scaling Data-Constrained Language Models\" (arXiv 2305.16264), parametric fit of the huggingface/datablations README: log-constants a = 6.255414, b = 7.3049974, e = 0.6254804, alpha = beta = 0.3526596, R_D* = 15.387756, R_N* = 5.309743",
    },
];

/// The published law with this id.
pub fn law(id: &str) -> Option<&'static PublishedLaw> {
    LAWS.iter().find(|l| l.id == id)
}

/// DeepSeek LLM (2024): M_opt = 0.1715 C^0.5243, D_opt = 5.8316 C^0.4757, with M the
/// non-embedding FLOPs per token. Returns (M_opt, D_opt).
pub fn deepseek_allocation(budget: f64) -> (f64, f64) {
    (0.1715 * budget.powf(0.5243), 5.8316 * budget.powf(0.4757))
}

/// The preset with this id.
pub fn find(id: &str) -> Option<&'static Preset> {
    ALL.iter().find(|p| p.id == id)
}
