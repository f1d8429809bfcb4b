"""A job is settled once: a late finish never overwrites "gagal" or "dibatalkan" (its work is rolled
back), a job that runs past its time limit is failed by its own watchdog and, in the worker, its
hung process is killed and started again; a job left "antre" by a worker that died after taking its
task is queued again; a failed or cancelled evaluation pack can be made again, a queued one cancelled."""

import datetime
import signal
import subprocess
import sys
import time

import psutil
import psycopg
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from balita import services
from balita.models import Anak, ImporBatch
from laporan import services as laporan_services
from laporan.models import PaketEvaluasi
from tests.balita.conftest import eppgbm_file, row  # noqa: F401 (eppgbm_file: a fixture)
from tests.tpps.test_job_recovery import ROOT, _db_workers, _worker_env, wait_for
from tpps import jobs

DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")


def _confirmed_batch(user, path) -> ImporBatch:
    batch = ImporBatch(nama_berkas=path.name, diunggah_oleh=user, diperiksa=timezone.now(),
                       posyandu_baru=["Melati (Pesantren)"])  # confirmed on the preview
    batch.berkas.save(path.name, ContentFile(path.read_bytes()), save=False)
    batch.save()
    return batch


@pytest.mark.django_db
def test_an_import_failed_while_it_ran_is_rolled_back_and_stays_failed(settings, tmp_path, users, eppgbm_file):
    settings.MEDIA_ROOT = tmp_path
    batch = _confirmed_batch(users["operator"], eppgbm_file([row(), row(nik="3571031234567891", nama="BUDI")]))
    assert batch.start()
    children_before = Anak.objects.count()
    # The worker looked dead (or ran past its limit) and the sweep failed the batch meanwhile.
    ImporBatch.objects.filter(pk=batch.pk).update(status="gagal", pesan_galat=jobs.PESAN_PEKERJA_MATI)
    with batch.running("Impor gagal karena kesalahan sistem."):
        services._import_in_transaction(batch, services.NoProgress())
    batch.refresh_from_db()
    assert (batch.status, batch.pesan_galat) == ("gagal", jobs.PESAN_PEKERJA_MATI)
    assert Anak.objects.count() == children_before  # nothing of the late import was kept

    # The same import on a batch still running is stored, as before.
    again = _confirmed_batch(users["operator"], eppgbm_file([row()]))
    assert again.start()
    with again.running("Impor gagal karena kesalahan sistem."):
        services._import_in_transaction(again, services.NoProgress())
    again.refresh_from_db()
    assert again.status == "selesai" and Anak.objects.count() == children_before + 1


@pytest.mark.django_db
def test_a_late_pack_does_not_overwrite_a_cancellation_and_leaves_no_file(settings, tmp_path, users):
    settings.MEDIA_ROOT = tmp_path
    pack = PaketEvaluasi.objects.create(tahun=2025, dibuat_oleh=users["operator"])
    assert pack.start()
    laporan_services.cancel_pack(pack, users["operator"])
    with pack.running():
        pack.berkas.save(pack.nama_berkas, ContentFile(b"%PDF-1.4 late"), save=False)
        stored = pack.berkas.path
        with pytest.raises(jobs.PekerjaanLepas):
            pack.finish()
    pack.refresh_from_db()
    assert pack.status == "dibatalkan" and not pack.berkas
    # A failure after a cancellation keeps the cancellation too.
    pack.fail("Paket evaluasi gagal dibuat.")
    pack.refresh_from_db()
    assert (pack.status, pack.pesan_galat) == ("dibatalkan", "")
    assert stored  # the path the late run wrote to


# serialized_rollback: the flush after a transactional test would also drop the reference data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_past_its_time_limit_is_failed_by_its_watchdog(settings, users):
    settings.JOB_LEASE_SECONDS = 0.6  # a beat every 0.1 s
    settings.JOB_MAX_SECONDS = 0.5
    pack = PaketEvaluasi.objects.create(tahun=2025, dibuat_oleh=users["operator"])
    assert pack.start()
    started = time.monotonic()
    with pack.running():
        # A step that hangs while the process lives: the heartbeat alone would keep it "berjalan".
        wait_for(lambda: PaketEvaluasi.objects.get(pk=pack.pk).status == "gagal", timeout=10, every=0.05)
        assert time.monotonic() - started >= 0.5
        pack.finish()  # the step returns at last: its result is refused
    pack.refresh_from_db()
    assert pack.status == "gagal" and pack.pesan_galat == jobs.pesan_terlalu_lama()
    assert "melewati batas waktu 0 detik" not in pack.pesan_galat and "batas waktu 1 detik" in pack.pesan_galat


