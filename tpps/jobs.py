"""Background jobs: the one set of state words, progress and timestamps that every job model shares
(balita's import batch, laporan's evaluation pack, and any later job), so pages, tests and code
speak of a job the same way; and how a job stays honest when its worker dies (heartbeat and lease)."""

import contextlib
import datetime
import logging
import os
import signal
import threading
import time

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus

from tpps.errors import UserError

logger = logging.getLogger(__name__)


class StatusPekerjaan(models.TextChoices):
    ANTRE = "antre", "Menunggu giliran"
    BERJALAN = "berjalan", "Sedang dikerjakan"
    # A job that stopped halfway to let the user decide (the import's preview).
    MENUNGGU = "menunggu", "Menunggu keputusan"
    SELESAI = "selesai", "Selesai"
    DIBATALKAN = "dibatalkan", "Dibatalkan"
    GAGAL = "gagal", "Gagal"


# Progress, the heartbeat and the queue task are written many times and mean nothing afterwards: keep them
# out of the audit trail.
AUDIT_EXCLUDE = ["progres", "langkah", "detak", "task_id"]

PESAN_PEKERJA_MATI = "Proses berhenti tanpa selesai (pekerja mati); silakan ulangi."
PESAN_DIHENTIKAN = "Proses dihentikan sebelum selesai (pekerja dimatikan); silakan ulangi."
PESAN_KESALAHAN_SISTEM = "Pekerjaan gagal karena kesalahan sistem; silakan ulangi. Jika terulang, hubungi Admin."
PESAN_TIDAK_DIJALANKAN = "Pekerjaan tidak dapat dijalankan oleh pekerja latar; silakan ulangi."


def pesan_terlalu_lama() -> str:
    seconds = settings.JOB_MAX_SECONDS
    limit = f"{round(seconds / 60)} menit" if seconds >= 60 else f"{max(round(seconds), 1)} detik"
    return (f"Proses dihentikan karena melewati batas waktu {limit}; tidak ada yang tersimpan. "
            "Silakan ulangi; jika terulang, hubungi Admin.")


class PekerjaanLepas(Exception):
    """The job was settled by someone else while it ran: failed because its worker looked dead or it
    ran past its time limit, or cancelled by the user. Its late result is discarded (the finishing
    transaction rolls back), so "gagal" or "dibatalkan" stays true."""


def lease() -> datetime.timedelta:
    """How long a running job may go without a heartbeat before it counts as dead: far longer than
    the beat (a sixth of it), so a busy database or a long step never fails a living job."""
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


