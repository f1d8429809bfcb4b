"""The survey prevalence beside the register's: entry by DP3AP2KB, the gap in children computed
from the same figures as every screen, shown on the dashboard (whole city only) and in the pack."""

import datetime
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse

from balita.prevalence import interval
from laporan import pdf, selectors
from laporan.models import SurveiPrevalensi
from tests.laporan.helpers import expected, random_city, refresh_figures
from tpps.formatting import angka
from tpps.periods import Periode

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    random_city(seed=31, children=40)
    refresh_figures()


def test_public_survey_figures_are_loaded():
    assert {(s.tahun, s.sumber, s.prevalensi) for s in SurveiPrevalensi.objects.all()} >= {
        (2022, "SSGI 2022", Decimal("14.3")), (2023, "SKI 2023", Decimal("18.6")), (2024, "SSGI 2024", Decimal("17.6"))}


def test_operator_enters_a_survey_and_errors_are_indonesian(client_for, users):
    client = client_for(users["operator"])
    response = client.post(reverse("laporan:survei"), {"tahun": "2025", "sumber": "SSGI 2025", "prevalensi": "16,4"})
    assert response.status_code == 302
    assert SurveiPrevalensi.objects.get(tahun=2025).prevalensi == Decimal("16.4")
    again = client.post(reverse("laporan:survei"), {"tahun": "2025", "sumber": "ssgi 2025", "prevalensi": "1"})
    assert again.status_code == 422 and "sudah ada" in again.content.decode()
    bad = client.post(reverse("laporan:survei"), {"tahun": "2025", "sumber": "X", "prevalensi": "abc"})
    assert "Prevalensi harus berupa angka" in bad.content.decode()
    for role in ("pimpinan", "opd", "wilayah"):
        assert client_for(users[role]).post(reverse("laporan:survei"), {"tahun": "2026", "sumber": "Y",
                                                                         "prevalensi": "5"}).status_code == 403
    assert not SurveiPrevalensi.objects.filter(tahun=2026).exists()


def test_gap_in_children_from_the_same_figures(client_for, users, city):
    want = expected(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))
    gap = selectors.survey_gap(users["pimpinan"], 2024)
    assert gap.survei.sumber == "SSGI 2024" and not gap.survei_tahun_lain
    assert gap.register.sasaran == want["sasaran"] and gap.register.stunting == want["stunting"]
    assert gap.perkiraan_stunting == round(want["sasaran"] * 17.6 / 100)
    assert gap.selisih_anak == gap.perkiraan_stunting - want["stunting"]
    low, high = interval(want["stunting"], want["tbu_valid"], want["diukur"])
    assert gap.survei_di_luar_selang == (not low <= 17.6 <= high)
    later = selectors.survey_gap(users["pimpinan"], 2025)
    assert later.survei.sumber == "SSGI 2024" and later.survei_tahun_lain

    page = client_for(users["pimpinan"]).get(reverse("laporan:index"), {"tahun": 2024, "periode": "th"}).content.decode()
    assert 'id="survei-register"' in page and "bagian=survei" in page  # loaded just after the page
    html = client_for(users["pimpinan"]).get(reverse("laporan:index"), {"tahun": 2024, "periode": "th", "bagian": "survei"},
                                             HTTP_HX_REQUEST="true").content.decode()
    assert html.strip().startswith("<section") and 'id="paragraf-survei"' in html and "SSGI 2024" in html
    assert f"skor mutu data {gap.mutu.nilai}" in html
    assert f"sekitar {angka(gap.perkiraan_stunting)} anak stunting" in html
    assert ("di luar rentang" if gap.survei_di_luar_selang else "di dalam rentang") in html
    # A survey is a city figure: not beside one area's register.
    wilayah = client_for(users["wilayah"]).get(reverse("laporan:index"), {"tahun": 2024, "periode": "th"})
    assert 'id="survei-register"' not in wilayah.content.decode()
    fragment = client_for(users["wilayah"]).get(reverse("laporan:index"), {"tahun": 2024, "periode": "th", "bagian": "survei"},
                                                HTTP_HX_REQUEST="true")
    assert 'id="paragraf-survei"' not in fragment.content.decode()


def test_pack_has_the_survey_paragraph(city, tmp_path):
    from weasyprint import HTML

    path = tmp_path / "pack.pdf"
    HTML(string=pdf.render_html(pdf.gather(2024)), base_url=".").write_pdf(path)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    gap = selectors.survey_gap(pdf.SYSTEM, 2024)
    assert "Survei dan register" in text and "SSGI 2024" in text
    assert gap.mutu is not None and f"skor mutu data {gap.mutu.nilai}" in text
    assert f"sekitar {angka(gap.perkiraan_stunting)} anak stunting" in text
    assert Periode("tahun", 2024, 1).label
