"""The guide's screenshots, made in real Chromium from the demo data, at 1366 px: each role logs
in, opens the screens its guide describes, checks the page's heading and that the "?" link points
at the section the screenshot illustrates, and saves the screen as WebP.

A normal run writes the images into a temporary folder and checks that every section with a
picture got one. `make panduan-gambar` (PANDUAN_GAMBAR=1) writes them into static/panduan/, the
folder the guide shows them from; an image is rewritten only when its bytes changed."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from balita.models import Anak
from panduan.sections import IMAGE_DIR, SECTIONS
from rekomendasi.models import OpdRekomendasi
from tpps.demo import DEMO_PASSWORD
from tpps.models import Kelurahan, User
from tpps.roles import access_for

WIDTH, MAX_HEIGHT = 1366, 820
WEBP = {"quality": 70, "method": 6}


def shots():
    """(section, demo user or None, url, text the page's h1 holds), after the demo is loaded."""
    puskesmas = User.objects.get(username="puskesmas")
    anak = Anak.objects.for_user(puskesmas).filter(pengukuran__isnull=False).order_by("pk").first()
    rekomendasi = OpdRekomendasi.objects.filter(opd__kode="dinkes").order_by("rekomendasi_id").first().rekomendasi
    betet = Kelurahan.objects.get(nama="Betet")
    return [
        ("masuk", None, reverse("login"), "Masuk"),
        ("beranda", "operator", reverse("home"), "Selamat datang"),
        ("balita-impor", "operator", reverse("balita:impor"), "Impor data e-PPGBM"),
        ("balita-register", "puskesmas", reverse("balita:index"), "Register balita"),
        ("balita-anak", "puskesmas", reverse("balita:anak_detail", args=[anak.pk]), anak.nama),
        ("balita-pengukuran", "puskesmas", reverse("balita:pengukuran_baru", args=[anak.pk]), "Catat pengukuran"),
        ("balita-mutu", "operator", reverse("balita:mutu"), "Mutu data"),
        ("balita-stunting", "operator", reverse("balita:stunting"), "Register stunting"),
        ("kasus-daftar", "puskesmas", reverse("kasus:index"), "Tata laksana gizi"),
        ("kasus-tindak-lanjut", "puskesmas", reverse("kasus:tindak_lanjut"), "Tindak lanjut kasus gizi"),
        ("kasus-kohort", "sekda", reverse("kasus:kohort"), "Kohort kasus gizi"),
        ("konvergensi-aksi", "operator", reverse("konvergensi:index"), "Delapan aksi konvergensi"),
        ("konvergensi-verifikasi", "operator", reverse("konvergensi:verifikasi"), "Verifikasi bukti dukung"),
        ("konvergensi-indikator", "dinkes", reverse("konvergensi:indikator"), "Indikator dan capaian"),
        ("konvergensi-rencana", "operator", reverse("konvergensi:rencana"), "Rencana kegiatan konvergensi"),
        ("konvergensi-kesiapan", "operator", reverse("konvergensi:kesiapan"), "Kesiapan penilaian kinerja"),
        ("genting-dasbor", "operator", reverse("genting:index"), "GENTING"),
        ("genting-ota", "operator", reverse("genting:ota_list"), "Orang tua asuh"),
        ("genting-keluarga", "kelurahan", reverse("genting:keluarga_list"), "Keluarga risiko stunting"),
        ("genting-donasi", "operator", reverse("genting:donasi_create"), "Catat donasi masuk"),
        ("genting-penyaluran", "operator", reverse("genting:penyaluran_create"), "Catat penyaluran bantuan"),
        ("genting-buku-besar", "operator", reverse("genting:buku_besar"), "Buku besar GENTING"),
        ("rekomendasi-daftar", "sekda", reverse("rekomendasi:index"), "Rekomendasi dan catatan kelemahan"),
        ("rekomendasi-tindak-lanjut", "dinkes", reverse("rekomendasi:detail", args=[rekomendasi.pk]),
         rekomendasi.judul),
        ("inovasi", "operator", reverse("rekomendasi:inovasi"), "Inovasi daerah"),
        ("dasbor", "sekda", reverse("laporan:index"), "Dasbor"),
        ("dasbor-kelurahan", "sekda", reverse("laporan:kelurahan", args=[betet.pk]), "Kelurahan Betet"),
        ("survei", "operator", reverse("laporan:survei"), "Prevalensi stunting menurut survei"),
        ("peringkat", "sekda", reverse("laporan:peringkat"), "Penilaian kinerja TPPS"),
        ("paket", "sekda", reverse("laporan:paket"), "Paket evaluasi PDF"),
        ("kelola-pengguna", "admin", reverse("kelola:pengguna_list"), "Pengguna"),
        ("kelola-wilayah", "admin", reverse("kelola:puskesmas_list"), "Puskesmas"),
        ("kelola-indikator", "admin", reverse("kelola:indikator:daftar"), "Katalog indikator"),
        ("kelola-kunci", "admin", reverse("kelola:kunci_list"), "Kunci masuk"),
        ("audit", "admin", reverse("audit_log"), "Jejak audit"),
    ]


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")


def save_webp(png: bytes, path: Path):
    buffer = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(buffer, "WEBP", **WEBP)
    data = buffer.getvalue()
    if not path.exists() or path.read_bytes() != data:
        path.write_bytes(data)
    return len(data)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_screenshots_of_the_guide(live_server, page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo_data", stdout=io.StringIO())
    committed = Path(settings.BASE_DIR) / "static" / IMAGE_DIR
    out = committed if os.environ.get("PANDUAN_GAMBAR") else tmp_path
    page.set_viewport_size({"width": WIDTH, "height": 900})
    page.emulate_media(reduced_motion="reduce")
    written, current = {}, None
    for anchor, username, url, heading in shots():
        if username != current:
            if username:
                login(page, live_server.url, username)
            else:
                page.context.clear_cookies()
            current = username
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert heading in page.locator("h1").first.inner_text(), f"{anchor}: {url}"
        if username:
            # The "?" link of the screen leads to the section this picture illustrates.
            roles = access_for(User.objects.get(username=username)).roles
            href = page.get_attribute("a.bantuan", "href")
            assert href.endswith(f"#{anchor}"), f"{anchor}: {href}"
            assert href.split("#")[0].strip("/").split("/")[-1] in roles, href
        main = page.locator("main").bounding_box()
        height = min(main["y"] + main["height"], MAX_HEIGHT)
        png = page.screenshot(clip={"x": 0, "y": 0, "width": WIDTH, "height": height}, full_page=True,
                              animations="disabled", caret="hide")
        written[anchor] = save_webp(png, out / f"{anchor}.webp")
    assert set(written) == {anchor for anchor, bagian in SECTIONS.items() if bagian.gambar}
    assert all(size > 5_000 for size in written.values()), written  # not blank pages
    # The committed pictures stay small (the brief: under ~3 MB together).
    assert sum(path.stat().st_size for path in committed.glob("*.webp")) < 3_000_000


@pytest.fixture
def browser_context_args(browser_context_args):
    # Dates in form fields as an Indonesian office computer shows them (29/11/2026, not 11/29/2026).
    return {**browser_context_args, "locale": "id-ID", "timezone_id": "Asia/Jakarta"}
