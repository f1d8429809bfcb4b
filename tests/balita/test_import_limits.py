"""The e-PPGBM import under hostile files (issue 13): a file the reader would allocate hundreds of
gigabytes for fails its batch with a message instead of killing the worker, and a file full of
errors stores only the first GALAT_DISIMPAN of them (counting all), on the page, in the download
and after cancelling."""

import io
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balita import services
from balita.importers.reading import FileError
from balita.models import ImporBatch, ImporGalat
from tests.balita.conftest import row
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
TOO_BIG = "terlalu besar: lebih dari 200.000 baris"


def probe_bytes() -> bytes:
    """The probe's file: the e-PPGBM header row and one cell at XFD1048576 (about 5 KB)."""
    workbook = openpyxl.Workbook()
    workbook.active.append(["NIK", "Nama", "JK", "Tgl Lahir", "Desa/Kel", "Tanggal Pengukuran", "Berat", "Tinggi"])
    workbook.active["XFD1048576"] = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def reader_must_not_run(monkeypatch):
    """The reader would ask for 512 GB and abort the process: it must never be reached."""
    def refuse(*args, **kwargs):
        raise AssertionError("the file reached the XLSX reader")

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", refuse)


def test_upload_page_refuses_the_probe_file(client_for, users):
    response = client_for(users["operator"]).post(reverse("balita:impor"),
                                                   {"berkas": SimpleUploadedFile("probe.xlsx", probe_bytes())})
    assert response.status_code == 422 and TOO_BIG in response.content.decode()
    assert ImporBatch.objects.count() == 0


def test_worker_job_fails_the_batch_with_a_message(users, reader_must_not_run):
    """A file stored without the page's check (an older upload, another path) is checked again by
    the job before the reader sees it; the job runs as the worker runs it."""
    batch = services.start_import(SimpleUploadedFile("probe.xlsx", probe_bytes()), users["operator"])
    assert services.check_import_task.call(batch.pk) == ImporBatch.Status.GAGAL
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.GAGAL and TOO_BIG in batch.pesan_galat
    assert "probe.xlsx" in batch.pesan_galat


def test_command_line_import_refuses_the_probe_file(tmp_path, reader_must_not_run):
    path = tmp_path / "probe.xlsx"
    path.write_bytes(probe_bytes())
    with pytest.raises(FileError, match=TOO_BIG):
        services.import_file(path, user=SYSTEM)
    assert ImporBatch.objects.get().status == ImporBatch.Status.GAGAL


def test_reading_the_probe_file_does_not_kill_the_process(tmp_path):
    """In a process of its own, as the worker is: it ends normally with the message (before the
    fix it died with "memory allocation of 549755813888 bytes failed")."""
    path = tmp_path / "probe.xlsx"
    path.write_bytes(probe_bytes())
    script = ("import django, sys; django.setup()\n"
              "from balita.importers import reading\n"
              "try:\n    reading.read_rows(sys.argv[1])\n"
              "except reading.FileError as error:\n    print(error)\n")
    done = subprocess.run([sys.executable, "-c", script, str(path)], cwd=REPO, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "DJANGO_SETTINGS_MODULE": "tpps.settings", "RUST_BACKTRACE": "0"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert TOO_BIG in done.stdout


def bad_file(eppgbm_file, bad: int, good: int = 1):
    """`good` valid rows, then `bad` rows each with one error (a NIK too short)."""
    rows = [row(NIK=f"35710341012{40001 + n:05d}", Nama=f"Anak Baik {n}") for n in range(good)]
    rows += [row(NIK=f"{n:05d}", Nama=f"Anak {n}") for n in range(bad)]
    return eppgbm_file(rows, name="banyak-galat.csv")


def test_errors_are_capped_counted_shown_and_downloadable(eppgbm_file, client_for, users):
    upload = SimpleUploadedFile("banyak-galat.csv", bad_file(eppgbm_file, 1_500).read_bytes())
    batch = services.check_import(services.start_import(upload, users["operator"]))
    assert batch.status == ImporBatch.Status.MENUNGGU
    assert (batch.baris_galat, batch.galat_total, batch.galat.count()) == (1_500, 1_500, 1_000)
    # The first ones by row: rows 3 to 1,002 (row 2 is the valid one).
    assert list(batch.galat.order_by("baris").values_list("baris", flat=True)) == list(range(3, 1_003))

    client = client_for(users["operator"])
    page = client.get(reverse("balita:impor_detail", args=[batch.pk])).content.decode()
    assert "menampilkan 1.000 pertama dari 1.500 galat" in page

    response = client.get(reverse("balita:impor_galat", args=[batch.pk]))
    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert "1.000 pertama dari 1.500 galat" in rows[0][0]
    header = rows.index(("Baris", "NIK", "Nama anak", "Kolom", "Nilai di berkas", "Masalah"))
    assert len(rows) - header - 1 == 1_000

    # The import keeps the same cap.
    services.confirm_import(batch, users["operator"], posyandu_dikonfirmasi=True)
    batch = services.run_import(ImporBatch.objects.get(pk=batch.pk))
    assert batch.status == ImporBatch.Status.SELESAI
    assert (batch.galat_total, batch.galat.count(), batch.pengukuran_baru) == (1_500, 1_000, 1)


def test_cap_is_the_constant(eppgbm_file, users, monkeypatch):
    monkeypatch.setattr(services, "GALAT_DISIMPAN", 10)
    upload = SimpleUploadedFile("x.csv", bad_file(eppgbm_file, 15).read_bytes())
    batch = services.check_import(services.start_import(upload, users["operator"]))
    assert (batch.galat_total, batch.galat.count()) == (15, 10)


def test_cancelling_deletes_the_errors(eppgbm_file, client_for, users):
    upload = SimpleUploadedFile("x.csv", bad_file(eppgbm_file, 20).read_bytes())
    batch = services.check_import(services.start_import(upload, users["operator"]))
    assert batch.galat.count() == 20
    client = client_for(users["operator"])
    client.post(reverse("balita:impor_batal", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.DIBATALKAN
    assert not ImporGalat.objects.filter(batch=batch).exists() and batch.galat_total == 20
    page = client.get(reverse("balita:impor_detail", args=[batch.pk])).content.decode()
    assert "20 galat ditemukan; daftarnya dihapus karena impor dibatalkan" in page
    assert client.get(reverse("balita:impor_galat", args=[batch.pk])).status_code == 200
