//! The one reader and writer of the data text: CSV or TSV with RFC 4180 quoting.
//!
//! A field that starts with `"` is quoted: inside it the separator and line breaks are data,
//! and `""` is one `"`. A `"` anywhere else is an ordinary character. Reading is one pass over
//! the text (linear in its length, whatever the quoting).

use std::borrow::Cow;

/// One record of the text: its cells as written (quotes resolved, not trimmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    /// 1-based line where the record starts.
    pub line: usize,
    /// The record began with `#` (after blanks): kept on the chart, left out of the fit.
    pub excluded: bool,
    pub cells: Vec<String>,
}

/// The separator a header line uses: tab, then semicolon, then comma.
pub fn detect_separator(header: &str) -> char {
    if header.contains('\t') {
        '\t'
    } else if header.contains(';') {
        ';'
    } else {
        ','
    }
}

/// The separator of a text: that of its first non-blank line.
pub fn separator_of(text: &str) -> char {
    detect_separator(
        text.lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_default(),
    )
}

/// Splits `text` into records, skipping blank lines (a line of separators alone is a record
/// of empty cells); the first record is the header.
/// `#` marks a record as excluded only outside quotes and before its first cell.
pub fn read(text: &str, separator: char) -> Vec<Record> {
    let mut records = Vec::new();
    let mut cells: Vec<String> = Vec::new();
    let mut cell = String::new();
    let mut line = 1;
    let mut start_line = 1;
    let mut excluded = false;
    // Whether the current cell began with a quote, and whether we are inside it.
    let mut in_quotes = false;
    let mut at_cell_start = true;
    let mut at_record_start = true;
    let mut chars = text.chars().peekable();
    let finish_record = |cells: &mut Vec<String>,
                         cell: &mut String,
                         excluded: &mut bool,
                         start_line: usize,
                         records: &mut Vec<Record>| {
        cells.push(std::mem::take(cell));
        // A blank line is skipped; a line of separators is a row of empty cells (a new row).
        let blank = cells.len() == 1 && cells[0].trim().is_empty();
        if !blank {
            records.push(Record {
                line: start_line,
                excluded: *excluded,
                cells: std::mem::take(cells),
            });
        }
        cells.clear();
        *excluded = false;
    };
    while let Some(ch) = chars.next() {
        if in_quotes {
            match ch {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    cell.push('\n');
                }
                c => cell.push(c),
            }
            continue;
        }
        match ch {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                finish_record(
                    &mut cells,
                    &mut cell,
                    &mut excluded,
                    start_line,
                    &mut records,
                );
                line += 1;
                start_line = line;
                at_cell_start = true;
                at_record_start = true;
            }
            '#' if at_record_start && cell.trim().is_empty() && cells.is_empty() => {
                excluded = true;
                cell.clear();
                at_record_start = false;
            }
            c if c == separator => {
                cells.push(std::mem::take(&mut cell));
                at_cell_start = true;
                at_record_start = false;
            }
            '"' if at_cell_start && cell.trim().is_empty() => {
                cell.clear();
                in_quotes = true;
                at_cell_start = false;
                at_record_start = false;
            }
            c => {
                cell.push(c);
                if !c.is_whitespace() {
                    at_cell_start = false;
                    at_record_start = false;
                }
            }
        }
    }
    if !cell.is_empty() || !cells.is_empty() || excluded {
        finish_record(
            &mut cells,
            &mut cell,
            &mut excluded,
            start_line,
            &mut records,
        );
    }
    records
}

/// One cell as it must be written: quoted (with `"` doubled) when it holds the separator, a
/// quote, a line break, or starts with `#`; as it is otherwise.
pub fn write_cell(cell: &str, separator: char) -> Cow<'_, str> {
    let needs_quotes = cell.contains(separator)
        || cell.contains('"')
        || cell.contains('\n')
        || cell.contains('\r')
        || cell.starts_with('#');
    if needs_quotes {
        Cow::Owned(format!("\"{}\"", cell.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(cell)
    }
}

/// One record written back: its cells joined by the separator, `#` first when excluded.
pub fn write_record(cells: &[String], separator: char, excluded: bool) -> String {
    let mut out = String::new();
    if excluded {
        out.push('#');
    }
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            out.push(separator);
        }
        out.push_str(&write_cell(c, separator));
    }
    out
}

/// The cells of the text's first record (its header), trimmed, reading no further than it.
pub fn header(text: &str) -> Vec<String> {
    let separator = separator_of(text);
    // The first record ends at the first line break outside quotes after a non-blank line.
    let mut quotes = 0usize;
    let mut end = text.len();
    let mut seen = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => quotes += 1,
            '\n' if seen && quotes.is_multiple_of(2) => {
                end = i;
                break;
            }
            c if !c.is_whitespace() => seen = true,
            _ => {}
        }
    }
    read(&text[..end], separator)
        .into_iter()
        .next()
        .map(|r| r.cells.into_iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default()
}

