"""The dashboard summary equals counts computed independently from the measurement rows."""

import datetime

import pytest
from django.core.management import call_command

from balita.selectors import latest_in_period_figures
from laporan import services
from laporan.figures import COUNTS, Angka, total
from laporan.models import RingkasanStatus
from laporan.periods import Periode, periods_of_year
from tests.laporan.helpers import expected, make_anak, make_pengukuran, random_city
from tests.factories import kelurahan


def summed(periode, kelurahan_ids=None):
    rows = RingkasanStatus.objects.filter(jenis=periode.jenis, tahun=periode.tahun, nomor=periode.nomor)
    if kelurahan_ids is not None:
        rows = rows.filter(kelurahan_id__in=kelurahan_ids)
    return total(Angka.of(r) for r in rows)


@pytest.mark.django_db
def test_every_period_matches_the_rows():
    random_city(seed=3, children=50)
    run = services.refresh_summary()
    assert run.tahun == "2024, 2025" and run.baris == RingkasanStatus.objects.count()
    for tahun in (2024, 2025):
        for periode in periods_of_year(tahun):
            want = expected(periode.mulai, periode.akhir)
            got = summed(periode)
            assert {k: getattr(got, k) for k in COUNTS} == want, periode.label


@pytest.mark.django_db
def test_area_counts_follow_the_kelurahan_of_the_latest_measurement():
    random_city(seed=5, children=40)
    services.refresh_summary([2025])
    periode = Periode("semester", 2025, 2)
    for nama in ("Betet", "Semampir"):
        ids = {kelurahan(nama).id}
        want = expected(periode.mulai, periode.akhir, ids)
        got = summed(periode, ids)
        assert {k: getattr(got, k) for k in COUNTS} == want, nama


@pytest.mark.django_db
def test_city_figures_agree_with_balita_selector():
    random_city(seed=9, children=30)
    services.refresh_summary()
    for periode in (Periode("bulan", 2025, 3), Periode("triwulan", 2024, 4), Periode("tahun", 2025, 1)):
        balita = latest_in_period_figures(periode.mulai, periode.akhir)
        ours = summed(periode)
        assert (ours.diukur, ours.tbu_valid, ours.stunting) == (
            balita["children_measured"], balita["measured"], balita["stunted"]
        )


@pytest.mark.django_db
def test_latest_measurement_in_the_period_decides():
    betet = kelurahan("Betet")
    child = make_anak(betet, datetime.date(2023, 1, 5))
    make_pengukuran(child, datetime.date(2025, 1, 10), haz=-2.5)  # pendek in January
    make_pengukuran(child, datetime.date(2025, 3, 10), haz=-1.5)  # normal in March
    services.refresh_summary([2025])
    assert summed(Periode("bulan", 2025, 1)).stunting == 1
    assert summed(Periode("triwulan", 2025, 1)).stunting == 0  # March is the latest of Q1
    assert summed(Periode("triwulan", 2025, 1)).diukur == 1
    assert summed(Periode("bulan", 2025, 2)).diukur == 0


@pytest.mark.django_db
def test_partial_refresh_keeps_other_years_and_command_runs():
    random_city(seed=11, children=20)
    services.refresh_summary()
    before_2024 = RingkasanStatus.objects.filter(tahun=2024).count()
    child = make_anak(kelurahan("Pakunden"), datetime.date(2024, 2, 1))
    make_pengukuran(child, datetime.date(2025, 6, 1), haz=-3.5)
    call_command("refresh_dashboard_summary", year=[2025], stdout=open("/dev/null", "w"))
    assert RingkasanStatus.objects.filter(tahun=2024).count() == before_2024
    assert summed(Periode("bulan", 2025, 6), {child.kelurahan_id}).sangat_pendek == 1


@pytest.mark.django_db
def test_balita_signal_queues_one_background_refresh():
    from django_tasks_db.models import DBTaskResult

    from balita.models import Pengukuran
    from balita.signals import measurements_changed
    from laporan import tasks

    random_city(seed=13, children=10)
    measurements_changed.send(sender=Pengukuran, years=[2025])
    measurements_changed.send(sender=Pengukuran, years=[2025])  # already covered: not queued again
    queued = DBTaskResult.objects.filter(task_path="laporan.tasks.refresh_summary_task")
    assert queued.count() == 1 and queued.get().args_kwargs["args"] == [[2025]]
    measurements_changed.send(sender=Pengukuran, years=[2024, 2025])
    assert queued.count() == 2
    tasks.refresh_summary_task.call([2025])  # what the worker runs
    periode = Periode("tahun", 2025, 1)
    assert summed(periode).stunting == expected(periode.mulai, periode.akhir)["stunting"]
    assert not RingkasanStatus.objects.filter(tahun=2024).exists()
