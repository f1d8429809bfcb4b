"""Figure reads at city scale: fill 100,000 children and 1,000,000 measurements, then time every
screen that reads balita's read model (dashboard, stunting register, indicator card, kelurahan
page, exports, evaluation pack) and the cost of keeping the figures fresh.

Usage (use a scratch database: the script adds rows to whatever DATABASE_URL points at):

    createdb -h 127.0.0.1 -U postgres tpps_bench
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/tpps_bench \
        .venv/bin/python bench/figures.py [--children 100000] [--measurements 1000000] [--skip-fill]

It migrates, bulk-loads children and measurements with COPY (audit triggers skipped for the
load only, with `SET session_replication_role = replica` on this connection), rebuilds the
figures (RingkasanGizi) as `refresh_figures` does, then prints the server time and SQL query
count of each page and fragment, the time of a form entry with its in-transaction refresh,
and the time of the evaluation pack.
Z-scores are drawn per child (a latent height-for-age that drifts a little per visit), not
computed from WHO tables: the dashboard only reads the stored values.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpps.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

FIRST_NAMES = ["Ahmad", "Muhammad", "Siti", "Nur", "Dewi", "Putri", "Rizky", "Aditya", "Bagas", "Citra", "Dian",
               "Eka", "Fajar", "Gilang", "Hana", "Indah", "Joko", "Kirana", "Laras", "Maya", "Nadia", "Oki", "Putra",
               "Rahma", "Sari", "Tegar", "Umi", "Vina", "Wahyu", "Yoga", "Zahra", "Alya", "Bima", "Cahya", "Daffa"]
LAST_NAMES = ["Pratama", "Saputra", "Wijaya", "Lestari", "Rahmawati", "Hidayat", "Nugroho", "Kurniawan",
              "Setiawan", "Permata", "Ramadhan", "Anggraini", "Maharani", "Firmansyah", "Kusuma", "Utami"]


def _copy(table, columns, rows):
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _check_columns(table, columns):
    """Fail early if the model grew a NOT NULL column without default that we do not fill."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND is_nullable = 'NO' "
            "AND column_default IS NULL", [table],
        )
        required = {r[0] for r in cursor.fetchall()} - {"id"}
    missing = required - set(columns)
    if missing:
        sys.exit(f"{table}: the bench does not fill required columns {sorted(missing)}; update bench/figures.py")


