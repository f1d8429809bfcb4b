"""Sekda's journey in Chromium: log in, change the year, drill down to a kelurahan, get the pack."""

import json
import re

import pytest
from django.core.management import call_command

from laporan import demo
from tpps.periods import Periode
from tests.charts import assert_readable, chart_texts
from tests.factories import PASSWORD, kelurahan, make_user
from tests.laporan.helpers import expected, random_city, refresh_figures
from tpps import formatting
from tpps.models import Kelurahan
from tpps.roles import Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pimpinan_filters_drills_down_and_downloads_the_pack(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("sekda_uji", (Role.PIMPINAN, {}))
    random_city(seed=61, children=50)
    demo.load_ranking()
    refresh_figures()

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "sekda_uji")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")
    page.click("nav.mainnav >> text=Dasbor")
    page.wait_for_selector("#kalimat-utama")
    assert page.locator("#id_tahun").input_value() == "2025"
    page.wait_for_selector("#dasbor .chart[data-drawn] .main-svg")  # plotly drew the trend chart

    # Changing the year swaps the dashboard in place (HTMX) and keeps the period kind.
    page.select_option("#id_periode", "th")
    page.wait_for_url(re.compile(r"periode=th"))
    page.select_option("#id_tahun", "2024")
    page.wait_for_url(re.compile(r"tahun=2024"))
    page.wait_for_selector("#kalimat-utama:has-text('Tahun 2024')")
    year = Periode("tahun", 2024, 1)
    want = expected(year.mulai, year.akhir)
    assert page.inner_text("[data-angka=stunting]") == formatting.angka(want["stunting"])

    # City → kecamatan (HTMX) → kelurahan page.
    page.click("#tabel-kecamatan >> text=Pesantren")
    page.wait_for_selector(".crumbs:has-text('Kecamatan Pesantren')")
    assert page.locator("#tabel-kelurahan tbody tr").count() == 15
    page.click("#tabel-kelurahan >> a:text-is('Betet')")
    page.wait_for_selector("h1:has-text('Kelurahan Betet')")
    betet = expected(year.mulai, year.akhir, {kelurahan("Betet").id})
    assert page.inner_text("[data-angka=stunting]") == formatting.angka(betet["stunting"])
    assert "Nama disamarkan" in page.inner_text("#daftar-anak")

    # The evaluation pack: one button, built in the background, then downloaded.
    page.click("nav.mainnav >> text=Paket evaluasi")
    page.select_option("#id_tahun", "2025")
    page.click("#buat-paket")
    page.wait_for_selector("#daftar-paket tr[hx-trigger]")
    call_command("db_worker", batch=True, verbosity=0)  # the worker `make run` starts
    page.wait_for_selector("#daftar-paket a.unduh", timeout=20_000)
    with page.expect_download() as info:
        page.click("#daftar-paket a.unduh")
    path = tmp_path / "paket.pdf"
    info.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    assert info.value.suggested_filename.startswith("paket-evaluasi-tpps-2025-")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_area_charts_name_every_area_readably_on_a_phone_and_a_laptop(live_server, page):
    """Every kelurahan with figures (40 of the city's 46 here) and every puskesmas has its own tick
    label, none cut off at the chart's edge or the window's, none overlapping another (the old
    vertical bars showed 14 of the 40 kelurahan names at phone width)."""
    make_user("sekda_grafik", (Role.PIMPINAN, {}))
    names = list(Kelurahan.objects.values_list("nama", flat=True))
    random_city(seed=14, children=120, kelurahan_names=names)
    refresh_figures()

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "sekda_grafik")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 800})
        page.goto(live_server.url + "/laporan/?tahun=2025&periode=th")
        for level in ("kelurahan", "puskesmas"):
            selector = f"section[aria-labelledby='judul-{level}'] .chart"
            page.wait_for_selector(f"{selector}[data-drawn] .main-svg")
            bars = json.loads(page.inner_text(f"{selector} script[type='application/json']"))["data"][0]
            names = bars["y"] if bars.get("orientation") == "h" else bars["x"]
            texts = chart_texts(page, selector)
            shown = texts["yticks"] if bars.get("orientation") == "h" else texts["xticks"]
            assert sorted(t["text"] for t in shown) == sorted(names), (level, width)
            if level == "kelurahan":
                assert len(names) >= 35  # of the city's 46, those with a child measured
            assert_readable(texts, f"{level} chart at {width} px")
