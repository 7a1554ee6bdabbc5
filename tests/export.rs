#![cfg(not(target_arch = "wasm32"))]
//! Exports hold the right data.

use scaling_calc::engine::csv::read;
use scaling_calc::engine::dataset::parse_dataset;
use scaling_calc::engine::export::{data_csv, fit_json, VERSION};
use scaling_calc::engine::fit::bootstrap::bootstrap;
use scaling_calc::engine::fit::problem::Problem;
use scaling_calc::engine::fit::{fit, FitOptions};
use scaling_calc::engine::law::{ModelId, Variable};

#[test]
fn the_fit_json_has_parameters_intervals_options_and_version() {
    let data = parse_dataset("N,L\n124M,3.12\n350M,2.84\n774M,2.67\n1558M,2.54\n#3B,5\n").unwrap();
    let options = FitOptions::new(ModelId::Power, Variable::N);
    let result = fit(&data, &options).unwrap();
    let problem = Problem::new(ModelId::Power, Variable::N, &data).unwrap();
    let boot = bootstrap(&problem, &options.loss, &result, 100, 1);
    let text = fit_json(&result, &data, Some(&boot), Some((175e9, 1.7226)));
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(json["version"], VERSION);
    assert_eq!(json["model"], "power");
    assert_eq!(json["options"]["loss"]["kind"], "least-squares");
    assert_eq!(
        json["params"]["alpha"].as_f64().unwrap(),
        result.law.params[1]
    );
    // The command line's shape (docs/CONTRACT.md): intervals by name, what they rest on apart.
    let interval = json["intervals"]["alpha"].as_array().unwrap();
    assert_eq!(json["bootstrap"]["level"], 0.95);
    assert_eq!(json["bootstrap"]["resamples"], 100);
    assert!(
        interval[0].as_f64().unwrap() < result.law.params[1]
            && result.law.params[1] < interval[1].as_f64().unwrap()
    );
    assert_eq!(json["prediction"]["at"]["N"].as_f64().unwrap(), 175e9);
    assert_eq!(json["points"], 4);
    // The `#3B,5` row, checked as the command line checks it: far above the law's 3B value,
    // outside even the bootstrap's interval for one run.
    let held = &json["held_out"][0];
    assert_eq!(held["row"], 6);
    assert_eq!(held["actual"], 5.0);
    assert_eq!(held["inside"], false);
    assert!(held["predicted"].as_f64().unwrap() < 2.54);
}

#[test]
fn the_csv_has_every_row_its_fitted_value_and_the_prediction() {
    let data = parse_dataset("N,L\n124M,3.12\n350M,2.84\n774M,2.67\n1558M,2.54\n#3B,5\n").unwrap();
    let result = fit(&data, &FitOptions::new(ModelId::Power, Variable::N)).unwrap();
    let csv = data_csv(&data, &result, Some((175e9, 1.7226)));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "name,kind,N,D,C,observed,fitted,residual_percent,excluded"
    );
    assert_eq!(lines.len(), 1 + 5 + 1);
    let first: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(first[..3], ["", "data", "124000000"]);
    let fitted: f64 = first[6].parse().unwrap();
    assert!((fitted - result.law.params[0] * 124e6f64.powf(-result.law.params[1])).abs() < 1e-12);
    assert!(lines[5].ends_with("true"), "the excluded row is marked");
    assert!(lines[6].starts_with(",prediction,175000000000,"));
}

#[test]
fn the_csv_keeps_each_points_name_first_quoted_where_needed() {
    let text = "model,N,L\n\"GPT-2, small\",124M,3.12\n\"say \"\"medium\"\"\",350M,2.84\n\
                #\"#large\",774M,2.67\nGPT-2 XL,1558M,2.54\n,3B,2.4\n";
    let data = parse_dataset(text).unwrap();
    let result = fit(&data, &FitOptions::new(ModelId::Power, Variable::N)).unwrap();
    let exported = data_csv(&data, &result, None);
    // Read back with the calculator's own RFC 4180 reader: every name as it was written.
    let records = read(&exported, ',');
    assert_eq!(records[0].cells[0], "name");
    let names: Vec<&str> = records[1..].iter().map(|r| r.cells[0].as_str()).collect();
    assert_eq!(
        names,
        ["GPT-2, small", "say \"medium\"", "#large", "GPT-2 XL", ""]
    );
    assert!(
        records.iter().all(|r| !r.excluded && r.cells.len() == 9),
        "{exported}"
    );
    assert_eq!(records[3].cells[8], "true", "the excluded row is marked");
    assert_eq!(records[1].cells[2], "124000000");
}

#[test]
fn the_fit_json_pairs_a_fit_with_the_options_that_made_it() {
    // A fit made under Huber stays a Huber fit in its export, whatever is chosen afterwards
    // (the fit carries its options).
    let data = parse_dataset("N,L\n124M,3.12\n350M,2.84\n774M,2.67\n1558M,2.54\n").unwrap();
    let options = FitOptions {
        loss: scaling_calc::engine::fit::Loss::Huber { delta: 0.02 },
        ..FitOptions::new(ModelId::PowerOffset, Variable::N)
    };
    let result = fit(&data, &options).unwrap();
    assert_eq!(result.options(), options);
    let json: serde_json::Value =
        serde_json::from_str(&fit_json(&result, &data, None, None)).unwrap();
    assert_eq!(json["options"]["loss"]["kind"], "huber");
    assert_eq!(json["options"]["loss"]["delta"], 0.02);
    assert_eq!(json["options"]["starts"], "auto");
    assert_eq!(json["model"], "power-offset");
    assert_eq!(json["converged"], true);
    assert!(json.get("intervals").is_none() && json.get("prediction").is_none());
    for w in json["warnings"].as_array().unwrap() {
        assert!(w["code"].is_string() && w["message"].is_string(), "{w}");
    }
}
