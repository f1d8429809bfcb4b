"""WHO Child Growth Standards z-scores on plain numpy arrays, as WHO's `anthro` R package computes them.

Rules (anthro 1.x, `anthro_zscores()` with age in days):
- age in days from the dates; nothing is computed before birth or from 60 months on
  (age_days / 30.4375 >= 60), for any index;
- length under 731 days, height from 731 days: a standing height under 731 days gets +0.7 cm,
  a lying length from 731 days gets -0.7 cm; without a known position nothing is adjusted, and a
  standing height under 9 months is treated as of unknown position (anthro deems it implausible);
- weight-for-length (45-110 cm) under 731 days, weight-for-height (65-120 cm) from 731 days,
  the L, M and S parameters interpolated linearly between the 0.1 cm rows; only for weights of
  0.9-58 kg;
- BMI from the weight and the adjusted length/height, against the BMI-for-age table;
- weight-based indices (BB/U, BB/TB, IMT/U) use the restricted z-score beyond +-3 SD;
- z-scores rounded to 2 decimals; implausible-value flags: TB/U |z| > 6, BB/U z < -6 or z > 5,
  BB/TB and IMT/U |z| > 5.
numpy only (no pandas, no Django): `python -m balita.growth` starts in a fraction of a second.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from balita.growth import categories
from tpps.ages import DAYS_PER_MONTH  # the app's one month (plain Python, no Django)

DATA = Path(__file__).resolve().parent / "data"
MAX_AGE_DAYS = 1856
# WHO: length is measured lying under 731 days (24 months), height standing from then on.
STANDING_FROM_DAYS = 731
LENGTH_TABLE = (45.0, 110.0)  # weight-for-length rows, cm
HEIGHT_TABLE = (65.0, 120.0)  # weight-for-height rows, cm
INDICES = ("tbu", "bbu", "bbtb", "imtu")
RAW = {"tbu": "zlen", "bbu": "zwei", "bbtb": "zwfl", "imtu": "zbmi"}  # anthro's names
# Permenkes 2/2020 thresholds: a category code counts the edges passed (z >= inclusive, z > exclusive).
EDGES = {
    "tbu": ((-3, -2), (3,)),
    "bbu": ((-3, -2), (1,)),
    "bbtb": ((-3, -2), (1, 2, 3)),
    "imtu": ((-3, -2), (1, 2, 3)),
}
SCALES = {"tbu": categories.TBU, "bbu": categories.BBU, "bbtb": categories.GIZI, "imtu": categories.GIZI}
# Category codes: 0 = none (no z-score), then the scale in order; CODES[index][code] is the text code.
CODES = {index: [""] + [code for code, _ in scale] for index, scale in SCALES.items()}
FLAG_LIMITS = {"tbu": (-6, 6), "bbu": (-6, 5), "bbtb": (-5, 5), "imtu": (-5, 5)}


class Table:
    """LMS parameters as arrays [l/m/s, sex 0/1, row], rows by day of age or by 0.1 cm.

    `flat` holds the same as [l/m/s, sex * rows + row] with one more, empty (NaN) slot at the end
    (`missing`): a row that gets no value points there, so one gather per parameter serves every row."""

    def __init__(self, file: str, start: float = 0.0, step: float = 1.0):
        # Columns: sex, key (age or length/height), l, m, s, then a text column we do not need.
        sex, key, l, m, s = np.loadtxt(DATA / file, skiprows=1, usecols=(0, 1, 2, 3, 4), unpack=True)
        self.start, self.step = start, step
        self.rows = int(round((key.max() - start) / step)) + 1
        self.lms = np.full((3, 2, self.rows), np.nan)
        index = np.rint((key - start) / step).astype(int)
        sex = sex.astype(int) - 1
        for i, column in enumerate((l, m, s)):
            self.lms[i, sex, index] = column
        self.flat = np.concatenate([self.lms.reshape(3, -1), np.full((3, 1), np.nan)], axis=1)
        self.missing = 2 * self.rows
        self.l_is_one = bool((l == 1).all())  # length/height-for-age: a normal distribution


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    return {
        "len": Table("lenanthro.txt"),
        "wei": Table("weianthro.txt"),
        "bmi": Table("bmianthro.txt"),
        "wfl": Table("wflanthro.txt", start=LENGTH_TABLE[0], step=0.1),
        "wfh": Table("wfhanthro.txt", start=HEIGHT_TABLE[0], step=0.1),
    }


def _lms_z(x, l, m, s, l_is_one=False):
    with np.errstate(invalid="ignore", divide="ignore"):
        if l_is_one:  # (x/m)**1 is x/m exactly: the same values without the power
            return (x / m - 1.0) / s
        return (np.power(x / m, l) - 1.0) / (l * s)


def _restricted_z(x, l, m, s):
    """WHO's adjusted z-score for weight-based indices: linear in the measure beyond +-3 SD.

    Only the few rows beyond +-3 SD need the SD values, so only they are computed (speed)."""
    z = _lms_z(x, l, m, s)
    with np.errstate(invalid="ignore"):
        beyond = np.flatnonzero(np.abs(z) > 3.0)
    if beyond.size:
        xb, lb, mb, sb, zb = x[beyond], l[beyond], m[beyond], s[beyond], z[beyond]
        sign = np.sign(zb)
        with np.errstate(invalid="ignore", divide="ignore"):
            sd3 = mb * np.power(1.0 + lb * sb * 3.0 * sign, 1.0 / lb)
            sd2 = mb * np.power(1.0 + lb * sb * 2.0 * sign, 1.0 / lb)
            # Beyond +3: 3 + (x - SD3)/(SD3 - SD2); beyond -3: -3 + (x - SD3neg)/(SD2neg - SD3neg).
            z[beyond] = 3.0 * sign + (xb - sd3) / np.abs(sd3 - sd2)
    return z


def _by_age(table: Table, flat_age, valid):
    """L, M, S for each row's sex and age in days (NaN where not valid); flat_age = sex * rows + age."""
    idx = np.where(valid, flat_age, table.missing)
    return table.flat[0][idx], table.flat[1][idx], table.flat[2][idx]


