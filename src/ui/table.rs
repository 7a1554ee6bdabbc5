//! The data as an editable table, kept in step with the text (every edit is written back to
//! the text, the one source of truth), what each column holds (chosen beside the text, so the
//! person's headers stay as written), pages of rows, and loading a file by upload or drop.

use super::i18n::{tr, trf};
use super::{Derived, Inputs, Outcome};
use crate::engine::columns::Role;
use crate::engine::csv;
use crate::engine::dataset::RawTable;
use leptos::prelude::*;

/// Rows on a page of the table: a large table is read page by page, never drawn whole.
const PAGE_ROWS: usize = 100;

/// Tables with more rows than this open folded (their summary says how many).
const OPEN_ROWS: usize = 30;

/// Which rows the table shows: a page the person turned to, or the page of a row they changed
/// from the chart (that row marked).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Focus {
    /// A page, 0-based (past the last: the last).
    Page(usize),
    /// The row starting on this line of the text.
    Line(usize),
}

/// Where the table is (shared by the table and the chart, which can point at a row).
#[derive(Clone, Copy)]
pub struct TableView {
    focus: RwSignal<Focus>,
}

impl TableView {
    pub fn new() -> TableView {
        TableView {
            focus: RwSignal::new(Focus::Page(0)),
        }
    }

    /// Shows the first page (new data replaced the old).
    pub fn show_start(&self) {
        self.focus.set(Focus::Page(0));
    }

    /// Shows (and marks) the row starting on `line`.
    pub fn show_line(&self, line: usize) {
        self.focus.set(Focus::Line(line));
    }
}

/// Leaves the row starting on `line` out of the fit (a `#` before it) or takes it back in,
/// touching nothing else of the person's text.
pub fn set_line_excluded(inputs: Inputs, line: usize, excluded: bool) {
    if let Some(text) = inputs
        .text
        .with_untracked(|t| csv::mark_excluded(t, line, excluded))
    {
        inputs.enter_text(text);
    }
}

/// Reads a dropped or chosen file into the data text (the table back at its first page).
fn load_file(file: web_sys::File, inputs: Inputs, table: Option<TableView>) {
    let promise = file.text();
    leptos::task::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(promise).await {
            if let Some(text) = text.as_string() {
                inputs.preset.set(String::new());
                if inputs.text.with_untracked(|t| *t != text) {
                    super::fitting::fit_at_once();
                }
                inputs.enter_text(text);
                if let Some(table) = table {
                    table.show_start();
                }
            }
        }
    });
}

/// Upload a CSV/TSV file, or drop one anywhere on the data panel.
#[component]
pub fn FileLoader() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let table = use_context::<TableView>();
    let on_change = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            load_file(file, inputs, table);
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
    let table = use_context::<TableView>();
    let over = move |ev: leptos::ev::DragEvent| ev.prevent_default();
    let drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(file) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            load_file(file, inputs, table);
        }
    };
    (over, drop)
}

/// A role as the column select shows it.
fn role_text(role: Role) -> String {
    match role {
        Role::Quantity(q) => q.symbol().to_string(),
        Role::Name => tr("names"),
        Role::Ignored => tr("ignored"),
    }
}

/// A column's name for people: its header, or its number when the header is blank.
fn column_title(col: usize, header: &str) -> String {
    if header.trim().is_empty() {
        trf("column {0}", &[&(col + 1).to_string()])
    } else {
        header.to_string()
    }
}

