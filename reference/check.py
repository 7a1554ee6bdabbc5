"""Re-runs every reference script and checks that it still gives the JSON committed next to it,
which the native tests read: a script edited without its output regenerated, or data that
changed under it, fails here instead of leaving the tests checked against a stale reference.

Each script rewrites its JSON; this keeps the committed text, runs the script, compares, and
puts the committed text back (the checkout stays as it was). Numbers match when
|new - old| <= RTOL * max(|new|, |old|) + ATOL; numbers inside text fields (the generated data)
are compared the same way, since NumPy's last digit may differ between versions. The task
chain's loss fit has a flat valley (E near 0, the optimum of B moves by 1e-4 between SciPy
versions), so it gets a looser RTOL; tests/task.rs checks the predictions, not that valley.

Usage: python3 reference/check.py [NAME ...]   (all by default: about two minutes; needs NumPy
and SciPy)
"""
import json
import pathlib
import re
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ATOL = 1e-8
RTOL = 1e-6
SCRIPTS = {
    "constraints_scipy": RTOL,
    "forms_scipy": RTOL,
    "inference_scipy": RTOL,
    "isoflop_numpy": RTOL,
    "prediction_numpy": RTOL,
    "std_errors": RTOL,
    "task_chain_scipy": 1e-3,
}
# How many of SciPy's starts reached its best optimum: printed beside the tests' results, not
# checked (it moves with SciPy's version).
INFORMATION = {"reached_best"}
NUMBER = re.compile(r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")


def differences(old, new, path=""):
    """(relative excess over the tolerance's scale, path) of every leaf of two JSON trees;
    a structural difference gives infinity."""
    if isinstance(old, dict) and isinstance(new, dict):
        if set(old) != set(new):
            yield float("inf"), f"{path}: keys {sorted(set(old) ^ set(new))}"
        for key in (old.keys() & new.keys()) - INFORMATION:
            yield from differences(old[key], new[key], f"{path}.{key}")
    elif isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            yield float("inf"), f"{path}: {len(old)} items, now {len(new)}"
        for i, (a, b) in enumerate(zip(old, new)):
            yield from differences(a, b, f"{path}[{i}]")
    elif isinstance(old, str) and isinstance(new, str):
        a, b = NUMBER.findall(old), NUMBER.findall(new)
        if NUMBER.sub("#", old) != NUMBER.sub("#", new) or len(a) != len(b):
            yield float("inf"), f"{path}: text differs"
        for x, y in zip(a, b):
            yield from differences(float(x), float(y), f"{path} (in text)")
    elif isinstance(old, bool) or isinstance(new, bool) or old is None or new is None:
        if old != new:
            yield float("inf"), f"{path}: {old!r}, now {new!r}"
    elif isinstance(old, (int, float)) and isinstance(new, (int, float)):
        scale = max(abs(old), abs(new))
        yield abs(new - old) / (scale + ATOL / RTOL) if scale else 0.0, f"{path}: {old!r}, now {new!r}"
    else:
        yield float("inf"), f"{path}: {old!r}, now {new!r}"


def main():
    failed = []
    chosen = sys.argv[1:] or list(SCRIPTS)
    for name, rtol in ((n, SCRIPTS[n]) for n in chosen):
        out = HERE / f"{name}.json"
        committed = out.read_text()
        try:
            subprocess.run([sys.executable, str(HERE / f"{name}.py")], check=True,
                           stdout=subprocess.DEVNULL, cwd=HERE.parent)
            regenerated = out.read_text()
        finally:
            out.write_text(committed)
        worst, where = max(differences(json.loads(committed), json.loads(regenerated)),
                           default=(0.0, ""))
        ok = worst <= rtol
        print(f"{'ok  ' if ok else 'FAIL'} {name}.json: largest relative difference {worst:.2g}"
              f" (tolerance {rtol:g}){'' if ok else ' at ' + where}")
        if not ok:
            failed.append(name)
    if failed:
        sys.exit(f"reference outputs that their scripts no longer give: {', '.join(failed)}")


if __name__ == "__main__":
    main()
