"""The data-quality report at city scale: 100,000 children and 1,000,000 measurements (filled by
bench/figures.py's own `fill`), then the report's time for a month, a quarter and a year at each
level, the page, the fix list's XLSX and the PDF pack's section.

Usage (a scratch database: the script adds rows to whatever DATABASE_URL points at):

    createdb -h 127.0.0.1 -U postgres tpps_bench_q
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/tpps_bench_q \\
        .venv/bin/python bench/quality.py [--children 100000] [--measurements 1000000] [--skip-fill]

bench/figures.py's children share 16 mothers' names, which would make every second child a
"duplicate"; the mothers are renamed per child and a few real problems are planted (0.5 % of
heights falling 3 cm, duplicates, missing NIK) so the report has findings to list.
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

from balita import summary  # noqa: E402
from balita.quality.report import report  # noqa: E402
from tpps import demo as tpps_demo  # noqa: E402
from tpps.models import Penugasan, User  # noqa: E402
from tpps.periods import Periode  # noqa: E402
from tpps.roles import SYSTEM, Role  # noqa: E402

PLANT_SQL = [
    # One mother per child (bench/figures.py uses 16 names for 100,000 children).
    "UPDATE balita_anak SET nama_ibu = 'Ibu ' || id",
    # 0.5 % of the children lose their NIK.
    "UPDATE balita_anak SET nik = NULL WHERE id % 200 = 0",
    # 0.1 % registered twice: a copy with the same name, birth date and mother, never measured.
    """INSERT INTO balita_anak (nama, jenis_kelamin, tanggal_lahir, nama_ibu, nik_ibu, nama_ayah, alamat, rt, rw,
                                kelurahan_id, posyandu_id, dibuat, diubah)
       SELECT nama, jenis_kelamin, tanggal_lahir, nama_ibu, '', '', alamat, rt, rw, kelurahan_id, posyandu_id,
              dibuat, diubah FROM balita_anak WHERE id % 1000 = 7""",
    # 0.5 % of measurements 3 cm shorter than they were: heights that fall.
    "UPDATE balita_pengukuran SET tinggi = tinggi - 3 WHERE id % 200 = 0",
    # Rounded heights in one kelurahan's posyandu: digit preference.
    """UPDATE balita_pengukuran SET tinggi = round(tinggi) WHERE kelurahan_id = (SELECT min(id) FROM tpps_kelurahan)""",
]


def plant():
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no audit rows for the bench load
        for sql in PLANT_SQL:
            cursor.execute(sql)
        cursor.execute("SET session_replication_role = DEFAULT")
        cursor.execute("ANALYZE balita_anak")
        cursor.execute("ANALYZE balita_pengukuran")
    print(f"planted problems in {time.perf_counter() - started:.1f} s")


def timed(label, func, runs=5):
    func()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - started)
    print(f"{label:<52} median {statistics.median(times) * 1000:7.0f} ms   max {max(times) * 1000:7.0f} ms")
    return result


def measure():
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT count(*) FROM balita_anak), (SELECT count(*) FROM balita_pengukuran)")
        children, measurements = cursor.fetchone()
    print(f"database: {children:,} children, {measurements:,} measurements")
    for periode in (Periode("bulan", 2026, 9), Periode("triwulan", 2026, 3), Periode("tahun", 2025, 1)):
        for level in ("posyandu", "kelurahan", "puskesmas"):
            laporan = timed(f"report {periode.label}, per {level}", lambda p=periode, lv=level: report(SYSTEM, p, lv))
        print(f"    {laporan.kota.jumlah.n_anak:,} children, {laporan.kota.jumlah.n_ukur:,} measurements, "
              f"{len(laporan.temuan):,} findings, city score {laporan.kota.skor.nilai}")
    user, created = User.objects.get_or_create(username="bench_operator_q")
    if created:
        Penugasan.objects.create(user=user, peran=Role.OPERATOR)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    def get(url, **headers):
        def call():
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return call

    timed("page /balita/mutu/ (month, per posyandu)", get("/balita/mutu/?tahun=2026&periode=b09"))
    timed("page, HTMX: fix list page 3", get("/balita/mutu/?tahun=2026&periode=b09&bagian=temuan&hal=3",
                                              HTTP_HX_REQUEST="true"))
    timed("page, HTMX: year 2025 per kelurahan", get("/balita/mutu/?tahun=2025&periode=th&level=kelurahan",
                                                     HTTP_HX_REQUEST="true"))
    timed("fix list XLSX (month)", get("/balita/mutu/temuan.xlsx?tahun=2026&periode=b09"), runs=3)


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
        plant()
        with transaction.atomic():
            summary.refresh()
    measure()


if __name__ == "__main__":
    main()
