"""Indonesian indicator names (Kemenkes wording) on the dashboard, the exports and the pack."""

import re

import pytest
from django.urls import reverse

from laporan import pdf
from tests.factories import kelurahan
from tests.laporan.helpers import random_city, refresh_figures
from tests.laporan.test_exports import sheet

WASTING = "Gizi kurang dan gizi buruk (wasting)"
UNDERWEIGHT = "Berat badan kurang (underweight)"


@pytest.fixture
def city(db):
    random_city(seed=7, children=30)
    refresh_figures()


def no_english_label(html):
    for word in ("Wasting", "Underweight", "Under&shy;weight"):
        assert f">{word}" not in html, word


@pytest.mark.django_db
def test_dashboard_and_kelurahan_page_use_kemenkes_names(client_for, users, city):
    client = client_for(users["pimpinan"])
    html = client.get(reverse("laporan:index"), {"tahun": 2025, "periode": "th"}).content.decode()
    assert WASTING in html and UNDERWEIGHT in html
    assert "Gizi kurang &amp; buruk" in html and "BB kurang" in html  # table headers
    no_english_label(html)
    page = client.get(reverse("laporan:kelurahan", args=[kelurahan("Betet").pk]), {"tahun": 2025, "periode": "th"}).content.decode()
    assert WASTING in page and UNDERWEIGHT in page
    no_english_label(page)


@pytest.mark.django_db
def test_exports_use_kemenkes_names(client_for, users, city):
    client = client_for(users["pimpinan"])
    _, header, _ = sheet(client.get(reverse("laporan:ekspor", args=["kelurahan", "xlsx"]), {"tahun": 2025, "periode": "th"}))
    assert f"{WASTING} (%)" in header and f"{UNDERWEIGHT} (%)" in header
    assert "Wasting (%)" not in header and "Underweight (%)" not in header


@pytest.mark.django_db
def test_pack_uses_kemenkes_names(city):
    html = pdf.render_html(pdf.gather(2025))
    assert WASTING in html and UNDERWEIGHT in html
    no_english_label(html)


@pytest.mark.django_db
def test_change_columns_carry_their_unit(client_for, users, city):
    client = client_for(users["pimpinan"])
    html = client.get(reverse("laporan:index"), {"tahun": 2025, "periode": "t4"}).content.decode()
    assert "Perubahan (anak)" in html and ">Perubahan<" not in html and ">Perubahan ▲<" not in html
    assert " poin persen</span>" in html and not re.search(r" poin</span>", html)
    _, header, _ = sheet(client.get(reverse("laporan:ekspor", args=["kelurahan", "xlsx"]), {"tahun": 2025, "periode": "th"}))
    assert "Perubahan jumlah stunting (anak)" in header
    pack = pdf.render_html(pdf.gather(2025))
    assert "Perubahan (anak)" in pack and ">Perubahan<" not in pack
