"""The main pages in Chromium at phone width (390 px) and on a laptop (1366 px): no sideways page
scroll, tables as cards with their key columns, the child's history whole, no plotly mode bar,
the Beranda's tiles with figures."""

import re

import pytest
from django.db import transaction

from balita.models import Anak, Pengukuran
from kasus import derive
from tests.factories import PASSWORD, make_user
from tests.laporan.helpers import random_city, refresh_figures
from tpps.roles import Role

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


def log_in(page, base, username):
    page.goto(base + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")


def settle(page):
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(150)  # HTMX swaps loaded after the page (dashboard cards) and their labels


def page_overflow(page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def city(db):
    random_city(seed=7, children=40)
    refresh_figures()
    with transaction.atomic():  # balita's services call it inside theirs
        derive.refresh(None)
    make_user("operator_layar", (Role.OPERATOR, {}))
    return Anak.objects.order_by("-id").filter(pengukuran__isnull=False).distinct()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_main_pages_fit_a_phone_and_tables_keep_their_key_columns(live_server, page, city):
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, "operator_layar")
    child = city.first()
    pages = ["/", "/balita/", "/balita/stunting/", f"/balita/anak/{child.pk}/", "/balita/impor/", "/laporan/",
             "/laporan/peringkat/", "/kasus/", "/kasus/tindak-lanjut/", "/kasus/kohort/", "/konvergensi/",
             "/konvergensi/indikator/", "/genting/", "/rekomendasi/"]
    too_wide = {}
    for path in pages:
        page.goto(live_server.url + path)
        settle(page)
        if page_overflow(page) > 0:
            too_wide[path] = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
              .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
              .slice(0, 8).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert not too_wide, f"pages wider than 390 px: {too_wide}"

    # The register: every row a card whose TB/U status is on screen, labelled.
    page.goto(live_server.url + "/balita/")
    settle(page)
    status = page.locator("table.table tbody tr").first.locator("td").last
    assert status.get_attribute("data-label") == "TB/U"
    assert status.is_visible()
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert re.search(r"(?i)normal|pendek|tinggi|–", status.inner_text()), status.inner_text()

    # The dashboard's tables too, and its charts have no mode bar.
    page.goto(live_server.url + "/laporan/")
    page.wait_for_selector("#dasbor .chart .main-svg")
    settle(page)
    assert page.locator(".modebar").count() == 0
    prevalence = page.locator("#tabel-kelurahan tbody tr").first.locator("[data-kolom=prevalensi]")
    assert prevalence.get_attribute("data-label") == "Prevalensi"
    assert prevalence.bounding_box()["x"] + prevalence.bounding_box()["width"] <= PHONE["width"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_child_history_whole_at_1366_and_beranda_tiles_show_figures(live_server, page, city):
    page.set_viewport_size(LAPTOP)
    log_in(page, live_server.url, "operator_layar")
    # Beranda: tiles with a figure each.
    tiles = page.locator("[data-ubin]")
    assert tiles.count() >= 5
    for i in range(tiles.count()):
        assert re.fullmatch(r"[\d.,]+%?", tiles.nth(i).locator(".stat").inner_text().strip())
    assert page.locator("[data-ubin=prevalensi] .stat").inner_text().endswith("%")

    # The child with the most measurements: the history's last columns are on screen, rows short.
    child = max(city, key=lambda a: Pengukuran.objects.filter(anak=a).count())
    page.goto(live_server.url + f"/balita/anak/{child.pk}/")
    page.wait_for_selector(".chart[data-drawn] .main-svg")
    assert page.locator(".modebar").count() == 0
    assert page_overflow(page) <= 0
    wrap = page.locator("#riwayat").locator("xpath=..")
    assert wrap.evaluate("el => el.scrollWidth - el.clientWidth") <= 0, "the history scrolls sideways"
    for header in ("ZS IMT/U", "Sumber"):
        box = page.locator("#riwayat th", has_text=header).bounding_box()
        assert box["x"] + box["width"] <= LAPTOP["width"], header
    last = page.locator("#riwayat thead th").last.bounding_box()
    assert last["x"] + last["width"] <= LAPTOP["width"]
    heights = page.locator("#riwayat tbody tr").evaluate_all("rows => rows.map(r => r.getBoundingClientRect().height)")
    assert heights and max(heights) <= 60, heights
