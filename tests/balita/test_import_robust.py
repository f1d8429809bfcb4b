"""Imports that used to crash or hang (issue 13, item 3): a file where no row has a usable birth
date gets its row errors everywhere; a job that raises ends "gagal" with an Indonesian message and
the command prints one Indonesian line instead of a traceback; a check can be cancelled."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from balita import services
from balita.importers import eppgbm
from balita.models import Anak, ImporBatch
from tests.balita.conftest import make_anak
from tpps import jobs
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db

NO_BIRTH_DATE = b"Nama,JK,Tgl Lahir,Desa/Kel,Tanggal Pengukuran,Berat,Tinggi\nAAAA,L,,Betet,10/12/2025,8,70\n"


def upload(content=NO_BIRTH_DATE, name="x.csv"):
    return SimpleUploadedFile(name, content)


@pytest.fixture
def stored_children():
    # The crash needed stored children to match against (the probe ran on demo data).
    make_anak()
    make_anak(nama="Budi", nik="3571034101240001")


def test_no_usable_birth_date_is_a_row_error_in_the_dry_run(tmp_path, capsys, stored_children):
    path = tmp_path / "x.csv"
    path.write_bytes(NO_BIRTH_DATE)
    call_command("import_eppgbm", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "errors=1" in out
    assert "baris 2, kolom Tgl Lahir: Tanggal lahir kosong." in out


def test_no_usable_birth_date_is_a_row_error_in_the_preview_and_the_import(users, stored_children):
    batch = services.check_import(services.start_import(upload(), users["operator"]))
    assert batch.status == ImporBatch.Status.MENUNGGU
    assert list(batch.galat.values_list("baris", "kolom", "pesan")) == [(2, "Tgl Lahir", "Tanggal lahir kosong.")]
    services.confirm_import(batch, users["operator"])
    batch = services.run_import(ImporBatch.objects.get(pk=batch.pk))
    assert (batch.status, batch.baris_galat, batch.anak_baru) == (ImporBatch.Status.SELESAI, 1, 0)
    assert Anak.objects.count() == 2


def crash(*args, **kwargs):
    raise TypeError("Cannot cast DatetimeArray to dtype float64")


def test_a_check_that_crashes_ends_failed_with_an_indonesian_message(users, monkeypatch):
    monkeypatch.setattr(eppgbm, "prepare", crash)
    batch = services.start_import(upload(), users["operator"])
    with pytest.raises(TypeError):  # raised again, so the worker logs the traceback
        services.check_import(batch)
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.GAGAL and not batch.berjalan
    assert batch.pesan_galat.startswith("Pemeriksaan berkas gagal karena kesalahan sistem")
    page = _client(users).get(f"/balita/impor/{batch.pk}/")
    assert "Pemeriksaan berkas gagal" in page.content.decode() and "every 1s" not in page.content.decode()


def test_an_import_that_crashes_ends_failed(users, monkeypatch):
    batch = services.check_import(services.start_import(upload(), users["operator"]))
    services.confirm_import(batch, users["operator"])
    monkeypatch.setattr(services, "write_file", crash)
    with pytest.raises(TypeError):
        services.run_import(ImporBatch.objects.get(pk=batch.pk))
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.GAGAL
    assert batch.pesan_galat.startswith("Impor gagal karena kesalahan sistem")


def test_the_command_prints_an_indonesian_error_not_a_traceback(tmp_path, monkeypatch):
    path = tmp_path / "x.csv"
    path.write_bytes(NO_BIRTH_DATE)
    monkeypatch.setattr(eppgbm, "prepare", crash)
    with pytest.raises(CommandError, match="Impor gagal karena kesalahan sistem \\(TypeError\\)"):
        call_command("import_eppgbm", str(path), "--dry-run")
    monkeypatch.setattr(services, "write_file", crash)
    with pytest.raises(CommandError, match="Impor gagal karena kesalahan sistem"):
        call_command("import_eppgbm", str(path))
    assert ImporBatch.objects.get().status == ImporBatch.Status.GAGAL


def test_a_check_still_running_can_be_cancelled_and_then_stores_nothing(users):
    batch = services.start_import(upload(), users["operator"])
    assert batch.start("Memeriksa berkas")  # a worker took it, then hangs
    response = _client(users).get(f"/balita/impor/{batch.pk}/")
    assert 'id="batal-periksa"' in response.content.decode()
    response = _client(users).post(f"/balita/impor/{batch.pk}/batal/")
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.DIBATALKAN
    # A check that finishes late does not bring the batch back.
    ImporBatch.objects.filter(pk=batch.pk).update(status=ImporBatch.Status.BERJALAN)
    batch.refresh_from_db()
    services.cancel_import(batch, users["operator"])
    with pytest.raises(jobs.PekerjaanLepas):  # its result refused (the job's `running` logs it)
        services._check(ImporBatch.objects.get(pk=batch.pk))
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.DIBATALKAN and batch.galat.count() == 0


def test_an_import_already_running_cannot_be_cancelled(users):
    batch = services.check_import(services.start_import(upload(), users["operator"]))
    services.confirm_import(batch, users["operator"])
    with pytest.raises(services.BalitaError, match="dapat dibatalkan"):
        services.cancel_import(ImporBatch.objects.get(pk=batch.pk), users["operator"])


def _client(users):
    client = Client()
    client.force_login(users["operator"])
    return client


def test_system_import_of_the_bad_row_stores_nothing(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(NO_BIRTH_DATE)
    batch, _ = services.import_file(path, user=SYSTEM)
    assert (batch.status, batch.baris_galat) == (ImporBatch.Status.SELESAI, 1)
