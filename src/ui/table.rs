//! The data as an editable table, kept in step with the text (every edit is written back to
//! the text, the one source of truth), column mapping for unrecognised headers, and loading a
//! file by upload or drop.

use super::i18n::{tr, trf};
use super::{Derived, Inputs, Outcome};
use crate::engine::dataset::{Quantity, RawTable};
use leptos::prelude::*;

/// Rows the table shows; longer data is edited in the text.
const ROWS_SHOWN: usize = 100;

/// Reads a dropped or chosen file into the data text.
fn load_file(file: web_sys::File, inputs: Inputs) {
    let promise = file.text();
    leptos::task::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(promise).await {
            if let Some(text) = text.as_string() {
                inputs.preset.set(String::new());
                inputs.enter_text(text);
            }
        }
    });
}

/// Upload a CSV/TSV file, or drop one anywhere on the data panel.
#[component]
pub fn FileLoader() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let on_change = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            load_file(file, inputs);
        }
        input.set_value("");
    };
    view! {
        <label class="upload">
            <span>{move || tr("Load a CSV or TSV file (or drop it here)")}</span>
            <input type="file" data-testid="upload-input" accept=".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain" on:change=on_change/>
        </label>
    }
}

/// Handlers that load a file dropped on an element.
pub fn drop_handlers() -> (
    impl Fn(leptos::ev::DragEvent) + Copy,
    impl Fn(leptos::ev::DragEvent) + Copy,
) {
    let inputs = expect_context::<Inputs>();
    let over = move |ev: leptos::ev::DragEvent| ev.prevent_default();
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            load_file(file, inputs);
        }
    };
    (over, drop)
}

/// The column a header maps to, as the select shows it.
fn mapping(header: &str) -> &'static str {
    Quantity::from_header(header).map_or("", |q| q.symbol())
}

/// The editable table.
#[component]
pub fn DataTable() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let derived = expect_context::<Derived>();
    let table = Memo::new(move |_| inputs.text.with(|t| RawTable::parse(t)));
    let edit = move |change: &dyn Fn(&mut RawTable)| {
        let mut t = table.get_untracked();
        change(&mut t);
        inputs.enter_text(t.render());
    };
    // The cell a data problem points at: (line, column name).
    let problem = Memo::new(move |_| match derived.outcome.get() {
        Outcome::DataProblem(e) => Some((e.line, e.column)),
        _ => None,
    });
    let header = move || {
        table.with(|t| t.header.clone()).into_iter().enumerate().map(|(col, name)| {
            let on_map = move |ev| {
                let value = event_target_value(&ev);
                edit(&|t: &mut RawTable| {
                    let current = t.header.get(col).cloned().unwrap_or_default();
                    let renamed = if value.is_empty() { format!("_{current}") } else { value.clone() };
                    t.set_header(col, &renamed);
                });
            };
            let recognised = mapping(&name);
            view! {
                <th scope="col">
                    <span class="col-name">{name.clone()}</span>
                    <select class="col-map" data-testid=format!("column-map-{col}") on:change=on_map
                        aria-label=move || trf("Column {0} holds", &[&name])>
                        <option value="" selected=recognised.is_empty()>{move || tr("ignored")}</option>
                        {Quantity::ALL.iter().map(|q| view! {
                            <option value=q.symbol() selected=recognised == q.symbol()>{q.symbol()}</option>
                        }).collect_view()}
                    </select>
                </th>
            }
        }).collect_view()
    };
    let rows = move || {
        let t = table.get();
        let columns = t.header.len();
        let headers = t.header.clone();
        t.rows.into_iter().take(ROWS_SHOWN).enumerate().map(|(i, row)| {
            let headers = headers.clone();
            let cells = (0..columns).map(|col| {
                let value = row.cells.get(col).cloned().unwrap_or_default();
                let bad = problem.with(|p| {
                    p.as_ref().is_some_and(|(line, column)| {
                        *line == Some(row.line) && column.as_deref() == headers.get(col).map(String::as_str)
                    })
                });
                let on_change = move |ev| {
                    let value = event_target_value(&ev);
                    edit(&|t: &mut RawTable| t.set_cell(i, col, &value));
                };
                view! {
                    <td class:cell-error=bad>
                        <input type="text" data-testid=format!("cell-{i}-{col}") prop:value=value on:change=on_change
                            aria-invalid=bad.to_string()/>
                    </td>
                }
            }).collect_view();
            let on_use = move |ev| {
                let used = event_target_checked(&ev);
                edit(&|t: &mut RawTable| t.set_excluded(i, !used));
            };
            let on_delete = move |_| edit(&|t: &mut RawTable| t.delete_row(i));
            view! {
                <tr class:excluded=row.excluded>
                    <td><input type="checkbox" data-testid=format!("row-use-{i}") prop:checked=!row.excluded on:change=on_use
                        title=move || tr("Use this row in the fit")/></td>
                    {cells}
                    <td><button type="button" class="icon" data-testid=format!("row-delete-{i}") on:click=on_delete
                        aria-label=move || tr("Delete this row")>"×"</button></td>
                </tr>
            }
        }).collect_view()
    };
    let total = move || table.with(|t| t.rows.len());
    let unrecognised = move || {
        table.with(|t| {
            !t.header.is_empty() && t.header.iter().all(|h| Quantity::from_header(h).is_none())
        })
    };
    view! {
        <details class="data-table" open=move || total() <= 30>
            <summary>{move || trf("Edit as a table ({0} rows)", &[&total().to_string()])}</summary>
            {move || unrecognised().then(|| view! {
                <p class="muted small">{move || tr("No column was recognised: choose what each column holds.")}</p>
            })}
            <div class="table-scroll">
                <table>
                    <thead><tr><th>{move || tr("use")}</th>{header}<th></th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {move || (total() > ROWS_SHOWN).then(|| view! {
                <p class="muted small">{move || trf("Showing the first {0} of {1} rows; edit the text for the rest.", &[&ROWS_SHOWN.to_string(), &total().to_string()])}</p>
            })}
            <button type="button" class="secondary" data-testid="row-add" on:click=move |_| edit(&|t: &mut RawTable| t.add_row())>
                {move || tr("Add a row")}
            </button>
        </details>
    }
}
