#![cfg(not(target_arch = "wasm32"))]
//! The data text: columns by name, derived columns, errors with row and column.

use scaling_calc::engine::columns::{ColumnMap, Role};
use scaling_calc::engine::dataset::{parse_dataset, parse_dataset_mapped, Quantity, RawTable};
use scaling_calc::engine::flops::FlopConvention;
use scaling_calc::engine::share::ShareState;

#[test]
fn csv_columns_are_matched_by_name_and_alias() {
    let data = parse_dataset("Model Size,Training FLOP,loss,x\n1e9,6e18,3.0,7\n2e9,2.4e19,2.8,8\n")
        .unwrap();
    assert_eq!(data.given, vec![Quantity::N, Quantity::C, Quantity::L]);
    assert_eq!(data.derived, vec![Quantity::D]);
    // D = C / (6N)
    assert!((data.points[0].d.unwrap() - 1e9).abs() < 1e-3);
    assert!((data.points[1].d.unwrap() - 2e9).abs() < 1e-3);
}

#[test]
fn tsv_with_units_and_derived_compute() {
    let data = parse_dataset("params\ttokens\tloss\n125M\t300B\t3.0\n1.5B\t300B\t2.6\n").unwrap();
    assert_eq!(data.derived, vec![Quantity::C]);
    assert!((data.points[1].c.unwrap() - 6.0 * 1.5e9 * 300e9).abs() < 1e12);
}

#[test]
fn a_bad_cell_names_its_row_and_column() {
    let err = parse_dataset("N,L\n1e9,3.0\n2e9,abc\n").unwrap_err();
    assert_eq!(err.line, Some(3));
    assert_eq!(err.column.as_deref(), Some("L"));
    assert!(err.to_string().contains("Row 3, column L"), "{err}");
    let err = parse_dataset("N,L\n1e9,3.0\n-2e9,2.0\n").unwrap_err();
    assert_eq!((err.line, err.column.as_deref()), (Some(3), Some("N")));
    assert!(err.to_string().contains("positive"));
    let err = parse_dataset("N,L\n1e9\n").unwrap_err();
    assert_eq!(err.line, Some(2));
    assert!(err.to_string().contains("empty"));
}

#[test]
fn headers_without_loss_or_scale_are_explained() {
    // Runs without a loss parse (to plan against a published law); fitting them says why not.
    let runs = parse_dataset("N,D\n1e9,2e10\n").unwrap();
    let err = scaling_calc::engine::fit::fit(
        &runs,
        &scaling_calc::engine::fit::FitOptions::new(
            scaling_calc::engine::law::ModelId::Power,
            scaling_calc::engine::law::Variable::N,
        ),
    )
    .unwrap_err();
    assert!(err.to_string().contains("loss column"), "{err}");
    assert!(parse_dataset("foo,L\n1,2\n")
        .unwrap_err()
        .to_string()
        .contains("scale"));
    assert!(parse_dataset("")
        .unwrap_err()
        .to_string()
        .contains("no data"));
    assert!(parse_dataset("N,params,L\n1,1,1\n")
        .unwrap_err()
        .to_string()
        .contains("keep one"));
}

#[test]
fn hash_rows_are_kept_but_excluded() {
    let data = parse_dataset("N,L\n1e9,3\n#2e9,2.8\n\n4e9,2.6\n").unwrap();
    assert_eq!(data.points.len(), 3);
    assert!(data.points[1].excluded);
    assert_eq!(data.points[2].line, 5);
    assert_eq!(data.included().count(), 2);
}

#[test]
fn bounded_metrics_must_be_fractions() {
    let err = parse_dataset("N,accuracy\n1e9,1.2\n").unwrap_err();
    assert!(err.to_string().contains("(0, 1)"));
}