/// The editable table.
#[component]
pub fn DataTable() -> impl IntoView {
    let inputs = expect_context::<Inputs>();
    let derived = expect_context::<Derived>();
    let view_state = expect_context::<TableView>();
    let table = derived.table;
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
    // Closures, not memos, between the table and what shows it: a view that reads the table and
    // a memo of it misses a change of the table when that memo stays the same (Leptos 0.8's
    // render effects check their sources in turn, and a memo recomputed by an earlier one no
    // longer counts as changed); the table test of `tests/e2e/data.test.mjs` caught it.
    let total = move || table.with(|t| t.rows.len());
    let pages = move || total().div_ceil(PAGE_ROWS).max(1);
    // The page on screen, always one that exists.
    let page = move || {
        let last = pages() - 1;
        match view_state.focus.get() {
            Focus::Page(p) => p.min(last),
            Focus::Line(line) => table
                .with(|t| t.rows.iter().position(|r| r.line == line))
                .map_or(0, |i| i / PAGE_ROWS)
                .min(last),
        }
    };
    let marked = move || match view_state.focus.get() {
        Focus::Line(line) => Some(line),
        Focus::Page(_) => None,
    };
    let turn = move |to: usize| view_state.focus.set(Focus::Page(to));
    let header = move || {
        let columns = inputs.columns.get();
        table.with(|t| t.header.clone()).into_iter().enumerate().map(|(col, name)| {
            let role = columns.role(&name);
            let title = column_title(col, &name);
            let on_map = {
                let name = name.clone();
                move |ev| {
                    if let Some(role) = Role::from_id(&event_target_value(&ev)) {
                        inputs.columns.update(|m| m.set(&name, role));
                    }
                }
            };
            view! {
                <th scope="col">
                    <span class="col-name">{name}</span>
                    <select class="col-map" data-testid=format!("column-map-{col}") on:change=on_map
                        prop:value=role.id() aria-label=trf("Column {0} holds", &[&title])>
                        {Role::all().map(|r| view! {
                            <option value=r.id() selected={r == role}>{role_text(r)}</option>
                        }).collect_view()}
                    </select>
                </th>
            }
        }).collect_view()
    };
    let rows = move || {
        let first = page() * PAGE_ROWS;
        let marked = marked();
        table.with(|t| {
            let titles: Vec<String> =
                t.header.iter().enumerate().map(|(col, h)| column_title(col, h)).collect();
            t.rows.iter().enumerate().skip(first).take(PAGE_ROWS).map(|(i, row)| {
                let line = row.line;
                let cells = titles.iter().enumerate().map(|(col, title)| {
                    let value = row.cells.get(col).cloned().unwrap_or_default();
                    let header = &t.header[col];
                    let bad = problem.with(|p| {
                        p.as_ref().is_some_and(|(at, column)| {
                            *at == Some(line) && column.as_deref() == Some(header.as_str())
                        })
                    });
                    let on_change = move |ev| {
                        let value = event_target_value(&ev);
                        edit(&|t: &mut RawTable| t.set_cell(i, col, &value));
                    };
                    view! {
                        <td class:cell-error=bad>
                            <input type="text" data-testid=format!("cell-{i}-{col}") prop:value=value on:change=on_change
                                aria-label=trf("{0}, row {1}", &[title, &line.to_string()])
                                aria-invalid=bad.to_string()/>
                        </td>
                    }
                }).collect_view();
                let on_use = move |ev| set_line_excluded(inputs, line, !event_target_checked(&ev));
                let on_delete = move |_| edit(&|t: &mut RawTable| t.delete_row(i));
                view! {
                    <tr class:excluded=row.excluded class:marked={marked == Some(line)} data-line=line>
                        <th scope="row" class="row-use">
                            <input type="checkbox" data-testid=format!("row-use-{i}") prop:checked=!row.excluded on:change=on_use
                                aria-label=trf("Use row {0} in the fit", &[&line.to_string()])
                                title=tr("Use this row in the fit")/>
                            <span class="line-no" aria-hidden="true">{line}</span>
                        </th>
                        {cells}
                        <td><button type="button" class="icon" data-testid=format!("row-delete-{i}") on:click=on_delete
                            aria-label=trf("Delete row {0}", &[&line.to_string()])>"×"</button></td>
                    </tr>
                }
            }).collect_view()
        })
    };
    // The pages of a long table: previous, next, and any page by the lines it holds.
    let pager = move || {
        (total() > PAGE_ROWS).then(|| {
            let page_now = page();
            let last = pages() - 1;
            let ranges: Vec<(usize, usize)> = table.with(|t| {
                t.rows
                    .chunks(PAGE_ROWS)
                    .map(|c| (c[0].line, c[c.len() - 1].line))
                    .collect()
            });
            let on_pick = move |ev| {
                if let Ok(p) = event_target_value(&ev).parse::<usize>() {
                    turn(p);
                }
            };
            view! {
                <div class="pager" role="group" aria-label=tr("Pages of the table")>
                    <button type="button" class="secondary" data-testid="rows-prev" disabled={page_now == 0}
                        on:click=move |_| turn(page_now.saturating_sub(1))>{format!("‹ {}", tr("Previous"))}</button>
                    <select data-testid="rows-page" on:change=on_pick prop:value=page_now.to_string()
                        aria-label=tr("Rows shown")>
                        {ranges.into_iter().enumerate().map(|(p, (from, to))| view! {
                            <option value=p.to_string() selected={p == page_now}>
                                {trf("rows {0}–{1}", &[&from.to_string(), &to.to_string()])}
                            </option>
                        }).collect_view()}
                    </select>
                    <button type="button" class="secondary" data-testid="rows-next" disabled={page_now >= last}
                        on:click=move |_| turn(page_now + 1)>{format!("{} ›", tr("Next"))}</button>
                </div>
            }
        })
    };
    let unrecognised = move || {
        let columns = inputs.columns.get();
        table.with(|t| {
            !t.header.is_empty()
                && t.header
                    .iter()
                    .all(|h| !matches!(columns.role(h), Role::Quantity(_)))
        })
    };
    let folded = Memo::new(move |_| total() > OPEN_ROWS);
    // Whether the table is open: its rows, header and pager exist only then, so a folded
    // table of many runs costs nothing while the person types in the box above. Open unless
    // folded, or as the person last set it while the table stays as long (or as short) as then;
    // derived in one step, so a paste that folds the table never builds its rows first.
    let chosen = RwSignal::new(None::<(bool, bool)>);
    let open = Memo::new(move |_| {
        let folded = folded.get();
        match chosen.get() {
            Some((when_folded, open)) if when_folded == folded => open,
            _ => !folded,
        }
    });
    let on_toggle = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        if let Some(details) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            let now = details.has_attribute("open");
            if now != open.get_untracked() {
                chosen.set(Some((folded.get_untracked(), now)));
            }
        }
    };
    let add_row = move |_| {
        edit(&|t: &mut RawTable| t.add_row());
        // The last page, where the new row is.
        turn(usize::MAX);
    };
    view! {
        <details class="data-table" prop:open=move || open.get() on:toggle=on_toggle>
            <summary>{move || trf("Edit as a table ({0} rows)", &[&total().to_string()])}</summary>
            {move || unrecognised().then(|| view! {
                <p class="muted small">{move || tr("No column was recognised: choose what each column holds.")}</p>
            })}
            {move || open.get().then(pager)}
            <div class="table-scroll">
                <table data-testid="data-table">
                    <thead><tr><th scope="col">{move || tr("use")}</th>{move || open.get().then(header)}<th></th></tr></thead>
                    <tbody>{move || open.get().then(rows)}</tbody>
                </table>
            </div>
            <button type="button" class="secondary" data-testid="row-add" on:click=add_row>
                {move || tr("Add a row")}
            </button>
        </details>
    }
}
