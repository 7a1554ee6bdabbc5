#!/usr/bin/env python3
"""Independent reference: the OLMo ladder's two-step task prediction for HellaSwag, in SciPy.

Data: data/olmo_ladder.csv (Bhagia et al. 2024, arXiv 2412.04403; allenai/OLMo-ladder, Apache-2.0;
data/README.md). Fitted on the 24 `ladder` rows, checked on the two `target` rows (7B-4T, 13B-5T):

1. task loss hellaswag_bpb = E + A / N^alpha + B / D^beta: Huber(1e-3) on log residuals (the
   calculator's objective convention), minimised with L-BFGS-B and an analytic gradient from every
   start of Besiroglu et al.'s 4,500-start grid, the best kept;
2. accuracy hellaswag_acc = a / (1 + exp(-k (L - L0))) + b on the ladder's (bpb, acc), by
   scipy.optimize.curve_fit (Levenberg-Marquardt, tolerances 1e-15) from a = 2 x span, b = min -
   span / 2, L0 = median bpb, k from the straight line (slope at L0 = a k / 4), as the calculator
   starts (the optimum is what is compared, not the path).

Writes reference/task_chain_scipy.json (tests/task.rs). Usage: python3 reference/task_chain_scipy.py
"""
import csv
import itertools
import json
from pathlib import Path

import numpy as np
from scipy.optimize import curve_fit, minimize

np.seterr(all="ignore")
ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "task_chain_scipy.json"
DELTA = 1e-3


def objective(theta, ln_n, ln_d, ln_l):
    a, b, e, alpha, beta = theta
    tn, td, te = np.exp(a - alpha * ln_n), np.exp(b - beta * ln_d), np.exp(e)
    pred = tn + td + te
    r = np.log(pred) - ln_l
    small = np.abs(r) <= DELTA
    value = np.where(small, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)).sum()
    psi = np.where(small, r, DELTA * np.sign(r)) / pred
    return value, np.array([(psi * tn).sum(), (psi * td).sum(), (psi * te).sum(),
                            (-psi * tn * ln_n).sum(), (-psi * td * ln_d).sum()])


def sigmoid(l, a, k, l0, b):
    return a / (1 + np.exp(-k * (l - l0))) + b


def main():
    rows = list(csv.DictReader(open(ROOT / "data" / "olmo_ladder.csv")))
    ladder = [r for r in rows if r["role"] == "ladder"]
    targets = [r for r in rows if r["role"] == "target"]
    col = lambda rs, c: np.array([float(r[c]) for r in rs])
    n, d, bpb, acc = (col(ladder, c) for c in ("N", "D", "hellaswag_bpb", "hellaswag_acc"))
    data = (np.log(n), np.log(d), np.log(bpb))
    halves = [0.0, 0.5, 1.0, 1.5, 2.0]
    best = None
    for a, b, e, alpha, beta in itertools.product(range(0, 30, 5), range(0, 30, 5),
                                                  [-1, -0.5, 0, 0.5, 1], halves, halves):
        res = minimize(objective, np.array([a, b, e, alpha, beta], float), args=data, jac=True,
                       method="L-BFGS-B")
        if np.isfinite(res.fun) and (best is None or res.fun < best.fun):
            best = res
    best = minimize(objective, best.x, args=data, jac=True, method="L-BFGS-B",
                    options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10000})
    a, b, e, alpha, beta = best.x
    params = {"E": float(np.exp(e)), "A": float(np.exp(a)), "B": float(np.exp(b)),
              "alpha": float(alpha), "beta": float(beta)}
    span = acc.max() - acc.min()
    slope = np.polyfit(bpb, acc, 1)[0]
    p0 = [2 * span, 4 * slope / (2 * span), float(np.sort(bpb)[len(bpb) // 2]), acc.min() - span / 2]
    s, _ = curve_fit(sigmoid, bpb, acc, p0=p0, method="lm", xtol=1e-15, ftol=1e-15, maxfev=100000)
    checks = []
    for r in targets:
        nn, dd = float(r["N"]), float(r["D"])
        loss = params["E"] + params["A"] / nn ** alpha + params["B"] / dd ** beta
        pred = float(sigmoid(loss, *s))
        actual = float(r["hellaswag_acc"])
        checks.append({"model": r["model"], "N": nn, "D": dd, "predicted_loss": float(loss),
                       "loss": float(r["hellaswag_bpb"]), "predicted_accuracy": pred,
                       "accuracy": actual, "relative_error": pred / actual - 1})
    out = {"loss_params": params, "loss_objective": float(best.fun),
           "sigmoid": dict(zip(["a", "k", "l0", "b"], map(float, s))), "checks": checks}
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
