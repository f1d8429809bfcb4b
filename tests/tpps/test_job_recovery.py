"""Jobs whose worker died or which raised end "gagal" with an Indonesian message and can be retried
or cancelled; the worker (`jalankan_pekerja`) restarts `db_worker` and fails the jobs of a dead one;
a request after the database dropped the web's connection still succeeds (health checks)."""

import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from balita import services
from balita.models import ImporBatch
from laporan.models import PaketEvaluasi
from tests.balita.conftest import eppgbm_file, row  # noqa: F401 (eppgbm_file: a fixture)
from tests.factories import database_url
from tpps import jobs
from tpps.errors import UserError

ROOT = Path(__file__).resolve().parents[2]


def _batch(user, **fields) -> ImporBatch:
    batch = ImporBatch(nama_berkas="x.csv", diunggah_oleh=user, **fields)
    batch.berkas.save("x.csv", ContentFile(b"a\n"), save=False)
    batch.save()
    return batch


def wait_for(condition, timeout=60.0, every=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"waited {timeout} s in vain")


@pytest.mark.django_db
def test_a_running_job_silent_for_longer_than_the_lease_is_failed(settings, tmp_path, users):
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    old = now - jobs.lease() - datetime.timedelta(seconds=1)
    dead = _batch(users["operator"], status="berjalan", mulai=old, detak=old, progres=65)
    alive = _batch(users["operator"], status="berjalan", mulai=old, detak=now, progres=30)
    waiting = _batch(users["operator"], status="menunggu", mulai=old, detak=old)
    dead_pack = PaketEvaluasi.objects.create(tahun=2025, status="berjalan", mulai=old)  # from before detak
    assert dead.macet and not alive.macet and not waiting.macet

    assert jobs.fail_stale() == 2
    for job in (dead, alive, waiting, dead_pack):
        job.refresh_from_db()
    assert (dead.status, dead.pesan_galat) == ("gagal", "Proses berhenti tanpa selesai (pekerja mati); silakan ulangi.")
    assert dead.selesai is not None and not dead.berjalan
    assert dead_pack.status == "gagal" and dead_pack.pesan_galat == jobs.PESAN_PEKERJA_MATI
    assert (alive.status, waiting.status) == ("berjalan", "menunggu")


@pytest.mark.django_db
def test_a_job_that_raises_ends_failed_with_an_indonesian_message(settings, tmp_path, users):
    settings.MEDIA_ROOT = tmp_path
    batch = _batch(users["operator"])
    assert batch.start()
    with pytest.raises(ZeroDivisionError), batch.running("Impor gagal karena kesalahan sistem; silakan ulangi."):
        1 / 0
    batch.refresh_from_db()
    assert (batch.status, batch.pesan_galat) == ("gagal", "Impor gagal karena kesalahan sistem; silakan ulangi.")

    pack = PaketEvaluasi.objects.create(tahun=2025)
    assert pack.start()
    with pack.running():  # a user's error is the job's outcome, not a crash
        raise UserError("Belum ada data tahun 2025.")
    pack.refresh_from_db()
    assert (pack.status, pack.pesan_galat) == ("gagal", "Belum ada data tahun 2025.")


