"""The two linear learners behind :mod:`newsan.extract.decide`, trained with SciPy.

* :func:`train_ranker` — a conditional logit over groups of candidates: each
  group is one decision (the speaker of one quotation), its candidates are
  feature lists, and one or more of them are right. It maximizes the
  probability mass of the right candidates (softmax within the group), with an
  L2 penalty.
* :func:`train_logistic` — binary logistic regression with an L2 penalty.

Both return plain ``{feature: weight}`` dictionaries, which is what the model
file stores. Training is deterministic (L-BFGS from zero weights). Only the
training commands import this module; analysis never needs SciPy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from scipy.optimize import minimize

__all__ = ["train_ranker", "train_logistic"]


def _index(rows: Sequence[Sequence[str]], min_count: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in rows:
        for f in set(r):
            counts[f] = counts.get(f, 0) + 1
    kept = sorted(f for f, c in counts.items() if c >= min_count)
    return {f: i for i, f in enumerate(kept)}


def _matrix(rows: Sequence[Sequence[str]], index: dict[str, int]) -> sparse.csr_matrix:
    indptr = [0]
    cols: list[int] = []
    for r in rows:
        cols.extend(sorted({index[f] for f in r if f in index}))
        indptr.append(len(cols))
    data = np.ones(len(cols))
    return sparse.csr_matrix((data, np.array(cols, dtype=np.int64), np.array(indptr)), shape=(len(rows), len(index)))


def train_ranker(
    groups: Sequence[tuple[Sequence[Sequence[str]], Sequence[bool]]],
    l2: float = 1.0,
    min_count: int = 2,
    max_iter: int = 300,
) -> dict[str, float]:
    """Weights of a conditional-logit ranker.

    ``groups`` holds, for each decision, its candidates' features and whether
    each candidate is right. Groups with no right candidate, or with only right
    ones, carry no information and are skipped.
    """
    rows: list[Sequence[str]] = []
    good: list[bool] = []
    offsets = [0]
    for feats, ok in groups:
        if not any(ok) or all(ok):
            continue
        rows.extend(feats)
        good.extend(bool(x) for x in ok)
        offsets.append(len(rows))
    if len(offsets) < 2:
        return {}
    index = _index(rows, min_count)
    x = _matrix(rows, index)
    pos = np.array(good)
    starts = np.array(offsets[:-1])
    seg = np.repeat(np.arange(len(starts)), np.diff(offsets))

    def seg_logsumexp(s: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = np.where(mask, s, -np.inf)
        m = np.maximum.reduceat(s, starts)
        m = np.where(np.isfinite(m), m, 0.0)
        e = np.where(mask, np.exp(s - m[seg]), 0.0)
        z = np.add.reduceat(e, starts)
        return m + np.log(z), e / z[seg]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ w
        lse_all, p_all = seg_logsumexp(s, np.ones_like(pos))
        lse_pos, p_pos = seg_logsumexp(s, pos)
        value = float(np.sum(lse_all - lse_pos)) + 0.5 * l2 * float(w @ w)
        grad = x.T @ (p_all - p_pos) + l2 * w
        return value, grad

    res = minimize(loss, np.zeros(len(index)), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    return {f: round(float(res.x[i]), 5) for f, i in index.items() if abs(res.x[i]) > 1e-6}


def train_logistic(
    rows: Sequence[Sequence[str]],
    labels: Sequence[bool],
    l2: float = 1.0,
    min_count: int = 2,
    max_iter: int = 300,
) -> tuple[dict[str, float], float]:
    """Weights and bias of an L2-penalized logistic regression (the bias is not penalized)."""
    index = _index(rows, min_count)
    x = _matrix(rows, index)
    y = np.array([1.0 if b else 0.0 for b in labels])
    n = len(index)

    def loss(wb: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = wb[:n], wb[n]
        z = x @ w + b
        # log(1 + e^z) - y z, computed stably
        value = float(np.sum(np.logaddexp(0.0, z) - y * z)) + 0.5 * l2 * float(w @ w)
        p = 1.0 / (1.0 + np.exp(-z))
        g = p - y
        return value, np.concatenate([x.T @ g + l2 * w, [g.sum()]])

    res = minimize(loss, np.zeros(n + 1), jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    w = res.x
    return {f: round(float(w[i]), 5) for f, i in index.items() if abs(w[i]) > 1e-6}, round(float(w[n]), 5)
