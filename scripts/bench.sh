#!/usr/bin/env bash
# Benchmark: the 4,500-start `epoch-grid` Chinchilla fit, Rust (every start polished, both cores)
# against the SciPy L-BFGS-B reference (reference/chinchilla_scipy.py), measured in one run on
# the same data, with two Rust builds: the portable one (.cargo/config.toml: x86-64-v3) and one
# for this machine's CPU. Prints the medians and the ratios. The machine is noisy: compare ratios, not
# seconds. Env RUNS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import scipy' 2>/dev/null || python3 -m pip install -q numpy scipy
target=${CARGO_TARGET_DIR:-target}
cargo build --release --bin scaling-calc >/dev/null 2>&1 || cargo build --release --bin scaling-calc
# The same code built for this machine's CPU (AVX-512 where it has it), in a target folder of
# its own; NumPy, on the SciPy side, picks its SIMD kernels for the CPU at run time. BENCH_NATIVE=0
# skips it (a second release build, about a minute).
native=${BENCH_NATIVE:-1}
if [ "$native" = 1 ]; then
  RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR="$target/native-cpu" \
    cargo build --release --bin scaling-calc >/dev/null 2>&1 ||
    RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR="$target/native-cpu" cargo build --release --bin scaling-calc
fi
data=$(mktemp --suffix=.csv)
trap 'rm -f "$data"' EXIT
# The 5 highest losses marked '#' (kept but excluded), as Besiroglu et al. drop them.
python3 - "$data" <<'PY'
import csv, sys
rows = list(csv.reader(open("data/chinchilla_svg_extracted_data.csv")))
header, body = rows[0], rows[1:]
li = header.index("loss")
drop = set(sorted(range(len(body)), key=lambda i: -float(body[i][li]))[:5])
with open(sys.argv[1], "w") as f:
    f.write(",".join(header) + "\n")
    for i, r in enumerate(body):
        f.write(("#" if i in drop else "") + ",".join(r) + "\n")
PY
runs=${RUNS:-3}
# Both sides run RUNS times and report their medians. The SciPy side is made steadier: its
# BLAS and OpenMP pools are held to one thread (L-BFGS-B on five parameters gains nothing from
# them, and their spinning threads made it swing from 9 to 36 s).
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
rust=()
cpu=()
scipy=()
seconds() { "$1" fit "$data" --model chinchilla --starts epoch-grid --json |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["millis"] / 1e3)'; }
for _ in $(seq "$runs"); do
  rust+=("$(seconds "$target/release/scaling-calc")")
  [ "$native" = 1 ] && cpu+=("$(seconds "$target/native-cpu/release/scaling-calc")")
  scipy+=("$(python3 reference/chinchilla_scipy.py |
             python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')")
done
auto_ms=$("$target/release/scaling-calc" fit "$data" --model chinchilla --json |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["millis"])')
python3 - "$auto_ms" "${rust[*]}" "${scipy[*]}" "${cpu[*]:-}" <<'PY'
import statistics, sys
auto_ms = float(sys.argv[1])
rust = [float(v) for v in sys.argv[2].split()]
scipy = [float(v) for v in sys.argv[3].split()]
cpu = [float(v) for v in sys.argv[4].split()]
s = statistics.median(scipy)
runs = lambda vs, f: ", ".join(f.format(v) for v in vs)
print(f"epoch-grid, 4,500 starts, median of {len(rust)} runs each; SciPy {s:.2f} s "
      f"(runs {runs(scipy, '{:.2f}')})")
for name, times in (("Rust, the portable build (x86-64-v3)", rust), ("Rust, built for this CPU", cpu)):
    if times:
        r = statistics.median(times)
        print(f"  {name}: {r:.3f} s (runs {runs(times, '{:.3f}')}): {s / r:.1f}x faster than SciPy")
print(f"auto starts (the page's default): Rust {auto_ms:.1f} ms")
PY
