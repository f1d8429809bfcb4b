"""The import screens: upload checks, who sees which batch, and the whole journey with the real
background worker (django-tasks' db_worker): upload -> checked preview -> import -> history."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from balita import services
from balita.models import ImporBatch, Pengukuran
from tests.balita.conftest import row
from tests.balita.test_import import bad_rows


def run_worker():
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["pimpinan", "opd", "outsider"])
def test_import_screens_are_for_editors_only(client_for, users, role):
    assert client_for(users[role]).get(reverse("balita:impor")).status_code == 403


@pytest.mark.django_db
def test_upload_is_checked_for_type_and_size(client_for, users, settings):
    client = client_for(users["operator"])
    url = reverse("balita:impor")
    # The messages of the app's one upload check (tpps.uploads.EKSPOR_EPPGBM).
    cases = [
        (SimpleUploadedFile("data.txt", b"Nama,JK\n"), "hanya berkas .xlsx atau .csv dari e-PPGBM"),
        (SimpleUploadedFile("data.xlsx", b"Nama,JK,Tgl Lahir\n"), "berakhiran .xlsx, tetapi isinya teks CSV"),
        (SimpleUploadedFile("data.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
         "Berkas yang hanya diganti ekstensinya tidak diterima"),
    ]
    for upload, message in cases:
        response = client.post(url, {"berkas": upload})
        assert response.status_code == 422 and message in response.content.decode()
    settings.MAX_UPLOAD_MB = 0
    response = client.post(url, {"berkas": SimpleUploadedFile("data.csv", b"Nama,JK\n")})
    assert "terlalu besar. Ukuran maksimal 0 MB" in response.content.decode()
    assert ImporBatch.objects.count() == 0


@pytest.mark.django_db
def test_batches_are_seen_by_their_uploader_and_city_editors(client_for, users, eppgbm_file):
    mine = services.import_file(eppgbm_file([row()]), user=users["wilayah"])[0]
    theirs = services.import_file(eppgbm_file([row(NIK="3571034101240002", Nama="Lain")]), user=users["operator"])[0]
    wilayah = client_for(users["wilayah"])
    assert wilayah.get(reverse("balita:impor_detail", args=[theirs.pk])).status_code == 404
    assert wilayah.get(reverse("balita:impor_galat", args=[theirs.pk])).status_code == 404
    history = wilayah.get(reverse("balita:impor")).content.decode()
    assert f"/balita/impor/{mine.pk}/" in history and f"/balita/impor/{theirs.pk}/" not in history
    operator = client_for(users["operator"]).get(reverse("balita:impor")).content.decode()
    assert f"/balita/impor/{mine.pk}/" in operator and f"/balita/impor/{theirs.pk}/" in operator


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upload_preview_and_import_with_the_background_worker(client_for, users, eppgbm_file):
    client = client_for(users["operator"])
    upload = SimpleUploadedFile("eppgbm-januari.xlsx", eppgbm_file(bad_rows()).read_bytes())
    response = client.post(reverse("balita:impor"), {"berkas": upload})
    batch = ImporBatch.objects.get()
    assert response["Location"] == reverse("balita:impor_detail", args=[batch.pk])
    assert batch.status == ImporBatch.Status.ANTRE
    waiting = client.get(reverse("balita:impor_detail", args=[batch.pk]), {"progres": 1}, HTTP_HX_REQUEST="true")
    assert 'hx-trigger="every 1s"' in waiting.content.decode() and "HX-Refresh" not in waiting

    run_worker()  # the check (preview) runs in the worker

    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.MENUNGGU
    assert client.get(reverse("balita:impor_detail", args=[batch.pk]), {"progres": 1},
                      HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    page = client.get(reverse("balita:impor_detail", args=[batch.pk])).content.decode()
    assert "Impor baris yang valid" in page and "NIK harus 16 angka." in page
    assert Pengukuran.objects.count() == 0

    # Three posyandu would be created: without the confirmation the import is refused.
    client.post(reverse("balita:impor_simpan", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.MENUNGGU
    client.post(reverse("balita:impor_simpan", args=[batch.pk]), {"posyandu_dikonfirmasi": "on"})
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.ANTRE
    run_worker()  # the import runs in the worker

    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.SELESAI and batch.progres == 100
    assert Pengukuran.objects.count() == batch.pengukuran_baru == 5
    history = client.get(reverse("balita:impor")).content.decode()
    assert "eppgbm-januari.xlsx" in history and ">Selesai</span>" in history
    # A finished batch cannot be imported twice or cancelled.
    client.post(reverse("balita:impor_simpan", args=[batch.pk]))
    client.post(reverse("balita:impor_batal", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImporBatch.Status.SELESAI and Pengukuran.objects.count() == 5
