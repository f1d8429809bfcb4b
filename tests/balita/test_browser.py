"""In real Chromium: an operator enters a measurement, sees the live z-score while typing, saves,
and finds the child in the register by typing the name."""

import datetime

import pytest

from balita.growth import categories, engine
from tests.balita.conftest import make_anak, measure
from tests.charts import assert_readable, chart_texts
from tests.factories import PASSWORD, make_user
from tpps.roles import Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_enter_measurement_with_live_z_score_then_find_child(live_server, page):
    make_user("endang", (Role.WILAYAH, {"puskesmas": "Pesantren I"}))
    born = datetime.date.today() - datetime.timedelta(days=400)
    child = make_anak("Pesantren", nama="Kirana Maharani", tanggal_lahir=born)
    make_anak("Betet", nama="Kirana Lain", tanggal_lahir=born)  # outside her area: never listed

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "endang")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")

    page.goto(f"{live_server.url}/balita/anak/{child.pk}/")
    page.click("text=+ Catat pengukuran")
    page.wait_for_selector("#form-ukur")
    today = datetime.date.today()
    page.fill("#id_tanggal", today.isoformat())
    page.fill("#id_berat", "8,4")
    page.fill("#id_tinggi", "71,5")

    expected = engine.compute_one(jenis_kelamin="P", tanggal_lahir=born, tanggal=today, berat=8.4, tinggi=71.5,
                                  cara_ukur="terlentang")
    shown = ("−" if expected["zs_tbu"] < 0 else "+") + f"{abs(expected['zs_tbu']):.2f}".replace(".", ",")
    page.wait_for_function(
        "text => document.querySelector('#zs-tbu') && document.querySelector('#zs-tbu').textContent.trim() === text",
        arg=shown,
    )
    assert page.inner_text("#kat-tbu") == categories.label("tbu", expected["kategori_tbu"])

    page.click("button:has-text('Simpan pengukuran')")
    page.wait_for_selector(".msg-success")
    assert f"/balita/anak/{child.pk}/" in page.url
    assert "8,40" in page.inner_text("#riwayat")

    page.click("nav.subnav >> text=Register balita")
    page.wait_for_selector("#tabel-anak")
    page.fill("#q", "kirana")
    page.wait_for_function("() => document.querySelectorAll('#tabel-anak tbody tr').length === 1 && "
                           "document.querySelector('#tabel-anak tbody').textContent.includes('Kirana Maharani')")
    row = page.inner_text("#tabel-anak tbody tr")
    assert "Kirana Lain" not in page.inner_text("#tabel-anak")
    assert categories.label("tbu", expected["kategori_tbu"]) in row
    page.wait_for_url("**/balita/?*q=kirana*")  # the search is in the address, so it survives a reload
    page.wait_for_load_state("networkidle")  # no request of this page outlives the test


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_growth_charts_zoom_to_the_childs_ages_and_stay_readable_on_a_phone(live_server, page):
    make_user("operator_grafik", (Role.OPERATOR, {}))
    born = datetime.date(2024, 1, 10)
    child = make_anak("Betet", nama="Citra Lestari", tanggal_lahir=born)
    for months, berat, tinggi in ((13, 8.9, 73.0), (14, 9.1, 74.0), (16, 9.4, 75.6)):
        measure(child, born + datetime.timedelta(days=round(months * 30.4375)), berat=berat, tinggi=tinggi,
                cara_ukur="terlentang")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "operator_grafik")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")

    page.goto(f"{live_server.url}/balita/anak/{child.pk}/")
    for chart in ("#grafik-tbu", "#grafik-bbu"):
        page.wait_for_selector(f"{chart}[data-drawn] .main-svg")
        ages = [float(t) for t in page.locator(chart).evaluate("el => el._fullLayout.xaxis.range")]
        assert 10 <= ages[0] <= 13 and 16 <= ages[1] <= 19, ages  # the child's 13–16 months, not 0–60
        texts = chart_texts(page, chart)
        assert len(texts["xticks"]) >= 5
        assert_readable(texts, f"{chart} at 390 px")
