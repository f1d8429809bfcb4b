"""Z-scores side by side with WHO's anthro R package, whole process, on one 201,000-row CSV (the 1,000
WHO reference cases plus 200,000 generated measurements, e-PPGBM column names):

- `manage.py zscore IN -o OUT` and `python -m balita.growth IN OUT` (interpreter start included);
- `Rscript` reading the same CSV, `anthro::anthro_zscores()` with age in days, writing a CSV
  (only when R and anthro are installed; see README, "Z-score engine"), and how far apart the two
  outputs are;
- the engine alone (balita.growth.who on arrays, categories and flags included) in rows per second
  for 1,000,000 measurements.
Each figure is the best of --runs runs (the machine is shared: the best run is the least disturbed).

Run: .venv/bin/python bench/zscore.py [--rows 200000] [--runs 3] [--engine-rows 1000000]
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from balita.growth import who  # noqa: E402

REFERENCE = ROOT / "tests" / "balita" / "data" / "anthro_reference_cases.csv"
COLUMNS = ["JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur"]
ANTHRO_SCRIPT = r"""
args <- commandArgs(TRUE)
suppressPackageStartupMessages(library(anthro))
d <- read.csv(args[1], stringsAsFactors = FALSE, check.names = FALSE, na.strings = "")
age <- as.numeric(as.Date(d[["Tanggal Pengukuran"]]) - as.Date(d[["Tgl Lahir"]]))
way <- tolower(d[["Cara Ukur"]])
measure <- ifelse(way == "terlentang", "l", ifelse(way == "berdiri", "h", NA))
z <- anthro_zscores(sex = ifelse(d$JK == "L", 1, 2), age = age, is_age_in_month = FALSE,
                    weight = d$Berat, lenhei = d$Tinggi, measure = measure)
out <- cbind(d, z[, c("zlen", "flen", "zwei", "fwei", "zwfl", "fwfl", "zbmi", "fbmi")])
write.csv(out, args[2], row.names = FALSE, na = "")
"""


def measurements(rows: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Plausible posyandu measurements (with a few outliers from the noise), as arrays."""
    rng = np.random.default_rng(seed)
    birth = np.datetime64("2020-01-01") + rng.integers(0, 1500, rows).astype("timedelta64[D]")
    age = rng.integers(0, 1860, rows)
    months = age / 30.4375
    height = 50 + 40 * (months / 60) ** 0.6 + rng.normal(0, 3, rows)
    weight = 3.3 + 13 * (months / 60) ** 0.7 + rng.normal(0, 1.2, rows)
    return {
        "sex": rng.integers(1, 3, rows),
        "birth": birth,
        "measured": birth + age.astype("timedelta64[D]"),
        "weight": np.round(np.clip(weight, 1.5, None), 2),
        "height": np.round(height, 1),
        "position": np.where(age < 731, 1, 2),
    }


def write_input(path: Path, rows: int) -> None:
    reference = pa_csv.read_csv(REFERENCE).select(COLUMNS)
    m = measurements(rows)
    generated = pa.table({
        "JK": np.where(m["sex"] == 1, "L", "P"),
        "Tgl Lahir": m["birth"].astype(str),
        "Tanggal Pengukuran": m["measured"].astype(str),
        "Berat": m["weight"],
        "Tinggi": m["height"],
        "Cara Ukur": np.where(m["position"] == 1, "Terlentang", "Berdiri"),
    })
    reference = reference.cast(generated.schema)
    table = pa.concat_tables([reference, generated])
    names = pa.array([f"Anak {i:06d}" for i in range(table.num_rows)])
    pa_csv.write_csv(table.add_column(0, "Nama", names), path)


def best_time(command: list[str], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - start)
    return best


def engine_rows_per_second(rows: int, runs: int) -> tuple[float, float]:
    """(rows per second of wall time, of this process's CPU time): on a shared machine the CPU
    time shows what the engine needs when it has a core to itself."""
    m = measurements(rows)
    day = np.timedelta64(1, "D")
    age = ((m["measured"] - m["birth"]) / day).astype(float)
    who.finish(who.compute_arrays(m["sex"][:10], age[:10], m["weight"][:10], m["height"][:10], m["position"][:10]))
    best = best_cpu = float("inf")
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        who.finish(who.compute_arrays(m["sex"], age, m["weight"], m["height"], m["position"]))
        best = min(best, time.perf_counter() - start)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    return rows / best, rows / best_cpu


def compare(ours: Path, theirs: Path) -> str:
    """Largest difference between our z-scores and anthro's, and rows where only one has a value."""
    a = pa_csv.read_csv(ours).to_pydict()
    b = pa_csv.read_csv(theirs).to_pydict()
    worst, one_sided = 0.0, 0
    for mine, who_name in [("ZS TB/U", "zlen"), ("ZS BB/U", "zwei"), ("ZS BB/TB", "zwfl"), ("ZS IMT/U", "zbmi")]:
        x = np.array(a[mine], dtype=float)
        y = np.array(b[who_name], dtype=float)
        one_sided += int((np.isnan(x) != np.isnan(y)).sum())
        both = ~np.isnan(x) & ~np.isnan(y)
        worst = max(worst, float(np.abs(x[both] - y[both]).max()))
    return f"max |ours - anthro| = {worst:.2f}, values present on one side only: {one_sided}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000, help="generated rows (plus the 1,000 reference cases)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engine-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        source = folder / "pengukuran.csv"
        write_input(source, args.rows)
        total = args.rows + 1000
        print(f"input: {total:,} rows, {source.stat().st_size / 1e6:.1f} MB CSV (best of {args.runs} runs each)")
        ours = best_time([python, "manage.py", "zscore", str(source), "-o", str(folder / "ours.csv")], args.runs)
        print(f"manage.py zscore          {ours:6.2f} s")
        module = best_time([python, "-m", "balita.growth", str(source), str(folder / "module.csv")], args.runs)
        print(f"python -m balita.growth   {module:6.2f} s")
        has_anthro = shutil.which("Rscript") and subprocess.run(
            ["Rscript", "-e", "library(anthro)"], capture_output=True).returncode == 0
        if has_anthro:
            script = folder / "anthro.R"
            script.write_text(ANTHRO_SCRIPT)
            anthro = best_time(["Rscript", str(script), str(source), str(folder / "anthro.csv")], args.runs)
            print(f"WHO anthro (Rscript)      {anthro:6.2f} s   -> manage.py zscore is {anthro / ours:.1f}x faster")
            print("agreement: " + compare(folder / "ours.csv", folder / "anthro.csv"))
        else:
            print("WHO anthro: not installed (Rscript with the anthro package), skipped")
    rate, cpu_rate = engine_rows_per_second(args.engine_rows, args.runs)
    print(f"engine: {args.engine_rows:,} rows, {rate:,.0f} rows/s wall, {cpu_rate:,.0f} rows/s of CPU time "
          "(z-scores, categories and flags)")


if __name__ == "__main__":
    main()
