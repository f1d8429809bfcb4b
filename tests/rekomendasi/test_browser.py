"""In Chromium: DP3AP2KB records a recommendation, Dinkes records its follow-up, and the
evaluation pack built by the worker carries it (PDF text read back with pdftotext)."""

import re
import subprocess

import pytest
from django.core.management import call_command

from laporan.models import PaketEvaluasi
from rekomendasi.models import Rekomendasi, TindakLanjut
from tests.factories import make_user
from tests.konvergensi.test_browser import login, logout
from tpps.roles import Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_operator_records_dinkes_follows_up_and_the_pack_shows_it(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_user("operator_uji", (Role.OPERATOR, {}))
    make_user("dinkes_uji", (Role.OPD, {"opd": "dinkes"}))
    base = live_server.url

    # DP3AP2KB records the province's recommendation and links Dinkes.
    login(page, base, "operator_uji")
    page.click("nav.mainnav >> text=Rekomendasi")
    page.click("[data-testid=tambah-rekomendasi]")
    page.fill("#id_tahun", "2025")
    page.fill("#id_judul", "Penguatan tata laksana gizi")
    page.fill("#id_uraian", "Perkuat penanganan setiap kasus gizi buruk sampai pulih.")
    page.select_option("#id_angka_aplikasi", "prevalensi_stunting")
    page.check("fieldset:has(legend:has-text('OPD penanggung jawab')) label:has-text('Dinkes') input")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("[data-testid=status-rekomendasi]")
    assert page.inner_text("[data-testid=status-rekomendasi]") == "Belum ditindaklanjuti"
    rekomendasi = Rekomendasi.objects.get()
    assert rekomendasi.dicatat_oleh.username == "operator_uji" and [o.kode for o in rekomendasi.opd.all()] == ["dinkes"]
    logout(page)

    # Dinkes finds it and records what it did.
    login(page, base, "dinkes_uji")
    page.click("nav.mainnav >> text=Rekomendasi")
    page.click("text=Penguatan tata laksana gizi")
    page.wait_for_selector("[data-testid=form-tindak-lanjut]")
    page.fill("#id_tanggal", "2025-08-01")
    page.fill("#id_uraian", "Dokter spesialis anak praktik terjadwal di setiap puskesmas")
    page.fill("#id_hasil", "Sembilan puskesmas melayani rujukan gizi")
    page.click("[data-testid=form-tindak-lanjut] button[type=submit]")
    page.wait_for_selector("text=Tindak lanjut tercatat.")
    assert "1 Agustus 2025" in page.inner_text("[data-testid=tabel-tindak-lanjut]")
    assert page.inner_text("[data-testid=status-rekomendasi]") == "Berjalan"
    assert TindakLanjut.objects.get().dicatat_oleh.username == "dinkes_uji"
    logout(page)

    # DP3AP2KB builds the evaluation pack; the worker renders it; the download carries the follow-up.
    login(page, base, "operator_uji")
    page.click("nav.mainnav >> text=Paket evaluasi")
    page.click("#buat-paket")
    for _ in range(50):  # the HTMX post queues the pack
        if PaketEvaluasi.objects.exists():
            break
        page.wait_for_timeout(100)
    call_command("db_worker", batch=True, verbosity=0)
    pack = PaketEvaluasi.objects.get()
    assert pack.status == "selesai", pack.pesan_galat
    page.reload()
    with page.expect_download() as info:
        page.click("a.unduh")
    path = tmp_path / "paket.pdf"
    info.value.save_as(path)
    text = re.sub(r"\s+", " ", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout)
    assert "11. Tindak lanjut rekomendasi" in text
    assert "Penguatan tata laksana gizi" in text
    # Table cells wrap: read the follow-up by its pieces.
    assert "1 Agustus 2025 · Dinkes: Dokter spesialis anak" in text and "Sembilan puskesmas" in text, text[-1500:]
