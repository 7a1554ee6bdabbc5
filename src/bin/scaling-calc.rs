//! `scaling-calc`: the engine on the command line (docs/CONTRACT.md).
//!
//! scaling-calc fit FILE --model ID [--x N|D|C] [--loss least-squares|huber|asymmetric]
//!     [--delta 1e-3] [--weight 10] [--starts auto|epoch-grid] [--json]
//! FILE is the data text (`-` = stdin). Exit status 2 with a one-line reason on stderr for bad
//! input or a failed fit.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    match scaling_calc::cli::run(std::env::args().skip(1).collect()) {
        Ok(output) => println!("{output}"),
        Err(reason) => {
            eprintln!("scaling-calc: {reason}");
            std::process::exit(2);
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}
