"""WHO Child Growth Standards z-scores for whole arrays, as WHO's `anthro` R package computes them.

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
Pure numpy/pandas: no Django, so analysts can use it on its own.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from balita.growth import categories
from tpps.ages import DAYS_PER_MONTH  # the app's one month (plain Python, no Django)

DATA = Path(__file__).resolve().parent / "data"
MAX_AGE_DAYS = 1856
# WHO: length is measured lying under 731 days (24 months), height standing from then on.
STANDING_FROM_DAYS = 731
LENGTH_TABLE = (45.0, 110.0)  # weight-for-length rows, cm
HEIGHT_TABLE = (65.0, 120.0)  # weight-for-height rows, cm

OUTPUT_COLUMNS = [
    "umur_hari", "umur_bulan",
    "zs_tbu", "zs_bbu", "zs_bbtb", "zs_imtu",
    "kategori_tbu", "kategori_bbu", "kategori_bbtb", "kategori_imtu",
    "flag_tbu", "flag_bbu", "flag_bbtb", "flag_imtu",
]


class Table:
    """LMS parameters as arrays [sex 0/1, row], rows by day of age or by 0.1 cm."""

    def __init__(self, file: str, key: str, start: float = 0.0, step: float = 1.0):
        frame = pd.read_csv(DATA / file, sep="\t")
        self.start, self.step = start, step
        rows = int(round((frame[key].max() - start) / step)) + 1
        self.lms = np.full((3, 2, rows), np.nan)
        index = np.rint((frame[key].to_numpy() - start) / step).astype(int)
        sex = frame["sex"].to_numpy() - 1
        for i, column in enumerate("lms"):
            self.lms[i, sex, index] = frame[column].to_numpy()
        self.rows = rows


@lru_cache(maxsize=1)
def tables() -> dict[str, Table]:
    return {
        "len": Table("lenanthro.txt", "age"),
        "wei": Table("weianthro.txt", "age"),
        "bmi": Table("bmianthro.txt", "age"),
        "wfl": Table("wflanthro.txt", "length", start=LENGTH_TABLE[0], step=0.1),
        "wfh": Table("wfhanthro.txt", "height", start=HEIGHT_TABLE[0], step=0.1),
    }


def _lms_z(x, l, m, s):
    with np.errstate(invalid="ignore", divide="ignore"):
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


def _by_age(table: Table, sex, age, valid):
    """L, M, S for each row's sex and age in days (NaN where not valid)."""
    idx = np.where(valid, age, 0).astype(np.int64)
    sx = np.where(valid, sex, 0)
    l, m, s = (table.lms[i, sx, idx] for i in range(3))
    return (np.where(valid, p, np.nan) for p in (l, m, s))


def _by_lenhei(table: Table, sex, lenhei, valid):
    """L, M, S interpolated between the 0.1 cm rows around each length/height.

    The arithmetic is anthro's, step for step (trunc(x*10)/10, trunc(x*10 + 1)/10, diff / 0.1), so
    that floating-point edge cases land where WHO's software lands them: 102.4 stored as
    102.39999999999999 interpolates between the rows 102.3 and 102.5, as anthro does.
    """
    with np.errstate(invalid="ignore"):
        low_key = np.trunc(lenhei * 10) / 10
        upp_key = np.trunc(lenhei * 10 + 1) / 10
        diff = (lenhei - low_key) / 0.1
    low = np.where(valid, np.rint((low_key - table.start) / table.step), 0).astype(np.int64)
    upp = np.where(valid, np.rint((upp_key - table.start) / table.step), 0).astype(np.int64)
    upp_in_table = (upp >= 0) & (upp < table.rows)
    low, upp = np.clip(low, 0, table.rows - 1), np.clip(upp, 0, table.rows - 1)
    sx = np.where(valid, sex, 0)
    interpolate = valid & (diff > 0)
    out = []
    for i in range(3):
        lo, hi = table.lms[i, sx, low], table.lms[i, sx, upp]
        hi = np.where(upp_in_table, hi, np.nan)
        value = np.where(interpolate, lo + diff * (hi - lo), lo)
        out.append(np.where(valid, value, np.nan))
    return out


