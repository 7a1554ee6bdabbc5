#!/usr/bin/env python3
"""Independent reference: the Besiroglu et al. (2024) grid fit of the Chinchilla law, in SciPy.

Recipe (data/README.md): drop the 5 highest-loss points of data/chinchilla_svg_extracted_data.csv,
minimise sum Huber_{1e-3}(LSE(a - alpha ln N, b - beta ln D, e) - ln L) with L-BFGS-B and an
analytic gradient from every point of the 4,500-start grid, keep the best.

Prints one JSON object: params (E, A, B, alpha, beta), objective, evaluations, seconds.
Usage: python3 reference/chinchilla_scipy.py [--starts N]   (N < 4500 takes the first N, for quick runs)
"""
import csv
import json
import sys
import time
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

np.seterr(all="ignore")  # overflow at far grid starts is expected; those starts lose

DELTA = 1e-3
ROOT = Path(__file__).resolve().parent.parent


def load():
    with open(ROOT / "data" / "chinchilla_svg_extracted_data.csv") as f:
        rows = list(csv.DictReader(f))
    n = np.array([float(r["Model Size"]) for r in rows])
    c = np.array([float(r["Training FLOP"]) for r in rows])
    loss = np.array([float(r["loss"]) for r in rows])
    keep = np.argsort(loss)[: len(loss) - 5]  # drop the 5 highest losses
    n, c, loss = n[keep], c[keep], loss[keep]
    d = c / (6 * n)
    return np.log(n), np.log(d), np.log(loss)


def objective_and_gradient(theta, ln_n, ln_d, ln_l, counter):
    counter[0] += 1
    a, b, e, alpha, beta = theta
    tn = np.exp(a - alpha * ln_n)
    td = np.exp(b - beta * ln_d)
    te = np.exp(e)
    pred = tn + td + te
    r = np.log(pred) - ln_l
    small = np.abs(r) <= DELTA
    value = np.where(small, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)).sum()
    psi = np.where(small, r, DELTA * np.sign(r)) / pred
    grad = np.array([
        (psi * tn).sum(),
        (psi * td).sum(),
        (psi * te).sum(),
        (-psi * tn * ln_n).sum(),
        (-psi * td * ln_d).sum(),
    ])
    return value, grad


def grid():
    halves = [0.0, 0.5, 1.0, 1.5, 2.0]
    es = [-1.0, -0.5, 0.0, 0.5, 1.0]
    scales = [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]
    return [(a, b, e, al, be) for al in halves for be in halves for e in es for a in scales for b in scales]


def main():
    starts = grid()
    if "--starts" in sys.argv:
        starts = starts[: int(sys.argv[sys.argv.index("--starts") + 1])]
    ln_n, ln_d, ln_l = load()
    counter = [0]
    best = None
    clock = time.perf_counter()
    for start in starts:
        res = minimize(objective_and_gradient, np.array(start), args=(ln_n, ln_d, ln_l, counter),
                       jac=True, method="L-BFGS-B")
        if best is None or res.fun < best.fun:
            best = res
    seconds = time.perf_counter() - clock
    a, b, e, alpha, beta = best.x
    print(json.dumps({
        "params": {"E": float(np.exp(e)), "A": float(np.exp(a)), "B": float(np.exp(b)),
                   "alpha": float(alpha), "beta": float(beta)},
        "objective": float(best.fun),
        "points": int(len(ln_l)),
        "starts": len(starts),
        "evaluations": counter[0],
        "seconds": seconds,
    }))


if __name__ == "__main__":
    main()
