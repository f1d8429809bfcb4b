"""GENTING ledger speed: postings through the services, contended disbursements, reconciliation
and the report selectors at several times the demo's size.

Usage (a scratch database: the service and contention runs commit their rows, each posting in its
own transaction as in the application; the stacked demo years are rolled back):

    createdb -h 127.0.0.1 -U postgres tpps_bench
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/tpps_bench \
        .venv/bin/python bench/genting.py [--scale 5] [--clerks 8]

Prints: services per second (donation, disbursement, reversal; each committed, so the deferred
balance checks are included), the demo loader and its commit-time checks per year, `reconcile()`
and the dashboard selectors over `scale` × the demo's year, and how many concurrent clerks got
through on one pool (must equal what the money allows).
"""

import argparse
import datetime
import os
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpps.settings")
os.environ.setdefault("DEBUG", "true")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402

from genting import demo, selectors, services  # noqa: E402
from genting.models import JenisAkun, Kanal, KeluargaRisikoStunting, OrangTuaAsuh  # noqa: E402
from genting.reconcile import reconcile  # noqa: E402
from tpps.models import Kelurahan  # noqa: E402
from tpps.roles import SYSTEM  # noqa: E402


def timed(label, func, count=1):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    rate = f"  ({count / seconds:,.0f}/s)" if count > 1 else ""
    print(f"{label:<58} {seconds * 1000:10.1f} ms{rate}")
    return result


def services_rate(n):
    kanal = Kanal.objects.get(kode="rumah-zakat")
    kel = Kelurahan.objects.first()
    ota = OrangTuaAsuh.objects.create(nama="Bench OTA", jenis="perusahaan", komitmen_bentuk="sekali")
    families = [KeluargaRisikoStunting.objects.create(kepala_keluarga=f"Bench {i}", alamat="-", kelurahan=kel,
                                                      tanggal_masuk=datetime.date(2025, 1, 1)) for i in range(50)]
    day = datetime.date(2025, 6, 1)
    donations = timed(f"{n} donations (record_donation)", lambda: [
        services.record_donation(orang_tua_asuh=ota, kanal=kanal, jumlah=500_000, tanggal=day, user=SYSTEM) for _ in range(n)], n)
    source = services.account(JenisAkun.KAS, kanal)
    out = timed(f"{n} disbursements (record_disbursement)", lambda: [
        services.record_disbursement(keluarga=families[i % 50], jenis="paket_nutrisi", kanal=kanal, akun_sumber=source,
                                     jumlah=450_000, tanggal=day, user=SYSTEM) for i in range(n)], n)
    timed(f"{n // 10} reversals (reverse_transaction)", lambda: [
        services.reverse_transaction(transaksi=p.transaksi, alasan="bench", user=SYSTEM) for p in out[: n // 10]], n // 10)
    return donations


def contention(clerks):
    kanal = Kanal.objects.get(kode="baznas")
    kel = Kelurahan.objects.first()
    ota = OrangTuaAsuh.objects.create(nama=f"Bench contention {time.time()}", jenis="perusahaan", komitmen_bentuk="sekali")
    services.record_donation(orang_tua_asuh=ota, kanal=kanal, jumlah=100_000, tanggal=datetime.date(2025, 6, 1), user=SYSTEM)
    before = services.account(JenisAkun.KAS, kanal).saldo
    families = [KeluargaRisikoStunting.objects.create(kepala_keluarga=f"Bench c{i}", alamat="-", kelurahan=kel,
                                                      tanggal_masuk=datetime.date(2025, 1, 1)) for i in range(clerks)]
    barrier, results = threading.Barrier(clerks), []
    amount = max(1, before // 3 + 1)

    def clerk(i):
        try:
            barrier.wait()
            services.record_disbursement(keluarga=families[i], jenis="edukasi", kanal=kanal,
                                         akun_sumber=services.account(JenisAkun.KAS, kanal), jumlah=amount,
                                         tanggal=datetime.date(2025, 6, 2), user=SYSTEM)
            results.append("ok")
        except services.GentingError:
            results.append("refused")
        finally:
            connections.close_all()

    start = time.perf_counter()
    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(clerks)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start
    after = services.account(JenisAkun.KAS, kanal).saldo
    print(f"{clerks} clerks at once on a pool of {before:,} (each {amount:,}): {results.count('ok')} through, "
          f"{results.count('refused')} refused, pool now {after:,} ({seconds * 1000:.0f} ms); "
          f"allowed {min(clerks, before // amount)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=5, help="how many demo years to stack")
    parser.add_argument("--clerks", type=int, default=8)
    parser.add_argument("--n", type=int, default=300, help="postings per service")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)

    # Each posting in its own database transaction, as in the application (commit-time checks included).
    services_rate(args.n)

    with transaction.atomic():
        for seed in range(args.scale):
            timed(f"demo year #{seed + 1} (bulk, 60 OTA, 300 families)", lambda: _fresh_demo(seed))
            # Fire this year's deferred balance checks now, as its commit would (pending events
            # left to pile up in one transaction make every later statement slower).
            with connection.cursor() as cursor:
                timed("  its deferred balance checks", lambda: (cursor.execute("SET CONSTRAINTS ALL IMMEDIATE"),
                                                                cursor.execute("SET CONSTRAINTS ALL DEFERRED")))
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM genting_entri")
            entries = cursor.fetchone()[0]
            # Production tables are analysed by autovacuum; here everything is one fresh transaction.
            cursor.execute("ANALYZE genting_entri, genting_akun, genting_transaksi, genting_donasi, genting_penyaluran, "
                           "genting_keluargarisikostunting, genting_anggotakeluarga")
        print(f"ledger now: {entries:,} entries, {KeluargaRisikoStunting.objects.count():,} families")
        problems = timed("reconcile() — every invariant", reconcile)
        print(f"  problems: {len(problems)}")
        year = selectors.latest_year()
        timed("genting_totals(year)", lambda: selectors.genting_totals(SYSTEM, year))
        timed("families_helped_by_category(year)", lambda: selectors.families_helped_by_category(SYSTEM, year))
        timed("families_helped_by_kelurahan(year)", lambda: selectors.families_helped_by_kelurahan(SYSTEM, year))
        timed("channel_balances()", selectors.channel_balances)
        ota = OrangTuaAsuh.objects.order_by("id").first()
        timed("donor_attribution(one foster parent, FIFO over its pools)", lambda: selectors.donor_attribution(ota))
        transaction.set_rollback(True)

    contention(args.clerks)


def _fresh_demo(seed):
    """One more demo year (the loader's steps without its "already loaded" guard)."""
    import random

    from django.utils import timezone

    rng = random.Random(seed)
    today = timezone.localdate()
    start = demo._months_back(today, 11)
    donors = demo._foster_parents(rng, start)
    families = demo._families(rng, start, today)
    demo._ledger(rng, donors, families, start, today)


if __name__ == "__main__":
    main()
