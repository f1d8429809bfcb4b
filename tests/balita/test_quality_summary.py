"""The data-quality report's monthly sums (RingkasanMutu): a period adds its months, the sums
equal counts made here from the rows, and they follow every change made through balita's
services at once, including a change in one year that moves a growth pair in the next."""

import datetime
import random
from decimal import Decimal

import pytest

from balita import services
from balita.models import Pengukuran, RingkasanMutu
from balita.quality.report import report
from tests.balita.conftest import make_anak, measure
from tests.laporan.helpers import refresh_figures
from tpps.periods import Periode
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db
YEAR = Periode("tahun", 2025, 1)
Q1 = Periode("triwulan", 2025, 1)


def _falls(laporan) -> list[int]:
    return sorted(t.pengukuran_id for t in laporan.temuan if t.jenis == "tinggi_turun")


def test_sums_of_a_year_equal_counts_made_from_the_rows():
    rng = random.Random(7)
    for i in range(25):
        anak = make_anak(rng.choice(["Betet", "Pesantren", "Banaran"]), nama=f"Anak {i} Uji", jenis_kelamin=rng.choice("LP"),
                         tanggal_lahir=datetime.date(2022, rng.randint(1, 12), rng.randint(1, 28)))
        days = sorted({datetime.date(rng.choice([2024, 2025]), rng.randint(1, 12), rng.randint(1, 28))
                       for _ in range(rng.randint(1, 5))})
        for day in days:
            measure(anak, day, berat=round(rng.uniform(8, 16), 1), tinggi=round(rng.uniform(70, 105), 1),
                    cara_ukur=rng.choice(["", "berdiri", "terlentang"]))
    laporan = report(SYSTEM, YEAR, "kelurahan")
    rows = list(Pengukuran.objects.filter(tanggal__year=2025).order_by("anak_id", "tanggal"))
    assert rows and laporan.kota.jumlah.n_ukur == len(rows)
    # A measurement pairs with the child's previous one, whenever it was taken (2024 included).
    earlier = {r.pk for r in rows if Pengukuran.objects.filter(anak_id=r.anak_id, tanggal__lt=r.tanggal).exists()}
    assert laporan.kota.jumlah.pasangan == len(earlier)
    digits = [0] * 10
    for r in rows:
        digits[int(r.tinggi * 10) % 10] += 1
    assert laporan.kota.jumlah.digit_tb == digits
    # Children measures read each child's latest measurement of the year (kept with the figures).
    latest = {}
    for r in rows:
        latest[r.anak_id] = r
    assert laporan.kota.jumlah.n_anak == len(latest)
    assert laporan.kota.jumlah.laki == sum(r.anak.jenis_kelamin == "L" for r in latest.values())
    valid = [float(r.zs_tbu) for r in latest.values() if r.zs_tbu is not None and not r.flag_tbu]
    assert laporan.kota.jumlah.z["tbu"][0] == len(valid)
    assert laporan.kota.jumlah.z["tbu"][2] == pytest.approx(sum(z * z for z in valid))
    # The year is its twelve months added, and so are its quarters.
    quarters = [report(SYSTEM, Periode("triwulan", 2025, n), "kelurahan").kota.jumlah for n in range(1, 5)]
    assert sum(q.n_ukur for q in quarters) == len(rows)
    assert sum(q.pasangan for q in quarters) == len(earlier)
    assert RingkasanMutu.objects.filter(tahun=2025).count() == len(
        {(r.tanggal.month, r.anak.kelurahan_id, r.anak.posyandu_id) for r in rows})


def test_a_correction_through_the_services_shows_at_once(users):
    anak = make_anak("Betet", tanggal_lahir=datetime.date(2023, 1, 10))
    measure(anak, datetime.date(2025, 1, 10), berat=11.0, tinggi=84.0, cara_ukur="terlentang")
    second = measure(anak, datetime.date(2025, 2, 10), berat=11.2, tinggi=85.0, cara_ukur="terlentang")
    assert _falls(report(SYSTEM, Q1)) == []
    data = services.MeasurementInput(tanggal=second.tanggal, berat=Decimal("11.2"), tinggi=Decimal("80.0"),
                                     cara_ukur="terlentang")
    services.correct_measurement(second, data, "uji: tinggi turun", users["operator"])
    assert _falls(report(SYSTEM, Q1)) == [second.pk]
    services.delete_measurement(Pengukuran.objects.get(pk=second.pk), "uji: hapus", users["operator"])
    assert report(SYSTEM, Q1).kota.jumlah.n_ukur == 1 and _falls(report(SYSTEM, Q1)) == []


def test_a_measurement_entered_for_last_year_moves_this_years_growth_pair(users):
    anak = make_anak("Betet", tanggal_lahir=datetime.date(2023, 1, 10))
    measure(anak, datetime.date(2024, 6, 10), berat=10.0, tinggi=78.0, cara_ukur="terlentang")
    january = measure(anak, datetime.date(2025, 1, 10), berat=11.0, tinggi=84.0, cara_ukur="terlentang")
    assert _falls(report(SYSTEM, Q1)) == []
    # December 2024, typed later, 5 cm taller than January 2025: January's height now falls.
    measure(anak, datetime.date(2024, 12, 10), berat=10.9, tinggi=89.0, cara_ukur="terlentang", user=users["operator"])
    assert _falls(report(SYSTEM, Q1)) == [january.pk]
    # The command rebuilds the same rows (nothing else keeps state).
    before = sorted(RingkasanMutu.objects.values_list("tahun", "bulan", "n_ukur", "pasangan", "digit_tb"))
    refresh_figures()
    assert sorted(RingkasanMutu.objects.values_list("tahun", "bulan", "n_ukur", "pasangan", "digit_tb")) == before


def test_moving_a_child_moves_its_sums(users):
    anak = make_anak("Betet", nik="3571010101230001", tanggal_lahir=datetime.date(2023, 1, 10))
    measure(anak, datetime.date(2025, 2, 10), berat=11.0, tinggi=84.0, cara_ukur="terlentang")
    assert report(SYSTEM, Q1, "kelurahan").rows[0].nama == "Betet"
    data = {f: getattr(anak, f) for f in services.IDENTITY_FORM_FIELDS}
    data["kelurahan"] = type(anak.kelurahan).objects.get(nama="Pesantren")
    data["posyandu"] = None
    services.update_child(anak, data, users["operator"])
    rows = [r for r in report(SYSTEM, Q1, "kelurahan").rows if r.jumlah.n_ukur]
    assert [(r.nama, r.jumlah.n_ukur) for r in rows] == [("Pesantren", 1)]
