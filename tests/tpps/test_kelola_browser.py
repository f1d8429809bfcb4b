"""The management area in Chromium: from the menu to a user's page, a role added inline with
the keyboard (HTMX); a new kelurahan given to a puskesmas and refused deletion while used; no
Content-Security-Policy violation on the way."""

import pytest

from tests.factories import PASSWORD, make_user
from tests.pickers import pick
from tpps.models import Kecamatan, Kelurahan, Puskesmas, User
from tpps.roles import Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_adds_a_role_inline_with_the_keyboard(live_server, page):
    make_user("admin_kota", (Role.ADMIN, {}))
    make_user("bidan_betet")
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content-Security-Policy" in message.text else None)

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "admin_kota")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.click("nav.mainnav >> text=Pengelolaan")
    page.wait_for_selector("h1:has-text('Pengelolaan')")
    page.click(".subnav >> text=Pengguna")
    page.fill("#f-q", "bidan")
    page.wait_for_selector("#pengguna-rows a:has-text('bidan_betet')")
    page.click("#pengguna-rows a:has-text('bidan_betet')")
    page.wait_for_selector("text=Pengguna ini belum dapat membuka apa pun")

    page.focus("#id_penugasan-peran")
    page.select_option("#id_penugasan-peran", Role.WILAYAH)
    pick(page, "#id_penugasan-kelurahan", "Betet")
    page.focus("#penugasan button.primary")
    page.keyboard.press("Enter")
    page.wait_for_selector("#penugasan td:has-text('Kelurahan Betet')")
    assert "<html" not in page.inner_html("#penugasan")
    assert User.objects.get(username="bidan_betet").penugasan.get().kelurahan.nama == "Betet"
    assert not violations, violations


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_gives_a_new_kelurahan_to_a_puskesmas_and_is_refused_deleting_a_used_one(live_server, page):
    make_user("admin_kota", (Role.ADMIN, {}))
    pesantren = Kecamatan.objects.get(nama="Pesantren")
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content-Security-Policy" in message.text else None)
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "admin_kota")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("nav.mainnav >> text=Pengelolaan")
    page.goto(live_server.url + "/kelola/")
    page.click('.subnav >> text="Kelurahan"')
    page.click("text=+ Kelurahan")
    page.select_option("#id_kecamatan", label="Pesantren")
    page.fill("#id_kode", "35.71.03.1099")
    page.fill("#id_nama", "Kampung Baru")
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("text=Kampung Baru tersimpan")
    assert Kelurahan.objects.filter(kode="35.71.03.1099", kecamatan=pesantren).exists()

    page.click('.subnav >> text="Puskesmas"')
    page.fill("#f-q", "pesantren i")
    page.wait_for_selector("#puskesmas-rows a:has-text('Ubah')")
    page.click("#puskesmas-rows tr:has-text('Pesantren I') >> nth=0 >> a:has-text('Ubah')")
    page.check("label:has-text('Kampung Baru') >> input")
    page.click("button:has-text('Simpan')")
    page.wait_for_selector("text=tersimpan")
    assert Puskesmas.kelurahan.through.objects.filter(kelurahan__kode="35.71.03.1099").exists()

    page.goto(live_server.url + "/kelola/kelurahan/?q=kampung")
    page.click("#kelurahan-rows a:has-text('Ubah')")
    page.click("button:has-text('Hapus Kelurahan')")
    page.wait_for_selector("text=tidak dapat dihapus karena masih dipakai oleh 1 puskesmas")
    assert Kelurahan.objects.filter(kode="35.71.03.1099").exists()
    assert not violations, violations
