#!/usr/bin/env python3
"""Independent reference: the forms beyond Chinchilla fitted by SciPy from a multi-start grid.

For each of broken-power, shifted-power, plateau-power, skaling and data-constrained, the script
generates data from a law (the laws of tests/forms.rs) with 2 % multiplicative noise (numpy's
default_rng, seeded), and fits the form with scipy.optimize.least_squares (trust-region
reflective, three-point finite differences, tolerances 1e-15) from every start of a grid. The
objective is the calculator's (docs/CONTRACT.md, "Objective convention"): least squares on log
residuals, sum of (ln L_hat - ln L)^2 / 2. Each model is written here from its source, in numpy,
independently of the Rust code:

- broken-power: Caballero et al. 2023 (arXiv 2210.14891), eq. 1 with one break;
- shifted-power: Zhai et al. 2022 (arXiv 2106.04560), L = E + A (X + s)^-alpha;
- plateau-power: L = (E + I g) / (1 + g), g = A X^-alpha;
- skaling: L = E + A (N^-alpha + R D^-beta)^k;
- data-constrained: Muennighoff et al. 2023 (arXiv 2305.16264), the huggingface/datablations
  README's effective N' and D' (U_N = min(N, N_opt(U_D)) with N_opt from the law's own A, B,
  alpha, beta).

The domain is the calculator's: E between 0 and the smallest observed loss for the one-variable
forms (E, A, I, s, Xb, f positive); E, A, R positive for skaling; every parameter positive for
data-constrained. Scales are fitted in logs.

Writes reference/forms_scipy.json: per form the data text, SciPy's best objective and parameters
(natural units, the calculator's order), how many starts there were and how many reached the best
objective (to 1e-9 relative). tests/forms.rs asserts that the calculator's own multi-start reaches
an objective at most SciPy's x (1 + 1e-6). Usage: python3 reference/forms_scipy.py [--check]
(--check compares with the committed file instead of writing it).
"""
import itertools
import json
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy.optimize import least_squares

OUT = Path(__file__).resolve().parent / "forms_scipy.json"
NOISE = 0.02
SEED = 20231205


def number(v):
    """Full precision, in a form the calculator's number parser reads (no 'e+')."""
    return repr(float(v)).replace("e+", "e")


def softplus(z):
    return np.logaddexp(0.0, z)


def points(model):
    """(N, D, U) as in tests/forms.rs."""
    out = []
    if model == "data-constrained":
        for n in [1e7, 1e8, 1e9, 1e10]:
            for u in [1e8, 1e9, 1e10]:
                for epochs in [1.0, 4.0, 16.0, 60.0]:
                    out.append((n, u * epochs, u))
    elif model == "skaling":
        for i in range(7):
            n = 1e7 * 10 ** (i / 2.0)
            for ratio in [2.0, 10.0, 50.0, 200.0]:
                out.append((n, n * ratio, n * ratio))
    else:
        for i in range(30):
            n = 1e6 * 10 ** (6.0 * i / 29.0)
            out.append((n, 20.0 * n, 20.0 * n))
    return np.array(out)


# Each model: natural parameters -> predicted L at columns (N, D, U); its parameters in SciPy's
# vector (scales in logs), the map back to natural units, bounds, and the start grid.


def broken(p, n, d, u):
    e, a, alpha, gamma, xb, f = p
    return e + a * n ** -alpha * np.exp(-gamma * f * softplus((np.log(n) - np.log(xb)) / f))


def shifted(p, n, d, u):
    e, a, s, alpha = p
    return e + a * (n + s) ** -alpha


def plateau(p, n, d, u):
    e, i, a, alpha = p
    g = a * n ** -alpha
    return (e + i * g) / (1.0 + g)


def skaling(p, n, d, u):
    e, a, r, alpha, beta, k = p
    return e + a * (n ** -alpha + r * d ** -beta) ** k


def data_constrained(p, n, d, u):
    e, a, b, alpha, beta, rd_star, rn_star = p
    ud = np.minimum(u, d)
    rd = d / ud - 1.0
    g = (alpha * a / (beta * b)) ** (1.0 / (alpha + beta))
    n_opt = (ud * g) ** (beta / alpha) * g
    un = np.minimum(n, n_opt)
    rn = n / un - 1.0
    n_eff = un + un * rn_star * (1.0 - np.exp(-rn / rn_star))
    d_eff = ud + ud * rd_star * (1.0 - np.exp(-rd / rd_star))
    return e + a / n_eff ** alpha + b / d_eff ** beta


