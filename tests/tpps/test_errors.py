"""Errors a user can fix: one exception (tpps.errors.UserError), shown the same way on a form page,
in an HTMX fragment and on the command line."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.html import escape

from balita import services as balita_services
from balita.importers import reading
from genting import services as genting_services
from konvergensi import services as konvergensi_services
from laporan import services as laporan_services
from laporan.importers import penilaian
from tests.genting.conftest import donate, kanal, make_ota
from tests.konvergensi.conftest import aksi, media, unggah  # noqa: F401  (fixtures)
from tpps.roles import SYSTEM
from tpps.errors import UserError, add_to_form, command_error, full_clean
from tpps.models import User

HX = {"HTTP_HX_REQUEST": "true"}


def test_every_domain_error_is_a_user_error():
    for error_class in (balita_services.BalitaError, genting_services.GentingError, genting_services.DanaTidakCukup,
                        reading.FileError, penilaian.FileError):
        assert issubclass(error_class, UserError), error_class
    assert not hasattr(laporan_services, "LaporanError")


@pytest.mark.django_db
def test_konvergensi_services_raise_user_errors_on_their_field(aksi, unggah):
    bukti = unggah(aksi(1))
    with pytest.raises(UserError) as error:
        konvergensi_services.verify_evidence(bukti, "menunggu", "", SYSTEM)
    assert error.value.field == "status"
    with pytest.raises(UserError) as error:
        konvergensi_services.verify_evidence(bukti, "perlu_revisi", "  ", SYSTEM)
    assert error.value.field == "komentar"


def test_message_names_the_sheet_row_and_column():
    assert str(UserError("Isi berat.", "berat")) == "Isi berat."
    assert str(UserError("skor kosong.", row=5)) == "Baris 5: skor kosong."
    assert str(UserError("bukan angka.", row=5, column="Skor")) == "Baris 5, kolom Skor: bukan angka."
    assert str(UserError("skor kosong.", row="Kota Kediri")) == "Kota Kediri: skor kosong."
    assert UserError("skor kosong.", row=5).message == "skor kosong."


class _Form(forms.Form):
    tanggal = forms.DateField(required=False)


def test_add_to_form_puts_the_message_on_its_field_or_above_the_form():
    form = _Form({})
    form.is_valid()
    add_to_form(form, UserError("Tanggal tidak boleh di masa depan.", "tanggal"))
    add_to_form(form, UserError("Pilih satu saja.", "bukan_field_form_ini"))
    assert form.errors["tanggal"] == ["Tanggal tidak boleh di masa depan."]
    assert form.non_field_errors() == ["Pilih satu saja."]


def test_model_validation_becomes_a_user_error_with_every_field():
    error = UserError.from_validation_error(ValidationError({"pagu": "Pagu negatif.", "realisasi": "Melebihi pagu."}))
    assert dict(error.pairs()) == {"pagu": "Pagu negatif.", "realisasi": "Melebihi pagu."}
    assert str(error) == "Pagu negatif. Melebihi pagu."
    assert str(command_error(error)) == "Pagu negatif. Melebihi pagu."


@pytest.mark.django_db
def test_full_clean_raises_a_user_error():
    with pytest.raises(UserError) as error:
        full_clean(User(username=""))
    assert "username" in dict(error.value.pairs())


@pytest.mark.django_db
def test_a_service_error_reads_the_same_on_the_form_page_and_in_the_htmx_fragment(client_for, users):
    ota = make_ota()
    donate(ota, 100_000, referensi="RZ-2025-0401")
    with pytest.raises(UserError) as raised:
        donate(ota, 100_000, referensi="RZ-2025-0401")
    expected = escape(str(raised.value))
    assert "sudah tercatat di Rumah Zakat" in expected
    data = {"orang_tua_asuh": ota.pk, "bentuk": "uang", "kanal": kanal().pk, "jumlah": "Rp 50.000",
            "tanggal": "2025-04-01", "referensi": "RZ-2025-0401", "uraian": ""}
    client = client_for(users["operator"])
    page = client.post(reverse("genting:donasi_create"), data)
    fragment = client.post(reverse("genting:donasi_create"), data, **HX)
    assert page.status_code == 200 and "<html" in page.content.decode() and expected in page.content.decode()
    assert fragment.status_code == 422 and "<html" not in fragment.content.decode()
    assert expected in fragment.content.decode()


@pytest.mark.django_db
def test_a_file_error_reads_the_same_on_the_batch_page_and_on_the_command_line(tmp_path, client_for, users):
    content = b"a,b,c\n1,2,3\n"
    path = tmp_path / "kosong.csv"
    path.write_bytes(content)
    with pytest.raises(UserError) as raised:
        reading.read(path, path.name)
    message = str(raised.value)
    assert "Baris judul kolom tidak ditemukan" in message

    batch = balita_services.start_import(SimpleUploadedFile("kosong.csv", content), users["operator"])
    batch = balita_services.check_import(batch)
    page = client_for(users["operator"]).get(reverse("balita:impor_detail", args=[batch.pk])).content.decode()
    assert escape(message) in page

    with pytest.raises(CommandError) as command:
        call_command("import_eppgbm", str(path))
    assert str(command.value) == message
