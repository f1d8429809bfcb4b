"""Uploaded PDFs (convergence evidence, GENTING receipts) are parsed: a file that only looks like a
PDF, a locked one, and one that runs JavaScript or another action when opened are refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from tests.konvergensi.files import pdf_bytes
from tpps import uploads


def _written(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _check(data: bytes, name="bukti.pdf"):
    return uploads.periksa_berkas(SimpleUploadedFile(name, data), uploads.DOKUMEN)


def test_a_real_pdf_passes_for_evidence_and_receipts():
    assert _check(pdf_bytes()).jenis == "pdf"
    assert uploads.periksa_berkas(SimpleUploadedFile("kuitansi.pdf", pdf_bytes()), uploads.FOTO_ATAU_PDF).jenis == "pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    assert _check(_written(writer)).jenis == "pdf"


def test_html_between_a_pdf_header_and_eof_is_refused():
    fake = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF"
    with pytest.raises(ValidationError, match="tidak lengkap atau rusak"):
        _check(fake)


def test_a_pdf_that_runs_javascript_when_opened_is_refused():
    # Document-level JavaScript in the catalog's name tree (what "add JavaScript" tools write).
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    script = writer._add_object(DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                                  NameObject("/JS"): TextStringObject("app.alert('halo');")}))
    tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("buka"), script])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): writer._add_object(tree)})
    with pytest.raises(ValidationError, match="berisi skrip atau tindakan otomatis"):
        _check(_written(writer))
    # The same through an OpenAction dictionary.
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                               NameObject("/JS"): TextStringObject("app.alert(1)")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    with pytest.raises(ValidationError, match="berisi skrip"):
        _check(_written(writer))


def test_a_pdf_that_launches_a_program_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    action = DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                               NameObject("/F"): TextStringObject("calc.exe")})
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    with pytest.raises(ValidationError, match="berisi skrip"):
        _check(_written(writer))


def test_a_locked_pdf_is_refused():
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.encrypt(user_password="rahasia", owner_password="pemilik")
    with pytest.raises(ValidationError, match="terkunci kata sandi"):
        _check(_written(writer))
