"""In real Chromium: an operator uploads an e-PPGBM file whose NIKs belong to stored children
with unrelated names; both are held for review on the preview, decided with the keyboard (one
"same child", one "different child"), then imported: one child updated, the other row rejected;
then the data-quality fix list shows what is still wrong with the imported record."""

import datetime

import pytest
from django.core.management import call_command

from balita.models import Anak, ImporBatch
from tests.balita.conftest import make_anak, row
from tests.factories import PASSWORD, make_user
from tpps.roles import Role


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_identity_review_on_the_preview_then_import(live_server, page, eppgbm_file):
    make_user("rina", (Role.OPERATOR, {}))
    born = datetime.date(2024, 1, 1)
    same = make_anak("Pesantren", nama="Dewi Anggraini", nik="3571034101240001", tanggal_lahir=born)
    other = make_anak("Pesantren", nama="Wulan Sari", nik="3571034101240002", tanggal_lahir=born)
    path = eppgbm_file([row(Nama="Putri Lestari"), row(NIK="3571034101240002", Nama="Joko Susilo"),
                        # The same child two weeks later, without a height: a finding for the fix list.
                        row(Nama="Putri Lestari", **{"Tanggal Pengukuran": "2025-01-19", "Tinggi": ""})])

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "rina")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")

    page.goto(live_server.url + "/balita/impor/")
    page.set_input_files("input[name=berkas]", str(path))
    page.click("button:has-text('Unggah dan periksa')")
    page.wait_for_url("**/balita/impor/*/")
    run_worker()  # the check; the page polls and reloads itself when the preview is ready
    page.wait_for_selector("#tabel-tinjauan", timeout=15000)
    assert page.is_disabled("#tombol-impor")
    assert "Dewi Anggraini" in page.inner_text("#tabel-tinjauan") and "Putri Lestari" in page.inner_text("#tabel-tinjauan")

    batch = ImporBatch.objects.get()
    first, second = batch.tinjauan.order_by("baris_pertama")
    # Keyboard only: focus the button, press Enter; HTMX swaps the review section.
    page.focus(f"#tinjauan-{first.pk} button[value=sama]")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#tinjauan-{first.pk} button[value=sama][aria-pressed=true]")
    assert page.is_disabled("#tombol-impor")
    page.focus(f"#tinjauan-{second.pk} button[value=beda]")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#tinjauan-{second.pk} button[value=beda][aria-pressed=true]")
    page.wait_for_selector("#tombol-impor:not([disabled])")

    page.click("#tombol-impor")
    page.wait_for_selector(".msg:has-text('Impor dimulai')")
    run_worker()  # the import
    page.reload()
    page.wait_for_selector("#status:has-text('Selesai')", timeout=15000)
    assert "Ditolak saat peninjauan" in page.inner_text("#galat")

    same.refresh_from_db()
    other.refresh_from_db()
    assert same.nama == "Putri Lestari" and same.pengukuran.count() == 2
    assert other.nama == "Wulan Sari" and not other.pengukuran.exists()
    assert Anak.objects.count() == 2
    page.wait_for_load_state("networkidle")

    # The fix list after it: the measurement without a height, linked to the child's page.
    page.goto(live_server.url + "/balita/mutu/?tahun=2025&periode=b01")
    page.wait_for_selector("#daftar-temuan tr[data-jenis='bb_tb_kosong']")
    finding = page.locator("#daftar-temuan tr[data-jenis='bb_tb_kosong']").first
    assert "Putri Lestari" in finding.inner_text()
    finding.locator(f"a[href='/balita/anak/{same.pk}/']").first.click()
    page.wait_for_selector("h1:has-text('Putri Lestari')")
