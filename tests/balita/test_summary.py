"""The stored figures (RingkasanGizi) equal counts computed independently from the rows, and
balita's services keep them fresh in the transaction that changes the data."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from balita import figures, services
from balita.figures import COUNTS, Angka, total
from balita.models import RingkasanGizi
from tests.factories import kelurahan
from tests.laporan.helpers import expected, make_anak, make_pengukuran, random_city, refresh_figures
from tpps.periods import Periode, periods_of_year
from tpps.roles import SYSTEM


def summed(periode, kelurahan_ids=None):
    rows = RingkasanGizi.objects.filter(jenis=periode.jenis, tahun=periode.tahun, nomor=periode.nomor)
    if kelurahan_ids is not None:
        rows = rows.filter(kelurahan_id__in=kelurahan_ids)
    return total(Angka.of(r) for r in rows)


def counts(angka):
    return {k: getattr(angka, k) for k in COUNTS}


@pytest.mark.django_db
def test_every_period_matches_the_rows():
    random_city(seed=3, children=50)
    run = refresh_figures()
    assert run["tahun"] == [2024, 2025] and run["baris"] == RingkasanGizi.objects.count()
    for tahun in (2024, 2025):
        for periode in periods_of_year(tahun):
            want = expected(periode.mulai, periode.akhir)
            assert counts(summed(periode)) == want, periode.label
            assert counts(figures.figures(SYSTEM, periode)) == want, periode.label


@pytest.mark.django_db
def test_children_count_where_they_are_registered():
    random_city(seed=5, children=40)
    refresh_figures([2025])
    periode = Periode("semester", 2025, 2)
    for nama in ("Betet", "Semampir"):
        ids = {kelurahan(nama).id}
        want = expected(periode.mulai, periode.akhir, ids)
        assert counts(summed(periode, ids)) == want, nama
        assert summed(periode, ids).diukur <= summed(periode, ids).sasaran


@pytest.mark.django_db
def test_latest_measurement_in_the_period_decides():
    betet = kelurahan("Betet")
    child = make_anak(betet, datetime.date(2023, 1, 5))
    make_pengukuran(child, datetime.date(2025, 1, 10), haz=-2.5)  # pendek in January
    make_pengukuran(child, datetime.date(2025, 3, 10), haz=-1.5)  # normal in March
    refresh_figures([2025])
    assert summed(Periode("bulan", 2025, 1)).stunting == 1
    assert summed(Periode("triwulan", 2025, 1)).stunting == 0  # March is the latest of Q1
    assert summed(Periode("triwulan", 2025, 1)).diukur == 1
    assert summed(Periode("bulan", 2025, 2)).diukur == 0


@pytest.mark.django_db
def test_partial_refresh_keeps_other_years_and_command_runs():
    random_city(seed=11, children=20)
    refresh_figures()
    before_2024 = RingkasanGizi.objects.filter(tahun=2024).count()
    child = make_anak(kelurahan("Pakunden"), datetime.date(2024, 2, 1))
    make_pengukuran(child, datetime.date(2025, 6, 1), haz=-3.5)
    call_command("refresh_figures", year=[2025], stdout=open("/dev/null", "w"))
    assert RingkasanGizi.objects.filter(tahun=2024).count() == before_2024
    assert summed(Periode("bulan", 2025, 6), {child.kelurahan_id}).sangat_pendek == 1


@pytest.mark.django_db
def test_services_keep_the_figures_fresh_without_a_refresh(users):
    """A form entry, a child moved to another kelurahan and a merge show at once, by area."""
    random_city(seed=13, children=15)
    refresh_figures()
    betet, banaran = kelurahan("Betet"), kelurahan("Banaran")
    child = services.register_child({"nama": "Dewi Uji Segar", "jenis_kelamin": "P",
                                      "tanggal_lahir": datetime.date(2023, 4, 2), "kelurahan": betet},
                                     users["operator"])
    june = Periode("bulan", 2025, 6)
    services.record_measurement(child, services.MeasurementInput(
        tanggal=datetime.date(2025, 6, 14), berat=Decimal("9.1"), tinggi=Decimal("80.5")), users["operator"])
    assert counts(summed(june, {betet.id})) == expected(june.mulai, june.akhir, {betet.id})
    assert summed(june, {betet.id}).diukur >= 1

    data = {"nama": child.nama, "jenis_kelamin": "P", "tanggal_lahir": child.tanggal_lahir, "kelurahan": banaran}
    services.update_child(child, data, users["operator"])
    for ids in ({betet.id}, {banaran.id}, None):
        assert counts(summed(june, ids)) == expected(june.mulai, june.akhir, ids)
    year = Periode("tahun", 2024, 1)
    assert counts(summed(year)) == expected(year.mulai, year.akhir)


@pytest.mark.django_db
def test_removing_a_years_last_measurement_empties_that_year():
    child = make_anak(kelurahan("Betet"), datetime.date(2023, 1, 5))
    make_pengukuran(child, datetime.date(2024, 5, 10), haz=-2.5)
    make_pengukuran(child, datetime.date(2025, 5, 10), haz=-2.5)
    refresh_figures()
    assert summed(Periode("tahun", 2024, 1)).stunting == 1
    child.pengukuran.filter(tanggal__year=2024).delete()
    refresh_figures([2024, 2025])
    assert summed(Periode("tahun", 2024, 1)).stunting == 0
    assert summed(Periode("tahun", 2025, 1)).stunting == 1
