#!/usr/bin/env bash
# Benchmark: the 4,500-start `epoch-grid` Chinchilla fit, Rust (every start polished, both cores)
# against the SciPy L-BFGS-B reference (reference/chinchilla_scipy.py), measured in one run on
# the same data. Prints both medians and the ratio. The machine is noisy: compare ratios, not
# seconds. Env RUNS (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -c 'import scipy' 2>/dev/null || python3 -m pip install -q numpy scipy
cargo build --release --bin scaling-calc >/dev/null 2>&1 || cargo build --release --bin scaling-calc
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
scipy=()
for _ in $(seq "$runs"); do
  rust+=("$("${CARGO_TARGET_DIR:-target}"/release/scaling-calc fit "$data" --model chinchilla --starts epoch-grid --json |
            python3 -c 'import json,sys; print(json.load(sys.stdin)["millis"] / 1e3)')")
  scipy+=("$(python3 reference/chinchilla_scipy.py |
             python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')")
done
auto_ms=$("${CARGO_TARGET_DIR:-target}"/release/scaling-calc fit "$data" --model chinchilla --json |
          python3 -c 'import json,sys; print(json.load(sys.stdin)["millis"])')
python3 - "$auto_ms" "${rust[*]}" "${scipy[*]}" <<'PY'
import statistics, sys
auto_ms = float(sys.argv[1])
rust = [float(v) for v in sys.argv[2].split()]
scipy = [float(v) for v in sys.argv[3].split()]
r, s = statistics.median(rust), statistics.median(scipy)
print(f"epoch-grid, 4,500 starts, median of {len(rust)} runs each: Rust {r:.3f} s "
      f"(runs {', '.join(f'{v:.3f}' for v in rust)}), SciPy {s:.2f} s "
      f"(runs {', '.join(f'{v:.2f}' for v in scipy)}): {s / r:.1f}x faster")
print(f"auto starts (the page's default): Rust {auto_ms:.1f} ms")
PY
