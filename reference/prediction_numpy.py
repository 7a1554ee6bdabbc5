#!/usr/bin/env python3
"""Independent reference: the confidence interval of the mean and the prediction interval of one
new observation, for a straight line in logs (the `power` form, ln L = ln A - alpha ln N).

Textbook ordinary least squares (e.g. Montgomery, Peck & Vining, "Introduction to Linear Regression
Analysis", section 2.4), in numpy with scipy.stats.t for the quantile: with X = [1, ln N],
s^2 = RSS / (m - 2), and x0 = [1, ln N0],
    mean:    y0 +- t_{0.975, m-2} s sqrt(x0' (X'X)^-1 x0)
    one run: y0 +- t_{0.975, m-2} s sqrt(1 + x0' (X'X)^-1 x0),
taken back by exp. The calculator gets these through its own route (the delta method from its
standard errors and correlations, and the fitted residual scale), so agreement checks both.

Cases: the four GPT-2 points (nanoGPT README, OpenWebText; 2 degrees of freedom, where t is 4.30),
and 12 points of L = 400 N^-0.3 with 3 % multiplicative noise (numpy default_rng(11)).
Also t quantiles at 1..10, 30, 31, 40, 100 and 1000 degrees of freedom. Writes reference/prediction_numpy.json
(tests/prediction.rs reads it). Usage: python3 reference/prediction_numpy.py
"""
import json
from pathlib import Path

import numpy as np
from scipy.stats import t

OUT = Path(__file__).resolve().parent / "prediction_numpy.json"


def number(v):
    return repr(float(v)).replace("e+", "e")


def case(n, loss, targets):
    x = np.column_stack([np.ones(len(n)), np.log(n)])
    y = np.log(loss)
    beta, rss, *_ = np.linalg.lstsq(x, y, rcond=None)
    m = len(n)
    s2 = float(((y - x @ beta) ** 2).sum()) / (m - 2)
    inv = np.linalg.inv(x.T @ x)
    q = t.ppf(0.975, m - 2)
    out = []
    for n0 in targets:
        x0 = np.array([1.0, np.log(n0)])
        y0 = x0 @ beta
        lev = x0 @ inv @ x0
        mean = q * np.sqrt(s2 * lev)
        run = q * np.sqrt(s2 * (1 + lev))
        out.append({"at": n0, "value": float(np.exp(y0)),
                    "mean": [float(np.exp(y0 - mean)), float(np.exp(y0 + mean))],
                    "one_run": [float(np.exp(y0 - run)), float(np.exp(y0 + run))]})
    text = "N,L\n" + "".join(f"{number(a)},{number(b)}\n" for a, b in zip(n, loss))
    return {"text": text, "dof": m - 2, "residual_scale": float(np.sqrt(s2)), "targets": out}


def main():
    gpt2 = case(np.array([124e6, 350e6, 774e6, 1558e6]), np.array([3.12, 2.84, 2.67, 2.54]),
                [1e9, 175e9])
    rng = np.random.default_rng(11)
    n = np.logspace(6, 10, 12)
    loss = 400 * n ** -0.3 * np.exp(rng.normal(0, 0.03, len(n)))
    generated = case(n, loss, [1e8, 1e12])
    quantiles = {str(d): float(t.ppf(0.975, d)) for d in [1, 2, 3, 4, 5, 6, 8, 10, 30, 31, 40, 100, 1000]}
    OUT.write_text(json.dumps({"gpt2": gpt2, "generated": generated, "t_975": quantiles}, indent=1) + "\n")
    print(OUT.read_text())


if __name__ == "__main__":
    main()
