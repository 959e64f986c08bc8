#!/usr/bin/env python3
"""The NumPy peer of `collapse run`: the same models written the way a researcher would,
vectorised over runs with numpy.random.Generator, one thread (set OMP/OPENBLAS threads to 1).

Workloads (see README "Performance"):
  gaussian  R runs x M samples x G generations: each generation draws M samples per run from
            N(mu, var), refits mu and var by maximum likelihood; metrics mean, variance, W2 to
            the human N(0, 1), tail mass, self entropy and human cross-entropy in bits;
            summarised per generation across runs (mean, standard error, p10, median, p90).
  tokens    R runs, vocabulary V = N tokens, G generations: Zipf(1.1) human distribution,
            one rng.multinomial per generation (pvals of shape (R, V)), refit counts / N;
            metrics entropy, Gini-Simpson, surviving types, tail mass, TV to human, types lost,
            add-one smoothed human cross-entropy; summarised the same way.

Usage: numpy_peer.py gaussian RUNS SAMPLES GENERATIONS | tokens RUNS VOCAB GENERATIONS
Prints the elapsed seconds of the simulation (after imports) on standard output.
"""

import math
import sys
import time

import numpy as np

np.seterr(all="ignore")

LN2 = math.log(2.0)
Q99 = 2.3263478740408408  # the human N(0, 1)'s 99th percentile


def summarise(values):
    """Mean, standard error and the 10/50/90th percentiles across runs (axis 0)."""
    mean = values.mean(axis=0)
    se = values.std(axis=0, ddof=1) / math.sqrt(values.shape[0])
    pct = np.percentile(values, [10, 50, 90], axis=0)
    return mean, se, pct


try:
    from scipy.special import ndtr as normal_cdf
except ImportError:  # NumPy has no erfc: the vectorised form a researcher without SciPy writes.

    def normal_cdf(x):
        return 0.5 * np.vectorize(math.erfc, otypes=[float])(-x / math.sqrt(2.0))


def gaussian(runs, samples, generations, seed=1):
    rng = np.random.default_rng(seed)
    mu = np.zeros(runs)
    var = np.ones(runs)
    out = []
    for _ in range(generations):
        x = mu[:, None] + np.sqrt(var)[:, None] * rng.standard_normal((runs, samples))
        mu = x.mean(axis=1)
        var = x.var(axis=1)
        sd = np.sqrt(var)
        w2 = np.sqrt(mu * mu + (sd - 1.0) ** 2)
        tail = 2.0 * normal_cdf(-Q99 / sd)
        h_self = 0.5 * np.log2(2.0 * math.pi * math.e * var)
        h_cross = 0.5 * np.log2(2.0 * math.pi * var) + (1.0 + mu * mu) / (2.0 * var * LN2)
        metrics = np.stack([mu, var, w2, tail, h_self, h_cross], axis=1)
        out.append(summarise(metrics))
    return out


def tokens(runs, vocab, generations, seed=1, exponent=1.1):
    rng = np.random.default_rng(seed)
    human = np.arange(1, vocab + 1, dtype=float) ** -exponent
    human /= human.sum()
    n = vocab
    p = np.tile(human, (runs, 1))
    tail_start = vocab // 2
    log_total = math.log2(n + vocab)
    out = []
    for _ in range(generations):
        counts = rng.multinomial(n, p)
        q = counts / n
        alive = q > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            entropy = -np.where(alive, q * np.log2(np.where(alive, q, 1.0)), 0.0).sum(axis=1)
        gini = 1.0 - (q * q).sum(axis=1)
        surviving = alive.sum(axis=1)
        tail = q[:, tail_start:].sum(axis=1)
        tv = 0.5 * np.abs(q - human).sum(axis=1)
        lost = ((p > 0) & ~alive).sum(axis=1)
        cross = (human * (log_total - np.log2(n * q + 1.0))).sum(axis=1)
        metrics = np.stack([entropy, gini, surviving, tail, tv, lost, cross], axis=1)
        out.append(summarise(metrics))
        p = q
    return out


def main():
    kind = sys.argv[1]
    args = [int(a) for a in sys.argv[2:5]]
    start = time.perf_counter()
    if kind == "gaussian":
        gaussian(*args)
    elif kind == "tokens":
        tokens(*args)
    else:
        raise SystemExit(f"unknown workload {kind}")
    print(f"{time.perf_counter() - start:.3f}")


if __name__ == "__main__":
    main()
