"""In real Chromium: a puskesmas operator downloads nothing, uploads an Elsimil-style catin file,
sees the preview with an error named by row and column, confirms, finds the brides on the list
with their risk; the ASI figure is on the balita page and on the sasaran summary."""

import datetime

import pytest
from playwright.sync_api import expect

from sasaran.models import Catin
from tests.balita.conftest import make_anak, measure
from tests.factories import PASSWORD, make_user
from tests.sasaran.helpers import xlsx_upload
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
def test_a_catin_import_previewed_and_confirmed_and_the_asi_figure(live_server, page, tmp_path):
    make_user("bidan_pkm", (Role.WILAYAH, {"puskesmas": "Pesantren I"}))
    today = datetime.date.today()
    baby = make_anak("Pesantren", nama="Bayi ASI", tanggal_lahir=today - datetime.timedelta(days=60))
    measure(baby, today - datetime.timedelta(days=2), berat=5.2, tinggi=57, asi_eksklusif=True)
    other = make_anak("Pesantren", nama="Bayi Susu", tanggal_lahir=today - datetime.timedelta(days=70))
    measure(other, today - datetime.timedelta(days=2), berat=5.4, tinggi=58, asi_eksklusif=False)
    screened = (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    upload = xlsx_upload(["NIK", "Nama", "JK", "Tgl Lahir", "Kelurahan", "Tanggal Periksa", "BB", "TB", "LiLA", "Hb"], [
        ["3571030101000011", "Ayu Lestari", "P", "01/01/2007", "Pesantren", screened, "44", "152", "22,5", "11,2"],
        ["3571030101000012", "Bagus Santoso", "L", "01/01/1998", "Pesantren", screened, "66", "170", "", "14"],
        ["3571030101000013", "Salah Kelurahan", "P", "01/01/2000", "Betet", screened, "50", "155", "", ""],
    ])
    path = tmp_path / "elsimil.xlsx"
    path.write_bytes(upload.read())

    login(page, live_server.url, "bidan_pkm")
    page.click("nav.mainnav >> text=Sasaran hulu")
    page.wait_for_selector("#kartu-sasaran")
    page.click("nav.subnav >> text=Catin")
    page.click("text=Impor")
    page.set_input_files("#id_berkas", str(path))
    page.click("button:has-text('Unggah dan periksa')")
    page.wait_for_selector("#ringkasan-impor")
    assert page.inner_text("#jumlah-baru") == "2"
    errors = page.inner_text("#galat-impor")
    assert "4" in errors and "Kelurahan" in errors and "Kelurahan Betet di luar wilayah kerja Anda." in errors
    assert Catin.objects.count() == 0
    page.click("#impor-simpan")
    page.wait_for_selector(".msg-success")
    assert Catin.objects.count() == 2

    page.goto(f"{live_server.url}/sasaran/catin/")
    page.locator("#f-q").press_sequentially("Ayu", delay=50)
    expect(page.locator("#tabel-catin tbody tr")).to_have_count(1)
    row = page.inner_text("#tabel-catin tbody tr")
    assert "Ayu Lestari" in row and "Berisiko" in row and "KEK" in row

    page.goto(f"{live_server.url}/balita/asi/?tahun={today.year}&periode=th")
    assert page.inner_text("#persen-asi").strip() == "50,0%"
    assert "1 dari 2 bayi" in page.inner_text("#ringkasan-asi")
