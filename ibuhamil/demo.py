"""Demo pregnancies on top of balita's demo children (seeded, so every load is the same): about 300
births that produced demo children born from March 2024 (the mother's name, kelurahan and the
child's birth weight and length are the child's, so the toddler's page shows its mother), and
about 120 pregnancies still ongoing. Rates near the city's: KEK about 12 %, anaemia about 25 %,
BBLR as the demo children's birth weights (about 6–9 %), most mothers with K6 and ≥ 90 TTD.
Written in bulk and audited in one statement per table. Skipped when pregnancies exist."""

import datetime
import random
import time
from decimal import Decimal

import pghistory
from django.db import transaction
from django.utils import timezone

from balita import demo as balita_demo
from balita.models import Anak
from ibuhamil import rules, services
from ibuhamil.models import KeadaanLahir, Kehamilan, KunjunganAnc, PemberianPmt, Tautan
from tpps import audit
from tpps.models import Kelurahan

SEED = 2412
BIRTHS = 300
ONGOING = 120


def load(stdout):
    if Kehamilan.objects.exists():
        stdout.write("Ibu hamil: data contoh sudah ada.")
        return
    started = time.perf_counter()
    rng = random.Random(SEED)
    today = timezone.localdate()
    children = list(Anak.objects.filter(tanggal_lahir__gte=datetime.date(2024, 3, 1), tanggal_lahir__lte=today)
                    .select_related("posyandu").order_by("id"))
    chosen = rng.sample(children, min(BIRTHS, len(children)))
    kelurahan = list(Kelurahan.objects.order_by("id"))
    plans = [_from_child(child, rng) for child in chosen]
    for _ in range(ONGOING if kelurahan else 0):
        plans.append(_ongoing(rng, rng.choice(kelurahan), today))
    with transaction.atomic(), pghistory.context(peristiwa="demo_ibu_hamil"), \
            audit.first_load_recorded_in_bulk(Kehamilan, KunjunganAnc, PemberianPmt):
        created = Kehamilan.objects.bulk_create([p[0] for p in plans])
        KunjunganAnc.objects.bulk_create([KunjunganAnc(kehamilan=k, **v) for k, (_, visits, _) in zip(created, plans)
                                          for v in visits])
        PemberianPmt.objects.bulk_create([PemberianPmt(kehamilan=k, **pmt) for k, (_, _, pmt) in zip(created, plans) if pmt])
    stdout.write(f"Ibu hamil: {len(created)} kehamilan, {KunjunganAnc.objects.count()} kunjungan, "
                 f"{PemberianPmt.objects.count()} PMT, {sum(1 for k in created if k.anak_id)} bayi tertaut ke balita "
                 f"({time.perf_counter() - started:.1f} detik).")


def _mother(rng, hpht):
    age = rng.choices([rng.randint(17, 19), rng.randint(20, 35), rng.randint(36, 42)], [6, 80, 14])[0]
    born = hpht - datetime.timedelta(days=int(age * 365.25) + rng.randint(0, 300))
    parity = rng.choices([0, 1, 2, 3, 4, 5], [35, 30, 18, 9, 5, 3])[0]
    last = None
    if parity:
        last = hpht - datetime.timedelta(days=rng.randint(300, 6 * 365))
    nik = f"3571{rng.randint(1, 3):02d}{born.day + 40:02d}{born.month:02d}{born.year % 100:02d}{rng.randint(1, 9999):04d}"
    return born, parity, last, nik


def _visits(rng, hpht, until):
    """Visit dates spread over the pregnancy up to `until`, with LiLA and Hb at K1, Hb again at K5
    and the cumulative TTD at the last visit."""
    weeks = [rng.randint(6, 12), rng.randint(14, 20), rng.randint(21, 26), rng.randint(28, 32),
             rng.randint(33, 35), rng.randint(36, 38)]
    count = rng.choices([6, 5, 4, 3, 2, 1], [60, 14, 12, 7, 4, 3])[0]
    visits = []
    for ke, week in enumerate(weeks[:count], start=1):
        day = hpht + datetime.timedelta(weeks=week)
        if day > until:
            break
        visits.append({"ke": ke, "tanggal": day, "lila": None, "hb": None, "ttd_kumulatif": None})
    if not visits:
        return visits
    visits[0]["lila"] = Decimal(str(round(min(max(rng.gauss(25.8, 2.0), 18.0), 34.0), 1)))
    visits[0]["hb"] = Decimal(str(round(min(max(rng.gauss(11.7, 1.1), 7.5), 15.0), 1)))
    if len(visits) >= 5:
        visits[4]["hb"] = Decimal(str(round(min(max(rng.gauss(11.8, 1.0), 7.5), 15.0), 1)))
    weeks_taken = (visits[-1]["tanggal"] - visits[0]["tanggal"]).days
    complete = rng.random() < 0.72
    visits[-1]["ttd_kumulatif"] = min(weeks_taken, rng.randint(90, 140)) if complete else rng.randint(20, 89)
    return visits


def _pmt(rng, visits):
    if not visits or not rules.kek(visits[0]["lila"]) or rng.random() > 0.85:
        return None
    return {"mulai": visits[0]["tanggal"] + datetime.timedelta(days=rng.randint(0, 14)),
            "lama_hari": rules.LAMA_PMT_KEK_HARI, "hari_dimakan": rng.randint(70, rules.LAMA_PMT_KEK_HARI)}


def _from_child(child, rng):
    hpht = child.tanggal_lahir - datetime.timedelta(days=rng.choices([rng.randint(245, 258), rng.randint(259, 290)], [7, 93])[0])
    born, parity, last, nik = _mother(rng, hpht)
    visits = _visits(rng, hpht, child.tanggal_lahir - datetime.timedelta(days=1))
    kehamilan = Kehamilan(
        nama=child.nama_ibu or f"Ibu {child.nama}", nik=nik, tanggal_lahir=born, alamat=child.alamat,
        kelurahan_id=child.kelurahan_id, posyandu_id=child.posyandu_id, hpht=hpht, jumlah_persalinan=parity,
        persalinan_terakhir=last, tanggal_persalinan=child.tanggal_lahir, keadaan_lahir=KeadaanLahir.HIDUP,
        berat_lahir=int(child.berat_lahir * 1000) if child.berat_lahir is not None else None,
        panjang_lahir=child.panjang_lahir, jenis_kelamin_bayi=child.jenis_kelamin, nama_bayi=child.nama,
        nik_bayi=child.nik or "", anak=child, tautan=Tautan.TERTAUT)
    services.apply_derived(kehamilan, visits)
    return kehamilan, visits, _pmt(rng, visits)


def _ongoing(rng, kelurahan, today):
    hpht = today - datetime.timedelta(days=rng.randint(20, 270))
    born, parity, last, nik = _mother(rng, hpht)
    visits = _visits(rng, hpht, today)
    kehamilan = Kehamilan(
        nama=f"{rng.choice(balita_demo.MOTHERS)} {rng.choice(balita_demo.MOTHERS_2)}", nik=nik, tanggal_lahir=born,
        alamat=f"{rng.choice(balita_demo.STREETS)} No. {rng.randint(1, 120)}", kelurahan=kelurahan, hpht=hpht,
        jumlah_persalinan=parity, persalinan_terakhir=last)
    services.apply_derived(kehamilan, visits)
    return kehamilan, visits, _pmt(rng, visits)
