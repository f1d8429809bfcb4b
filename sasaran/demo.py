"""Demo data of sasaran hulu (seeded, so every load is the same): about 120 catin screenings,
monthly TTD reports of a dozen schools for 2024–2025, and BKKBN's KRS families for every
kelurahan (2025), some of them GENTING's demo families (same NIK or same name) and some the
families of balita's demo children (the wife is a demo child's mother). Written with bulk inserts;
skipped when catin exist already."""

import datetime
import random
import time

import pghistory
from django.db import transaction
from django.utils import timezone

from balita import selectors as balita_selectors
from genting import selectors as genting_selectors
from sasaran import importers, matching, rules
from sasaran.models import Catin, KeluargaKrs, Sumber, TtdRemajaPutri
from tpps.models import Kelurahan
from tpps.roles import SYSTEM

SEED = 1212
WOMEN = ["Siti", "Dewi", "Ayu", "Rina", "Nur", "Putri", "Lestari", "Wulan", "Indah", "Fitri", "Anisa", "Ratna"]
MEN = ["Budi", "Agus", "Eko", "Rudi", "Dwi", "Joko", "Fajar", "Rizal", "Hendra", "Yoga", "Bayu", "Andi"]
SURNAMES = ["Santoso", "Wahyuni", "Pratama", "Rahayu", "Saputra", "Handayani", "Setiawan", "Kurniawati", "Hidayat"]
SCHOOLS = ["SMP Negeri 1 Kediri", "SMP Negeri 2 Kediri", "SMP Negeri 4 Kediri", "SMP Negeri 7 Kediri",
           "MTs Negeri 1 Kota Kediri", "SMA Negeri 1 Kediri", "SMA Negeri 2 Kediri", "SMA Negeri 5 Kediri",
           "SMK Negeri 1 Kediri", "SMK Negeri 3 Kediri", "MA Negeri 3 Kediri", "SMP Pawyatan Daha"]


def load(stdout):
    if Catin.objects.exists():
        stdout.write("Sasaran hulu: data contoh sudah ada.")
        return
    started = time.perf_counter()
    rng = random.Random(SEED)
    kelurahan = list(Kelurahan.objects.order_by("kode"))
    today = timezone.localdate()
    with transaction.atomic(), pghistory.context(peristiwa="demo_sasaran"):
        catin = _catin(rng, kelurahan, today)
        ttd = _ttd(rng, kelurahan, today)
        krs = _krs(rng, kelurahan)
        matched = matching.match_genting(SYSTEM, {2025})
    stdout.write(f"Sasaran hulu: {catin} catin, {ttd} laporan TTD, {krs} keluarga risiko stunting "
                 f"({matched} cocok GENTING) ({time.perf_counter() - started:.1f} detik).")


def _name(rng, sex):
    return f"{rng.choice(WOMEN if sex == 'P' else MEN)} {rng.choice(SURNAMES)}"


def _catin(rng, kelurahan, today) -> int:
    rows = []
    for i in range(120):
        sex = "P" if i % 2 == 0 else "L"
        place = rng.choice(kelurahan)
        screened = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
        screened = min(screened, today)
        age = rng.choice([18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 33, 36])
        born = screened - datetime.timedelta(days=int(age * 365.25) + rng.randint(0, 300))
        if sex == "P":
            berat, tinggi = rng.gauss(52, 9), rng.gauss(154, 5.5)
            lila, hb = rng.gauss(25.5, 2.6), rng.gauss(12.4, 1.2)
        else:
            berat, tinggi = rng.gauss(64, 10), rng.gauss(166, 6)
            lila, hb = None, rng.gauss(14.2, 1.1)
        complete = rng.random() < 0.85
        row = Catin(
            nik=f"3571{place.kode[-4:]}{i:08d}"[:16].ljust(16, "0"), nama=_name(rng, sex), jenis_kelamin=sex,
            tanggal_lahir=born, alamat=f"Jl. Contoh {rng.randint(1, 90)}", kelurahan=place, tanggal_periksa=screened,
            rencana_nikah=screened + datetime.timedelta(days=rng.randint(60, 150)),
            berat=round(max(35, berat), 1), tinggi=round(tinggi, 1),
            lila=round(lila, 1) if lila is not None and complete else None, hb=round(hb, 1) if complete else None,
            terpapar_rokok=rng.random() < 0.3, sumber=Sumber.IMPOR,
        )
        rules.apply(row)
        row.didampingi = row.berisiko and rng.random() < 0.7
        rows.append(row)
    Catin.objects.bulk_create(rows)
    return len(rows)