#[test]
fn the_raw_table_edits_the_text_cell_by_cell() {
    use scaling_calc::engine::dataset::RawTable;
    let text = "N,L\n1e9,3.0\n#2e9,2.8\n\n4e9,2.6\n";
    let mut table = RawTable::parse(text);
    assert_eq!(table.header, vec!["N", "L"]);
    assert_eq!(table.rows.len(), 3);
    assert!(table.rows[1].excluded);
    // Rendering an unedited table gives the same data (blank lines dropped).
    assert_eq!(parse_dataset(&table.render()).unwrap().points.len(), 3);
    table.set_cell(0, 1, " 3.1 ");
    table.set_excluded(1, false);
    table.delete_row(2);
    table.add_row();
    table.set_cell(2, 0, "8e9");
    table.set_cell(2, 1, "2.5");
    table.set_header(0, "params");
    let edited = table.render();
    assert_eq!(edited, "params,L\n1e9,3.1\n2e9,2.8\n8e9,2.5\n");
    let data = parse_dataset(&edited).unwrap();
    assert_eq!(data.included().count(), 3);
    // TSV stays TSV; a cell holding the separator is quoted.
    let mut tsv = RawTable::parse("N\tL\tnote\n1e9\t3\tx\n");
    tsv.set_cell(0, 2, "a\tb");
    assert_eq!(tsv.render(), "N\tL\tnote\n1e9\t3\t\"a\tb\"\n");
}

#[test]
fn a_column_chosen_to_hold_a_quantity_keeps_its_header_and_survives_a_share_link() {
    let text = "size_of_model,val,accuracy,who\n1e8,3.3,0.4,a\n1e9,2.8,0.5,b\n#1e10,2.4,0.6,c\n";
    // By their headers alone: nothing to fit.
    assert!(parse_dataset(text).is_err());
    let mut columns = ColumnMap::default();
    columns.set("size_of_model", Role::Quantity(Quantity::N));
    columns.set(" val ", Role::Quantity(Quantity::L));
    columns.set("accuracy", Role::Ignored);
    columns.set("who", Role::Name);
    let data = parse_dataset_mapped(text, FlopConvention::default(), &columns).unwrap();
    assert_eq!(data.given, vec![Quantity::N, Quantity::L]);
    assert_eq!(data.points[1].n, Some(1e9));
    assert_eq!(data.points[1].l, Some(2.8));
    assert_eq!(data.points[1].p, None, "accuracy is ignored as chosen");
    assert_eq!(data.points[2].label.as_deref(), Some("c"));
    assert!(data.points[2].excluded);
    // The text is not touched; the choices travel beside it in the link.
    let state = ShareState {
        text: text.to_string(),
        columns: columns.to_ids(),
        ..ShareState::default()
    };
    let opened = ShareState::decode(&state.encode()).unwrap();
    assert_eq!(opened.text, text);
    assert_eq!(ColumnMap::from_ids(&opened.columns), columns);
    // Choosing what the header names by itself keeps nothing.
    let mut plain = ColumnMap::default();
    plain.set("loss", Role::Quantity(Quantity::L));
    plain.set("model", Role::Name);
    assert!(plain.is_empty());
}

#[test]
fn the_name_column_is_the_points_names_and_roles_read_back_from_ids() {
    for header in ["model", "Name", " run ", "LABEL"] {
        assert_eq!(Role::of_header(header), Role::Name, "{header}");
    }
    assert_eq!(Role::of_header("tokens (B)"), Role::Quantity(Quantity::D));
    assert_eq!(Role::of_header("x"), Role::Ignored);
    for role in Role::all() {
        assert_eq!(Role::from_id(role.id()), Some(role));
    }
    // A link with an id of no role keeps the header's own role.
    let ids = [("val".to_string(), "Q".to_string())].into_iter().collect();
    assert!(ColumnMap::from_ids(&ids).is_empty());
    // Choices for headers the data no longer has are forgotten.
    let mut columns = ColumnMap::default();
    columns.set("val", Role::Quantity(Quantity::L));
    columns.set("gone", Role::Quantity(Quantity::N));
    columns.keep_only(&["N".to_string(), " val".to_string()]);
    assert_eq!(columns.role("val"), Role::Quantity(Quantity::L));
    assert_eq!(columns.role("gone"), Role::Ignored);
}

#[test]
fn adding_a_row_to_tsv_or_csv_gives_a_row_to_fill_in() {
    for sep in ["\t", ",", ";"] {
        let text = format!("N{sep}L\n1e9{sep}3\n2e9{sep}2.8\n");
        let mut table = RawTable::parse(&text);
        table.add_row();
        let added = table.render();
        let mut again = RawTable::parse(&added);
        assert_eq!(again.rows.len(), 3, "{sep:?}: {added:?}");
        assert_eq!(again.rows[2].cells, ["", ""]);
        again.set_cell(2, 0, "4e9");
        again.set_cell(2, 1, "2.6");
        let filled = again.render();
        assert_eq!(filled, format!("{text}4e9{sep}2.6\n"));
        assert_eq!(parse_dataset(&filled).unwrap().points.len(), 3);
    }
}
