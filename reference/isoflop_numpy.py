#!/usr/bin/env python3
"""Independent reference: Hoffmann et al. (2022)'s approach 2 (IsoFLOP profiles) in numpy.

Data: IsoFLOP sweeps generated from Hoffmann's law L = 1.69 + 406.4 / N^0.34 + 410.7 / D^0.28 at
budgets 6e18 .. 3e21 FLOP (C = 6 N D), 7 sizes per budget spaced 0.2 decades apart around the law's
own compute-optimal N, with 0.5 % multiplicative noise (numpy default_rng(5)). Recipe: per budget,
numpy.polyfit(ln N, L, 2) and its minimum ln N* = -b / 2a; across budgets, numpy.polyfit(ln C,
ln N*, 1) gives N_opt = k C^e; the exponent's 95 % interval from its standard error and
scipy.stats.t.ppf(0.975, m - 2). The law's own exponent is beta / (alpha + beta) = 0.4516.

Writes reference/isoflop_numpy.json (tests/isoflop.rs). Usage: python3 reference/isoflop_numpy.py
"""
import json
from pathlib import Path

import numpy as np
from scipy.stats import t

OUT = Path(__file__).resolve().parent / "isoflop_numpy.json"
E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28


def number(v):
    return repr(float(v)).replace("e+", "e")


def main():
    rng = np.random.default_rng(5)
    budgets = [6e18, 3e19, 1e20, 3e20, 1e21, 3e21]
    g = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))
    lines = ["N,D,L"]
    minima = []
    for c in budgets:
        n_opt = g * (c / 6) ** (BETA / (ALPHA + BETA))
        n = n_opt * 10 ** np.linspace(-0.6, 0.6, 7)
        d = c / (6 * n)
        loss = (E + A / n**ALPHA + B / d**BETA) * np.exp(rng.normal(0, 0.005, len(n)))
        lines += [f"{number(a)},{number(b)},{number(l)}" for a, b, l in zip(n, d, loss)]
        a2, b1, _ = np.polyfit(np.log(n), loss, 2)
        minima.append((np.log(c), -b1 / (2 * a2)))
    x, y = np.array(minima).T
    (slope, intercept), cov = np.polyfit(x, y, 1, cov="unscaled")
    resid = y - (slope * x + intercept)
    s2 = (resid**2).sum() / (len(x) - 2)
    se = np.sqrt(s2 * cov[0, 0])
    half = t.ppf(0.975, len(x) - 2) * se
    out = {"text": "\n".join(lines) + "\n", "budgets": budgets, "minima": [float(np.exp(v)) for v in y],
           "exponent": float(slope), "coefficient": float(np.exp(intercept)),
           "interval": [float(slope - half), float(slope + half)], "law_exponent": BETA / (ALPHA + BETA)}
    OUT.write_text(json.dumps(out, indent=1) + "\n")
    print({k: v for k, v in out.items() if k != "text"})


if __name__ == "__main__":
    main()
