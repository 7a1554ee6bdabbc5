#!/usr/bin/env python3
"""Independent reference: fits with a parameter held fixed or two tied, in SciPy.

Each model is written here in numpy from its formula, independently of the Rust code, with the
constraint built into the function SciPy minimises (a tied pair is one parameter; a fixed one is a
constant), so nothing of the calculator's reduction is shared.

Cases:
- tie-chinchilla-huber: Epoch's Chinchilla points (data/chinchilla_svg_extracted_data.csv, the
  5 highest losses dropped, D = C / 6N: the recipe of data/README.md), L = E + A/N^alpha + B/D^alpha
  (alpha = beta, as Muennighoff et al. 2023 and Gadre et al. 2024 fit), Huber(1e-3) on
  r = ln L_hat - ln L, L-BFGS-B with an analytic gradient from every start of a grid.
- fix-e-chinchilla-huber: the same points and loss, E held at 1.69 (Hoffmann et al. 2022's value).
- tie-chinchilla-std-errors: the 30 generated points of reference/std_errors.json's `chinchilla`
  case, least squares, alpha = beta; parameters and standard errors by scipy.optimize.curve_fit
  (method "lm", analytic Jacobian in the natural parameters E, A, B, alpha; absolute_sigma=False:
  Cov = s^2 (J^T J)^-1 with s^2 = sum r^2 / (m - 4)).

Writes reference/constraints_scipy.json (tests/constraints.rs reads it). Usage:
python3 reference/constraints_scipy.py [--check] (--check compares with the committed file).
"""
import csv
import itertools
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import curve_fit, minimize

np.seterr(all="ignore")

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "constraints_scipy.json"
DELTA = 1e-3
FIXED_E = 1.69


def epoch_points():
    with open(ROOT / "data" / "chinchilla_svg_extracted_data.csv") as f:
        rows = list(csv.DictReader(f))
    n = np.array([float(r["Model Size"]) for r in rows])
    c = np.array([float(r["Training FLOP"]) for r in rows])
    loss = np.array([float(r["loss"]) for r in rows])
    keep = np.argsort(loss)[: len(loss) - 5]
    n, c, loss = n[keep], c[keep], loss[keep]
    return np.log(n), np.log(c / (6 * n)), np.log(loss)


def huber(r):
    small = np.abs(r) <= DELTA
    return (
        np.where(small, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)).sum(),
        np.where(small, r, DELTA * np.sign(r)),
    )


def tied(theta, ln_n, ln_d, ln_l):
    """theta = (ln A, ln B, ln E, alpha); L = E + A N^-alpha + B D^-alpha."""
    a, b, e, alpha = theta
    tn, td, te = np.exp(a - alpha * ln_n), np.exp(b - alpha * ln_d), np.exp(e)
    pred = tn + td + te
    value, psi = huber(np.log(pred) - ln_l)
    psi = psi / pred
    grad = np.array([
        (psi * tn).sum(),
        (psi * td).sum(),
        (psi * te).sum(),
        (-psi * (tn * ln_n + td * ln_d)).sum(),
    ])
    return value, grad


def fixed_e(theta, ln_n, ln_d, ln_l):
    """theta = (ln A, ln B, alpha, beta); L = 1.69 + A N^-alpha + B D^-beta."""
    a, b, alpha, beta = theta
    tn, td = np.exp(a - alpha * ln_n), np.exp(b - beta * ln_d)
    pred = tn + td + FIXED_E
    value, psi = huber(np.log(pred) - ln_l)
    psi = psi / pred
    grad = np.array([
        (psi * tn).sum(),
        (psi * td).sum(),
        (-psi * tn * ln_n).sum(),
        (-psi * td * ln_d).sum(),
    ])
    return value, grad


def best(fun, grid, data):
    found = None
    for start in grid:
        res = minimize(fun, np.array(start, float), args=data, jac=True, method="L-BFGS-B",
                       options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000})
        if np.isfinite(res.fun) and (found is None or res.fun < found.fun):
            found = res
    return found


def std_error_case():
    cases = json.loads((Path(__file__).resolve().parent / "std_errors.json").read_text())["cases"]
    ref = next(c for c in cases if c["name"] == "chinchilla")
    rows = [line.split(",") for line in ref["text"].strip().splitlines()[1:]]
    n, d, loss = (np.array([float(r[i]) for r in rows]) for i in range(3))
    x = np.vstack([n, d])

    def f(x, e, a, b, alpha):
        return np.log(e + a * x[0] ** -alpha + b * x[1] ** -alpha)

    def jac(x, e, a, b, alpha):
        tn, td = x[0] ** -alpha, x[1] ** -alpha
        pred = e + a * tn + b * td
        return np.column_stack([
            1 / pred, tn / pred, td / pred,
            -(a * tn * np.log(x[0]) + b * td * np.log(x[1])) / pred,
        ])

    p, cov = curve_fit(f, x, np.log(loss), p0=[1.7, 400, 400, 0.3], jac=jac, method="lm",
                       xtol=1e-15, ftol=1e-15, maxfev=100000)
    r = f(x, *p) - np.log(loss)
    return {
        "text": ref["text"],
        "names": ["E", "A", "B", "alpha"],
        "params": list(map(float, p)),
        "std_errors": list(map(float, np.sqrt(np.diag(cov)))),
        "objective": float(0.5 * (r * r).sum()),
    }


def main():
    data = epoch_points()
    scales = np.arange(0, 30, 5)
    exponents = np.arange(0, 2.5, 0.5)
    floors = np.arange(-1, 1.5, 0.5)
    tie = best(tied, itertools.product(scales, scales, floors, exponents), data)
    fix = best(fixed_e, itertools.product(scales, scales, exponents, exponents), data)
    out = {
        "tie-chinchilla-huber": {
            "names": ["E", "A", "B", "alpha"],
            "params": [float(np.exp(tie.x[2])), float(np.exp(tie.x[0])), float(np.exp(tie.x[1])),
                       float(tie.x[3])],
            "objective": float(tie.fun),
        },
        "fix-e-chinchilla-huber": {
            "names": ["A", "B", "alpha", "beta"],
            "params": [float(np.exp(fix.x[0])), float(np.exp(fix.x[1])), float(fix.x[2]),
                       float(fix.x[3])],
            "objective": float(fix.fun),
            "E": FIXED_E,
        },
        "tie-chinchilla-std-errors": std_error_case(),
    }
    text = json.dumps(out, indent=1) + "\n"
    if "--check" in sys.argv:
        old = json.loads(OUT.read_text())
        for case, values in out.items():
            for got, want in zip(values["params"], old[case]["params"]):
                assert abs(got - want) <= 1e-6 * abs(want), (case, got, want)
        print("matches", OUT)
    else:
        OUT.write_text(text)
        print(text)


if __name__ == "__main__":
    main()
