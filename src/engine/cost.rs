//! What a run costs: accelerator-hours, wall-clock days, money, energy and CO₂, from its FLOP
//! and editable assumptions (accelerators from their vendors' datasheets).

use super::plan::PlanError;
use serde::{Deserialize, Serialize};

/// The inputs of a cost estimate, for messages about them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostInput {
    Flops,
    PeakThroughput,
    Count,
    Price,
    Power,
    CarbonIntensity,
}

/// An accelerator for cost estimates, with its vendor datasheet.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Accelerator {
    pub id: &'static str,
    pub name: &'static str,
    /// Peak dense BF16 throughput, FLOP/s (without sparsity).
    pub peak_flops: f64,
    /// Board power, W.
    pub watts: f64,
    pub source: &'static str,
}

/// Accelerators with published numbers (vendor datasheets; docs/REFERENCES.md).
pub const ACCELERATORS: &[Accelerator] = &[
    Accelerator {
        id: "a100",
        name: "NVIDIA A100 SXM 80GB",
        peak_flops: 312e12,
        watts: 400.0,
        source: "NVIDIA A100 datasheet: 312 TFLOP/s BF16 dense, 400 W",
    },
    Accelerator {
        id: "h100",
        name: "NVIDIA H100 SXM",
        peak_flops: 989e12,
        watts: 700.0,
        source: "NVIDIA H100 datasheet: 989 TFLOP/s BF16 dense, up to 700 W",
    },
];

/// What a run costs, from its FLOP and editable assumptions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostInputs {
    pub flops: f64,
    /// Peak FLOP/s of one accelerator.
    pub peak_flops: f64,
    /// Model FLOPs utilisation, 0..1 (30–50 % is typical of large runs).
    pub mfu: f64,
    /// Price of one accelerator-hour (an assumption: it varies by provider and date).
    pub price_per_hour: f64,
    /// Power drawn by one accelerator, W (board power; the rest of the machine is not counted).
    pub watts: f64,
    /// Accelerators running at once (for the wall-clock time).
    pub count: f64,
    /// kg CO2 per kWh of the electricity used (an assumption).
    pub carbon_per_kwh: f64,
}

/// The cost of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// FLOP / (peak × MFU) / 3600.
    pub accelerator_hours: f64,
    /// accelerator-hours / count / 24.
    pub wall_days: f64,
    /// accelerator-hours × price.
    pub money: f64,
    /// accelerator-hours × W / 1000.
    pub energy_kwh: f64,
    /// energy × carbon intensity.
    pub co2_kg: f64,
}

/// The cost of `inputs.flops` on the given hardware and assumptions.
pub fn cost(inputs: &CostInputs) -> Result<Cost, PlanError> {
    for (v, what) in [
        (inputs.flops, CostInput::Flops),
        (inputs.peak_flops, CostInput::PeakThroughput),
        (inputs.count, CostInput::Count),
    ] {
        if !(v > 0.0 && v.is_finite()) {
            return Err(PlanError::NotPositive(what));
        }
    }
    if !(inputs.mfu > 0.0 && inputs.mfu <= 1.0) {
        return Err(PlanError::BadMfu);
    }
    for (v, what) in [
        (inputs.price_per_hour, CostInput::Price),
        (inputs.watts, CostInput::Power),
        (inputs.carbon_per_kwh, CostInput::CarbonIntensity),
    ] {
        if !(v >= 0.0 && v.is_finite()) {
            return Err(PlanError::Negative(what));
        }
    }
    let accelerator_hours = inputs.flops / (inputs.peak_flops * inputs.mfu) / 3600.0;
    let energy_kwh = accelerator_hours * inputs.watts / 1000.0;
    let cost = Cost {
        accelerator_hours,
        wall_days: accelerator_hours / inputs.count / 24.0,
        money: accelerator_hours * inputs.price_per_hour,
        energy_kwh,
        co2_kg: energy_kwh * inputs.carbon_per_kwh,
    };
    // Valid inputs far apart in size (a tiny peak or count against a huge FLOP count)
    // overflow: say so rather than show "inf".
    let all = [
        cost.accelerator_hours,
        cost.wall_days,
        cost.money,
        cost.energy_kwh,
        cost.co2_kg,
    ];
    if all.iter().all(|v| v.is_finite()) {
        Ok(cost)
    } else {
        Err(PlanError::CostNotFinite)
    }
}