def _by_lenhei(wfl: Table, wfh: Table, sex, lenhei, in_wfl, in_wfh):
    """L, M, S from the weight-for-length table where in_wfl, the weight-for-height table where
    in_wfh (NaN elsewhere), interpolated between the 0.1 cm rows around each length/height.

    The arithmetic is anthro's, step for step (trunc(x*10)/10, trunc(x*10 + 1)/10, diff / 0.1), so
    that floating-point edge cases land where WHO's software lands them: 102.4 stored as
    102.39999999999999 interpolates between the rows 102.3 and 102.5, as anthro does.
    The two tables are read as one: the weight-for-height rows follow the weight-for-length ones.
    """
    flat = np.concatenate([wfl.flat[:, :-1], wfh.flat], axis=1)
    missing = flat.shape[1] - 1
    valid = in_wfl | in_wfh
    with np.errstate(invalid="ignore"):
        x = np.where(valid, lenhei, 70.0)  # any in-table length for rows without a value
        tenths = np.trunc(x * 10)
        low_key = tenths / 10
        diff = (x - low_key) / 0.1
        # Row numbers straight from the tenths (the tables start at a whole tenth): the same rows
        # as rint((key - start) / 0.1), without two divisions over every row.
        upp = (np.trunc(x * 10 + 1) - tenths).astype(np.int64)  # 1, or 0 where x sits on a row
    low = tenths.astype(np.int64) - np.where(in_wfl, round(wfl.start * 10), round(wfh.start * 10))
    rows = np.where(in_wfl, wfl.rows, wfh.rows)
    base = np.where(in_wfl, 0, 2 * wfl.rows) + sex * rows
    # Only interpolate when x lies between rows; a next row beyond the table gives no value.
    upp = low + np.where(diff > 0, upp, 0)
    upp_index = np.where(valid & (upp >= 0) & (upp < rows), base + upp, missing)
    low_index = np.where(valid & (low >= 0) & (low < rows), base + low, missing)
    out = []
    for i in range(3):
        lo, hi = flat[i][low_index], flat[i][upp_index]
        out.append(lo + diff * (hi - lo))
    return out