class Pekerjaan(models.Model):
    """Abstract base of a job row: status, progress 0–100 with the current step, when it started and
    finished, its last heartbeat, and the message shown when it failed."""

    Status = StatusPekerjaan
    RUNNING = (StatusPekerjaan.ANTRE, StatusPekerjaan.BERJALAN)
    OPEN = (*RUNNING, StatusPekerjaan.MENUNGGU)

    status = models.CharField(max_length=12, choices=StatusPekerjaan.choices, default=StatusPekerjaan.ANTRE)
    progres = models.PositiveSmallIntegerField("progres (%)", default=0)
    langkah = models.CharField(max_length=120, blank=True, help_text="langkah yang sedang dikerjakan")
    mulai = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(null=True, blank=True)
    # Written by the running job's process every few seconds (tpps.jobs.Heartbeat) and at each
    # progress step: a job "berjalan" whose heartbeat is older than the lease lost its worker.
    detak = models.DateTimeField("detak terakhir", null=True, blank=True)
    # The background task (django-tasks) that runs the job now, set by tpps.jobs.enqueue: a job left
    # "antre" by a worker that died after taking its task is queued again (requeue_orphans).
    task_id = models.CharField(max_length=64, blank=True)
    pesan_galat = models.TextField("pesan galat", blank=True, help_text="Alasan bila pekerjaan gagal.")

    class Meta:
        abstract = True

    @property
    def berjalan(self) -> bool:
        """Queued or running: the page keeps polling."""
        return self.status in self.RUNNING

    def set_progress(self, progres: int, langkah: str, *, connection=None):
        """Record progress (and a heartbeat) with a single UPDATE of these columns (never the whole
        row), so the job's other fields written meanwhile are not overwritten. A job that runs inside
        one long transaction passes a `connection` of its own, so pages see the progress while it runs."""
        self.progres, self.langkah, self.detak = int(progres), langkah[:120], timezone.now()
        if connection is None:
            type(self)._base_manager.filter(pk=self.pk).update(progres=self.progres, langkah=self.langkah,
                                                               detak=self.detak)
            return
        table = connection.ops.quote_name(self._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET progres = %s, langkah = %s, detak = %s WHERE id = %s",
                           [self.progres, self.langkah, self.detak, self.pk])

    def start(self, langkah: str = "Mulai", **where):
        """Claim a queued job: True only for the one caller that moved it from antre to berjalan
        (a task delivered twice then runs once). `where` adds conditions on the row."""
        now = timezone.now()
        claimed = type(self)._base_manager.filter(pk=self.pk, status=StatusPekerjaan.ANTRE, **where).update(
            status=StatusPekerjaan.BERJALAN, mulai=now, detak=now, progres=1, langkah=langkah, pesan_galat="")
        if claimed:
            self.status, self.mulai, self.detak, self.progres, self.langkah, self.pesan_galat = (
                StatusPekerjaan.BERJALAN, now, now, 1, langkah, "")
        return bool(claimed)

    def fail(self, pesan: str):
        """Mark the job failed with a message for the user; written by UPDATE so it also works after
        the job's own transaction was rolled back."""
        now = timezone.now()
        # A job already failed (e.g. by its watchdog) or cancelled keeps that state and message.
        if type(self)._base_manager.filter(pk=self.pk, status__in=self.OPEN).update(
                status=StatusPekerjaan.GAGAL, pesan_galat=pesan, progres=100, selesai=now):
            self.status, self.pesan_galat, self.progres, self.selesai = StatusPekerjaan.GAGAL, pesan, 100, now
        else:
            self.refresh_from_db(fields=["status", "pesan_galat", "progres", "selesai"])

    def mark_done(self, langkah: str = "Selesai"):
        """Set the finished state on the instance (for a job run outside the worker, e.g. the import
        command's foreground run); a worker's job saves its result with `finish()`."""
        self.status, self.progres, self.langkah, self.selesai = StatusPekerjaan.SELESAI, 100, langkah, timezone.now()

    def finish(self, status: str = StatusPekerjaan.SELESAI, langkah: str = "Selesai"):
        """Save the job with its results and `status` (selesai, or menunggu for a preview), only if it
        is still "berjalan": it locks the row first, and raises PekerjaanLepas if the job was failed
        or cancelled meanwhile. Inside the job's own transaction that rolls the work back too."""
        with transaction.atomic():
            current = (type(self)._base_manager.select_for_update().filter(pk=self.pk)
                       .values_list("status", flat=True).first())
            if current != StatusPekerjaan.BERJALAN:
                raise PekerjaanLepas(f"{self._meta.label} {self.pk} is {current}, its result is discarded")
            if status == StatusPekerjaan.SELESAI:
                self.mark_done(langkah)
            else:
                self.status, self.progres, self.langkah = status, 100, langkah
            self.save()

    @property
    def macet(self) -> bool:
        """Running, but its heartbeat is older than the lease: its worker died."""
        last = self.detak or self.mulai
        return self.status == StatusPekerjaan.BERJALAN and (last is None or last < timezone.now() - lease())

    @contextlib.contextmanager
    def running(self, system_message: str = PESAN_KESALAHAN_SISTEM, *, raise_user_errors: bool = False):
        """The body of a claimed job: its heartbeat beats meanwhile. A UserError fails the job with
        its own message (the job's outcome: re-raised only if asked, e.g. by a command); any other
        exception, or the worker being stopped, fails it with an Indonesian message and is re-raised
        for the worker's log."""
        heartbeat = Heartbeat(self)
        try:
            yield self
        except PekerjaanLepas:
            # Already failed or cancelled by someone else: that state stays, the work was rolled back.
            logger.warning("%s %s was settled while it ran; its result was discarded", self._meta.label, self.pk)
        except UserError as error:
            self.fail(str(error))
            if raise_user_errors:
                raise
        except Exception:
            self.fail(system_message)
            raise
        except BaseException:  # SystemExit / KeyboardInterrupt: the worker was told to stop at once
            self.fail(PESAN_DIHENTIKAN)
            raise
        finally:
            heartbeat.stop()


