"""`manage.py prevalensi`: CSV of prevalence with anthro's intervals, against counts made here."""

import csv
import datetime
import io
import re
import statistics

import pytest
from django.core.management import CommandError, call_command

from balita import figures
from balita.models import Pengukuran
from balita.prevalence import interval
from tests.laporan.helpers import make_anak, make_pengukuran, random_city, refresh_figures
from tpps.models import Kelurahan
from tpps.periods import Periode
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db
HEADER = "kelompok,indikator,n,kasus,prevalensi,ci_bawah,ci_atas,rerata_z,sd_z"
CUTS = {  # indicator → (z field, flag field, is a case), written here again on purpose
    "stunting": ("zs_tbu", "flag_tbu", lambda z: z < -2),
    "sangat_pendek": ("zs_tbu", "flag_tbu", lambda z: z < -3),
    "wasting": ("zs_bbtb", "flag_bbtb", lambda z: z < -2),
    "underweight": ("zs_bbu", "flag_bbu", lambda z: z < -2),
    "overweight": ("zs_bbtb", "flag_bbtb", lambda z: z > 2),
}


def run(*args) -> tuple[str, list[dict]]:
    out = io.StringIO()
    call_command("prevalensi", *args, stdout=out)
    text = out.getvalue()
    return text, list(csv.DictReader(io.StringIO(text)))


def latest(start, end):
    """Each child's latest measurement from start to end at under 1,827 days, in plain Python."""
    rows = {}
    for m in Pengukuran.objects.filter(tanggal__range=(start, end)).select_related("anak__kelurahan").order_by("tanggal"):
        if (m.tanggal - m.anak.tanggal_lahir).days <= 1826:
            rows[m.anak_id] = m
    return list(rows.values())


@pytest.fixture
def city():
    random_city(seed=7, children=90, years=(2025,))
    # a very old child and a child over five: their rows do not count
    old = make_anak(Kelurahan.objects.get(nama="Betet"), datetime.date(2019, 1, 1))
    make_pengukuran(old, datetime.date(2025, 2, 1), haz=-3.5, waz=-2.5, whz=-2.5)
    refresh_figures([2025])


def test_csv_by_kelurahan_equals_counts_made_here(city):
    text, rows = run("--dari", "2025-01", "--sampai", "2025-06", "--per", "kelurahan")
    assert text.splitlines()[0] == HEADER
    measured = latest(datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    by_key = {(r["kelompok"], r["indikator"]): r for r in rows}
    groups = {"Semua": measured}
    for m in measured:
        groups.setdefault(m.anak.kelurahan.nama, []).append(m)
    assert "Betet" in groups and {k for k, _ in by_key} == set(groups)
    for name, members in groups.items():
        for indicator, (zs, flag, is_case) in CUTS.items():
            z = [float(getattr(m, zs)) for m in members if getattr(m, zs) is not None and not getattr(m, flag)]
            cases = sum(is_case(v) for v in z)
            row = by_key[(name, indicator)]
            assert (int(row["n"]), int(row["kasus"])) == (len(z), cases), (name, indicator)
            if not z:
                assert row["prevalensi"] == "" and row["ci_bawah"] == ""
                continue
            for column in ("prevalensi", "ci_bawah", "ci_atas"):
                assert re.fullmatch(r"\d+\.\d{4,}", row[column]), row[column]
            assert float(row["prevalensi"]) == pytest.approx(100 * cases / len(z), abs=1e-6)
            low, high = interval(cases, len(z), len(measured))  # N: every row of the data set
            assert (float(row["ci_bawah"]), float(row["ci_atas"])) == pytest.approx((low, high), abs=1e-6)
            assert float(row["rerata_z"]) == pytest.approx(statistics.mean(z), abs=1e-4)
            if len(z) > 1:
                assert float(row["sd_z"]) == pytest.approx(statistics.stdev(z), abs=1e-4)


def test_whole_city_row_is_the_dashboards_figure(city):
    _, rows = run("--dari", "2025-01", "--sampai", "2025-03")
    assert {r["kelompok"] for r in rows} == {"Semua"}
    assert [r["indikator"] for r in rows] == list(CUTS)
    angka = figures.figures(SYSTEM, Periode("triwulan", 2025, 1))
    semua = {r["indikator"]: r for r in rows}
    assert int(semua["stunting"]["kasus"]) == angka.stunting and int(semua["stunting"]["n"]) == angka.tbu_valid
    assert (float(semua["stunting"]["ci_bawah"]), float(semua["stunting"]["ci_atas"])) == pytest.approx(
        angka.ci_prevalensi, abs=1e-6)
    assert (float(semua["wasting"]["ci_bawah"]), float(semua["wasting"]["ci_atas"])) == pytest.approx(
        angka.ci_wasting, abs=1e-6)


@pytest.mark.parametrize("per, expected", [
    ("jenis_kelamin", {"Semua", "Laki-laki"}),
    ("kelompok_umur", None),
    ("kecamatan", None),
    ("posyandu", None),
])
def test_other_groupings(city, per, expected, tmp_path):
    target = tmp_path / "hasil.csv"
    call_command("prevalensi", "--dari", "2025-01", "--sampai", "2025-12", "--per", per, "-o", str(target),
                 stderr=io.StringIO())
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    names = {r["kelompok"] for r in rows}
    assert rows[0]["kelompok"] == "Semua"
    if expected:
        assert names == expected  # make_anak's children are all boys
    if per == "kelompok_umur":
        assert names <= {"Semua", "0-5 bulan", "6-11 bulan", "12-23 bulan", "24-35 bulan", "36-47 bulan", "48-59 bulan"}
    if per == "kecamatan":
        assert names <= {"Semua", "Mojoroto", "Kota", "Pesantren"}
    # every group's n adds up to the whole city's
    for indicator in CUTS:
        parts = [int(r["n"]) for r in rows if r["indikator"] == indicator and r["kelompok"] != "Semua"]
        whole = next(int(r["n"]) for r in rows if r["indikator"] == indicator and r["kelompok"] == "Semua")
        assert sum(parts) == whole


@pytest.mark.parametrize("args, message", [
    (("--dari", "2025-13", "--sampai", "2025-12"), "--dari harus berupa bulan"),
    (("--dari", "Maret", "--sampai", "2025-12"), "--dari harus berupa bulan"),
    (("--dari", "2025-01", "--sampai", "25-1"), "--sampai harus berupa bulan"),
    (("--dari", "2025-06", "--sampai", "2025-01"), "tidak boleh sesudah --sampai"),
])
def test_errors_in_indonesian(args, message):
    with pytest.raises(CommandError, match=message):
        call_command("prevalensi", *args, stdout=io.StringIO())
