"""In real Chromium, the issue's journey: the puskesmas records a pregnancy and a visit, then a
BBLR birth; the baby appears in balita, and the toddler's page shows its mother's pregnancy."""

import datetime

import pytest

from balita.models import Anak
from ibuhamil.models import Kehamilan
from tests.factories import PASSWORD, kelurahan, make_user
from tests.pickers import pick
from tpps.roles import Role


def login(page, url, username):
    page.context.clear_cookies()
    page.goto(url + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_pregnancy_a_bblr_birth_and_the_baby_in_balita(live_server, page):
    make_user("bidan_pesantren", (Role.WILAYAH, {"puskesmas": "Pesantren I"}))
    today = datetime.date.today()
    hpht = today - datetime.timedelta(days=200)
    born = today - datetime.timedelta(days=3)

    login(page, live_server.url, "bidan_pesantren")
    page.click("nav.mainnav >> text=Ibu hamil")
    page.wait_for_selector("#tabel-ibuhamil")
    page.click("text=+ Catat kehamilan")
    page.fill("#id_nama", "Wulan Sari")
    page.fill("#id_nik", "3571035507980001")
    page.fill("#id_tanggal_lahir", "1998-07-15")
    pick(page, "#id_kelurahan", "Pesantren")
    page.fill("#id_hpht", hpht.isoformat())
    page.click("button:has-text('Simpan kehamilan')")
    page.wait_for_selector(".msg-success")
    assert "HPL" in page.inner_text(".msg-success")

    page.fill("#id_kunjungan-tanggal", (hpht + datetime.timedelta(days=60)).isoformat())
    page.fill("#id_kunjungan-lila", "22,8")
    page.fill("#id_kunjungan-hb", "10,4")
    page.fill("#id_kunjungan-ttd_kumulatif", "30")
    page.click("button:has-text('Simpan kunjungan')")
    page.wait_for_selector(".msg-success")
    timeline = page.inner_text("#kunjungan")
    assert "K1" in timeline and "KEK" in timeline and "anemia" in timeline

    page.fill("#id_lahir-tanggal_persalinan", born.isoformat())
    page.select_option("#id_lahir-keadaan_lahir", "hidup")
    page.select_option("#id_lahir-jenis_kelamin_bayi", "P")
    page.fill("#id_lahir-berat_lahir", "2350")
    page.fill("#id_lahir-panjang_lahir", "46,5")
    page.fill("#id_lahir-nama_bayi", "Kirana Putri")
    page.click("button:has-text('Simpan persalinan')")
    page.wait_for_selector(".msg-success")
    assert "tertaut" in page.inner_text(".msg-success")
    assert "BBLR" in page.inner_text("#persalinan") and "PBLR" in page.inner_text("#persalinan")

    child = Anak.objects.get(nama="Kirana Putri")
    assert child.nama_ibu == "Wulan Sari" and str(child.berat_lahir) == "2.35"
    assert Kehamilan.objects.get(nama="Wulan Sari").anak_id == child.pk

    page.click("#tautan-bayi a")
    page.wait_for_selector("#kehamilan-ibu")
    section = page.inner_text("#kehamilan-ibu")
    assert "Wulan Sari" in section and "BBLR" in section
    assert "Kirana Putri" in page.inner_text("h1")