@pytest.mark.django_db
def test_the_sweep_fails_a_job_far_past_its_limit(settings, tmp_path, users):
    settings.MEDIA_ROOT = tmp_path
    settings.JOB_MAX_SECONDS = 60
    long_ago = timezone.now() - datetime.timedelta(seconds=60) - jobs.lease() * 2
    hung = PaketEvaluasi.objects.create(tahun=2025, status="berjalan", mulai=long_ago, detak=timezone.now())
    young = PaketEvaluasi.objects.create(tahun=2024, status="berjalan", mulai=timezone.now(), detak=timezone.now())
    assert jobs.fail_stale() == 1
    hung.refresh_from_db()
    young.refresh_from_db()
    assert (hung.status, hung.pesan_galat) == ("gagal", jobs.pesan_terlalu_lama())
    assert young.status == "berjalan"


def _other_workers(supervisor, pid):
    """The db_worker processes other than `pid` (the killed one may linger as a zombie a moment)."""
    try:
        return [p for p in _db_workers(supervisor) if p.pid != pid]
    except psutil.Error:
        return []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hung_worker_is_killed_and_started_again(settings, tmp_path, users, eppgbm_file):
    """The import waits for ever on a lock held here (a hang with the process alive, heartbeat
    beating). Its watchdog fails it after JOB_MAX_SECONDS, ends its database session and kills the
    worker; the supervisor starts a new one; the lock holder sees no write of the import."""
    settings.MEDIA_ROOT = tmp_path / "media"
    path = eppgbm_file([row()])
    batch = _confirmed_batch(users["operator"], path)
    db = connection.settings_dict
    settings.JOB_MAX_SECONDS = 4  # the message names the limit
    env = {**_worker_env(tmp_path), "JOB_MAX_SECONDS": "4"}
    with psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
                         port=db["PORT"] or 5432, autocommit=True) as blocker:
        blocker.execute("SELECT pg_advisory_lock(hashtext('balita.import_eppgbm'))")
        services.run_import_task.enqueue(batch.pk)
        supervisor = subprocess.Popen([sys.executable, "manage.py", "jalankan_pekerja", "--jeda-maks", "1"], cwd=ROOT,
                                      env=env, start_new_session=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            wait_for(lambda: ImporBatch.objects.get(pk=batch.pk).status == "berjalan")
            (worker,) = wait_for(lambda: _db_workers(supervisor))
            wait_for(lambda: ImporBatch.objects.get(pk=batch.pk).status == "gagal", timeout=30)
            batch.refresh_from_db()
            assert batch.pesan_galat == jobs.pesan_terlalu_lama()
            (restarted,) = wait_for(lambda: _other_workers(supervisor, worker.pid))
            assert restarted.pid != worker.pid
            assert not worker.is_running() or worker.status() == psutil.STATUS_ZOMBIE
            # Its session was ended: nothing waits on the lock any more.
            waiting = blocker.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            assert waiting.fetchone()[0] == 0
        finally:
            supervisor.send_signal(signal.SIGTERM)
            output = supervisor.communicate(timeout=60)[0]
    assert supervisor.returncode == 0, output
    assert "Pekerja latar berhenti (kode -9); dimulai lagi" in output
    assert Anak.objects.filter(nik=row()["NIK"]).count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_job_whose_task_a_dead_worker_took_is_queued_again_and_runs(settings, tmp_path, users, eppgbm_file):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = eppgbm_file([row()])
    batch = _confirmed_batch(users["operator"], path)
    ImporBatch.objects.filter(pk=batch.pk).update(status="antre")
    jobs.enqueue(batch, services.run_import_task, batch.pk)  # outside a transaction: sent at once
    batch.refresh_from_db()
    assert batch.task_id
    taken = DBTaskResult.objects.get(pk=batch.task_id)
    assert taken.status == "READY" and jobs.requeue_orphans() == 0  # waiting its turn: left alone
    # A worker took the task and died before starting the job: the queue says "running" for ever.
    DBTaskResult.objects.filter(pk=taken.pk).update(status="RUNNING", worker_ids=["mati"],
                                                    started_at=timezone.now() - jobs.lease() * 2)
    assert jobs.requeue_orphans() == 1
    batch.refresh_from_db()
    assert batch.status == "antre" and batch.task_id != str(taken.pk)
    again = DBTaskResult.objects.get(pk=batch.task_id)
    assert again.status == "READY" and again.args_kwargs["args"] == [batch.pk]
    assert jobs.requeue_orphans() == 0  # queued once

    # A real worker runs the queued task: the batch is imported.
    done = subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"], cwd=ROOT,
                          env=_worker_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    batch.refresh_from_db()
    assert batch.status == "selesai", (batch.status, batch.pesan_galat)
    assert Anak.objects.filter(nik=row()["NIK"]).count() == 1


@pytest.mark.django_db
def test_a_job_whose_task_ended_without_starting_it_is_failed(settings, tmp_path, users):
    settings.MEDIA_ROOT = tmp_path
    pack = PaketEvaluasi.objects.create(tahun=2025, dibuat_oleh=users["operator"])
    result = laporan_services.build_pack_task.enqueue(pack.pk)
    DBTaskResult.objects.filter(pk=result.id).update(status="FAILED", finished_at=timezone.now())
    PaketEvaluasi.objects.filter(pk=pack.pk).update(task_id=str(result.id))
    assert jobs.requeue_orphans() == 1
    pack.refresh_from_db()
    assert (pack.status, pack.pesan_galat) == ("gagal", jobs.PESAN_TIDAK_DIJALANKAN)


@pytest.mark.django_db
def test_a_failed_pack_is_made_again_and_a_queued_one_cancelled(settings, tmp_path, client_for, users,
                                                                django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    failed = PaketEvaluasi.objects.create(tahun=2025, status="gagal", pesan_galat="Belum ada data.",
                                          dibuat_oleh=users["operator"])
    client = client_for(users["operator"])
    page = client.get(reverse("laporan:paket")).content.decode()
    assert f'id="ulangi-paket-{failed.pk}"' in page

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(reverse("laporan:paket_ulangi", args=[failed.pk]), HTTP_HX_REQUEST="true")
    assert answer.status_code == 200
    failed.refresh_from_db()
    assert (failed.status, failed.pesan_galat) == ("antre", "")
    assert DBTaskResult.objects.get(pk=failed.task_id).args_kwargs["args"] == [failed.pk]
    html = answer.content.decode()
    assert f'id="batal-paket-{failed.pk}"' in html and "every 1s" in html  # queued: polls, can be cancelled

    answer = client.post(reverse("laporan:paket_batal", args=[failed.pk]))
    assert answer.status_code == 302
    failed.refresh_from_db()
    assert failed.status == "dibatalkan"
    assert not failed.start()  # the queued task then finds nothing to do
    assert "Pembuatan paket evaluasi 2025 dibatalkan." in client.get(reverse("laporan:paket")).content.decode()

    # A finished pack can be neither cancelled nor made again: a message, not a 500.
    done = PaketEvaluasi.objects.create(tahun=2024, status="selesai", dibuat_oleh=users["operator"])
    answer = client.post(reverse("laporan:paket_batal", args=[done.pk]), HTTP_HX_REQUEST="true")
    assert answer.status_code == 409 and "Hanya paket yang menunggu giliran" in answer.content.decode()
    answer = client.post(reverse("laporan:paket_ulangi", args=[done.pk]), follow=True)
    assert "Hanya paket yang gagal atau dibatalkan" in answer.content.decode()
    done.refresh_from_db()
    assert done.status == "selesai"
    # Only city roles reach the pack pages.
    assert client_for(users["wilayah"]).post(reverse("laporan:paket_ulangi", args=[done.pk])).status_code == 403
