"""Prevalence and its 95 % interval exactly as WHO's anthro R package computes them.

anthro's `anthro_prevalence()` for a simple random sample (no weights, clusters or strata;
R/prevalence-simple.R, `logit_rate_estimate` and `zscore_estimate`):
- a flagged z-score counts as missing; an index's n = rows with a z-score left;
- p = cases ÷ n; the interval is a logit interval, not Wald:
  logit(p) ± t(0.975, N − 1) · sqrt(N/(N − 1) / (n · p · (1 − p))), back through plogis,
  where N is the number of rows in the analysed data set (every child, whatever the group and
  whether or not this index is missing) — so a group's interval depends on N too;
- p = 0 gives (0, 0) and p = 1 gives (100, 100); no rows gives no estimate;
- mean and SD (n − 1 denominator) of the unflagged z-scores.
Pure Python + pandas; the t quantile is computed here because scipy is not a dependency.
"""

import math
from functools import lru_cache
from statistics import NormalDist

import pandas as pd

CONFIDENCE = 0.95

# indicator → (z-score column, flag column, is a case)
INDICATORS = {
    "stunting": ("zs_tbu", "flag_tbu", lambda z: z < -2),
    "sangat_pendek": ("zs_tbu", "flag_tbu", lambda z: z < -3),
    "wasting": ("zs_bbtb", "flag_bbtb", lambda z: z < -2),
    "underweight": ("zs_bbu", "flag_bbu", lambda z: z < -2),
    "overweight": ("zs_bbtb", "flag_bbtb", lambda z: z > 2),
}
COLUMNS = ["kelompok", "indikator", "n", "kasus", "prevalensi", "ci_bawah", "ci_atas", "rerata_z", "sd_z"]
ALL = "Semua"


# --- Student's t quantile (R's qt() to ~1e-11; lgamma limits it at large df) ---


def _beta_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 100_000):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= c * d
        if abs(c * d - 1.0) < 1e-16:
            return result
    raise ArithmeticError("incomplete beta did not converge")


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    front = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return front * _beta_fraction(a, b, x) / a
    return 1.0 - front * _beta_fraction(b, a, 1.0 - x) / b


def _t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t ≥ 0."""
    return 0.5 * _incomplete_beta(df / 2, 0.5, df / (df + t * t))


def _t_density(t: float, df: float) -> float:
    log = (math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
           - (df + 1) / 2 * math.log1p(t * t / df))
    return math.exp(log)


# Every area of a period shares the city's N, so a page asks for the same few quantiles hundreds
# of times; each costs a root search over the incomplete beta function.
@lru_cache(maxsize=4096)
def t_quantile(p: float, df: float) -> float:
    """The p-quantile of Student's t with df degrees of freedom, for 0.5 ≤ p < 1.
    Newton's method on the upper tail, kept inside a shrinking bracket."""
    if not 0.5 <= p < 1 or df <= 0:
        raise ValueError("t_quantile needs 0.5 <= p < 1 and df > 0")
    target = 1.0 - p
    low, high = 0.0, 1.0
    while _t_upper_tail(high, df) > target:
        high *= 2
    t = min(NormalDist().inv_cdf(p), high)
    for _ in range(200):
        excess = _t_upper_tail(t, df) - target
        if excess > 0:
            low = t
        else:
            high = t
        step = excess / _t_density(t, df)
        new = t + step
        if not low < new < high:
            new = (low + high) / 2
        if abs(new - t) <= 1e-15 * max(1.0, abs(t)):
            return new
        t = new
    return t


# --- The estimates ------------------------------------------------------------------------------


def interval(cases: int, n: int, total: int | None = None) -> tuple[float, float] | None:
    """anthro's 95 % interval of cases ÷ n, in percent; `total` is N, the rows of the whole
    data set the group belongs to (default: the group is the data set, N = n). None for n = 0."""
    total = n if total is None else total
    if n == 0:
        return None
    p = cases / n
    if p == 0:
        return (0.0, 0.0)
    if p == 1:
        return (100.0, 100.0)
    t = t_quantile(1 - (1 - CONFIDENCE) / 2, total - 1)
    se_logit = math.sqrt(total / (total - 1) / (n * p * (1 - p)))
    centre = math.log(p / (1 - p))
    return tuple(100 / (1 + math.exp(-(centre + sign * t * se_logit))) for sign in (-1, 1))


def _estimate(z: pd.Series, is_case, total: int) -> dict:
    n = int(z.size)
    cases = int(is_case(z).sum())
    ci = interval(cases, n, total)
    return {
        "n": n,
        "kasus": cases,
        "prevalensi": 100 * cases / n if n else None,
        "ci_bawah": ci[0] if ci else None,
        "ci_atas": ci[1] if ci else None,
        "rerata_z": float(z.mean()) if n else None,
        "sd_z": float(z.std(ddof=1)) if n > 1 else None,
    }


def table(rows: pd.DataFrame, group: str | None = None) -> pd.DataFrame:
    """Per group (after the whole set, `Semua`) and indicator: n, kasus, prevalensi, ci_bawah,
    ci_atas (percent), rerata_z, sd_z — anthro's output for one row per child with `group` as
    its grouping. `rows` has the z-score and flag columns of INDICATORS (z may be missing)."""
    total = len(rows)
    groups = [(ALL, rows)]
    if group is not None:
        groups += [(name, part) for name, part in rows.groupby(group, sort=False)]
    result = []
    for name, part in groups:
        for indicator, (zs, flag, is_case) in INDICATORS.items():
            z = pd.to_numeric(part[zs], errors="coerce").astype(float)
            z = z[z.notna() & ~part[flag].fillna(False).astype(bool)]
            result.append({"kelompok": name, "indikator": indicator, **_estimate(z, is_case, total)})
    return pd.DataFrame(result, columns=COLUMNS)
