"""WHO z-scores, categories and flags for pandas frames: the face of `balita.growth.who` that the app
uses (forms, services, imports, charts). The rules themselves live in `who` (numpy only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from balita.growth import who
from balita.growth.who import (  # noqa: F401  (the app reads these names here)
    DAYS_PER_MONTH, HEIGHT_TABLE, LENGTH_TABLE, MAX_AGE_DAYS, STANDING_FROM_DAYS, compute_arrays, tables,
)

OUTPUT_COLUMNS = [
    "umur_hari", "umur_bulan",
    "zs_tbu", "zs_bbu", "zs_bbtb", "zs_imtu",
    "kategori_tbu", "kategori_bbu", "kategori_bbtb", "kategori_imtu",
    "flag_tbu", "flag_bbu", "flag_bbtb", "flag_imtu",
]


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
    done = who.finish(z)
    known_age = ~np.isnan(age) & (age >= 0)
    age_int = np.where(known_age, age, 0).astype(np.int64)
    out = {
        "umur_hari": pd.arrays.IntegerArray(age_int, ~known_age),
        "umur_bulan": pd.arrays.IntegerArray((age_int / DAYS_PER_MONTH).astype(np.int64), ~known_age),
    }
    out.update({f"zs_{index}": done[f"zs_{index}"] for index in who.INDICES})
    out.update({f"kategori_{index}": pd.Categorical.from_codes(done[f"kode_{index}"], categories=who.CODES[index])
                for index in who.INDICES})
    out.update({f"flag_{index}": done[f"flag_{index}"] for index in who.INDICES})
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
