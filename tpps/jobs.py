"""Background jobs: the one set of state words, progress and timestamps that every job model shares
(balita's import batch, laporan's evaluation pack, and any later job), so pages, tests and code
speak of a job the same way; and how a job stays honest when its worker dies (heartbeat and lease)."""

import contextlib
import datetime
import logging
import threading

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models
from django.utils import timezone

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


# Progress and the heartbeat are written many times a minute and mean nothing afterwards: keep them
# out of the audit trail.
AUDIT_EXCLUDE = ["progres", "langkah", "detak"]

PESAN_PEKERJA_MATI = "Proses berhenti tanpa selesai (pekerja mati); silakan ulangi."
PESAN_DIHENTIKAN = "Proses dihentikan sebelum selesai (pekerja dimatikan); silakan ulangi."
PESAN_KESALAHAN_SISTEM = "Pekerjaan gagal karena kesalahan sistem; silakan ulangi. Jika terulang, hubungi Admin."


def lease() -> datetime.timedelta:
    """How long a running job may go without a heartbeat before it counts as dead: far longer than
    the beat (a sixth of it), so a busy database or a long step never fails a living job."""
    return datetime.timedelta(seconds=settings.JOB_LEASE_SECONDS)


class Pekerjaan(models.Model):
    """Abstract base of a job row: status, progress 0–100 with the current step, when it started and
    finished, its last heartbeat, and the message shown when it failed."""

    Status = StatusPekerjaan
    RUNNING = (StatusPekerjaan.ANTRE, StatusPekerjaan.BERJALAN)

    status = models.CharField(max_length=12, choices=StatusPekerjaan.choices, default=StatusPekerjaan.ANTRE)
    progres = models.PositiveSmallIntegerField("progres (%)", default=0)
    langkah = models.CharField(max_length=120, blank=True, help_text="langkah yang sedang dikerjakan")
    mulai = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(null=True, blank=True)
    # Written by the running job's process every few seconds (tpps.jobs.Heartbeat) and at each
    # progress step: a job "berjalan" whose heartbeat is older than the lease lost its worker.
    detak = models.DateTimeField("detak terakhir", null=True, blank=True)
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
        type(self)._base_manager.filter(pk=self.pk).update(
            status=StatusPekerjaan.GAGAL, pesan_galat=pesan, progres=100, selesai=now)
        self.status, self.pesan_galat, self.progres, self.selesai = StatusPekerjaan.GAGAL, pesan, 100, now

    def mark_done(self, langkah: str = "Selesai"):
        """Set the finished state on the instance; the caller saves it with its results."""
        self.status, self.progres, self.langkah, self.selesai = StatusPekerjaan.SELESAI, 100, langkah, timezone.now()

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
    visible."""

    def __init__(self, job: Pekerjaan):
        self.job = job
        self.interval = max(lease().total_seconds() / 6, 0.1)
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
                    with self.connection.cursor() as cursor:
                        cursor.execute(sql, [timezone.now(), self.job.pk, StatusPekerjaan.BERJALAN])
                except DatabaseError:
                    # The database restarted or is busy: try again with a new connection next beat.
                    logger.warning("heartbeat of %s %s not written", self.job._meta.label, self.job.pk)
                    self._close()
        finally:
            self._close()

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
    failed = 0
    for job_model in [model] if model else job_models():
        stale = (models.Q(detak__lt=cutoff) | models.Q(detak__isnull=True, mulai__lt=cutoff)
                 | models.Q(detak__isnull=True, mulai__isnull=True))
        count = job_model._base_manager.filter(stale, status=StatusPekerjaan.BERJALAN).update(
            status=StatusPekerjaan.GAGAL, pesan_galat=PESAN_PEKERJA_MATI, progres=100, selesai=now)
        if count:
            logger.warning("%d %s job(s) lost their worker and were marked failed", count, job_model._meta.label)
        failed += count
    return failed


def refresh_if_stale(job: Pekerjaan) -> Pekerjaan:
    """A page about to show one job: fail it first if its worker died, and show the stored state."""
    if job.macet and fail_stale(type(job)):
        job.refresh_from_db()
    return job
