"""Speed of konvergensi's selectors (the reads laporan and the pages use) with a busy year, and
of the upload check on files at the size limit.

Usage (any migrated database; everything the script adds is rolled back at the end):
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/tpps_bench .venv/bin/python bench/konvergensi.py [evidence]

Prints, per selector, the best of 5 runs and the number of SQL queries (which must not grow with
the number of rows), then the upload check's throughput in MB/s.
"""

import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpps.settings")

import django  # noqa: E402

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from konvergensi import selectors  # noqa: E402
from tpps import uploads, xlsx  # noqa: E402
from konvergensi.models import (  # noqa: E402
    AksiTahunan,
    Bukti,
    Capaian,
    Indikator,
    KeluaranAksi,
    RencanaKegiatan,
    TargetIndikator,
)
from tpps.models import Opd  # noqa: E402
from tpps.roles import SYSTEM

YEAR = 2025


class Rollback(Exception):
    pass


def fill(evidence: int):
    """A heavy year: 10 outputs per action, `evidence` evidence rows, 200 indicators with
    targets and quarterly achievements, 500 planned activities."""
    opds = list(Opd.objects.all())
    actions = list(AksiTahunan.objects.filter(tahun=YEAR))
    outputs = []
    for tahunan in actions:
        outputs += KeluaranAksi.objects.bulk_create(
            KeluaranAksi(aksi_tahunan=tahunan, nama=f"Dokumen bench {i}", urutan=100 + i) for i in range(10)
        )
    states = ["menunggu", "diterima", "perlu_revisi", "diterima"]
    Bukti.objects.bulk_create(
        Bukti(
            aksi_tahunan=outputs[i % len(outputs)].aksi_tahunan, keluaran=outputs[i % len(outputs)], judul=f"Bukti {i}",
            berkas=f"bench/{i}.pdf", nama_berkas=f"{i}.pdf", jenis="pdf", mime="application/pdf", ukuran=1000,
            sha256=f"{i:064x}", opd=opds[i % len(opds)], status=states[i % 4],
        )
        for i in range(evidence)
    )
    indicators = Indikator.objects.bulk_create(
        Indikator(kode=f"bench-{i}", nama=f"Indikator bench {i}", sumber_data="bench", opd=opds[i % len(opds)], urutan=100 + i)
        for i in range(200)
    )
    TargetIndikator.objects.bulk_create(TargetIndikator(indikator=ind, tahun=YEAR, nilai=Decimal(80)) for ind in indicators)
    Capaian.objects.bulk_create(
        Capaian(indikator=ind, tahun=YEAR, periode=p, nilai=Decimal(60 + (i * 7) % 40), kendala="k", upaya="u")
        for i, ind in enumerate(indicators)
        for p in ("t1", "t2", "t3")
    )
    RencanaKegiatan.objects.bulk_create(
        RencanaKegiatan(tahun=YEAR, opd=opds[i % len(opds)], nama=f"Kegiatan {i}", pagu=1_000_000 * (i + 1), realisasi=500_000 * (i + 1), sasaran="umum")
        for i in range(500)
    )


def measure(label, func):
    best, queries = float("inf"), 0
    for _ in range(5):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            result = func()
            best = min(best, time.perf_counter() - start)
        queries = len(captured)
    size = len(result) if hasattr(result, "__len__") else "-"
    print(f"{label:<34} {best * 1000:8.1f} ms  {queries:3d} queries  ({size} rows/keys)")


def upload_throughput():
    limit = uploads.batas_bita()
    pdf = b"%PDF-1.4\n" + b"0" * (limit - 64) + b"\n%%EOF\n"
    rows = ([row, f"Kelurahan {row % 46}", row * 3, "catatan panjang " * 3] for row in range(60_000))
    workbook = xlsx.table_bytes(["No", "Kelurahan", "Nilai", "Catatan"], rows)
    for name, content in (("besar.pdf", pdf), ("besar.xlsx", workbook)):
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            uploads.periksa_berkas(SimpleUploadedFile(name, content))
            best = min(best, time.perf_counter() - start)
        mb = len(content) / uploads.MB
        print(f"periksa_berkas {name:<19} {mb:6.1f} MB  {best * 1000:8.1f} ms  {mb / best:8.0f} MB/s")


def main():
    evidence = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    try:
        with transaction.atomic():
            fill(evidence)
            print(f"year {YEAR}: {Bukti.objects.filter(aksi_tahunan__tahun=YEAR).count()} evidence rows, "
                  f"{Indikator.objects.count()} indicators, {RencanaKegiatan.objects.filter(tahun=YEAR).count()} activities")
            measure("actions_progress(year)", lambda: selectors.actions_progress(YEAR, user=SYSTEM))
            measure("indicator_results(year, 't3')", lambda: selectors.indicator_results(YEAR, "t3", user=SYSTEM))
            measure("indicator_results(year) freshest", lambda: selectors.indicator_results(YEAR, user=SYSTEM))
            measure("readiness_summary(year)", lambda: selectors.readiness_summary(YEAR, user=SYSTEM))
            measure("opd_overview(year)", lambda: selectors.opd_overview(YEAR, user=SYSTEM))
            measure("plan_overview(year)", lambda: selectors.plan_overview(YEAR, user=SYSTEM))
            raise Rollback
    except Rollback:
        pass
    upload_throughput()


if __name__ == "__main__":
    main()
