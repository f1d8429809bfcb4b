"""One figure, one number: the stunting count, prevalence, coverage and its denominator are the
same on the stunting register, the dashboard, the indicator catalogue, the XLSX export and the
PDF pack, and equal to counts computed here from the rows, for a month, a quarter and a year.

The city is made to catch the old disagreements: children measured outside their home
kelurahan, a child turning five inside the period, a child over five all year, WHO-flagged
values, two measurements of one child in one month, children never measured.
"""

import datetime
import io
import re
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from balita import figures
from laporan import pdf
from tests.factories import kelurahan
from tests.laporan.helpers import expected, make_anak, make_pengukuran, random_city, refresh_figures
from tpps.formatting import angka, persen
from tpps.periods import Periode

PERIODS = [Periode("bulan", 2025, 3), Periode("triwulan", 2025, 1), Periode("tahun", 2025, 1)]


@pytest.fixture
def city(db):
    random_city(seed=21, children=45)
    betet, pesantren, semampir = kelurahan("Betet"), kelurahan("Pesantren"), kelurahan("Semampir")
    # Measured in another kelurahan than the one she is registered in.
    away = make_anak(betet, datetime.date(2023, 3, 1), nama="Ayu Pindah")
    make_pengukuran(away, datetime.date(2025, 1, 10), haz=-2.4, kelurahan=pesantren)
    make_pengukuran(away, datetime.date(2025, 3, 5), haz=-2.6, kelurahan=semampir)
    # Turns five (1826 days) in mid-February 2025: counted in January and February, not March.
    older = make_anak(pesantren, datetime.date(2020, 2, 15), nama="Bima Hampir Lima")
    make_pengukuran(older, datetime.date(2025, 1, 20), haz=-2.2)
    # Over five the whole year: never in the denominator.
    make_anak(pesantren, datetime.date(2019, 12, 20), nama="Cakra Sudah Besar")
    # A WHO-flagged height: measured, but not in the prevalence.
    flagged = make_anak(semampir, datetime.date(2024, 2, 2), nama="Dina Flag")
    make_pengukuran(flagged, datetime.date(2025, 3, 12), haz=-6.5, flag_tbu=True)
    # Two measurements in March: the later one (pendek) counts, not the earlier (sangat pendek).
    twice = make_anak(betet, datetime.date(2023, 8, 8), nama="Eka Dua Kali")
    make_pengukuran(twice, datetime.date(2025, 3, 3), haz=-3.4)
    make_pengukuran(twice, datetime.date(2025, 3, 25), haz=-2.5)
    # Registered, never measured.
    make_anak(semampir, datetime.date(2024, 6, 1), nama="Fajar Belum Diukur")
    refresh_figures()  # rows made here skip balita's services


def _ints(text):
    return int(text.replace(".", ""))


def _xlsx_column_sum(response, name):
    ws = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in ws[4]]
    col = header.index(name)
    return sum(row[col].value or 0 for row in ws.iter_rows(min_row=5))


def _indicator(rows, kode):
    return next(r for r in rows if r["kode"] == kode)


@pytest.mark.parametrize("periode", PERIODS, ids=lambda p: p.kode)
def test_every_screen_shows_the_same_figures(client_for, users, city, periode):
    want = expected(periode.mulai, periode.akhir)
    assert want["diukur"] <= want["sasaran"]
    client = client_for(users["operator"])
    params = {"tahun": periode.tahun, "periode": periode.kode}

    register = client.get(reverse("balita:stunting"), params)
    total = register.context["register"]["total"]
    html = register.content.decode()
    assert (total.stunting, total.tbu_valid, total.diukur, total.sasaran) == (
        want["stunting"], want["tbu_valid"], want["diukur"], want["sasaran"])
    assert _ints(re.search(r'id="total-stunting">([^<]+)<', html).group(1)) == want["stunting"]
    assert register.context["page"].paginator.count == want["stunting"]

    dashboard = client.get(reverse("laporan:index"), params)
    now = dashboard.context["d"].sekarang
    html = dashboard.content.decode()
    assert (now.stunting, now.tbu_valid, now.diukur, now.sasaran) == (
        want["stunting"], want["tbu_valid"], want["diukur"], want["sasaran"])
    assert now.prevalensi == total.prevalensi == round(100 * want["stunting"] / want["tbu_valid"], 2)
    assert now.cakupan == total.cakupan == round(100 * want["diukur"] / want["sasaran"], 2)
    assert _ints(re.search(r'data-angka="stunting">([^<]+)<', html).group(1)) == want["stunting"]
    assert persen(now.prevalensi, 2) in html

    for level in ("kelurahan", "kecamatan"):
        export = client.get(reverse("laporan:ekspor", args=[level, "xlsx"]), params)
        assert _xlsx_column_sum(export, "Balita stunting") == want["stunting"]
        assert _xlsx_column_sum(export, "Balita diukur") == want["diukur"]
        assert _xlsx_column_sum(export, "Sasaran balita") == want["sasaran"]

    # The kelurahan pages list exactly the children their figures count.
    listed = sum(figures.children_behind(users["operator"], periode, kelurahan=k).count()
                 for k in figures.visible_kelurahan(users["operator"]))
    assert listed == want["diukur"]

    if periode.kode in ("t1", "th"):  # konvergensi reports by quarter and year
        page = client.get(reverse("konvergensi:indikator"), params)
        prevalence = _indicator(page.context["rows"], "prevalensi-stunting")
        assert prevalence["dihitung"] and (prevalence["pembilang"], prevalence["penyebut"]) == (
            want["stunting"], want["tbu_valid"])
        assert float(prevalence["capaian"]) == now.prevalensi
        monitored = _indicator(page.context["rows"], "balita-dipantau")
        assert (monitored["pembilang"], monitored["penyebut"]) == (want["diukur"], want["sasaran"])


