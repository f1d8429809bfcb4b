"""The dashboard card and the evaluation pack's section read kasus' selectors: their figures equal
counts made in the test."""

import datetime

import pytest
from django.urls import reverse

from laporan import pdf
from tests.kasus.helpers import measure_z, stunted_child

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(users):
    anak, _ = stunted_child(nama="Sembuh", months=[D(2025, 2, 3)])
    measure_z(anak, D(2025, 3, 3), tbu=-1.5)
    measure_z(anak, D(2025, 4, 3), tbu=-1.5)
    stunted_child(nama="Terbuka", months=[D(2025, 3, 10)])
    stunted_child(nama="Hilang", months=[D(2024, 12, 10)])  # opened the year before: not in 2025's cohort


def test_dashboard_card(client_for, users, cases):
    response = client_for(users["pimpinan"]).get(reverse("laporan:index"), {"tahun": "2025", "periode": "th"})
    kasus = response.context["kasus"]
    assert (kasus["terbuka"], kasus["tidak_terukur"]) == (1, 1)  # as of 3 Apr 2025: the Dec case is lost
    assert (kasus["kohort"]["kasus"], kasus["kohort"]["sembuh"], kasus["kohort"]["persen_sembuh"]) == (2, 1, 50.0)
    html = response.content.decode()
    assert 'id="ringkas-kasus"' in html and "Tata laksana gizi 2025" in html
    assert "1 (50,0%)" in html


def test_pack_section(cases):
    html = pdf.render_html(pdf.gather(2025))
    assert "10. Tata laksana gizi" in html
    assert "<strong>2 kasus gizi</strong> dibuka pada 2025" in html
    assert "1 sembuh (50,0%)" in html and "median 59 hari" in html
