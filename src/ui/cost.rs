//! What the planned run costs: accelerator-hours, days, money, energy and CO₂, from the FLOP
//! budget and editable assumptions.

use super::i18n::{say, tr, trf};
use super::plan::{field, number, output, PlanInputs};
use crate::engine::plan::{cost, CostInputs, ACCELERATORS};
use crate::engine::units::{format_si, trim_number};
use crate::text::Said;
use leptos::prelude::*;
/// The planned run's cost: accelerator-hours, days, money, energy, CO2.
#[component]
pub fn CostView(
    /// The FLOP budget costed.
    budget: Memo<Result<Option<f64>, Said>>,
) -> impl IntoView {
    let plan = expect_context::<PlanInputs>();
    let on_accelerator = move |ev| {
        let id = event_target_value(&ev);
        if let Some(a) = ACCELERATORS.iter().find(|a| a.id == id) {
            plan.watts.set(a.watts.to_string());
        }
        plan.accelerator.set(id);
    };
    let accelerator = move || ACCELERATORS.iter().find(|a| a.id == plan.accelerator.get());
    let result = move || -> Option<Result<crate::engine::plan::Cost, Said>> {
        let flops = budget.get().ok().flatten()?;
        let read = |s: RwSignal<String>, what: &'static str| {
            s.with(|t| number(t, what))?.ok_or(Said::Empty(what))
        };
        let inputs = (|| {
            Ok::<_, Said>(CostInputs {
                flops,
                peak_flops: accelerator()
                    .ok_or(Said::Text("choose an accelerator"))?
                    .peak_flops,
                mfu: read(plan.mfu_percent, "MFU")? / 100.0,
                price_per_hour: read(plan.price, "price")?,
                watts: read(plan.watts, "power draw")?,
                count: read(plan.count, "accelerators")?,
                carbon_per_kwh: read(plan.carbon, "carbon intensity")?,
            })
        })();
        Some(inputs.and_then(|i| cost(&i).map_err(Said::Plan)))
    };
    view! {
        <details class="cost" open>
            <summary>{move || tr("What the run costs")}</summary>
            <div class="controls">
                <label class="control">
                    <span>{move || tr("Accelerator")}</span>
                    <select data-testid="accelerator-select" on:change=on_accelerator>
                        {ACCELERATORS.iter().map(|a| view! {
                            <option value=a.id selected=move || plan.accelerator.get() == a.id>{a.name}</option>
                        }).collect_view()}
                    </select>
                </label>
                {field("mfu-input", "MFU (%)", plan.mfu_percent, "40")}
                {field("price-input", "$ per accelerator-hour (assumption)", plan.price, "2.00")}
                {field("count-input", "Accelerators at once", plan.count, "1024")}
                {field("power-input", "Power per accelerator (W)", plan.watts, "400")}
                {field("carbon-input", "kg CO₂ per kWh (assumption)", plan.carbon, "0.4")}
            </div>
            {move || accelerator().map(|a| view! { <p class="muted small">{trf("{0}. Peak dense BF16; MFU of 30–50 % is typical of large runs. Energy counts the accelerators' board power only.", &[&tr(a.source)])}</p> })}
            {move || result().map(|r| match r {
                Ok(c) => view! {
                    <div class="outputs">
                        {output("cost-hours", "accelerator-hours", c.accelerator_hours, format_si(c.accelerator_hours))}
                        {output("cost-days", "days on that many", c.wall_days, trim_number(c.wall_days, 3))}
                        {output("cost-money", "cost ($)", c.money, format_si(c.money))}
                        {output("cost-energy", "energy (kWh)", c.energy_kwh, format_si(c.energy_kwh))}
                        {output("cost-co2", "CO₂ (t)", c.co2_kg / 1000.0, trim_number(c.co2_kg / 1000.0, 3))}
                    </div>
                }.into_any(),
                Err(e) => view! { <p class="input-error small">{say(&e)}</p> }.into_any(),
            })}
        </details>
    }
}
