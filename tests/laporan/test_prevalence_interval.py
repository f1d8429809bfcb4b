"""The 95 % interval next to each prevalence: dashboard, register, PDF pack and exports, for a
crafted city whose counts are known here (a large kelurahan and a small one with a wide interval)."""

import csv
import datetime
import io
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse

from balita.prevalence import interval
from tests.laporan.helpers import make_anak, make_pengukuran, refresh_figures
from tpps import formatting
from tpps.models import Kelurahan

MARCH = datetime.date(2025, 3, 10)
PARAMS = {"tahun": 2025, "periode": "b03"}


def ci_text(cases, n, rows):
    return formatting.selang(interval(cases, n, rows))


@pytest.fixture
def city(db):
    """Betet: 30 children, 6 stunted, 1 flagged TB/U, 3 wasted; Banaran: 4 children, 1 stunted."""
    betet, banaran = Kelurahan.objects.get(nama="Betet"), Kelurahan.objects.get(nama="Banaran")
    for i in range(30):
        child = make_anak(betet, datetime.date(2023, 1, 1) + datetime.timedelta(days=i))
        make_pengukuran(child, MARCH, haz=-2.5 if i < 6 else -0.5, waz=-2.4 if i < 2 else 0.1,
                        whz=-2.5 if i in (10, 11, 12) else 0.2, flag_tbu=i == 29)
    for i in range(4):
        child = make_anak(banaran, datetime.date(2022, 6, 1) + datetime.timedelta(days=i))
        make_pengukuran(child, MARCH, haz=-3.2 if i == 0 else 0.3, waz=0.0, whz=0.0)
    refresh_figures([2025])
    return {
        # Every area is a group of one data set, the city's 34 children (anthro with group = area).
        "kota": ci_text(7, 33, 34), "betet": ci_text(6, 29, 34), "banaran": ci_text(1, 4, 34),
        "wasting": ci_text(3, 34, 34), "underweight": ci_text(2, 34, 34),
    }


def test_dashboard_shows_intervals(client_for, users, city):
    html = client_for(users["operator"]).get(reverse("laporan:index"), PARAMS).content.decode()
    for key in ("kota", "betet", "banaran", "wasting", "underweight"):
        assert city[key] in html, key
    # the small kelurahan's interval is wide
    low, high = interval(1, 4, 34)
    assert high - low > 50


def test_register_shows_intervals(client_for, users, city):
    html = client_for(users["operator"]).get(reverse("balita:stunting"), PARAMS).content.decode()
    assert f'id="total-ci">{city["kota"]}<' in html
    assert city["betet"] in html and city["banaran"] in html


def test_pdf_pack_shows_intervals(tmp_path, city):
    out = tmp_path / "pack.pdf"
    call_command("evaluation_pack", year=2025, output=str(out), stdout=io.StringIO())
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # the year's figures are March's here: each child was measured once
    for key in ("kota", "betet", "banaran", "wasting", "underweight"):
        assert city[key] in text, key


def test_export_has_interval_columns(client_for, users, city):
    response = client_for(users["operator"]).get(reverse("laporan:ekspor", args=["kelurahan", "csv"]), PARAMS)
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = table[0]
    low_col, high_col = header.index("CI bawah (%)"), header.index("CI atas (%)")
    assert low_col == header.index("Prevalensi stunting (%)") + 1 and high_col == low_col + 1
    betet = next(row for row in table[1:] if row[0] == "Betet")
    low, high = interval(6, 29, 34)
    assert float(betet[low_col].replace(",", ".")) == pytest.approx(low, abs=0.01)
    assert float(betet[high_col].replace(",", ".")) == pytest.approx(high, abs=0.01)
    empty = next(row for row in table[1:] if row[0] == "Bangsal")
    assert empty[low_col] == "" and empty[high_col] == ""


def test_command_rows_equal_the_dashboard_for_a_period(client_for, users, city, tmp_path):
    """The prevalensi command (anthro with the kelurahan as group) and the dashboard agree."""
    out = tmp_path / "prev.csv"
    call_command("prevalensi", dari="2025-03", sampai="2025-03", per="kelurahan", output=str(out), stdout=io.StringIO())
    rows = {(r["kelompok"], r["indikator"]): r for r in csv.DictReader(out.open())}
    d = client_for(users["operator"]).get(reverse("laporan:index"), PARAMS).context["d"]
    shown = {r.nama: r.sekarang for r in d.kelurahan}
    for nama in ("Betet", "Banaran"):
        low, high = shown[nama].ci_prevalensi
        assert float(rows[(nama, "stunting")]["ci_bawah"]) == pytest.approx(low, abs=1e-4)
        assert float(rows[(nama, "stunting")]["ci_atas"]) == pytest.approx(high, abs=1e-4)
    low, high = d.sekarang.ci_prevalensi
    assert float(rows[("Semua", "stunting")]["ci_bawah"]) == pytest.approx(low, abs=1e-4)
