//! FLOP and parameter accounting (../shared/REFERENCES.md, "Planning beyond the compute-optimal
//! split"):
//!
//! - DeepSeek LLM (2024, arXiv 2401.02954): non-embedding FLOP per token
//!   M = 72 n_layer d_model² + 12 n_layer d_model l_seq (attention included, vocabulary not),
//!   C = M D. With N = 12 n_layer d_model² non-embedding parameters, M = 6N + 12 n_layer d_model
//!   l_seq, so the FLOP per parameter-token is k = M / N = 6 + l_seq / d_model.
//! - Pearce & Song (2024, arXiv 2406.12907), fitted to Chinchilla's model shapes (vocabulary
//!   32k): N_total = N_nonembed + 47491 N_nonembed^(1/3).
//! - A shape for a chosen N: N = 12 n_layer d_model² with d_model = aspect · n_layer.

use serde::{Deserialize, Serialize};

/// DeepSeek's non-embedding FLOP per token, M = 72 n_layer d² + 12 n_layer d l_seq.
pub fn deepseek_flops_per_token(layers: f64, width: f64, sequence: f64) -> f64 {
    72.0 * layers * width * width + 12.0 * layers * width * sequence
}

/// Non-embedding parameters of a dense transformer block stack, N = 12 n_layer d².
pub fn nonembedding_params(layers: f64, width: f64) -> f64 {
    12.0 * layers * width * width
}

/// FLOP per parameter-token with attention counted: k = M / N = 6 + l_seq / d.
pub fn k_with_attention(width: f64, sequence: f64) -> f64 {
    6.0 + sequence / width
}

/// Pearce & Song's N_total = N_nonembed + 47491 N_nonembed^(1/3).
pub fn total_params(nonembedding: f64) -> f64 {
    nonembedding + 47_491.0 * nonembedding.cbrt()
}

/// The inverse of [`total_params`]: N_nonembed from N_total (Newton on the increasing cubic in
/// x = N_nonembed^(1/3): x³ + 47491 x − N_total = 0).
pub fn nonembedding_from_total(total: f64) -> Option<f64> {
    if !(total > 0.0 && total.is_finite()) {
        return None;
    }
    let mut x = total.cbrt();
    for _ in 0..100 {
        let step = (x * x * x + 47_491.0 * x - total) / (3.0 * x * x + 47_491.0);
        x -= step;
        if step.abs() <= 1e-14 * x.abs() {
            break;
        }
    }
    (x > 0.0).then_some(x * x * x)
}

/// A model shape: layers, width and heads, and the non-embedding parameters it has.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shape {
    pub layers: u32,
    pub width: u32,
    pub heads: u32,
    /// 12 n_layer d² of the rounded shape.
    pub params: f64,
}

/// The shape nearest N non-embedding parameters at d_model / n_layer = `aspect`, with the width
/// a multiple of `head_width` (heads = width / head_width): d = (aspect N / 12)^(1/3) rounded to
/// the head width, then the number of layers that brings 12 n_layer d² closest to N.
pub fn shape(params: f64, aspect: f64, head_width: u32) -> Option<Shape> {
    if !(params > 0.0 && aspect > 0.0 && params.is_finite() && aspect.is_finite() && head_width > 0)
    {
        return None;
    }
    let hw = f64::from(head_width);
    let width = ((aspect * params / 12.0).cbrt() / hw).round().max(1.0) * hw;
    let layers = (params / (12.0 * width * width)).round().max(1.0);
    if width > f64::from(u32::MAX) || layers > f64::from(u32::MAX) {
        return None;
    }
    Some(Shape {
        layers: layers as u32,
        width: width as u32,
        heads: (width / hw) as u32,
        params: nonembedding_params(layers, width),
    })
}
