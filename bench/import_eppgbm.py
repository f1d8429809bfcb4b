"""Time of the e-PPGBM import for a 100,000-row export (target: under 60 s on this 2-core machine).

Generates a realistic XLSX export (balita.demo: 25,000 children, monthly posyandu visits over
five months, e-PPGBM's column names), then times against the configured database:
  1. the dry run (read, check, match: what the preview does),
  2. the first import (everything new),
  3. the same file again (idempotent: nothing new, nothing changed),
  4. a later export (one more month, 10 % of the earlier rows corrected).
Each import is the real one (services.import_file: one transaction, COPY, audit triggers); the
whole run is rolled back at the end, so the database is left as it was.

Run: DATABASE_URL=… .venv/bin/python bench/import_eppgbm.py [rows]
"""

import datetime
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
FOLDER = Path(tempfile.mkdtemp(prefix="bench-eppgbm-"))
os.environ["MEDIA_ROOT"] = str(FOLDER / "media")  # the imports keep their files: throw them away after
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpps.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.db import transaction  # noqa: E402

from balita import demo, services  # noqa: E402
from tpps import xlsx  # noqa: E402
from tpps import demo as tpps_demo  # noqa: E402
from tpps.roles import SYSTEM


class Rollback(Exception):
    pass


def write_xlsx(frame, path):
    xlsx.write_frame(path, frame)


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    folder = FOLDER
    try:
        with transaction.atomic():
            tpps_demo.load()  # posyandu exist (no-op when already there)
            started = time.perf_counter()
            areas = demo.city_areas(seed=11)
            kids = demo.children(rows // 4, areas, born_from=datetime.date(2020, 9, 1),
                                 born_to=datetime.date(2025, 5, 31), seed=11, nik_serial_from=5001)
            visits = demo.eppgbm_rows(kids, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 6, 30), seed=11,
                                      attendance=0.85)
            first = visits[visits["Tanggal Pengukuran"] < "2025-06-01"]
            first = first.iloc[np.resize(np.arange(len(first)), rows)].copy() if len(first) < rows else first.head(rows)
            first["No"] = np.arange(1, len(first) + 1)
            later = visits.copy()
            rng = np.random.default_rng(3)
            corrected = rng.random(len(later)) < 0.10
            later.loc[corrected, "Berat"] = (later.loc[corrected, "Berat"] + 0.2).round(1)
            write_xlsx(first, folder / "eppgbm-jan-mei-2025.xlsx")
            write_xlsx(later, folder / "eppgbm-jan-jun-2025.xlsx")
            print(f"generated {len(first):,} + {len(later):,} rows in {time.perf_counter() - started:.1f} s "
                  f"({(folder / 'eppgbm-jan-mei-2025.xlsx').stat().st_size / 1e6:.1f} MB xlsx)")

            def timed(label, path, dry_run=False):
                started = time.perf_counter()
                batch, plan = services.import_file(path, dry_run=dry_run, user=SYSTEM)
                elapsed = time.perf_counter() - started
                line = batch.summary_line() if batch else _summary(plan.counts())
                print(f"{label:<24} {elapsed:6.1f} s   {line}")
                errors = batch.galat.values_list("baris", "kolom", "pesan") if batch else plan.errors.head(5).itertuples(index=False)
                for error in list(errors)[:3]:
                    print("   ", *error)

            timed("dry run", folder / "eppgbm-jan-mei-2025.xlsx", dry_run=True)
            timed("first import", folder / "eppgbm-jan-mei-2025.xlsx")
            timed("same file again", folder / "eppgbm-jan-mei-2025.xlsx")
            timed("later export (+1 month)", folder / "eppgbm-jan-jun-2025.xlsx")
            raise Rollback
    except Rollback:
        pass
    finally:
        shutil.rmtree(folder)


def _summary(c):
    return (f"rows={c['baris']} children_new={c['anak_baru']} children_matched={c['anak_cocok']} "
            f"measurements_new={c['pengukuran_baru']} measurements_updated={c['pengukuran_diubah']} "
            f"errors={c['baris_galat']}")


if __name__ == "__main__":
    main()