def spec_broken(data):
    l_min = data["L"].min()
    lo, hi = np.log(data["N"].min()), np.log(data["N"].max())
    starts = []
    for fe, alpha, gamma, t, f in itertools.product(
        [0.3, 0.8], [0.05, 0.2, 0.5], [-0.2, 0.2, 0.6], [0.2, 0.4, 0.6, 0.8], [0.2, 1.0]
    ):
        ln_xb = lo + t * (hi - lo)
        e = fe * l_min
        mid = len(data["L"]) // 2
        shape = broken([0.0, 1.0, alpha, gamma, np.exp(ln_xb), f], data["N"][mid], 0, 0)
        ln_a = np.log(data["L"][mid] - e) - np.log(shape)
        starts.append([e, ln_a, alpha, gamma, ln_xb, np.log(f)])
    return {
        "to_natural": lambda q: [q[0], np.exp(q[1]), q[2], q[3], np.exp(q[4]), np.exp(q[5])],
        "bounds": ([0.0, -np.inf, -np.inf, -np.inf, -np.inf, -np.inf],
                   [l_min, np.inf, np.inf, np.inf, np.inf, np.inf]),
        "starts": starts,
        "law": broken,
    }


def spec_shifted(data):
    l_min = data["L"].min()
    lo = np.log(data["N"].min())
    mid = len(data["L"]) // 2
    starts = []
    for fe, alpha, ds in itertools.product([0.1, 0.5, 0.9], [0.1, 0.3, 0.6, 1.0], [-4.0, -1.0, 1.0]):
        e, s = fe * l_min, np.exp(lo + ds)
        ln_a = np.log(data["L"][mid] - e) + alpha * np.log(data["N"][mid] + s)
        starts.append([e, ln_a, lo + ds, alpha])
    return {
        "to_natural": lambda q: [q[0], np.exp(q[1]), np.exp(q[2]), q[3]],
        "bounds": ([0.0, -np.inf, -np.inf, -np.inf], [l_min, np.inf, np.inf, np.inf]),
        "starts": starts,
        "law": shifted,
    }


def spec_plateau(data):
    l_min, l_max = data["L"].min(), data["L"].max()
    lo, hi = np.log(data["N"].min()), np.log(data["N"].max())
    starts = []
    for fe, fi, alpha, t in itertools.product(
        [0.2, 0.6, 0.9], [1.05, 1.5, 3.0], [0.3, 0.8, 1.5], [0.0, 0.33, 0.67, 1.0]
    ):
        starts.append([fe * l_min, np.log(fi * l_max), alpha * (lo + t * (hi - lo)), alpha])
    return {
        "to_natural": lambda q: [q[0], np.exp(q[1]), np.exp(q[2]), q[3]],
        "bounds": ([0.0, -np.inf, -np.inf, -np.inf], [l_min, np.inf, np.inf, np.inf]),
        "starts": starts,
        "law": plateau,
    }


def spec_skaling(data):
    l_min = data["L"].min()
    n, d, l = data["N"], data["D"], data["L"]
    mid = len(l) // 2
    starts = []
    for fe, alpha, beta, k, dr in itertools.product(
        [0.3, 0.8], [0.2, 0.4, 0.7], [0.2, 0.4, 0.7], [0.7, 1.0, 1.5], [-2.0, 0.0, 2.0]
    ):
        e = fe * l_min
        ln_r = beta * np.mean(np.log(d)) - alpha * np.mean(np.log(n)) + dr
        total = n[mid] ** -alpha + np.exp(ln_r) * d[mid] ** -beta
        ln_a = np.log(l[mid] - e) - k * np.log(total)
        starts.append([np.log(e), ln_a, ln_r, alpha, beta, k])
    return {
        "to_natural": lambda q: [np.exp(q[0]), np.exp(q[1]), np.exp(q[2]), q[3], q[4], q[5]],
        "bounds": (-np.inf, np.inf),
        "starts": starts,
        "law": skaling,
    }


