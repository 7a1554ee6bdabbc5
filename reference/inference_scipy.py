#!/usr/bin/env python3
"""Independent reference: the inference-aware model size (Sardana, Doubov, Frankle, ICML 2024,
arXiv 2401.00448), by a different route from the calculator's.

For Hoffmann et al. (2022)'s law L = E + A / N^alpha + B / D^beta (E = 1.69, A = 406.4, B = 410.7,
alpha = 0.34, beta = 0.28; the `hoffmann-2022` law) and a budget C, the target loss is the
compute-optimal model's (closed form, Hoffmann eq. 4 with C = 6 N D). For each inference demand T,
minimise 6 N D(N) + 2 N T over log N with scipy.optimize.minimize_scalar (bounded Brent), where
D(N) = (B / (target - E - A N^-alpha))^(1 / beta) is the training data that brings N to the target
(closed form; the calculator solves it numerically, for any law of N and D).

Writes reference/inference_scipy.json (tests/planning.rs reads it).
Usage: python3 reference/inference_scipy.py
"""
import json
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar

OUT = Path(__file__).resolve().parent / "inference_scipy.json"
E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
K = 6.0


def loss(n, d):
    return E + A / n**ALPHA + B / d**BETA


def optimum(c):
    g = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))
    n = g * (c / K) ** (BETA / (ALPHA + BETA))
    return n, c / (K * n)


def case(c, t):
    n0, d0 = optimum(c)
    target = loss(n0, d0)
    n_min = (A / (target - E)) ** (1 / ALPHA)

    def tokens(n):
        return (B / (target - E - A * n**-ALPHA)) ** (1 / BETA)

    def total(log_n):
        n = np.exp(log_n)
        return K * n * tokens(n) + 2 * n * t

    res = minimize_scalar(total, bounds=(np.log(n_min) + 1e-9, np.log(n0)), method="bounded",
                          options={"xatol": 1e-12})
    n = float(np.exp(res.x))
    flop = total(res.x)
    return {"budget": c, "inference": t, "N": n, "D": float(tokens(n)), "total_flop": float(flop),
            "saving": float(1 - flop / (K * n0 * d0 + 2 * n0 * t)), "loss": float(target)}


def main():
    cases = [case(c, t) for c in (1e22, 1e24) for t in (0.0, 1e11, 1e12, 1e13)]
    OUT.write_text(json.dumps({"law": "hoffmann-2022", "cases": cases}, indent=1) + "\n")
    print(OUT.read_text())


if __name__ == "__main__":
    main()
