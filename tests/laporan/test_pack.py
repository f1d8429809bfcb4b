"""The evaluation pack: built in the background for real, kept, downloaded; its text and pages."""

import datetime
import re
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from laporan import demo
from laporan.models import PaketEvaluasi, TargetTahunan
from tpps.periods import Periode
from tests.laporan.helpers import expected, random_city, refresh_figures
from tpps import formatting


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Real commits: the worker reads the queued task from another transaction, as in production.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_pack_is_built_by_the_worker_and_downloaded(client_for, users, media, tmp_path):
    random_city(seed=31, children=40)
    TargetTahunan.objects.create(tahun=2025, target_prevalensi=14)
    demo.load_ranking()
    refresh_figures()
    client = client_for(users["operator"])
    response = client.post(reverse("laporan:paket"), {"tahun": 2025}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    pack = PaketEvaluasi.objects.get()
    assert pack.status == "antre" and pack.task_id and pack.dibuat_oleh == users["operator"]
    assert 'hx-trigger="every 1s"' in response.content.decode()  # the row polls while it runs

    call_command("db_worker", batch=True, verbosity=0)

    pack.refresh_from_db()
    assert pack.status == "selesai" and pack.progres == 100 and pack.halaman >= 10, pack.pesan_galat
    row = client.get(reverse("laporan:paket_status", args=[pack.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" not in row and reverse("laporan:paket_unduh", args=[pack.pk]) in row

    download = client.get(reverse("laporan:paket_unduh", args=[pack.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert f'filename="paket-evaluasi-tpps-2025-{pack.pk}.pdf"' in download["Content-Disposition"]
    path = tmp_path / "paket.pdf"
    path.write_bytes(b"".join(download.streaming_content))
    assert str(media) in pack.berkas.path  # kept under MEDIA_ROOT, served only by the view

    reader = PdfReader(path)
    assert len(reader.pages) == pack.halaman
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for heading in ("Daftar isi", "1. Ringkasan angka utama", "2. Tren prevalensi stunting", "4. Stunting per kelurahan",
                    "5. Delapan aksi konvergensi", "6. Indikator dan capaian OPD", "7. GENTING",
                    "8. Riwayat peringkat kinerja", "10. Tata laksana gizi", "11. Tindak lanjut rekomendasi", "12. Inovasi daerah",
                    "13. Ibu hamil dan bayi baru lahir", "14. Sasaran hulu"):
        assert heading in flat, heading
    assert "Paket Evaluasi Kinerja" in flat and "Kota Kediri" in flat and "2025" in flat
    assert f"Halaman 2 dari {pack.halaman}" in flat
    year = Periode("tahun", 2025, 1)
    want = expected(year.mulai, year.akhir)
    assert f"{formatting.angka(want['stunting'])} balita stunting pada tahun 2025" in flat
    assert formatting.persen(100 * want["stunting"] / want["tbu_valid"], 2) in flat
    assert "peringkat 7 dari 38 dengan skor 129; selisih 3 dari peringkat 1 (Kota Mojokerto, 132)" in flat
    # The table of contents points at real pages: the signature page is the last page, the upstream
    # targets' chapter (sasaran) and the pregnant-women chapter (ibuhamil) before it, innovations before those.
    toc = re.search(r"Lembar pengesahan ?\.+ ?(\d+)", flat)
    assert toc and int(toc.group(1)) == pack.halaman
    upstream = re.search(r"14\. Sasaran hulu[^.]*?\.+ ?(\d+)", flat)
    assert upstream and int(upstream.group(1)) < pack.halaman
    pregnancy = re.search(r"13\. Ibu hamil dan bayi baru lahir ?\.+ ?(\d+)", flat)
    assert pregnancy and int(pregnancy.group(1)) <= int(upstream.group(1))
    innovations = re.search(r"12\. Inovasi daerah ?\.+ ?(\d+)", flat)
    assert innovations and int(innovations.group(1)) <= int(pregnancy.group(1))
    mutu = re.search(r"9\. Mutu data ?\.+ ?(\d+)", flat)
    assert mutu and int(mutu.group(1)) < pack.halaman
    # The chart is vector text, not a bitmap: its legend is in the text layer.
    assert "Prevalensi stunting (%)" in flat and "Target (%)" in flat

    png = subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "4", "-l", "4", str(path), str(tmp_path / "hal")],
                         capture_output=True, check=True)
    assert png.returncode == 0
    image = next(tmp_path.glob("hal*.png")).read_bytes()
    assert image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) > 5000


@pytest.mark.django_db
def test_pack_permissions(client_for, users, media):
    pack = PaketEvaluasi.objects.create(tahun=2025, dibuat_oleh=users["admin"])
    for role in ("opd", "wilayah", "outsider"):
        client = client_for(users[role])
        assert client.get(reverse("laporan:paket")).status_code == 403
        assert client.get(reverse("laporan:paket_unduh", args=[pack.pk])).status_code == 403
    # Not finished yet: nothing to download.
    assert client_for(users["pimpinan"]).get(reverse("laporan:paket_unduh", args=[pack.pk])).status_code == 404


@pytest.mark.django_db
def test_command_writes_a_pdf(tmp_path):
    demo.load_ranking()
    out = tmp_path / "pack.pdf"
    call_command("evaluation_pack", year=2025, output=str(out), stdout=open("/dev/null", "w"))
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Riwayat peringkat kinerja" in text and "Belum ada data bulanan" in text
    assert datetime.date.today().year >= 2025
