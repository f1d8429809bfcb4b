"""In real Chromium, the issue's journey: a measurement typed at the puskesmas opens a case, the
puskesmas records the check and a referral, Dinkes records PMT, two later measurements close the
case as recovered and the cohort's recovered figure moves."""

import datetime

import pytest

from kasus.models import Intervensi, Kasus
from tests.balita.conftest import make_anak
from tests.factories import PASSWORD, make_user
from tests.kasus.helpers import measure_z, sizes
from tpps.roles import Role


def login(page, url, username):
    page.context.clear_cookies()
    page.goto(url + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")


def sembuh_total(page):
    return page.inner_text("#kohort-total").split("\t")[2].strip()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_case_from_measurement_to_recovery(live_server, page):
    make_user("endang", (Role.WILAYAH, {"puskesmas": "Pesantren I"}))
    make_user("gizi_dinkes", (Role.OPD, {"opd": "dinkes"}))
    today = datetime.date.today()
    opened = today - datetime.timedelta(days=62)
    child = make_anak("Pesantren", nama="Nayla Azzahra", tanggal_lahir=today - datetime.timedelta(days=500))
    berat, tinggi, _ = sizes(child, opened, tbu=-2.7)

    login(page, live_server.url, "endang")
    page.goto(f"{live_server.url}/balita/anak/{child.pk}/")
    page.click("text=+ Catat pengukuran")
    page.wait_for_selector("#form-ukur")
    page.fill("#id_tanggal", opened.isoformat())
    page.fill("#id_berat", str(berat).replace(".", ","))
    page.fill("#id_tinggi", str(tinggi).replace(".", ","))
    page.click("button:has-text('Simpan pengukuran')")
    page.wait_for_selector(".msg-success")

    page.click("nav.mainnav >> text=Tata laksana gizi")
    page.wait_for_selector("#tabel-kasus")
    row = page.inner_text("#tabel-kasus tbody tr")
    assert "Nayla Azzahra" in row and "Stunting" in row
    page.click("#tabel-kasus tbody tr a")
    page.wait_for_selector("#alur")
    assert "Dibuka otomatis" in page.inner_text("#alur")
    kasus = Kasus.objects.get(anak=child, masalah="stunting")

    page.select_option("#id_langkah-tahap", "periksa_puskesmas")
    page.fill("#id_langkah-tanggal", (opened + datetime.timedelta(days=5)).isoformat())
    page.select_option("#id_langkah-hasil", "terkonfirmasi")
    page.click("button:has-text('Simpan langkah')")
    page.wait_for_selector(".msg-success")
    page.select_option("#id_langkah-tahap", "rujukan_dsa")
    page.fill("#id_langkah-tanggal", (opened + datetime.timedelta(days=9)).isoformat())
    page.select_option("#id_langkah-hasil", "dirujuk")
    page.fill("#id_langkah-catatan", "dr. Sp.A Puskesmas Pesantren I")
    page.click("button:has-text('Simpan langkah')")
    page.wait_for_selector(".msg-success")
    timeline = page.inner_text("#alur")
    assert "Masalah gizi terkonfirmasi" in timeline and "Dirujuk" in timeline

    login(page, live_server.url, "gizi_dinkes")
    page.goto(f"{live_server.url}/kasus/{kasus.pk}/")
    assert "N*** A***" in page.inner_text("#ringkasan-kasus")  # an OPD sees no names
    page.select_option("#id_intervensi-jenis", "pmt_lokal")
    page.fill("#id_intervensi-mulai", (opened + datetime.timedelta(days=10)).isoformat())
    page.click("button:has-text('Simpan intervensi')")
    page.wait_for_selector(".msg-success")
    assert "PMT lokal" in page.inner_text("#intervensi") and "Dinkes" in page.inner_text("#intervensi")
    assert Intervensi.objects.get(kasus=kasus).lama_hari == 56

    page.goto(f"{live_server.url}/kasus/kohort/?tahun={opened.year}")
    assert sembuh_total(page) == "0"
    measure_z(child, opened + datetime.timedelta(days=31), tbu=-1.7)
    measure_z(child, today, tbu=-1.6)
    page.reload()
    assert sembuh_total(page) == "1"
    page.goto(f"{live_server.url}/kasus/{kasus.pk}/")
    assert page.inner_text("#keadaan") == "Keluar/sembuh"
    page.wait_for_load_state("networkidle")
