"""In Chromium: an OPD user uploads evidence (drag and drop, and a refused disguised file),
then DP3AP2KB verifies it in the queue and the OPD's action shows it accepted."""

import base64

import pytest

from konvergensi.models import Bukti
from tests.factories import PASSWORD, make_user
from tests.konvergensi.files import pdf_bytes
from tpps.roles import Role


def login(page, base, username):
    page.goto(base + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("h1:has-text('Selamat datang')")


def logout(page):
    page.click("text=Keluar")
    page.wait_for_url("**/masuk/")


DROP_FILE = """([name, b64]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type: "application/pdf"}));
  const zone = document.querySelector("[data-dropzone]");
  zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: transfer, bubbles: true, cancelable: true}));
  zone.dispatchEvent(new DragEvent("drop", {dataTransfer: transfer, bubbles: true, cancelable: true}));
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_opd_uploads_and_dp3ap2kb_verifies(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("dinkes_uji", (Role.OPD, {"opd": "dinkes"}))
    make_user("operator_uji", (Role.OPERATOR, {}))
    base = live_server.url

    login(page, base, "dinkes_uji")
    page.click("nav.mainnav >> text=Aksi konvergensi")
    page.select_option("#f-tahun", "2025")
    page.click("[data-testid=aksi-7]")
    page.wait_for_selector("h1:has-text('Pengukuran dan Publikasi Stunting')")

    # A text file renamed .pdf is refused by the server with a clear message; nothing is stored.
    page.set_input_files("input[type=file]", files=[{"name": "laporan.pdf", "mimeType": "application/pdf", "buffer": b"bukan pdf\n" * 50}])
    page.click("[data-testid=form-unggah] button[type=submit]")
    page.wait_for_selector("[data-testid=galat-berkas]")
    assert "bukan PDF" in page.inner_text("[data-testid=galat-berkas]")
    assert Bukti.objects.count() == 0

    # A wrong extension is caught in the browser before sending (once the swapped-in form is wired).
    page.wait_for_selector("[data-dropzone][data-ready='1']", state="attached")
    page.set_input_files("input[type=file]", files=[{"name": "program.exe", "mimeType": "application/octet-stream", "buffer": b"MZ" + b"\0" * 100}])
    page.wait_for_function("document.querySelector('[data-client-error]').textContent.length > 0")
    assert "tidak diterima" in page.inner_text("[data-client-error]")

    # The real document is dropped onto the drop zone and uploaded.
    page.evaluate(DROP_FILE, ["rekap-pengukuran.pdf", base64.b64encode(pdf_bytes("Rekap pengukuran")).decode()])
    assert page.inner_text("[data-filename]") == "rekap-pengukuran.pdf"
    page.fill("#id_judul", "Rekap hasil pengukuran Agustus")
    # Record what the progress bar shows while the file is sent (the form is replaced afterwards).
    page.evaluate("""() => { window.progressSeen = [];
      document.body.addEventListener("htmx:xhr:progress", () => {
        const bar = document.querySelector("progress.upload-progress");
        window.progressSeen.push([bar.hidden, bar.value]); }); }""")
    page.click("[data-testid=form-unggah] button[type=submit]")
    page.wait_for_selector("[data-testid=unggah-berhasil]")
    bukti = Bukti.objects.get()
    assert bukti.nama_berkas == "rekap-pengukuran.pdf" and bukti.diunggah_oleh.username == "dinkes_uji"
    item = page.locator(f"[data-testid=bukti-{bukti.id}]")
    assert "Menunggu verifikasi" in item.inner_text() and "Rekap hasil pengukuran Agustus" in item.inner_text()
    seen = page.evaluate("window.progressSeen")
    assert seen and seen[-1] == [False, 100]
    logout(page)

    login(page, base, "operator_uji")
    page.goto(base + "/konvergensi/verifikasi/")
    row = page.locator(f"[data-testid=verif-{bukti.id}]")
    assert "Rekap hasil pengukuran Agustus" in row.inner_text()
    row.locator("input[value=diterima]").check()
    row.locator("textarea").fill("Sesuai, lengkap per kelurahan.")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"[data-testid=verif-{bukti.id}] >> text=Keputusan tersimpan.")
    assert page.inner_text(f"[data-testid=status-{bukti.id}]") == "Diterima"
    bukti.refresh_from_db()
    assert bukti.status == "diterima" and bukti.diverifikasi_oleh.username == "operator_uji"
    logout(page)

    login(page, base, "dinkes_uji")
    page.goto(base + "/konvergensi/2025/aksi/7/")
    assert "Diterima" in page.inner_text(f"[data-testid=bukti-{bukti.id}]")
    assert "Sesuai, lengkap per kelurahan." in page.inner_text(f"[data-testid=bukti-{bukti.id}]")
