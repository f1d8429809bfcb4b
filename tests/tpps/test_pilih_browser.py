"""The searchable picker in Chromium at desk width (1366 px) and phone width (390 px): a clerk
finds a family among many by typing part of its head's name, picks it with the keyboard, and the
donation is stored for that family; the same for a kelurahan on the family form."""

import pytest

from genting.models import Donasi, KeluargaRisikoStunting
from tests.factories import PASSWORD, make_user
from tests.genting.conftest import make_keluarga, make_ota
from tests.pickers import pick
from tpps.models import Kelurahan
from tpps.pilih import BATAS
from tpps.roles import Role

WIDTHS = [1366, 390]


def login(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "sri")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_donation_for_a_family_picked_by_typing(live_server, page, width):
    make_user("sri", (Role.OPERATOR, {}))
    make_ota(nama="PT Sinar Brantas Abadi")
    for i in range(BATAS + 10):  # more families than one answer shows
        make_keluarga("Betet", kepala=f"Warga Sutomo {i:02d}")
    target = make_keluarga("Bangsal", kepala="Sutrisno Hadi")
    login(page, live_server, width)

    page.goto(live_server.url + "/genting/donasi/baru/")
    assert page.inner_text("label[for=id_untuk_keluarga]") == "Peruntukan keluarga"  # no colon
    pick(page, "#id_orang_tua_asuh", "Sinar")

    # A broad word shows at most BATAS families and says there are more.
    page.click("#id_untuk_keluarga")
    page.keyboard.type("Sut")
    page.wait_for_selector("#id_untuk_keluarga_pilihan .pilih-lagi")
    assert page.get_attribute("#id_untuk_keluarga", "aria-expanded") == "true"
    assert page.locator("#id_untuk_keluarga_pilihan [role=option][data-value]").count() == BATAS
    page.keyboard.press("Escape")
    assert page.get_attribute("#id_untuk_keluarga", "aria-expanded") == "false"
    assert page.is_hidden("#id_untuk_keluarga_pilihan")

    # Nothing matches: said so, nothing chosen.
    page.fill("#id_untuk_keluarga", "")
    page.keyboard.type("zzqx")
    page.wait_for_selector("#id_untuk_keluarga_pilihan .pilih-kosong")
    assert "Tidak ditemukan" in page.inner_text("#id_untuk_keluarga_pilihan")

    label = pick(page, "#id_untuk_keluarga", "trisno", expect="Sutrisno Hadi")
    assert page.input_value("#id_untuk_keluarga_nilai") == str(target.pk)
    assert page.input_value("#id_untuk_keluarga") == label and target.kode in label

    page.click("#id_jumlah")
    page.keyboard.type("500000")
    page.fill("#id_referensi", "RZ-77")
    button = page.locator("button:has-text('Simpan donasi')")
    field_bottom = page.locator("#id_uraian").bounding_box()
    box = button.bounding_box()
    assert box["y"] - (field_bottom["y"] + field_bottom["height"]) >= 12  # space above the button
    button.click()
    page.wait_for_selector("#saved")
    donasi = Donasi.objects.get()
    assert donasi.untuk_keluarga_id == target.pk and donasi.jumlah == 500_000
    assert donasi.orang_tua_asuh.nama == "PT Sinar Brantas Abadi"


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_family_registered_in_a_kelurahan_picked_by_typing(live_server, page, width):
    make_user("sri", (Role.OPERATOR, {}))
    login(page, live_server, width)
    page.goto(live_server.url + "/genting/keluarga/baru/")
    page.fill("#id_kepala_keluarga", "Marni Lestari")
    page.fill("#id_alamat", "Jl. Kawi 9")
    # A typed name that was not picked is refused by the server, the page kept.
    page.fill("#id_kelurahan", "Ngron")
    page.keyboard.press("Escape")
    page.click("#isi button.primary:has-text('Simpan')")
    page.wait_for_selector("text=Ketikan belum dipilih")
    assert not KeluargaRisikoStunting.objects.exists()

    pick(page, "#id_kelurahan", "ngron", expect="Ngronggo")
    page.click("#isi button.primary:has-text('Simpan')")
    page.wait_for_url("**/genting/keluarga/*/")
    keluarga = KeluargaRisikoStunting.objects.get()
    assert keluarga.kelurahan == Kelurahan.objects.get(nama="Ngronggo")