def fill(children: int, measurements: int, seed: int = 7):
    from tpps.models import Kelurahan, Posyandu

    rng = np.random.default_rng(seed)
    kelurahan = list(Kelurahan.objects.values_list("id", flat=True))
    posyandu = {}
    for pid, kid in Posyandu.objects.values_list("id", "kelurahan_id"):
        posyandu.setdefault(kid, []).append(pid)
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM balita_anak")
        first_id = cursor.fetchone()[0] + 1
    now = datetime.datetime.now(datetime.timezone.utc)
    period_start, period_end = datetime.date(2024, 1, 1), datetime.date(2026, 10, 31)

    # Children: born so that most are under five somewhere in 2024-2026.
    ids = np.arange(first_id, first_id + children)
    kel = rng.choice(kelurahan, size=children)
    birth_offset = rng.integers(0, (period_end - datetime.date(2019, 11, 1)).days, size=children)
    births = [datetime.date(2019, 11, 1) + datetime.timedelta(days=int(d)) for d in birth_offset]
    # Latent height-for-age per child: about 5 % below -2 SD, as in e-PPGBM for Kediri.
    haz0 = rng.normal(-0.55, 0.95, size=children)
    waz0 = haz0 * 0.6 + rng.normal(-0.3, 0.8, size=children)
    sex = rng.choice(["L", "P"], size=children)
    anak_columns = ["id", "nik", "nama", "jenis_kelamin", "tanggal_lahir", "nama_ibu", "nik_ibu", "nama_ayah",
                    "alamat", "rt", "rw", "kelurahan_id", "posyandu_id", "dibuat", "diubah"]
    _check_columns("balita_anak", anak_columns)
    child_posyandu = [posyandu[k][i % len(posyandu[k])] for i, k in enumerate(kel)]

    def anak_rows():
        for i in range(children):
            name = f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i // 7) % len(LAST_NAMES)]}"
            yield (int(ids[i]), f"3571{int(ids[i]):012d}", name, sex[i], births[i], "Ibu " + LAST_NAMES[i % 16], "",
                   "", "Jl. Contoh", "001", "002", int(kel[i]), int(child_posyandu[i]), now, now)

    # Measurements: spread over monthly visits between birth (or 2024) and five years / Oct 2026.
    # A little above the target per child (some children have few months under five in the
    # window); the load stops at exactly `measurements`, so the last children stay unmeasured.
    per_child = np.maximum(1, rng.poisson(1.15 * measurements / children, size=children))
    ukur_columns = ["anak_id", "tanggal", "berat", "tinggi", "cara_ukur", "posyandu_id", "kelurahan_id", "sumber",
                    "umur_hari", "umur_bulan", "zs_tbu", "zs_bbu", "zs_bbtb", "zs_imtu", "kategori_tbu",
                    "kategori_bbu", "kategori_bbtb", "kategori_imtu", "flag_tbu", "flag_bbu", "flag_bbtb",
                    "flag_imtu", "naik_bb", "dibuat", "diubah"]
    _check_columns("balita_pengukuran", ukur_columns)
    month_starts = []
    day = period_start
    while day <= period_end:
        month_starts.append(day)
        day = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)

    def tbu(z):
        return "sangat_pendek" if z < -3 else "pendek" if z < -2 else "normal" if z <= 3 else "tinggi"

    def bbu(z):
        return "sangat_kurang" if z < -3 else "kurang" if z < -2 else "normal" if z <= 1 else "risiko_lebih"

    def gizi(z):
        return ("gizi_buruk" if z < -3 else "gizi_kurang" if z < -2 else "gizi_baik" if z <= 1
                else "berisiko_gizi_lebih" if z <= 2 else "gizi_lebih" if z <= 3 else "obesitas")

    count = {"n": 0}

    def ukur_rows():
        for i in range(children):
            if count["n"] >= measurements:
                return
            birth = births[i]
            months = [m for m in month_starts if birth < m and (m - birth).days < 1826]
            if not months:
                continue
            take = min(per_child[i], len(months))
            chosen = sorted(rng.choice(len(months), size=take, replace=False))
            drift = rng.normal(0, 0.15, size=take)
            days = rng.integers(0, 27, size=take)
            for j, m_index in enumerate(chosen):
                tanggal = months[m_index] + datetime.timedelta(days=int(days[j]))
                if tanggal <= birth or count["n"] >= measurements:
                    continue
                umur = (tanggal - birth).days
                haz = round(float(haz0[i] + drift[j]), 2)
                waz = round(float(waz0[i] + drift[j] * 0.8), 2)
                whz = round(float((waz - 0.5 * haz) * 0.9 + 0.1), 2)
                flag_t = abs(haz) > 6
                count["n"] += 1
                yield (int(ids[i]), tanggal, round(8 + umur / 180, 2), round(60 + umur / 30, 1),
                       "terlentang" if umur < 731 else "berdiri", int(child_posyandu[i]), int(kel[i]), "impor",
                       umur, min(umur * 12 // 365, 60), haz, waz, whz, whz, "" if flag_t else tbu(haz), bbu(waz),
                       gizi(whz), gizi(whz), flag_t, False, False, False, "", now, now)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Audit triggers (pghistory) and FK triggers are skipped for this bulk load only.
        cursor.execute("SET session_replication_role = replica")
    try:
        _copy("balita_anak", anak_columns, anak_rows())
        _copy("balita_pengukuran", ukur_columns, ukur_rows())
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
            cursor.execute("SELECT setval(pg_get_serial_sequence('balita_anak', 'id'), (SELECT max(id) FROM balita_anak))")
            cursor.execute("ANALYZE balita_anak")
            cursor.execute("ANALYZE balita_pengukuran")
    print(f"filled {children:,} children and {count['n']:,} measurements in {time.perf_counter() - started:.1f} s")


def timed(label, func, runs=7):
    func()  # warm-up (templates, connections)
    times, queries = [], None
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            result = func()
            times.append((time.perf_counter() - started) * 1000)
        queries = len(captured)
    print(f"{label:<48} median {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms   {queries:3d} queries")
    return result


def measure():
    from decimal import Decimal

    from django.db import transaction

    from balita import services as balita_services
    from balita import summary
    from balita.models import Anak
    from laporan import pdf
    from tpps.models import Kelurahan, User
    from tpps.roles import Role

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM balita_anak")
        n_children = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM balita_pengukuran")
        n_measurements = cursor.fetchone()[0]
    print(f"database: {n_children:,} children, {n_measurements:,} measurements")

    with transaction.atomic():
        run = summary.refresh()
    print(f"figures refresh, every year (import, command)    {run['detik']:7.2f} s   {run['baris']:,} rows")
    with transaction.atomic():
        run = summary.refresh([2026])
    print(f"figures refresh, one year                        {run['detik']:7.2f} s")
    betet = Kelurahan.objects.get(nama="Betet")
    with transaction.atomic():
        run = summary.refresh([2026], {betet.pk})
    print(f"figures refresh, one kelurahan-year (form entry) {run['detik'] * 1000:7.1f} ms")

    from tpps.models import Penugasan

    user, created = User.objects.get_or_create(username="bench_sekda")
    if created:
        Penugasan.objects.create(user=user, peran=Role.PIMPINAN)
    clerk, created = User.objects.get_or_create(username="bench_operator")
    if created:
        Penugasan.objects.create(user=clerk, peran=Role.OPERATOR)
    child = Anak.objects.filter(kelurahan=betet, tanggal_lahir__gt=datetime.date(2024, 6, 1)).order_by("id").first()
    day = datetime.date(2026, 10, 30)
    child.pengukuran.filter(tanggal=day).delete()
    started = time.perf_counter()
    balita_services.record_measurement(child, balita_services.MeasurementInput(
        tanggal=day, berat=Decimal("10.2"), tinggi=Decimal("80.1")), clerk)
    print(f"form entry: one measurement incl. figure refresh {(time.perf_counter() - started) * 1000:7.1f} ms")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    kec = betet.kecamatan_id

    def get(url, **headers):
        def call():
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)
            return response
        return call

    htmx = {"HTTP_HX_REQUEST": "true"}
    timed("dashboard, full page (default period)", get("/laporan/"))
    timed("dashboard, HTMX filter: year 2025, Triwulan IV", get("/laporan/?tahun=2025&periode=t4", **htmx))
    timed("dashboard, HTMX filter: year 2026, whole year", get("/laporan/?tahun=2026&periode=th", **htmx))
    timed("dashboard, HTMX drill-down to a kecamatan", get(f"/laporan/?tahun=2026&periode=b09&kecamatan={kec}", **htmx))
    timed("dashboard, HTMX sort kelurahan by prevalence",
          get("/laporan/?tahun=2026&periode=b09&level=kelurahan&sort=-prevalensi", **htmx))
    timed("dashboard, indicators fragment (konvergensi)", get("/laporan/?tahun=2026&periode=b09&bagian=indikator", **htmx))
    timed("stunting register, full page (default period)", get("/balita/stunting/"))
    timed("stunting register, HTMX: 2026 Triwulan III", get("/balita/stunting/?tahun=2026&periode=t3", **htmx))
    timed("stunting register, HTMX: 2026 whole year", get("/balita/stunting/?tahun=2026&periode=th", **htmx))
    timed("stunting register, one kelurahan by posyandu", get(f"/balita/stunting/?tahun=2026&periode=b09&kelurahan={betet.pk}"))
    timed("kelurahan page with children list (Betet)", get(f"/laporan/kelurahan/{betet.pk}/?tahun=2026&periode=b09"))
    timed("export kelurahan table XLSX", get("/laporan/ekspor/kelurahan.xlsx?tahun=2026&periode=b09"))
    timed("export monthly trend CSV", get("/laporan/ekspor/tren.csv?tahun=2026&periode=b09"))
    started = time.perf_counter()
    content, pages = pdf.render_pack(2025)
    print(f"evaluation pack 2025 (PDF)                       {time.perf_counter() - started:7.2f} s   "
          f"{pages} pages, {len(content) // 1024} KB")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--measurements", type=int, default=1_000_000)
    parser.add_argument("--skip-fill", action="store_true", help="measure the data already in the database")
    args = parser.parse_args()
    from laporan import demo as laporan_demo
    from tpps import demo as tpps_demo

    call_command("migrate", verbosity=0)
    tpps_demo.load()  # posyandu and the demo users
    laporan_demo.load_targets()
    laporan_demo.load_ranking()
    if not args.skip_fill:
        fill(args.children, args.measurements)
    measure()


if __name__ == "__main__":
    main()
