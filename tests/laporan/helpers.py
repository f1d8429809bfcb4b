"""Small builders for laporan tests: children and measurements with stored z-scores, and the
independent counting the tests check the dashboard against (plain Python over the rows)."""

import datetime
import random
from decimal import Decimal

from balita.growth import categories
from balita.models import Anak, Pengukuran
from tpps.models import Kelurahan


def tbu(z):
    if z is None:
        return ""
    return "sangat_pendek" if z < -3 else "pendek" if z < -2 else "normal" if z <= 3 else "tinggi"


def bbu(z):
    if z is None:
        return ""
    return "sangat_kurang" if z < -3 else "kurang" if z < -2 else "normal" if z <= 1 else "risiko_lebih"


def gizi(z):
    if z is None:
        return ""
    return ("gizi_buruk" if z < -3 else "gizi_kurang" if z < -2 else "gizi_baik" if z <= 1
            else "berisiko_gizi_lebih" if z <= 2 else "gizi_lebih" if z <= 3 else "obesitas")


def make_anak(kelurahan: Kelurahan, lahir: datetime.date, nama="Anak Uji", nik=None, jk="L") -> Anak:
    return Anak.objects.create(nama=nama, nik=nik, jenis_kelamin=jk, tanggal_lahir=lahir, kelurahan=kelurahan)


def make_pengukuran(anak: Anak, tanggal: datetime.date, haz=None, waz=None, whz=None, kelurahan=None,
                    flag_tbu=False) -> Pengukuran:
    umur = (tanggal - anak.tanggal_lahir).days
    dec = lambda z: None if z is None else Decimal(str(round(z, 2)))  # noqa: E731
    return Pengukuran.objects.create(
        anak=anak, tanggal=tanggal, kelurahan=kelurahan or anak.kelurahan, berat=Decimal("10.5"),
        tinggi=Decimal("80.0"), umur_hari=umur, umur_bulan=umur * 12 // 365,
        zs_tbu=dec(haz), zs_bbu=dec(waz), zs_bbtb=dec(whz), zs_imtu=dec(whz),
        kategori_tbu="" if flag_tbu else tbu(haz), kategori_bbu=bbu(waz), kategori_bbtb=gizi(whz),
        kategori_imtu=gizi(whz), flag_tbu=flag_tbu,
    )


def random_city(seed=1, children=60, kelurahan_names=None, years=(2024, 2025)):
    """Children spread over some kelurahan with 1–6 measurements each in `years` (a few moved
    kelurahan, a few flagged or without height)."""
    rng = random.Random(seed)
    names = kelurahan_names or ["Betet", "Pesantren", "Banaran", "Bandar Lor", "Semampir", "Mrican"]
    kel = list(Kelurahan.objects.filter(nama__in=names))
    anak = []
    for i in range(children):
        lahir = datetime.date(years[0] - rng.randint(0, 3), rng.randint(1, 12), rng.randint(1, 28))
        child = make_anak(rng.choice(kel), lahir, nama=f"Balita {i} Uji")
        base = rng.gauss(-1.0, 1.2)
        days = set()
        for _ in range(rng.randint(1, 6)):
            day = datetime.date(rng.choice(years), rng.randint(1, 12), rng.randint(1, 28))
            if day in days or day <= lahir:
                continue
            days.add(day)
            roll = rng.random()
            make_pengukuran(
                child, day,
                haz=None if roll < 0.05 else base + rng.gauss(0, 0.3),
                waz=base * 0.7 + rng.gauss(0, 0.5),
                whz=rng.gauss(-0.5, 1.3) if roll > 0.03 else None,
                kelurahan=rng.choice(kel) if roll > 0.95 else None,
                flag_tbu=0.05 <= roll < 0.08,
            )
        anak.append(child)
    return anak


def expected(start: datetime.date, end: datetime.date, kelurahan_ids=None) -> dict:
    """Counts from each child's latest measurement in [start, end], computed in Python: a child
    counts in the kelurahan where it is registered; under five = at most 1826 days old (WHO's
    60 months of 30.4375 days) at the measurement, and for the denominator on the first day."""
    latest = {}
    for m in Pengukuran.objects.filter(tanggal__range=(start, end)).select_related("anak").order_by("tanggal"):
        if (m.tanggal - m.anak.tanggal_lahir).days <= 1826:
            latest[m.anak_id] = m
    rows = [m for m in latest.values() if kelurahan_ids is None or m.anak.kelurahan_id in kelurahan_ids]
    valid = [m for m in rows if m.zs_tbu is not None and not m.flag_tbu]
    bbu_valid = [m for m in rows if m.zs_bbu is not None and not m.flag_bbu]
    bbtb_valid = [m for m in rows if m.zs_bbtb is not None and not m.flag_bbtb]
    anak = [a for a in Anak.objects.all()
            if a.tanggal_lahir <= end and (start - a.tanggal_lahir).days <= 1826
            and (kelurahan_ids is None or a.kelurahan_id in kelurahan_ids)]
    return {
        "sasaran": len(anak),
        "diukur": len(rows),
        "tbu_valid": len(valid),
        "stunting": sum(m.kategori_tbu in categories.STUNTED for m in valid),
        "sangat_pendek": sum(m.kategori_tbu == "sangat_pendek" for m in valid),
        "bbu_valid": len(bbu_valid),
        "underweight": sum(m.kategori_bbu in categories.UNDERWEIGHT for m in bbu_valid),
        "bbtb_valid": len(bbtb_valid),
        "wasting": sum(m.kategori_bbtb in categories.WASTED for m in bbtb_valid),
    }


def refresh_figures(years=None):
    """Rows made here skip balita's services, which keep the figures fresh: rebuild them as the
    `refresh_figures` command does."""
    from django.db import transaction

    from balita import summary

    with transaction.atomic():
        return summary.refresh(years)