def _category_codes(z, edges_inclusive, edges_exclusive):
    """Number of thresholds passed: z >= each inclusive edge, z > each exclusive edge."""
    codes = np.zeros(z.shape, dtype=np.int8)
    for edge in edges_inclusive:
        codes += z >= edge
    for edge in edges_exclusive:
        codes += z > edge
    return codes


def _categorical(z, scale, edges_inclusive, edges_exclusive):
    labels = [""] + [code for code, _ in scale]
    codes = _category_codes(z, edges_inclusive, edges_exclusive) + 1
    codes = np.where(np.isnan(z), 0, codes)
    return pd.Categorical.from_codes(codes, categories=labels)


def compute_arrays(sex, age_days, weight, lenhei, position) -> dict[str, np.ndarray]:
    """The core on plain arrays.

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
        valid_age = known_sex & (age >= 0) & (age / DAYS_PER_MONTH < 60) & (age <= MAX_AGE_DAYS)
        young = age < STANDING_FROM_DAYS
        # anthro: "we consider a height measure for children younger than 9 months as implausible".
        position = np.where((position == 2) & (age / DAYS_PER_MONTH < 9), 0, position)
        adjusted = lenhei + np.where(young & (position == 2), 0.7, 0.0) - np.where(~young & (position == 1), 0.7, 0.0)
        has_len = valid_age & (adjusted > 0)
        has_wei = valid_age & (weight > 0)

    zlen = _lms_z(adjusted, *_by_age(t["len"], sex0, age, has_len))
    zwei = _restricted_z(weight, *_by_age(t["wei"], sex0, age, has_wei))

    with np.errstate(invalid="ignore", divide="ignore"):
        bmi = weight / np.square(adjusted / 100.0)
    zbmi = _restricted_z(bmi, *_by_age(t["bmi"], sex0, age, has_len & has_wei))

    with np.errstate(invalid="ignore"):
        wfl_weight = has_wei & (weight >= 0.9) & (weight <= 58.0)
        in_wfl = has_len & wfl_weight & young & (adjusted >= LENGTH_TABLE[0]) & (adjusted <= LENGTH_TABLE[1])
        in_wfh = has_len & wfl_weight & ~young & (adjusted >= HEIGHT_TABLE[0]) & (adjusted <= HEIGHT_TABLE[1])
    l1, m1, s1 = _by_lenhei(t["wfl"], sex0, adjusted, in_wfl)
    l2, m2, s2 = _by_lenhei(t["wfh"], sex0, adjusted, in_wfh)
    zwfl = _restricted_z(weight, np.where(in_wfl, l1, l2), np.where(in_wfl, m1, m2), np.where(in_wfl, s1, s2))

    return {"zlen": zlen, "zwei": zwei, "zwfl": zwfl, "zbmi": zbmi}


def _codes(values, mapping: dict) -> np.ndarray:
    """Map text values to small integer codes; a column holds few distinct values, so only those
    are cleaned (strip, lower case) and the codes are spread back by factorize (speed)."""
    codes, uniques = pd.factorize(pd.Series(values, copy=False), use_na_sentinel=True)
    lookup = np.array([mapping.get(str(u).strip().lower(), 0) for u in uniques] + [0], dtype=np.int8)
    return lookup[codes]  # the sentinel -1 picks the trailing 0


def _sex_codes(values) -> np.ndarray:
    return _codes(values, {"l": 1, "p": 2, "1": 1, "2": 2})


def _position_codes(values) -> np.ndarray:
    return _codes(values, {"terlentang": 1, "l": 1, "berdiri": 2, "h": 2})


def _days(values) -> np.ndarray:
    return pd.to_datetime(pd.Series(values, copy=False), errors="coerce").to_numpy(dtype="datetime64[D]")


def compute(frame: pd.DataFrame) -> pd.DataFrame:
    """Z-scores, categories and flags for a frame of measurements.

    Input columns: jenis_kelamin ("L"/"P"), tanggal_lahir, tanggal (dates), berat (kg),
    tinggi (cm), cara_ukur ("terlentang"/"berdiri"/empty). Output: same index, OUTPUT_COLUMNS.
    """
    birth = _days(frame["tanggal_lahir"])
    measured = _days(frame["tanggal"])
    age = (measured - birth).astype("timedelta64[D]").astype("float64")
    age[np.isnat(birth) | np.isnat(measured)] = np.nan
    position = _position_codes(frame["cara_ukur"]) if "cara_ukur" in frame else np.zeros(len(frame), dtype=int)
    z = compute_arrays(
        _sex_codes(frame["jenis_kelamin"]),
        age,
        pd.to_numeric(frame["berat"], errors="coerce").to_numpy(dtype=float),
        pd.to_numeric(frame["tinggi"], errors="coerce").to_numpy(dtype=float),
        position,
    )
    return assemble(age, z, index=frame.index)


def assemble(age, z: dict, index=None) -> pd.DataFrame:
    """Round, flag and categorise the raw z-scores of compute_arrays()."""
    zlen, zwei, zwfl, zbmi = (np.round(z[k], 2) for k in ("zlen", "zwei", "zwfl", "zbmi"))
    known_age = ~np.isnan(age) & (age >= 0)
    age_int = np.where(known_age, age, 0).astype(np.int64)
    with np.errstate(invalid="ignore"):
        out = {
            "umur_hari": pd.arrays.IntegerArray(age_int, ~known_age),
            "umur_bulan": pd.arrays.IntegerArray((age_int / DAYS_PER_MONTH).astype(np.int64), ~known_age),
            "zs_tbu": zlen,
            "zs_bbu": zwei,
            "zs_bbtb": zwfl,
            "zs_imtu": zbmi,
            "kategori_tbu": _categorical(zlen, categories.TBU, (-3, -2), (3,)),
            "kategori_bbu": _categorical(zwei, categories.BBU, (-3, -2), (1,)),
            "kategori_bbtb": _categorical(zwfl, categories.GIZI, (-3, -2), (1, 2, 3)),
            "kategori_imtu": _categorical(zbmi, categories.GIZI, (-3, -2), (1, 2, 3)),
            "flag_tbu": (zlen < -6) | (zlen > 6),
            "flag_bbu": (zwei < -6) | (zwei > 5),
            "flag_bbtb": (zwfl < -5) | (zwfl > 5),
            "flag_imtu": (zbmi < -5) | (zbmi > 5),
        }
    return pd.DataFrame(out, index=index)


def compute_one(*, jenis_kelamin, tanggal_lahir, tanggal, berat=None, tinggi=None, cara_ukur="") -> dict:
    """One measurement (e.g. the entry form's live preview): a dict of OUTPUT_COLUMNS with
    None for values WHO does not compute and plain str/bool/float/int values."""
    frame = pd.DataFrame(
        {
            "jenis_kelamin": [jenis_kelamin],
            "tanggal_lahir": [tanggal_lahir],
            "tanggal": [tanggal],
            "berat": [np.nan if berat is None else float(berat)],
            "tinggi": [np.nan if tinggi is None else float(tinggi)],
            "cara_ukur": [cara_ukur or ""],
        }
    )
    row = compute(frame).iloc[0]
    result = {}
    for column in OUTPUT_COLUMNS:
        value = row[column]
        if column.startswith("kategori_"):
            result[column] = str(value)
        elif column.startswith("flag_"):
            result[column] = bool(value)
        elif pd.isna(value):
            result[column] = None
        elif column.startswith("umur_"):
            result[column] = int(value)
        else:
            result[column] = float(value)
    return result


SD_LINES = (-3, -2, 0, 2, 3)


def reference_curves(index: str, jenis_kelamin: str, max_days: int = 1826, step: int = 7) -> pd.DataFrame:
    """WHO reference lines for charts: columns age_days, age_months and sd-3, sd-2, sd0, sd2, sd3
    (the measurement at that SD) for index "tbu" (length/height-for-age) or "bbu" (weight-for-age)."""
    table = tables()["len" if index == "tbu" else "wei"]
    sex = 0 if jenis_kelamin == "L" else 1
    days = np.arange(0, max_days + 1, step)
    if days[-1] != max_days:
        days = np.append(days, max_days)
    l, m, s = (table.lms[i, sex, days] for i in range(3))
    frame = pd.DataFrame({"age_days": days, "age_months": days / DAYS_PER_MONTH})
    for k in SD_LINES:
        frame[f"sd{k}"] = m * np.power(1.0 + l * s * k, 1.0 / l)
    return frame
