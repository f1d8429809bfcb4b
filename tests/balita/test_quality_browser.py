"""In real Chromium: an operator opens the fix list of Mutu data, marks a finding "sudah
diperiksa, benar", and it leaves the list without a page reload."""

import pytest

from tests.balita.quality_helpers import melati_betet
from tests.factories import PASSWORD, make_user
from tpps.roles import Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_mark_a_finding_checked_and_it_leaves_the_list(live_server, page):
    make_user("ratna", (Role.OPERATOR, {}))
    melati_betet()

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "ratna")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")

    page.goto(live_server.url + "/balita/")
    page.click("nav.subnav >> text=Mutu data")
    page.wait_for_selector("h1:has-text('Mutu data')")
    # The first quarter of 2025 by its address (two quick select changes would race two swaps).
    page.goto(live_server.url + "/balita/mutu/?tahun=2025&periode=t1")
    assert page.locator("#id_periode option[selected]").inner_text() == "Triwulan I"
    page.wait_for_selector("#daftar-temuan tr[data-jenis='tinggi_turun']")
    page.wait_for_load_state("networkidle")  # htmx has processed the swapped rows
    before = page.locator("#daftar-temuan tbody tr").count()
    row = page.locator("#daftar-temuan tr[data-jenis='tinggi_turun']")
    assert "Adi Saputra" in row.inner_text() and "turun 3,0 cm" in row.inner_text()

    row.locator("button:has-text('Sudah diperiksa, benar')").click()
    page.wait_for_function("() => !document.querySelector(\"#daftar-temuan tr[data-jenis='tinggi_turun']\")")
    assert page.locator("#daftar-temuan tbody tr").count() == before - 1
    assert "/balita/mutu/" in page.url  # swapped in place, no navigation
    page.wait_for_load_state("networkidle")
