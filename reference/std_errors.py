#!/usr/bin/env python3
"""Independent reference: standard errors and correlations of least-squares fits, in SciPy.

The recipe is ordinary nonlinear least-squares theory, as scipy.optimize.curve_fit applies it with
its default absolute_sigma=False:

    Cov(p) = s^2 (J^T J)^-1,   s^2 = sum r_i^2 / (m - k),

with r_i = f(x_i; p) - ln L_i (the residual on the log scale, as the calculator defines it:
docs/CONTRACT.md, "Objective convention"), J = dr/dp at the optimum, m points and k parameters.
Here the model is written directly in the natural parameters (A, E, alpha, ...), with an analytic
Jacobian, so no delta method is needed: the calculator fits internal parameters (ln A, ...) and
carries the covariance to natural units by the delta method, which, for this linearised theory,
gives exactly the covariance of the natural parametrisation. Standard error = sqrt(diag Cov),
correlation = Cov_ab / (se_a se_b).

Cases:
- gpt2-power: the four GPT-2 points of the `gpt2-gpt3` preset (nanoGPT README, OpenWebText), `power`.
- power-offset: 20 points of L = 1.8 + 500 N^-0.32 with 1 % multiplicative noise (seeded).
- chinchilla: 30 points of L = 1.69 + 406.4 / N^0.34 + 410.7 / D^0.28 (Hoffmann et al. 2022,
  arXiv 2203.15556, approach 3), D = 20 N x (0.25 .. 4), 0.5 % noise (seeded), least squares.

Writes reference/std_errors.json (the data text of each case included, so the Rust test fits the
very same numbers: tests/std_errors.rs). Usage: python3 reference/std_errors.py [--check]
(--check compares with the committed file instead of writing it).
"""
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import curve_fit

OUT = Path(__file__).resolve().parent / "std_errors.json"


def number(v):
    """Full precision, in a form the calculator's number parser reads (no 'e+')."""
    return repr(float(v)).replace("e+", "e")


def gpt2():
    names = [124e6, 350e6, 774e6, 1558e6]
    losses = [3.12, 2.84, 2.67, 2.54]
    text = "N,L\n" + "".join(f"{number(n)},{number(l)}\n" for n, l in zip(names, losses))

    def f(ln_n, a, alpha):
        return np.log(a) - alpha * ln_n

    def jac(ln_n, a, alpha):
        return np.column_stack([np.full_like(ln_n, 1.0 / a), -ln_n])

    return {
        "name": "gpt2-power",
        "model": "power",
        "text": text,
        "names": ["A", "alpha"],
        "x": (np.log(names),),
        "y": np.log(losses),
        "f": f,
        "jac": jac,
        "p0": [10.0, 0.1],
    }


def power_offset():
    rng = np.random.default_rng(20240601)
    n = np.logspace(6, 11, 20)
    truth = (1.8, 500.0, 0.32)
    loss = (truth[0] + truth[1] * n ** -truth[2]) * np.exp(0.01 * rng.standard_normal(n.size))
    text = "N,L\n" + "".join(f"{number(a)},{number(b)}\n" for a, b in zip(n, loss))

    def f(ln_n, e, a, alpha):
        return np.log(e + a * np.exp(-alpha * ln_n))

    def jac(ln_n, e, a, alpha):
        t = np.exp(-alpha * ln_n)
        pred = e + a * t
        return np.column_stack([1.0 / pred, t / pred, -a * ln_n * t / pred])

    return {
        "name": "power-offset",
        "model": "power-offset",
        "text": text,
        "names": ["E", "A", "alpha"],
        "x": (np.log(n),),
        "y": np.log(loss),
        "f": f,
        "jac": jac,
        "p0": list(truth),
    }


def chinchilla():
    rng = np.random.default_rng(20220329)
    count = 30
    n = np.logspace(7, 11, count)
    spread = np.array([0.25, 0.5, 1.0, 2.0, 4.0])[np.arange(count) % 5]
    d = 20.0 * n * spread
    truth = (1.69, 406.4, 410.7, 0.34, 0.28)
    e, a, b, alpha, beta = truth
    loss = (e + a * n ** -alpha + b * d ** -beta) * np.exp(0.005 * rng.standard_normal(count))
    text = "N,D,L\n" + "".join(
        f"{number(x)},{number(y)},{number(z)}\n" for x, y, z in zip(n, d, loss)
    )

    def f(x, e, a, b, alpha, beta):
        ln_n, ln_d = x
        return np.log(e + a * np.exp(-alpha * ln_n) + b * np.exp(-beta * ln_d))

    def jac(x, e, a, b, alpha, beta):
        ln_n, ln_d = x
        tn = np.exp(-alpha * ln_n)
        td = np.exp(-beta * ln_d)
        pred = e + a * tn + b * td
        return np.column_stack(
            [1.0 / pred, tn / pred, td / pred, -a * ln_n * tn / pred, -b * ln_d * td / pred]
        )

    return {
        "name": "chinchilla",
        "model": "chinchilla",
        "text": text,
        "names": ["E", "A", "B", "alpha", "beta"],
        "x": (np.log(n), np.log(d)),
        "y": np.log(loss),
        "f": f,
        "jac": jac,
        "p0": list(truth),
    }


def solve(case):
    x = case["x"][0] if len(case["x"]) == 1 else np.vstack(case["x"])
    y = case["y"]
    p, cov = curve_fit(
        case["f"], x, y, p0=case["p0"], jac=case["jac"], method="lm",
        ftol=1e-15, xtol=1e-15, gtol=1e-15, maxfev=100000,
    )
    r = case["f"](x, *p) - y
    m, k = len(y), len(p)
    se = np.sqrt(np.diag(cov))
    corr = cov / np.outer(se, se)
    return {
        "name": case["name"],
        "model": case["model"],
        "loss": "least-squares",
        "text": case["text"],
        "names": case["names"],
        "params": [float(v) for v in p],
        "objective": float(0.5 * (r * r).sum()),
        "points": m,
        "dof": m - k,
        "std_errors": [float(v) for v in se],
        "correlation": [[float(v) for v in row] for row in corr],
    }


def main():
    cases = [solve(c) for c in (gpt2(), power_offset(), chinchilla())]
    out = {
        "source": "reference/std_errors.py: scipy.optimize.curve_fit (method lm, analytic Jacobian, "
        "absolute_sigma=False), residuals on the log scale, Cov = s^2 (J^T J)^-1, s^2 = RSS/(m-k)",
        "numpy": np.__version__,
        "scipy": __import__("scipy").__version__,
        "cases": cases,
    }
    text = json.dumps(out, indent=1) + "\n"
    if "--check" in sys.argv:
        old = json.loads(OUT.read_text())
        for new, was in zip(cases, old["cases"]):
            for key in ("params", "std_errors"):
                diff = max(abs(a / b - 1) for a, b in zip(new[key], was[key]))
                print(f"{new['name']} {key}: max relative difference {diff:.2e}")
        return
    OUT.write_text(text)
    for c in cases:
        print(c["name"], dict(zip(c["names"], c["params"])), "se", c["std_errors"])


if __name__ == "__main__":
    main()
