"""Evidence uploads: accepted files are stored privately with checksum; disguised, broken and
oversized files are refused with a message naming the file."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tpps import uploads
from konvergensi.models import Bukti, StatusAksi
from tests.konvergensi import files


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    "name, content, jenis",
    [
        ("berita-acara.pdf", files.pdf_bytes(), "pdf"),
        ("foto.png", files.image_bytes("PNG"), "png"),
        ("foto.JPG", files.image_bytes("JPEG"), "jpg"),
        ("foto.jpeg", files.image_bytes("JPEG"), "jpg"),
        ("rekap.xlsx", files.xlsx_bytes(), "xlsx"),
        ("perwali.docx", files.docx(), "docx"),
    ],
)
def test_good_files_are_accepted_with_their_checksum(name, content, jenis):
    info = uploads.periksa_berkas(upload(name, content))
    assert info.jenis == jenis
    assert info.ukuran == len(content)
    assert info.sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("laporan.pdf", files.windows_exe(), "bukan PDF"),  # an .exe renamed .pdf
        ("laporan.pdf", b"Ini hanya teks biasa, bukan PDF.\n" * 20, "bukan PDF"),  # a .txt renamed .pdf
        ("rekap.xlsx", files.windows_exe(), "hanya diganti ekstensinya"),
        ("rekap.xlsx", files.plain_zip({"data.csv": "a,b\n1,2\n"}), "bukan PDF"),  # a zip that is no workbook
        ("rekap.xlsx", files.plain_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<x/>"}), "bukan PDF"),
        ("perwali.xlsx", files.docx(), "isinya Word (DOCX)"),  # a document named as a workbook
        ("rekap.docx", files.xlsx_bytes(), "isinya Excel (XLSX)"),
        ("foto.png", files.pdf_bytes(), "isinya PDF"),
        ("foto.png", files.image_bytes("JPEG"), "isinya gambar JPEG"),
        ("rekap.xlsx", files.xlsm_bytes(), "berisi makro"),
        ("program.exe", files.windows_exe(), "hanya PDF, gambar"),
        ("catatan.txt", b"teks", "hanya PDF, gambar"),
        ("tanpa-ekstensi", files.pdf_bytes(), "hanya PDF, gambar"),
        ("terpotong.pdf", files.pdf_bytes()[:200], "tidak lengkap"),
        ("rusak.png", files.image_bytes("PNG")[:40], "rusak"),
        ("kosong.pdf", b"", "kosong"),
    ],
)
def test_bad_files_are_refused_with_a_message_naming_the_file(name, content, expected):
    with pytest.raises(ValidationError) as error:
        uploads.periksa_berkas(upload(name, content))
    message = " ".join(error.value.messages)
    assert expected in message
    assert name in message


def test_too_large_is_refused(settings):
    settings.MAX_UPLOAD_MB = 1
    content = files.pdf_bytes() + b"%" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(ValidationError) as error:
        uploads.periksa_berkas(upload("besar.pdf", content))
    assert "terlalu besar" in error.value.messages[0] and "1 MB" in error.value.messages[0]


def test_zip_bomb_is_refused():
    bomb = files.plain_zip({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "0" * (101 * 1024 * 1024)})
    with pytest.raises(ValidationError) as error:
        uploads.periksa_berkas(upload("bom.xlsx", bomb))
    assert "tidak wajar" in error.value.messages[0]


# --- through the page ----------------------------------------------------------------------------

def post_upload(client, tahunan, name, content, **extra):
    url = reverse("konvergensi:bukti_unggah", kwargs={"tahun": tahunan.tahun, "nomor": tahunan.aksi.nomor})
    data = {"berkas": SimpleUploadedFile(name, content), "judul": "", "keluaran": tahunan.keluaran.first().pk, **extra}
    return client.post(url, data, headers={"HX-Request": "true"})


def test_upload_stores_file_privately_with_checksum_uploader_and_time(client_for, users, aksi, media):
    tahunan = aksi(7)  # Dinkes answers for action 7
    assert tahunan.status == StatusAksi.BELUM_MULAI
    content = files.pdf_bytes("Rekap hasil pengukuran")
    response = post_upload(client_for(users["opd"]), tahunan, "../../etc/rekap pengukuran.pdf", content)
    assert response.status_code == 200, response.content.decode()
    assert "menunggu verifikasi" in response.content.decode()
    bukti = Bukti.objects.get()
    assert bukti.sha256 == hashlib.sha256(content).hexdigest()
    assert bukti.ukuran == len(content) and bukti.jenis == "pdf" and bukti.mime == "application/pdf"
    assert bukti.diunggah_oleh == users["opd"] and bukti.diunggah_pada is not None
    assert bukti.opd.kode == "dinkes" and bukti.status == "menunggu"
    # Stored under MEDIA_ROOT under a random name, never the uploaded one.
    stored = media / bukti.berkas.name
    assert stored.read_bytes() == content
    assert stored.resolve().is_relative_to(media.resolve())
    assert "rekap" not in bukti.berkas.name and bukti.berkas.name.endswith(".pdf")
    assert bukti.nama_berkas == "rekap pengukuran.pdf"
    tahunan.refresh_from_db()
    assert tahunan.status == StatusAksi.BERJALAN  # the first evidence starts the action


def test_disguised_file_is_refused_on_the_page_and_nothing_is_stored(client_for, users, aksi, media):
    response = post_upload(client_for(users["opd"]), aksi(7), "laporan.pdf", files.windows_exe(), judul="Laporan")
    assert response.status_code == 422
    page = response.content.decode()
    assert "laporan.pdf" in page and "bukan PDF" in page
    assert 'value="Laporan"' in page  # what was typed is kept
    assert not Bukti.objects.exists()
    assert not any(media.rglob("*.*")) if media.exists() else True


def test_too_large_upload_is_stopped_while_receiving(client_for, users, aksi, settings, media):
    settings.MAX_UPLOAD_MB = 1
    big = files.pdf_bytes() + b"%" + b"0" * (2 * 1024 * 1024) + b"\n%%EOF\n"
    response = post_upload(client_for(users["opd"]), aksi(7), "besar.pdf", big)
    assert response.status_code == 422
    page = response.content.decode()
    assert "besar.pdf" in page and "terlalu besar" in page and "1 MB" in page
    assert not Bukti.objects.exists()


def test_download_returns_the_same_bytes_as_attachment(client_for, users, aksi):
    content = files.xlsx_bytes()
    post_upload(client_for(users["opd"]), aksi(7), "rekap.xlsx", content)
    bukti = Bukti.objects.get()
    for role in ("admin", "operator", "opd", "pimpinan"):
        response = client_for(users[role]).get(reverse("konvergensi:bukti_unduh", kwargs={"pk": bukti.pk}))
        assert response.status_code == 200, role
        assert b"".join(response.streaming_content) == content
        assert response["Content-Disposition"].startswith('attachment; filename="rekap.xlsx"')
        assert response["Content-Type"] == uploads.JENIS["xlsx"].mime
        assert "no-store" in response["Cache-Control"]


def test_download_is_refused_without_access(client, client_for, users, aksi):
    post_upload(client_for(users["opd"]), aksi(7), "rekap.pdf", files.pdf_bytes())
    url = reverse("konvergensi:bukti_unduh", kwargs={"pk": Bukti.objects.get().pk})
    for role in ("wilayah", "outsider"):
        assert client_for(users[role]).get(url).status_code == 403, role
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_media_files_are_not_served_by_url(client_for, users, aksi):
    post_upload(client_for(users["opd"]), aksi(7), "rekap.pdf", files.pdf_bytes())
    bukti = Bukti.objects.get()
    response = client_for(users["admin"]).get("/" + bukti.berkas.name)
    assert response.status_code == 404
    response = client_for(users["admin"]).get("/media/" + bukti.berkas.name)
    assert response.status_code == 404


def test_size_guard_drops_an_oversized_file_before_it_is_stored(rf, settings):
    settings.MAX_UPLOAD_MB = 1
    request = rf.post("/", {"berkas": SimpleUploadedFile("besar.pdf", b"%PDF-" + b"0" * (3 * 1024 * 1024))})
    request.upload_handlers.insert(0, uploads.BatasUkuranHandler(request))
    assert "berkas" not in request.FILES  # skipped while receiving, never written anywhere
    assert "besar.pdf" in request.berkas_terlalu_besar and "1 MB" in request.berkas_terlalu_besar


def test_size_guard_lets_a_normal_file_through(rf):
    request = rf.post("/", {"berkas": SimpleUploadedFile("kecil.pdf", files.pdf_bytes())})
    request.upload_handlers.insert(0, uploads.BatasUkuranHandler(request))
    assert request.FILES["berkas"].read() == files.pdf_bytes()
    assert not hasattr(request, "berkas_terlalu_besar")