class Heartbeat:
    """A thread that writes the job's `detak` every sixth of the lease through a connection of its
    own (so it works while the job holds a long transaction), skipping a row someone else has
    locked rather than waiting for it. It dies with the process: that is what makes a dead worker
    visible.

    It is also the job's watchdog: a process that hangs while alive keeps beating, so once the job
    has run for JOB_MAX_SECONDS the thread fails it ("melewati batas waktu") and stops beating; in
    the background worker (JOB_WATCHDOG_EXIT, set by `jalankan_pekerja`) it then kills its own
    process, whose open transaction PostgreSQL rolls back, and the supervisor starts a new worker."""

    def __init__(self, job: Pekerjaan):
        self.job = job
        self.interval = max(lease().total_seconds() / 6, 0.1)
        self.deadline = time.monotonic() + settings.JOB_MAX_SECONDS
        main = connections[DEFAULT_DB_ALIAS].connection  # the job's own connection (this is its thread)
        self.main_backend = main.info.backend_pid if main is not None else None
        self.stopped = threading.Event()
        self.connection = None
        self.thread = threading.Thread(target=self._run, name=f"detak-{job._meta.label}-{job.pk}", daemon=True)
        self.thread.start()

    def _run(self):
        table = connections[DEFAULT_DB_ALIAS].ops.quote_name(self.job._meta.db_table)
        sql = (f"UPDATE {table} SET detak = %s WHERE id IN (SELECT id FROM {table} WHERE id = %s AND status = %s"
               " FOR UPDATE SKIP LOCKED)")
        try:
            while not self.stopped.wait(self.interval):
                try:
                    if self.connection is None:
                        self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
                    if time.monotonic() > self.deadline:
                        if self._time_out(table):
                            return
                        continue
                    with self.connection.cursor() as cursor:
                        cursor.execute(sql, [timezone.now(), self.job.pk, StatusPekerjaan.BERJALAN])
                except DatabaseError:
                    # The database restarted or is busy: try again with a new connection next beat.
                    logger.warning("heartbeat of %s %s not written", self.job._meta.label, self.job.pk)
                    self._close()
        finally:
            self._close()

    def _time_out(self, table) -> bool:
        """Fail the overdue job (unless its row is locked: it is finishing, try next beat). True
        when the job is no longer running, so beating ends."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET status = %s, pesan_galat = %s, progres = 100, selesai = %s"
                           f" WHERE id IN (SELECT id FROM {table} WHERE id = %s AND status = %s FOR UPDATE SKIP LOCKED)",
                           [StatusPekerjaan.GAGAL, pesan_terlalu_lama(), timezone.now(), self.job.pk,
                            StatusPekerjaan.BERJALAN])
            failed = cursor.rowcount
            cursor.execute(f"SELECT status FROM {table} WHERE id = %s", [self.job.pk])
            row = cursor.fetchone()
        if not failed and row is not None and row[0] == StatusPekerjaan.BERJALAN:
            return False
        if failed:
            logger.error("%s %s ran past JOB_MAX_SECONDS and was failed", self.job._meta.label, self.job.pk)
            if settings.JOB_WATCHDOG_EXIT:
                # The hung statement may be waiting on a lock, which a dead client does not end.
                if self.main_backend:
                    with self.connection.cursor() as cursor:
                        cursor.execute("SELECT pg_terminate_backend(%s)", [self.main_backend])
                self._close()
                os.kill(os.getpid(), signal.SIGKILL)
        return True

    def _close(self):
        if self.connection is not None:
            with contextlib.suppress(DatabaseError):
                self.connection.close()
            self.connection = None

    def stop(self):
        self.stopped.set()
        self.thread.join(timeout=5)


def job_models() -> list[type[Pekerjaan]]:
    """Every concrete job model of the installed apps (tpps names no app)."""
    return [model for model in apps.get_models() if issubclass(model, Pekerjaan)]


def fail_stale(model: type[Pekerjaan] | None = None) -> int:
    """Mark every job "berjalan" whose heartbeat is older than the lease as failed (its worker
    died): the worker runs this at start-up and periodically, pages before they show jobs.
    Returns how many were failed."""
    now = timezone.now()
    cutoff = now - lease()
    overdue = cutoff - datetime.timedelta(seconds=settings.JOB_MAX_SECONDS)
    failed = 0
    for job_model in [model] if model else job_models():
        stale = (models.Q(detak__lt=cutoff) | models.Q(detak__isnull=True, mulai__lt=cutoff)
                 | models.Q(detak__isnull=True, mulai__isnull=True))
        count = job_model._base_manager.filter(stale, status=StatusPekerjaan.BERJALAN).update(
            status=StatusPekerjaan.GAGAL, pesan_galat=PESAN_PEKERJA_MATI, progres=100, selesai=now)
        # Overdue whose watchdog did not act (its thread died with the job alive): failed all the same.
        count += job_model._base_manager.filter(status=StatusPekerjaan.BERJALAN, mulai__lt=overdue).update(
            status=StatusPekerjaan.GAGAL, pesan_galat=pesan_terlalu_lama(), progres=100, selesai=now)
        if count:
            logger.warning("%d %s job(s) lost their worker and were marked failed", count, job_model._meta.label)
        failed += count
    return failed


def enqueue(job: Pekerjaan, task, *args):
    """Queue `task(*args)` to run `job` once the current transaction commits (so the worker sees the
    row), and remember the task on the job. Until then the job has no task: the sweep leaves it be."""
    type(job)._base_manager.filter(pk=job.pk).update(task_id="")
    job.task_id = ""

    def send():
        result = task.enqueue(*args)
        type(job)._base_manager.filter(pk=job.pk, task_id="").update(task_id=str(result.id))

    transaction.on_commit(send)


def requeue_orphans() -> int:
    """Jobs still "antre" whose task can no longer start them: a worker took the task and died before
    it started the job (the task stays "running" in the queue for ever), or the task ended without
    starting it. The first kind is queued again; the second is failed with a message. Returns how
    many jobs were handled. Only with the database task backend (the queue is a table)."""
    if settings.TASKS["default"]["BACKEND"] != "django_tasks_db.DatabaseBackend":
        return 0
    task_results = apps.get_model("django_tasks_database", "DBTaskResult")
    # A living worker starts the job within moments of taking its task.
    cutoff = timezone.now() - lease()
    handled = 0
    for job_model in job_models():
        for job in job_model._base_manager.filter(status=StatusPekerjaan.ANTRE).exclude(task_id=""):
            result = task_results.objects.filter(pk=job.task_id).first()
            if result is not None and (result.status == TaskResultStatus.READY or (
                    result.status == TaskResultStatus.RUNNING and result.started_at and result.started_at >= cutoff)):
                continue  # waiting its turn, or being started now
            mine = job_model._base_manager.filter(pk=job.pk, status=StatusPekerjaan.ANTRE, task_id=job.task_id)
            if result is not None and result.status == TaskResultStatus.RUNNING:
                again = result.task.enqueue(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
                if mine.update(task_id=str(again.id)):
                    logger.warning("%s %s was taken by a worker that died; queued again", job_model._meta.label, job.pk)
                    handled += 1
            elif mine.update(status=StatusPekerjaan.GAGAL, pesan_galat=PESAN_TIDAK_DIJALANKAN, progres=100,
                             selesai=timezone.now()):
                logger.warning("%s %s: its task ended without starting it; failed", job_model._meta.label, job.pk)
                handled += 1
    return handled


def refresh_if_stale(job: Pekerjaan) -> Pekerjaan:
    """A page about to show one job: fail it first if its worker died, and show the stored state."""
    if job.macet and fail_stale(type(job)):
        job.refresh_from_db()
    return job
