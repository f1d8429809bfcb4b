"""A DP3AP2KB clerk records a donation and a disbursement in Chromium and sees the balances move."""

import pytest

from genting.models import Donasi, Penyaluran
from tests.factories import PASSWORD, make_user
from tests.genting.conftest import make_keluarga, make_ota
from tests.pickers import pick
from tpps.roles import Role


def saldo_of(page, kode):
    return page.inner_text(f"#saldo-kanal tr[data-kanal='{kode}'] td[data-saldo]")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_record_donation_and_disbursement(live_server, page):
    make_user("sri", (Role.OPERATOR, {}))
    make_ota(nama="PT Sinar Brantas Abadi")
    keluarga = make_keluarga("Betet", kepala="Sutrisno")

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "sri")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")

    # Donation: the amount is formatted as Rupiah while typing.
    page.goto(live_server.url + "/genting/donasi/baru/")
    pick(page, "#id_orang_tua_asuh", "Sinar Brantas")
    page.click("#id_jumlah")
    page.keyboard.type("1250000")
    assert page.input_value("#id_jumlah") == "1.250.000"
    page.fill("#id_referensi", "RZ-0001")
    page.click("button:has-text('Simpan donasi')")
    page.wait_for_selector("#saved")
    assert "sebesar Rp 1.250.000" in page.inner_text("#saved")
    assert saldo_of(page, "rumah-zakat") == "Rp 1.250.000"
    assert page.input_value("#id_jumlah") == ""  # ready for the next donation

    # Disbursement: picking the family loads its sources of funds with their balances.
    page.goto(live_server.url + "/genting/penyaluran/baru/")
    pick(page, "#id_keluarga", "Sutrisno")
    page.wait_for_selector("#sumber-saldo:has-text('Rp 1.250.000')")
    page.select_option("#id_jenis", value="paket_nutrisi")
    page.fill("#id_lama_bulan", "6")
    page.click("#id_jumlah")
    page.keyboard.type("2700000")
    page.click("button:has-text('Simpan penyaluran')")
    page.wait_for_selector(".errorlist")
    assert "hanya Rp 1.250.000, tidak cukup untuk Rp 2.700.000" in page.inner_text("#entry")
    assert page.input_value("#id_jumlah") == "2.700.000"  # nothing lost
    page.fill("#id_jumlah", "")
    page.click("#id_jumlah")
    page.keyboard.type("450000")
    page.click("button:has-text('Simpan penyaluran')")
    page.wait_for_selector("#saved")
    assert keluarga.kode in page.inner_text("#saved")
    assert saldo_of(page, "rumah-zakat") == "Rp 800.000"

    # The dashboard and the family page agree with what was entered.
    page.goto(live_server.url + "/genting/")
    assert page.inner_text("[data-figure=saldo]") == "Rp 800.000"
    assert page.inner_text("[data-figure=keluarga]") == "1"
    assert page.inner_text("#kategori tr[data-kategori=nutrisi_6] td:nth-child(2)") == "1"
    page.goto(live_server.url + f"/genting/keluarga/{keluarga.pk}/")
    assert page.inner_text("[data-figure=diterima]") == "Rp 450.000"
    assert Donasi.objects.get().jumlah == 1_250_000
    assert Penyaluran.objects.get().lama_bulan == 6