@pytest.mark.django_db
def test_the_pages_show_a_dead_job_as_failed_and_offer_retry_and_cancel(settings, tmp_path, client_for, users):
    settings.MEDIA_ROOT = tmp_path
    old = timezone.now() - jobs.lease() * 2
    batch = _batch(users["operator"], status="berjalan", mulai=old, detak=old, progres=65,
                   langkah="Menyimpan pengukuran", diperiksa=old)
    pack = PaketEvaluasi.objects.create(tahun=2025, status="berjalan", mulai=old, detak=old)
    client = client_for(users["operator"])

    poll = client.get(reverse("balita:impor_detail", args=[batch.pk]), {"progres": 1}, HTTP_HX_REQUEST="true")
    assert poll["HX-Refresh"] == "true"  # the page stops polling and shows the failure
    page = client.get(reverse("balita:impor_detail", args=[batch.pk])).content.decode()
    assert jobs.PESAN_PEKERJA_MATI in page and 'id="tombol-ulangi"' in page and "Batalkan" in page
    row_html = client.get(reverse("laporan:paket_status", args=[pack.pk])).content.decode()
    assert "Gagal" in row_html and "pekerja mati" in row_html and "every 1s" not in row_html

    # Retry: the import's transaction was rolled back, so the preview is back to be confirmed.
    client.post(reverse("balita:impor_ulangi", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.pesan_galat) == ("menunggu", "")
    # Cancel a failed batch.
    batch.fail(jobs.PESAN_PEKERJA_MATI)
    client.post(reverse("balita:impor_batal", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "dibatalkan"
    # A batch whose check failed is checked again.
    checked = _batch(users["operator"], status="gagal", pesan_galat="x")
    services.retry_import(checked, users["operator"])
    checked.refresh_from_db()
    assert checked.status == "antre" and checked.langkah == "Menunggu giliran pemeriksaan"
    with pytest.raises(UserError):
        services.retry_import(checked, users["operator"])  # only a failed batch


def _worker_env(tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "TPPS_TEST_DB_NAME"}}
    return {**env, "DEBUG": "true", "DATABASE_URL": database_url(), "MEDIA_ROOT": str(tmp_path / "media"),
            "JOB_LEASE_SECONDS": "2", "PYTHONUNBUFFERED": "1"}


def _db_workers(supervisor) -> list:
    return [p for p in psutil.Process(supervisor.pid).children(recursive=True)
            if "db_worker" in " ".join(p.cmdline()) and p.status() != psutil.STATUS_ZOMBIE]


# serialized_rollback: the flush after a transactional test would also drop the reference data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_import_is_restarted_and_its_batch_fails(settings, tmp_path, users, eppgbm_file,
                                                                     client_for):
    """The probe: a worker dies halfway through an import. A real `jalankan_pekerja` runs a real
    `db_worker`; the import blocks on its lock (held here) once it has read the file; the worker is
    killed with SIGKILL. The supervisor starts a new worker, and the batch is failed after the lease
    with the message, then cancelled by the user."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.JOB_LEASE_SECONDS = 2
    path = eppgbm_file([row()])
    batch = ImporBatch(nama_berkas=path.name, diunggah_oleh=users["operator"], diperiksa=timezone.now())
    batch.berkas.save(path.name, ContentFile(path.read_bytes()), save=False)
    batch.save()

    db = connection.settings_dict
    with psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
                         port=db["PORT"] or 5432, autocommit=True) as blocker:
        blocker.execute("SELECT pg_advisory_lock(hashtext('balita.import_eppgbm'))")
        services.run_import_task.enqueue(batch.pk)
        supervisor = subprocess.Popen([sys.executable, "manage.py", "jalankan_pekerja", "--jeda-maks", "1"], cwd=ROOT,
                                      env=_worker_env(tmp_path), start_new_session=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            def blocked():
                batch.refresh_from_db()
                return batch.status == "berjalan" and batch.progres >= 5
            wait_for(blocked)
            beat = batch.detak
            wait_for(lambda: ImporBatch.objects.get(pk=batch.pk).detak > beat)  # the heartbeat goes on
            assert jobs.fail_stale() == 0  # a living job is never failed

            (worker,) = wait_for(lambda: _db_workers(supervisor))
            worker.send_signal(signal.SIGKILL)
            wait_for(lambda: ImporBatch.objects.get(pk=batch.pk).status == "gagal", timeout=30)
            batch.refresh_from_db()
            assert batch.pesan_galat == "Proses berhenti tanpa selesai (pekerja mati); silakan ulangi."
            (restarted,) = wait_for(lambda: _db_workers(supervisor))
            assert restarted.pid != worker.pid
        finally:
            supervisor.send_signal(signal.SIGTERM)
            output = supervisor.communicate(timeout=60)[0]
    assert supervisor.returncode == 0, output
    assert "Pekerja latar berhenti (kode -9); dimulai lagi" in output

    client_for(users["operator"]).post(reverse("balita:impor_batal", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "dibatalkan"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_request_after_the_database_dropped_the_connection_succeeds(users, monkeypatch):
    """What a PostgreSQL restart does to a web process: its kept connection is gone. With health
    checks the next request reconnects instead of answering 500. (Django's test client skips the
    connection checks, so the request goes through the WSGI handler as gunicorn calls it.)"""
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 60)  # as with DATABASE_URL
    connection.close()  # the next connection is made with these settings
    handler = WSGIHandler()
    factory = RequestFactory()
    session = _session_cookie(users["operator"])

    def get(path):
        environ = factory.get(path, HTTP_COOKIE=session).environ
        statuses = []
        body = b"".join(handler(environ, lambda status, headers, exc_info=None: statuses.append(status)))
        return statuses[0], body

    status, _ = get("/")
    assert status.startswith("200")
    pid = connection.connection.info.backend_pid
    db = connection.settings_dict
    with psycopg.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"], host=db["HOST"],
                         port=db["PORT"] or 5432, autocommit=True) as other:
        assert other.execute("SELECT pg_terminate_backend(%s)", [pid]).fetchone()[0]
    status, body = get("/")
    assert status.startswith("200"), body[:300]
    assert connection.connection.info.backend_pid != pid


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"
