"""Demo case histories on top of balita's demo children: the cases themselves were opened by
kasus.derive while balita's demo measurements were imported; here the pathway and interventions
people would have recorded are added (seeded, so every load is the same), with a few pindah and
meninggal events and doctors' "bukan stunting" diagnoses. Skipped when steps exist already."""

import datetime
import random
import time

import pghistory
from django.db import transaction

from kasus import derive, rules, selectors
from kasus.models import CLOSES, HasilLangkah, Intervensi, JenisIntervensi, Kasus, Langkah, Masalah, Tahap
from tpps.models import Opd

SEED = 1711


def _day(start, low, high, rng, until):
    day = start + datetime.timedelta(days=rng.randint(low, high))
    return day if day <= until else None


def load(stdout):
    if Langkah.objects.exists():
        stdout.write("Kasus gizi: data contoh sudah ada.")
        return
    started = time.perf_counter()
    with transaction.atomic(), pghistory.context(peristiwa="demo_kasus"):
        if not Kasus.objects.exists():
            derive.refresh(None)  # children imported before this app existed
        steps, given, closed = _histories(selectors.as_of())
    stdout.write(f"Kasus gizi: {Kasus.objects.count()} kasus, {steps} langkah, {given} intervensi, "
                 f"{closed} ditutup karena peristiwa ({time.perf_counter() - started:.1f} detik).")


def _histories(until):
    rng = random.Random(SEED)
    opd = {o.kode: o for o in Opd.objects.filter(kode__in=["dinkes", "dinsos", "dprkp", "dpupr"])}
    steps, given, closures = [], [], {}
    for kasus in Kasus.objects.order_by("id"):
        last = kasus.tanggal_tutup or until
        check = _day(kasus.tanggal_buka, 3, 25, rng, last) if rng.random() < 0.75 else None
        if check:
            result = rng.choices([HasilLangkah.TERKONFIRMASI, HasilLangkah.DITANGANI, HasilLangkah.TIDAK_TERKONFIRMASI],
                                 [70, 20, 10])[0]
            steps.append(Langkah(kasus=kasus, tahap=Tahap.PERIKSA_PUSKESMAS, tanggal=check, hasil=result,
                                 catatan="Petugas gizi puskesmas"))
            if kasus.masalah == Masalah.STUNTING and result == HasilLangkah.TERKONFIRMASI and rng.random() < 0.6:
                referral = _day(check, 3, 20, rng, last)
                if referral:
                    steps.append(Langkah(kasus=kasus, tahap=Tahap.RUJUKAN_DSA, tanggal=referral, hasil=HasilLangkah.DIRUJUK,
                                         catatan="Program Ceria Sapa"))
                    diagnosis = _day(referral, 5, 30, rng, last) if rng.random() < 0.8 else None
                    if diagnosis:
                        verdict = HasilLangkah.BUKAN_STUNTING if rng.random() < 0.2 and not kasus.hasil else HasilLangkah.STUNTING
                        steps.append(Langkah(kasus=kasus, tahap=Tahap.DIAGNOSIS_DSA, tanggal=diagnosis, hasil=verdict,
                                             catatan="dr. Sp.A"))
                        if verdict == HasilLangkah.BUKAN_STUNTING:
                            closures[kasus.pk] = (CLOSES[verdict], diagnosis)
            given.extend(_interventions(kasus, check, last, opd, rng))
        if not kasus.hasil and kasus.pk not in closures:
            roll = rng.random()
            event_day = kasus.tanggal_ukur_terakhir or kasus.tanggal_buka
            if roll < 0.03:
                when = _day(event_day, 10, 60, rng, until)
                if when:
                    steps.append(Langkah(kasus=kasus, tahap=Tahap.PERISTIWA, tanggal=when, hasil=HasilLangkah.PINDAH,
                                         catatan="Pindah ke luar kota"))
                    closures[kasus.pk] = (CLOSES[HasilLangkah.PINDAH], when)
            elif roll < 0.032:
                when = _day(event_day, 10, 60, rng, until)
                if when:
                    steps.append(Langkah(kasus=kasus, tahap=Tahap.PERISTIWA, tanggal=when, hasil=HasilLangkah.MENINGGAL))
                    closures[kasus.pk] = (CLOSES[HasilLangkah.MENINGGAL], when)
    Langkah.objects.bulk_create(steps, batch_size=2000)
    Intervensi.objects.bulk_create(given, batch_size=2000)
    for pk, (hasil, day) in closures.items():
        Kasus.objects.filter(pk=pk, hasil="").update(hasil=hasil, tanggal_tutup=day)
    return len(steps), len(given), len(closures)


def _interventions(kasus, start, last, opd, rng):
    rows = []
    course = rules.LAMA_PMT_HARI[kasus.masalah]
    if kasus.masalah != Masalah.STUNTING or rng.random() < 0.4:
        day = _day(start, 0, 10, rng, last)
        if day and rng.random() < 0.8:
            rows.append(Intervensi(kasus=kasus, jenis=JenisIntervensi.PMT_LOKAL, opd=opd.get("dinkes"), mulai=day,
                                   lama_hari=course, hari_dimakan=int(course * rng.uniform(0.55, 1.0))))
    for jenis, share, giver in ((JenisIntervensi.KONSELING_GIZI, 0.7, None), (JenisIntervensi.KUNJUNGAN_RUMAH, 0.5, None),
                                (JenisIntervensi.BANTUAN_SOSIAL, 0.15, "dinsos"), (JenisIntervensi.JKN, 0.1, "dinsos"),
                                (JenisIntervensi.AIR_BERSIH, 0.05, "dpupr"), (JenisIntervensi.JAMBAN, 0.05, "dprkp")):
        if rng.random() < share:
            day = _day(start, 0, 40, rng, last)
            if day:
                rows.append(Intervensi(kasus=kasus, jenis=jenis, opd=opd.get(giver) if giver else None, mulai=day))
    return rows