def test_pack_text_has_the_same_figures(city, tmp_path):
    periode = Periode("tahun", 2025, 1)
    want = expected(periode.mulai, periode.akhir)
    html = pdf.render_html(pdf.gather(2025))
    path = tmp_path / "pack.pdf"
    from weasyprint import HTML

    HTML(string=html, base_url=".").write_pdf(path)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    prevalence = round(100 * want["stunting"] / want["tbu_valid"], 2)
    assert f"{angka(want['stunting'])} balita stunting pada tahun 2025" in text
    assert persen(prevalence, 2) in text
    assert f"{angka(want['diukur'])} dari {angka(want['sasaran'])} balita" in text
    # Section 6: the computed prevalence indicator, with the same value.
    section6 = text[text.index("6. Indikator dan capaian OPD", text.index("6. Indikator dan capaian OPD") + 10):]
    assert angka(prevalence, 2) in section6


def test_coverage_never_passes_100_percent_in_any_area(city):
    from balita.models import RingkasanGizi

    for row in RingkasanGizi.objects.all():
        assert row.diukur <= row.sasaran, row
        assert row.stunting <= row.tbu_valid <= row.diukur, row


def test_no_default_lands_on_a_month_without_enough_data(client_for, users, city):
    """One measurement dated today must not move every page to this month ("0 balita stunting
    — tercapai"); choosing that month says how little was measured."""
    from decimal import Decimal

    from django.utils import timezone

    from balita import services

    today = timezone.localdate()
    child = make_anak(kelurahan("Betet"), today - datetime.timedelta(days=400), nama="Gita Hari Ini")
    services.record_measurement(child, services.MeasurementInput(tanggal=today, berat=Decimal("9.0"),
                                                                 tinggi=Decimal("74.0")), users["operator"])
    client = client_for(users["operator"])
    months = [Periode("bulan", y, m) for y in (today.year, 2025, 2024) for m in range(12, 0, -1)]
    with_data = [p for p in months if expected(p.mulai, p.akhir)["diukur"]]
    assert with_data[0] == Periode("bulan", today.year, today.month)  # today's month has one child

    dashboard = client.get(reverse("laporan:index")).context["periode"]
    register = client.get(reverse("balita:stunting")).context["periode"]
    assert dashboard == register == figures.default_period(users["operator"])
    assert dashboard != with_data[0] and dashboard in with_data
    chosen = expected(dashboard.mulai, dashboard.akhir)
    assert 100 * chosen["diukur"] / chosen["sasaran"] >= figures.CAKUPAN_CUKUP

    thin = client.get(reverse("laporan:index"), {"tahun": today.year, "periode": f"b{today.month:02d}"})
    html = thin.content.decode()
    assert "Baru " in html and "belum mewakili wilayah" in html and 'id="catatan-data"' in html
    assert thin.context["d"].target_tercapai is None and "tercapai</span>" not in html
    assert thin.context["d"].perubahan_stunting.arah == ""  # no "sama dengan Oktober"


def test_year_options_name_their_own_year(client_for, users, city):
    response = client_for(users["operator"]).get(reverse("laporan:index"), {"tahun": 2024, "periode": "b05"})
    html = response.content.decode()
    assert "Setahun (2024)" in html and "Setahun (2025)" not in html
    register = client_for(users["operator"]).get(reverse("balita:stunting"), {"tahun": 2024}).content.decode()
    assert "Setahun (2024)" in register and "Setahun (2025)" not in register