def spec_data_constrained(data):
    starts = []
    for e, alpha, beta, ln_rd, ln_rn, ln_a, ln_b in itertools.product(
        [1.0, 2.0], [0.2, 0.35, 0.6], [0.2, 0.35, 0.6], [np.log(5.0), np.log(20.0)],
        [np.log(3.0), np.log(15.0)], [5.0, 8.0], [6.0, 9.0]
    ):
        starts.append([np.log(e), ln_a, ln_b, np.log(alpha), np.log(beta), ln_rd, ln_rn])
    return {
        "to_natural": lambda q: list(np.exp(q)),
        "bounds": (-np.inf, np.inf),
        "starts": starts,
        "law": data_constrained,
    }


CASES = [
    ("broken-power", [1.0, 50.0, 0.1, 0.4, 1e9, 0.5], spec_broken),
    ("shifted-power", [1.5, 300.0, 2e7, 0.3], spec_shifted),
    ("plateau-power", [1.8, 6.0, 1e9 ** 0.8, 0.8], spec_plateau),
    ("skaling", [1.7, 1000.0, 1.2, 0.34, 0.28, 1.3], spec_skaling),
    (
        "data-constrained",
        [np.exp(0.6254804), np.exp(6.255414), np.exp(7.3049974), 0.3526596, 0.3526596, 15.387756, 5.309743],
        spec_data_constrained,
    ),
]


def fit_case(model, truth, spec_of, rng):
    cols = points(model)
    n, d, u = cols[:, 0], cols[:, 1], cols[:, 2]
    laws = {"broken-power": broken, "shifted-power": shifted, "plateau-power": plateau,
            "skaling": skaling, "data-constrained": data_constrained}
    clean = laws[model](truth, n, d, u)
    observed = clean * np.exp(NOISE * rng.standard_normal(len(clean)))
    # The numbers as written in the data text are the numbers fitted.
    text = "N,D,U,L\n" + "".join(
        f"{number(a)},{number(b)},{number(c)},{number(y)}\n" for a, b, c, y in zip(n, d, u, observed)
    )
    observed = np.array([float(number(y)) for y in observed])
    data = {"N": n, "D": d, "U": u, "L": observed}
    spec = spec_of(data)
    ln_l = np.log(observed)

    def residuals(q):
        with np.errstate(all="ignore"):
            pred = spec["law"](spec["to_natural"](q), n, d, u)
            r = np.log(pred) - ln_l
        return np.where(np.isfinite(r), r, 1e3)

    results = []
    for start in spec["starts"]:
        start = np.array(start, dtype=float)
        if not np.all(np.isfinite(residuals(start))) or np.max(np.abs(residuals(start))) >= 1e3:
            results.append(np.inf)
            continue
        try:
            fit = least_squares(residuals, start, jac="3-point", bounds=spec["bounds"], method="trf",
                                x_scale="jac", ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=5000)
        except ValueError:
            results.append(np.inf)
            continue
        cost = 0.5 * float(np.sum(residuals(fit.x) ** 2))
        results.append((cost, fit.x))
    costs = [r[0] if isinstance(r, tuple) else np.inf for r in results]
    best = int(np.argmin(costs))
    best_cost, best_q = results[best]
    reached = sum(1 for c in costs if c <= best_cost * (1 + 1e-9))
    return {
        "model": model,
        "text": text,
        "truth": [float(v) for v in truth],
        "params": [float(v) for v in spec["to_natural"](best_q)],
        "objective": best_cost,
        "starts": len(spec["starts"]),
        "reached_best": reached,
    }


def main():
    rng = np.random.default_rng(SEED)
    out = {
        "source": "reference/forms_scipy.py: scipy.optimize.least_squares (trf, 3-point Jacobian, tolerances 1e-15) from a multi-start grid; least squares on log residuals, objective sum r^2/2; data with 2 % multiplicative noise (numpy default_rng, seed 20231205)",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "cases": [fit_case(model, truth, spec, rng) for model, truth, spec in CASES],
    }
    text = json.dumps(out, indent=1) + "\n"
    if "--check" in sys.argv:
        committed = json.loads(OUT.read_text())
        for new, old in zip(out["cases"], committed["cases"]):
            same = new["text"] == old["text"] and abs(new["objective"] - old["objective"]) <= 1e-9 * old["objective"]
            print(f"{new['model']}: {'same' if same else 'DIFFERENT'} objective {new['objective']:.10e}")
        return
    OUT.write_text(text)
    for case in out["cases"]:
        print(f"{case['model']}: objective {case['objective']:.10e}, {case['reached_best']}/{case['starts']} starts reached it")


if __name__ == "__main__":
    main()
