//! `scaling-calc`: the engine on the command line (docs/CONTRACT.md, "Command line").
//!
//! `scaling-calc fit FILE --model ID ...`, `predict`, `plan`: see `scaling-calc --help`.
//! Output goes to stdout; every failure is one line `scaling-calc: <reason>` on stderr with exit
//! status 2. A reader that closes the pipe early (`scaling-calc --help | head -1`) ends the
//! program quietly with status 0.
//!
//! Native only: on wasm32 (where the page lives) `main` is a no-op, so
//! `cargo clippy --target wasm32-unknown-unknown --all-targets` still builds it.

#[cfg(not(target_arch = "wasm32"))]
mod args;
#[cfg(not(target_arch = "wasm32"))]
mod backtest;
#[cfg(not(target_arch = "wasm32"))]
mod commands;

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(native::main());
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use crate::args::Cli;
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    use clap::{CommandFactory, Parser};
    use std::io::Write;

    /// Exit status of every failure.
    const FAILURE: i32 = 2;

    /// Parses, runs, prints; returns the exit status.
    pub fn main() -> i32 {
        let cli = match Cli::try_parse() {
            Ok(cli) => cli,
            Err(err) => {
                return match err.kind() {
                    ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
                        emit(&err.render().to_string())
                    }
                    _ => fail(&one_line(&err)),
                }
            }
        };
        match crate::commands::run(&cli.command) {
            Ok(text) => emit(&text),
            Err(reason) => fail(&reason),
        }
    }

    /// Writes `text` and a newline to stdout. A closed pipe ends quietly (status 0: the reader
    /// stopped reading on purpose); any other failure to write is an error.
    fn emit(text: &str) -> i32 {
        let mut out = std::io::stdout().lock();
        match writeln!(out, "{}", text.trim_end()).and_then(|()| out.flush()) {
            Ok(()) => 0,
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
            Err(e) => fail(&format!("cannot write the output: {e}")),
        }
    }

    /// Writes `scaling-calc: <reason>` as one line on stderr; returns the failure status.
    fn fail(reason: &str) -> i32 {
        let line: Vec<&str> = reason
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let line = if line.is_empty() {
            "failed".to_string()
        } else {
            line.join(" ")
        };
        // Nothing more can be done when stderr cannot be written either.
        let _ = writeln!(std::io::stderr().lock(), "scaling-calc: {line}");
        FAILURE
    }

    /// The names of the commands, as the parser knows them.
    fn commands() -> String {
        let names: Vec<String> = Cli::command()
            .get_subcommands()
            .map(|c| c.get_name().to_string())
            .filter(|n| n != "help")
            .collect();
        names.join(", ")
    }

    /// `--model <ID>` as `--model`.
    fn flag(arg: &str) -> &str {
        arg.split_whitespace().next().unwrap_or(arg)
    }

    /// A parse error as one line: a few kinds in words of their own, the rest as clap says them
    /// (its message and context, without the usage and the help hint).
    fn one_line(err: &clap::Error) -> String {
        match err.kind() {
            ErrorKind::InvalidSubcommand => {
                if let Some(ContextValue::String(name)) = err.get(ContextKind::InvalidSubcommand) {
                    return format!("unknown command \"{name}\" (one of: {})", commands());
                }
            }
            ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                return format!("a command is needed: {} (see --help)", commands());
            }
            ErrorKind::MissingRequiredArgument => {
                if let Some(ContextValue::Strings(args)) = err.get(ContextKind::InvalidArg) {
                    let args: Vec<&str> = args.iter().map(|a| flag(a)).collect();
                    let verb = if args.len() == 1 { "is" } else { "are" };
                    return format!("{} {verb} required", args.join(" and "));
                }
            }
            _ => {}
        }
        let rendered = err.render().to_string();
        let lines: Vec<&str> = rendered
            .lines()
            .map(str::trim)
            .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
            .filter(|l| !l.is_empty())
            .collect();
        let mut text = String::new();
        for line in lines {
            if !text.is_empty() {
                // A tip is a sentence of its own; a list of values belongs to the line before.
                text.push_str(if line.starts_with('[') { " " } else { "; " });
            }
            text.push_str(line);
        }
        text.strip_prefix("error: ").unwrap_or(&text).to_string()
    }
}