def compute_arrays(sex, age_days, weight, lenhei, position) -> dict[str, np.ndarray]:
    """The z-scores on plain arrays.

    sex: 1 = laki-laki, 2 = perempuan (anything else: nothing computed);
    age_days: float array (NaN unknown); weight kg and lenhei cm: float arrays (NaN missing);
    position: int array, 1 = lying (terlentang), 2 = standing (berdiri), 0 = unknown.
    Returns unrounded z-scores zlen, zwei, zwfl, zbmi.
    """
    t = tables()
    sex = np.asarray(sex)
    age = np.asarray(age_days, dtype=float)
    weight = np.asarray(weight, dtype=float)
    lenhei = np.asarray(lenhei, dtype=float)
    position = np.asarray(position)

    known_sex = (sex == 1) | (sex == 2)
    sex0 = np.where(known_sex, sex - 1, 0).astype(np.int64)
    with np.errstate(invalid="ignore"):
        months = age / DAYS_PER_MONTH
        valid_age = known_sex & (age >= 0) & (months < 60) & (age <= MAX_AGE_DAYS)
        young = age < STANDING_FROM_DAYS
        # anthro: "we consider a height measure for children younger than 9 months as implausible".
        standing = (position == 2) & ~(months < 9)
        lying = position == 1
        adjusted = lenhei + 0.7 * (young & standing) - 0.7 * (~young & lying)
        has_len = valid_age & (adjusted > 0)
        has_wei = valid_age & (weight > 0)
    flat_age = sex0 * t["len"].rows + np.where(valid_age, age, 0).astype(np.int64)

    zlen = _lms_z(adjusted, *_by_age(t["len"], flat_age, has_len), l_is_one=t["len"].l_is_one)
    zwei = _restricted_z(weight, *_by_age(t["wei"], flat_age, has_wei))

    with np.errstate(invalid="ignore", divide="ignore"):
        bmi = weight / np.square(adjusted / 100.0)
    zbmi = _restricted_z(bmi, *_by_age(t["bmi"], flat_age, has_len & has_wei))

    with np.errstate(invalid="ignore"):
        wfl_weight = has_len & has_wei & (weight >= 0.9) & (weight <= 58.0)
        in_wfl = wfl_weight & young & (adjusted >= LENGTH_TABLE[0]) & (adjusted <= LENGTH_TABLE[1])
        in_wfh = wfl_weight & ~young & (adjusted >= HEIGHT_TABLE[0]) & (adjusted <= HEIGHT_TABLE[1])
    zwfl = _restricted_z(weight, *_by_lenhei(t["wfl"], t["wfh"], sex0, adjusted, in_wfl, in_wfh))

    return {"zlen": zlen, "zwei": zwei, "zwfl": zwfl, "zbmi": zbmi}


def category_codes(index: str, z) -> np.ndarray:
    """Permenkes 2/2020 category of each z-score as a small code (0 = none; see CODES)."""
    inclusive, exclusive = EDGES[index]
    codes = np.ones(z.shape, dtype=np.int8)
    for edge in inclusive:
        codes += z >= edge
    for edge in exclusive:
        codes += z > edge
    codes[np.isnan(z)] = 0
    return codes


def finish(z: dict) -> dict[str, np.ndarray]:
    """Rounded z-scores (zs_tbu, …), category codes (kode_tbu, …) and flags (flag_tbu, …) from
    compute_arrays()."""
    out = {}
    with np.errstate(invalid="ignore"):
        for index in INDICES:
            rounded = np.round(z[RAW[index]], 2)
            low, high = FLAG_LIMITS[index]
            out[f"zs_{index}"] = rounded
            out[f"kode_{index}"] = category_codes(index, rounded)
            out[f"flag_{index}"] = (rounded < low) | (rounded > high)
    return out