/// The text with the record that starts on `line` (1-based) marked excluded (`#` put before
/// it) or included (its leading `#` taken away); every other character stays as written.
/// None when the text has no such line, or the line starts no record (it is blank).
pub fn mark_excluded(text: &str, line: usize, excluded: bool) -> Option<String> {
    let start = match line {
        0 => return None,
        1 => 0,
        _ => text.match_indices('\n').nth(line - 2)?.0 + 1,
    };
    let rest = &text[start..];
    let end = rest.find('\n').unwrap_or(rest.len());
    if rest[..end].trim().is_empty() {
        return None;
    }
    // Blanks before the `#` (not the separator, which starts a first, empty cell).
    let separator = separator_of(text);
    let blanks = rest
        .find(|c: char| !(c.is_whitespace() && c != '\n' && c != separator))
        .unwrap_or(rest.len());
    let marked = rest[blanks..].starts_with('#');
    let mut out = String::with_capacity(text.len() + 1);
    match (marked, excluded) {
        (false, true) => {
            out.push_str(&text[..start]);
            out.push('#');
            out.push_str(rest);
        }
        (true, false) => {
            out.push_str(&text[..start + blanks]);
            out.push_str(&rest[blanks + 1..]);
        }
        _ => out.push_str(text),
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<Vec<String>> {
        read(text, separator_of(text))
            .into_iter()
            .map(|r| r.cells)
            .collect()
    }

    #[test]
    fn quotes_keep_separators_doubled_quotes_and_line_breaks() {
        let text =
            "name,N,L\n\"a, b\",1e9,2.5\n\"say \"\"hi\"\"\",2e9,2.4\n\"two\nlines\",3e9,2.3\n";
        let rows = cells(text);
        assert_eq!(rows[1][0], "a, b");
        assert_eq!(rows[2][0], "say \"hi\"");
        assert_eq!(rows[3][0], "two\nlines");
        assert_eq!(rows[3][2], "2.3");
        let records = read(text, ',');
        assert_eq!(records[3].line, 4, "a record starts on its first line");
    }

    #[test]
    fn a_quote_inside_an_unquoted_cell_is_a_character() {
        assert_eq!(cells("N,L\n5\"x,2\n")[1], vec!["5\"x", "2"]);
    }

    #[test]
    fn excluded_rows_blank_rows_and_crlf() {
        let records = read("N,L\r\n\r\n# 1e9,2.5\r\n2e9,2.4", ',');
        assert_eq!(records.len(), 3);
        assert!(records[1].excluded);
        assert_eq!(records[1].line, 3);
        assert_eq!(records[1].cells, vec![" 1e9", "2.5"]);
        assert_eq!(records[2].cells, vec!["2e9", "2.4"]);
    }

    #[test]
    fn a_row_of_empty_cells_is_a_row_in_csv_and_tsv() {
        for sep in [',', '\t', ';'] {
            let text = format!("N{sep}L\n{sep}\n1{sep}2\n");
            let records = read(&text, sep);
            assert_eq!(records.len(), 3, "{sep:?}");
            assert_eq!(records[1].cells, vec!["", ""]);
        }
    }

    #[test]
    fn writing_then_reading_gives_the_cells_back() {
        let original = vec![
            "a, b".to_string(),
            "say \"hi\"".into(),
            "#tag".into(),
            "plain".into(),
        ];
        let line = write_record(&original, ',', true);
        let back = read(&line, ',');
        assert!(back[0].excluded);
        assert_eq!(back[0].cells, original);
    }

    #[test]
    fn the_header_is_the_first_record() {
        assert_eq!(header("\n N \tL\n1\t2\n"), vec!["N", "L"]);
        assert_eq!(header("\"a\nb\",L\n1,2"), vec!["a\nb", "L"]);
        assert_eq!(header("N;L"), vec!["N", "L"]);
        assert!(header("").is_empty());
    }

    #[test]
    fn marking_a_record_excluded_touches_only_its_hash() {
        let text = "name,N,L\n\"two\nlines\",1e9,3\n  small , 2e9 ,2.8\r\n";
        let out = mark_excluded(text, 4, true).unwrap();
        assert_eq!(
            out,
            "name,N,L\n\"two\nlines\",1e9,3\n#  small , 2e9 ,2.8\r\n"
        );
        assert!(read(&out, ',')[2].excluded);
        assert_eq!(mark_excluded(&out, 4, false).unwrap(), text);
        assert_eq!(
            mark_excluded(text, 2, true).unwrap(),
            "name,N,L\n#\"two\nlines\",1e9,3\n  small , 2e9 ,2.8\r\n"
        );
        assert_eq!(mark_excluded(text, 4, false).unwrap(), text, "already in");
        assert_eq!(
            mark_excluded("N,L\n  #1,2", 2, false).unwrap(),
            "N,L\n  1,2"
        );
        assert_eq!(mark_excluded("N,L\n1,2\n", 9, true), None);
        assert_eq!(mark_excluded("N,L\n\n1,2\n", 2, true), None, "a blank line");
    }

    #[test]
    fn one_long_quoted_cell_reads_in_one_pass() {
        let big = format!("N,L\n\"{}\",2\n", "9".repeat(1_000_000));
        let rows = cells(&big);
        assert_eq!(rows[1][0].len(), 1_000_000);
    }
}
