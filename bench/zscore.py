"""Throughput of the z-score engine: rows per second for 1,000,000 measurements, all four
indices with categories and flags (balita.growth.engine.compute).

Run: .venv/bin/python bench/zscore.py [rows]
"""

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from balita.growth import engine  # noqa: E402


def measurements(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    birth = np.datetime64("2020-01-01") + rng.integers(0, 1500, rows).astype("timedelta64[D]")
    age = rng.integers(0, 1860, rows)
    months = age / 30.4375
    height = 50 + 40 * (months / 60) ** 0.6 + rng.normal(0, 3, rows)
    weight = 3.3 + 13 * (months / 60) ** 0.7 + rng.normal(0, 1.2, rows)
    return pd.DataFrame(
        {
            "jenis_kelamin": rng.choice(np.array(["L", "P"]), rows),
            "tanggal_lahir": birth,
            "tanggal": birth + age.astype("timedelta64[D]"),
            "berat": np.round(np.clip(weight, 1.5, None), 2),
            "tinggi": np.round(height, 1),
            "cara_ukur": np.where(age < 731, "terlentang", "berdiri"),
        }
    )


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    frame = measurements(rows)
    engine.compute(frame.head(10))  # load the tables once, as a running app has them
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        result = engine.compute(frame)
        best = min(best, time.perf_counter() - start)
    computed = int(result["zs_tbu"].notna().sum())
    print(f"rows={rows} seconds={best:.3f} rows_per_second={rows / best:,.0f} (best of 3; {computed} with TB/U)")


if __name__ == "__main__":
    main()
