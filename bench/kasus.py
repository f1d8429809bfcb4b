"""Tata laksana gizi at city scale: 100,000 children and 1,000,000 measurements (bench/figures.py's
fill), every case opened by kasus.derive as an import would, then the time of the case list, the
follow-up list, the cohort page and the dashboard summary, and of the in-transaction refresh
after an import (whole city) and after a form entry (one kelurahan).

Usage (a scratch database: the script adds rows to whatever DATABASE_URL points at):

    createdb -h 127.0.0.1 -U postgres tpps_bench_kasus
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/tpps_bench_kasus \
        .venv/bin/python bench/kasus.py [--children 100000] [--measurements 1000000] [--skip-fill]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parent))

import figures as bench_figures  # noqa: E402  (bench/figures.py: django.setup() and fill())
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from kasus import derive, selectors  # noqa: E402
from kasus.models import Kasus  # noqa: E402
from tpps import demo as tpps_demo  # noqa: E402
from tpps.models import Kelurahan, Posyandu, User  # noqa: E402
from tpps.roles import SYSTEM  # noqa: E402


def timed(label, func, runs=5):
    func()  # warm-up
    times, queries = [], 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            func()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    print(f"{label:<58} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms   {queries:3d} queries")


def refresh_timed(label, kelurahan_ids, runs=3):
    times = []
    for _ in range(runs):
        with transaction.atomic():
            started = time.perf_counter()
            result = derive.refresh(kelurahan_ids)
            times.append(time.perf_counter() - started)
            transaction.set_rollback(True)
    print(f"{label:<58} median {statistics.median(times):7.2f} s    (opened {result['dibuka']}, changed {result['diubah']})")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--measurements", type=int, default=1_000_000)
    parser.add_argument("--skip-fill", action="store_true", help="measure the data already in the database")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    tpps_demo.load()
    if not args.skip_fill:
        bench_figures.fill(args.children, args.measurements)
    if not Kasus.objects.exists():
        started = time.perf_counter()
        with transaction.atomic():
            result = derive.refresh(None)
        print(f"first refresh (opens every case): {result['dibuka']:,} cases in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE kasus_kasus")
    print(f"cases: {Kasus.objects.count():,}, open {Kasus.objects.filter(hasil='').count():,}")
    refresh_timed("refresh after an import (whole city, nothing new)", None)
    kelurahan = Kelurahan.objects.order_by("id").first()
    refresh_timed("refresh after a form entry (one kelurahan)", {kelurahan.pk})

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username="operator"))
    on = selectors.as_of()
    year = on.year
    posyandu = Posyandu.objects.filter(anak__kasus__hasil="").values_list("id", flat=True).first()

    def get(url):
        def run():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return run

    timed("case list, first page (whole city)", get("/kasus/"))
    timed("case list, stunting and overdue", get("/kasus/?masalah=stunting&tempo=terlambat"))
    timed("case list, one kelurahan, page 3", get(f"/kasus/?kelurahan={kelurahan.pk}&hal=3"))
    timed("follow-up per posyandu", get("/kasus/tindak-lanjut/"))
    timed("follow-up per puskesmas", get("/kasus/tindak-lanjut/?tingkat=puskesmas"))
    timed(f"cohort page {year} by month", get(f"/kasus/kohort/?tahun={year}"))
    timed(f"cohort page {year - 1} by month", get(f"/kasus/kohort/?tahun={year - 1}"))
    timed(f"cohort page {year} by puskesmas", get(f"/kasus/kohort/?tahun={year}&per=puskesmas"))
    timed(f"cohort page {year} by intervention", get(f"/kasus/kohort/?tahun={year}&per=intervensi"))
    if posyandu:
        timed("visit list of one posyandu", get(f"/kasus/kunjungan/{posyandu}/"))
    timed("dashboard summary (selector)", lambda: selectors.summary(SYSTEM, year, on=on))


if __name__ == "__main__":
    main()
