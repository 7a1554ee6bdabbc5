#![cfg(not(target_arch = "wasm32"))]
//! The data text: columns by name, derived columns, errors with row and column.

use scaling_calc::engine::dataset::{parse_dataset, Quantity};

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
