"""Background jobs: the import batch and the evaluation pack are one kind of job
(tpps.jobs.Pekerjaan) with the same state words, progress and timestamps."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from balita.models import ImporBatch
from laporan.models import PaketEvaluasi
from tpps.jobs import Pekerjaan, StatusPekerjaan

JOBS = [ImporBatch, PaketEvaluasi]
SHARED = ["status", "progres", "langkah", "mulai", "selesai", "pesan_galat"]


def test_both_job_kinds_share_the_state_words_and_fields():
    assert StatusPekerjaan.values == ["antre", "berjalan", "menunggu", "selesai", "dibatalkan", "gagal"]
    for model in JOBS:
        assert issubclass(model, Pekerjaan)
        assert model.Status is StatusPekerjaan
        assert model._meta.get_field("status").choices == StatusPekerjaan.choices
        for name in SHARED:
            assert model._meta.get_field(name).deconstruct()[1:] == ImporBatch._meta.get_field(name).deconstruct()[1:]
    for old in ("kemajuan", "tahap", "pesan"):
        assert old not in {f.name for f in ImporBatch._meta.get_fields()}


def _jobs(user):
    batch = ImporBatch(nama_berkas="x.csv", diunggah_oleh=user)
    batch.berkas.save("x.csv", ContentFile(b"a\n"), save=False)
    batch.save()
    return [batch, PaketEvaluasi.objects.create(tahun=2025, dibuat_oleh=user)]


@pytest.mark.django_db
def test_a_job_is_claimed_once_reports_progress_and_finishes(settings, tmp_path, users):
    settings.MEDIA_ROOT = tmp_path
    for job in _jobs(users["admin"]):
        assert job.status == "antre" and job.berjalan
        assert job.start("Mulai") is True and job.mulai is not None
        assert type(job).objects.get(pk=job.pk).start("Mulai") is False  # a second delivery does nothing
        job.set_progress(40, "Menghitung")
        stored = type(job).objects.get(pk=job.pk)
        assert (stored.status, stored.progres, stored.langkah) == ("berjalan", 40, "Menghitung")
        job.fail("Berkas rusak.")
        stored = type(job).objects.get(pk=job.pk)
        assert (stored.status, stored.pesan_galat, stored.progres) == ("gagal", "Berkas rusak.", 100)
        assert stored.selesai is not None and not stored.berjalan


@pytest.mark.django_db
def test_pages_show_a_queued_job_with_the_same_words_and_a_progress_bar(settings, tmp_path, client_for, users):
    settings.MEDIA_ROOT = tmp_path
    batch, pack = _jobs(users["operator"])
    for job in (batch, pack):
        job.set_progress(30, "Langkah uji")
    client = client_for(users["operator"])
    batch_page = client.get(reverse("balita:impor_detail", args=[batch.pk]), {"progres": 1},
                            HTTP_HX_REQUEST="true").content.decode()
    pack_row = client.get(reverse("laporan:paket_status", args=[pack.pk])).content.decode()
    for html in (batch_page, pack_row):
        assert "Menunggu giliran" in html and "Langkah uji" in html
        assert 'aria-valuenow="30"' in html and 'hx-trigger="every 1s"' in html


# serialized_rollback: the flush after a transactional test would also drop the reference data
# (areas, kab/kota) that later tests expect from the data migrations.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_renames_the_old_state_words():
    """Rows written with the old words (antri/pratinjau/mengimpor/diperiksa, proses) come out of
    the job_fields migrations with the shared ones, and a batch past its check keeps that fact."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    old = [("balita", "0002_import_batches"), ("laporan", "0002_kab_kota_jawa_timur")]
    executor = MigrationExecutor(connection)
    executor.migrate(old)
    with connection.cursor() as cursor:
        for status in ("diperiksa", "pratinjau", "antri", "mengimpor", "selesai"):
            cursor.execute(
                "INSERT INTO balita_imporbatch (berkas, nama_berkas, dibuat, status, tahap, kemajuan, pesan, baris,"
                " anak_baru, anak_cocok, pengukuran_baru, pengukuran_diubah, baris_galat, baris_flag, posyandu_baru)"
                " VALUES ('x', %s, now(), %s, '', 0, '', 0, 0, 0, 0, 0, 0, 0, '[]')", [status, status])
        cursor.execute(
            "INSERT INTO laporan_paketevaluasi (tahun, status, progres, langkah, berkas, ukuran, halaman, pesan_galat,"
            " task_id, dibuat) VALUES (2025, 'proses', 50, 'Tabel', '', 0, 0, '', '', now())")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    batches = {b.nama_berkas: b for b in ImporBatch.objects.all()}
    assert {name: b.status for name, b in batches.items()} == {
        "diperiksa": "antre", "pratinjau": "menunggu", "antri": "antre", "mengimpor": "berjalan", "selesai": "selesai"}
    assert batches["diperiksa"].diperiksa is None and batches["antri"].diperiksa is not None
    pack = PaketEvaluasi.objects.get()
    assert (pack.status, pack.progres, pack.langkah) == ("berjalan", 50, "Tabel")
