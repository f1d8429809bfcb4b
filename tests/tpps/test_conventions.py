"""One convention each (issue 9, item 4): the XLSX writer, upload check, masking and age in months
that every app uses, checked once here and on the pages that use them."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from balita.growth import engine
from balita.models import ImporBatch
from genting.models import AnggotaKeluarga, KelompokSasaran

from laporan.models import Penilaian
from tests.factories import kelurahan
from tests.genting.conftest import make_keluarga
from tests.laporan.helpers import make_anak, make_pengukuran, refresh_figures
from tpps import ages, masking, uploads, xlsx

# --- one XLSX writer -------------------------------------------------------------------------


def test_writer_freezes_the_header_formats_numbers_and_keeps_text_as_text():
    content = xlsx.table_bytes(
        ["Nama", "Jumlah", "Tanggal"],
        [["=1+1", 1234, datetime.date(2025, 3, 4)], ["=HYPERLINK(\"http://contoh\",\"klik\")", 5, None]],
        kinds={1: "angka"}, preamble=("Judul", "Catatan"),
    )
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0][0] == "Judul" and rows[3] == ["Nama", "Jumlah", "Tanggal"]
    assert rows[4][0] == "=1+1" and rows[5][0].startswith("=HYPERLINK")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A5"
    assert sheet["A5"].data_type == "s" and sheet["A6"].data_type == "s"  # strings, not formulas
    assert sheet["B5"].number_format == "#,##0" and sheet["C5"].number_format == "dd/mm/yyyy"


@pytest.mark.django_db
def test_register_export_is_written_by_the_one_writer(client_for, users):
    make_anak(kelurahan("Betet"), datetime.date(2024, 1, 5), nama="=1+1", nik="3571030000000001")
    response = client_for(users["operator"]).get(reverse("balita:anak_export"))
    assert response["Content-Type"] == xlsx.CONTENT_TYPE
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["No", "NIK", "Nama"]
    assert [r[2] for r in rows[1:]] == ["=1+1"]
    assert load_workbook(io.BytesIO(response.content)).active.freeze_panes == "A2"


# --- one upload check ------------------------------------------------------------------------

RENAMED = "Berkas yang hanya diganti ekstensinya tidak diterima"


@pytest.mark.django_db
def test_ranking_and_eppgbm_uploads_refuse_a_renamed_non_spreadsheet(client_for, users):
    client = client_for(users["operator"])
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    response = client.post(reverse("laporan:peringkat_unggah"),
                           {"tahun": 2025, "berkas": SimpleUploadedFile("nilai.xlsx", pdf)})
    assert RENAMED in response.content.decode() and not Penilaian.objects.exists()
    response = client.post(reverse("balita:impor"), {"berkas": SimpleUploadedFile("eppgbm.xlsx", pdf)})
    assert response.status_code == 422 and RENAMED in response.content.decode()
    assert not ImporBatch.objects.exists()


def test_csv_is_checked_as_text():
    assert uploads.periksa_berkas(SimpleUploadedFile("a.csv", "Nama;Skor\nKota Kédiri;1\n".encode("cp1252")),
                                  uploads.TABEL_PENILAIAN).jenis == "csv"
    with pytest.raises(Exception, match=RENAMED):
        uploads.periksa_berkas(SimpleUploadedFile("a.csv", b"\x00\x01\x02binary"), uploads.TABEL_PENILAIAN)


# --- one masking rule ------------------------------------------------------------------------


def test_masked_formats():
    assert masking.mask_name("Siti Aminah") == "S*** A***"
    assert masking.mask_nik("3571012345678901") == "3571 •••• •••• ••••"
    assert masking.mask_name("") == "" and masking.mask_nik(None) == ""


@pytest.mark.django_db
def test_pimpinan_sees_the_same_masked_name_on_balita_laporan_and_genting_pages(client_for, users):
    betet = kelurahan("Betet")
    anak = make_anak(betet, datetime.date(2024, 1, 5), nama="Siti Aminah", nik="3571034501240001", jk="P")
    make_pengukuran(anak, datetime.date(2025, 3, 10), haz=-2.5, waz=-1, whz=0)
    refresh_figures()  # rows made here skip balita's services
    keluarga = make_keluarga("Betet", kepala="Budi Santoso")
    AnggotaKeluarga.objects.create(keluarga=keluarga, nama="Siti Aminah", sasaran="anak",
                                   tanggal_lahir=anak.tanggal_lahir, anak=anak)
    pages = {
        "balita": reverse("balita:anak_detail", args=[anak.pk]),
        "laporan": reverse("laporan:kelurahan", args=[betet.pk]) + "?tahun=2025&periode=th",
        "genting": reverse("genting:keluarga_detail", args=[keluarga.pk]),
    }
    for role, shown in (("pimpinan", "S*** A***"), ("operator", "Siti Aminah")):
        client = client_for(users[role])
        for app, url in pages.items():
            html = client.get(url).content.decode()
            assert shown in html, (role, app)
            if role == "pimpinan":
                assert "Siti Aminah" not in html, app
    for url in pages.values():
        if "genting" not in url:  # genting shows no child NIK, only the family head's
            assert "3571 •••• •••• ••••" in client_for(users["pimpinan"]).get(url).content.decode()


# --- one age in months -----------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 30, 31, 60, 61, 730, 731, 1826, 1827])
def test_age_in_months_is_whole_who_months(days):
    birth = datetime.date(2020, 2, 29)
    on = birth + datetime.timedelta(days=days)
    assert ages.age_in_months(birth, on) == int(days / 30.4375)
    assert engine.DAYS_PER_MONTH == ages.DAYS_PER_MONTH == 30.4375


@pytest.mark.django_db
def test_genting_target_groups_follow_who_months():
    birth = datetime.date(2023, 1, 31)
    member = AnggotaKeluarga(nama="Anak", sasaran="anak", tanggal_lahir=birth)
    last_baduta = birth + datetime.timedelta(days=730)   # 730 / 30.4375 = 23.98 months
    first_balita = birth + datetime.timedelta(days=731)  # 24.02 months
    assert member.kelompok_pada(last_baduta) == KelompokSasaran.BADUTA
    assert member.kelompok_pada(first_balita) == KelompokSasaran.BALITA
    assert member.kelompok_pada(birth + datetime.timedelta(days=1826)) == KelompokSasaran.BALITA  # 59.99
    assert member.kelompok_pada(birth + datetime.timedelta(days=1827)) is None  # 60.02: not under five