def _ttd(rng, kelurahan, today) -> int:
    rows = []
    for school in SCHOOLS:
        place = rng.choice(kelurahan)
        girls = rng.randint(120, 420)
        taking = rng.uniform(0.45, 0.85)
        for year in (2024, 2025):
            for month in range(1, 13):
                if (year, month) > (today.year, today.month):
                    continue
                given = int(girls * rng.uniform(0.85, 1.0))
                rows.append(TtdRemajaPutri(
                    sekolah=school, kunci_sekolah=importers.name_key(school), kelurahan=place, tahun=year, bulan=month,
                    jumlah_siswi=girls, diberi_ttd=given, minum_ttd=min(given, int(girls * rng.uniform(taking - 0.08, taking + 0.08))),
                    sumber=Sumber.IMPOR))
    TtdRemajaPutri.objects.bulk_create(rows)
    return len(rows)


def _krs(rng, kelurahan) -> int:
    genting = list(genting_selectors.family_identities(SYSTEM))
    rows, seen = [], set()
    # GENTING's families are families at risk: BKKBN lists about two in three of them (by NIK or name).
    for family_id, nik, head, kelurahan_id in genting:
        if rng.random() < 0.65:
            by_nik = nik and rng.random() < 0.6
            rows.append(_family(rng, head, nik if by_nik else "", kelurahan_id))
    # Families of some of balita's demo children: the wife is the child's mother (by name and kelurahan).
    for nama_ibu, nik_ibu, kelurahan_id in balita_selectors.mothers(SYSTEM, per_kelurahan=3):
        family = _family(rng, _name(rng, "L"), "", kelurahan_id)
        family.nama_istri, family.nik_istri = nama_ibu, nik_ibu or ""
        family.ada_balita = True
        rows.append(family)
    for place in kelurahan:
        for _ in range(rng.randint(12, 28)):
            rows.append(_family(rng, _name(rng, "L"), "", place.id))
    unique = []
    for row in rows:
        key = (row.tahun, row.kelurahan_id, row.kunci)
        if key not in seen:
            seen.add(key)
            unique.append(row)
    KeluargaKrs.objects.bulk_create(unique)
    return len(unique)


def _family(rng, head, nik, kelurahan_id) -> KeluargaKrs:
    pus = rng.random() < 0.8
    row = KeluargaKrs(
        tahun=2025, kepala_keluarga=head, nik_kepala=nik, nama_istri=_name(rng, "P"), alamat=f"Jl. Contoh {rng.randint(1, 90)}",
        rt=f"{rng.randint(1, 12):03d}", rw=f"{rng.randint(1, 6):03d}", kelurahan_id=kelurahan_id,
        jumlah_anggota=rng.randint(2, 7), tanpa_air_minum_layak=rng.random() < 0.15,
        tanpa_jamban_layak=rng.random() < 0.2, terlalu_muda=rng.random() < 0.06, terlalu_tua=rng.random() < 0.18,
        terlalu_dekat=rng.random() < 0.12, terlalu_banyak=rng.random() < 0.15, pus=pus,
        unmet_need=pus and rng.random() < 0.14, ada_baduta=rng.random() < 0.45, ada_balita=rng.random() < 0.6,
        ada_ibu_hamil=rng.random() < 0.2,
    )
    row.kunci = nik or "nama:" + importers.name_key(head)[:150]
    return row
