"""The shared upload check with the GENTING set (photos and PDF receipts); the convergence
evidence set is tested with its pages in tests/konvergensi/test_uploads.py."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tpps import uploads


def image(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("name, fmt, mime", [("foto.webp", "WEBP", "image/webp"), ("kuitansi.jpg", "JPEG", "image/jpeg")])
def test_photos_are_accepted_for_receipts(name, fmt, mime):
    info = uploads.periksa_berkas(SimpleUploadedFile(name, image(fmt)), uploads.FOTO_ATAU_PDF)
    assert info.mime == mime


def test_office_files_are_not_receipts_and_webp_is_not_convergence_evidence():
    with pytest.raises(ValidationError, match="hanya foto JPG, PNG, WebP, atau PDF"):
        uploads.periksa_berkas(SimpleUploadedFile("rekap.xlsx", b"PK\x03\x04"), uploads.FOTO_ATAU_PDF)
    with pytest.raises(ValidationError, match="hanya PDF, gambar"):
        uploads.periksa_berkas(SimpleUploadedFile("foto.webp", image("WEBP")), uploads.DOKUMEN)
    # A text file named .webp is refused by its content.
    with pytest.raises(ValidationError, match="bukan foto JPG, PNG, WebP, atau PDF"):
        uploads.periksa_berkas(SimpleUploadedFile("foto.webp", b"teks biasa" * 10), uploads.FOTO_ATAU_PDF)
