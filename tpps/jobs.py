"""Background jobs: the one set of state words, progress and timestamps that every job model shares
(balita's import batch, laporan's evaluation pack, and any later job), so pages, tests and code
speak of a job the same way."""

from contextlib import contextmanager

from django.db import models
from django.utils import timezone

from tpps.errors import UserError

# What a job that crashed tells its user (the worker's log has the traceback).
SYSTEM_FAILURE = "Pekerjaan gagal karena kesalahan sistem; tidak ada data yang tersimpan. Hubungi admin."


class StatusPekerjaan(models.TextChoices):
    ANTRE = "antre", "Menunggu giliran"
    BERJALAN = "berjalan", "Sedang dikerjakan"
    # A job that stopped halfway to let the user decide (the import's preview).
    MENUNGGU = "menunggu", "Menunggu keputusan"
    SELESAI = "selesai", "Selesai"
    DIBATALKAN = "dibatalkan", "Dibatalkan"
    GAGAL = "gagal", "Gagal"


# Progress is written many times a second and means nothing afterwards: keep it out of the audit trail.
AUDIT_EXCLUDE = ["progres", "langkah"]


class Pekerjaan(models.Model):
    """Abstract base of a job row: status, progress 0–100 with the current step, when it started and
    finished, and the message shown when it failed."""

    Status = StatusPekerjaan
    RUNNING = (StatusPekerjaan.ANTRE, StatusPekerjaan.BERJALAN)

    status = models.CharField(max_length=12, choices=StatusPekerjaan.choices, default=StatusPekerjaan.ANTRE)
    progres = models.PositiveSmallIntegerField("progres (%)", default=0)
    langkah = models.CharField(max_length=120, blank=True, help_text="langkah yang sedang dikerjakan")
    mulai = models.DateTimeField(null=True, blank=True)
    selesai = models.DateTimeField(null=True, blank=True)
    pesan_galat = models.TextField("pesan galat", blank=True, help_text="Alasan bila pekerjaan gagal.")

    class Meta:
        abstract = True

    @property
    def berjalan(self) -> bool:
        """Queued or running: the page keeps polling."""
        return self.status in self.RUNNING

    def set_progress(self, progres: int, langkah: str, *, connection=None):
        """Record progress with a single UPDATE of these two columns (never the whole row), so the
        job's other fields written meanwhile are not overwritten. A job that runs inside one long
        transaction passes a `connection` of its own, so pages see the progress while it runs."""
        self.progres, self.langkah = int(progres), langkah[:120]
        if connection is None:
            type(self)._base_manager.filter(pk=self.pk).update(progres=self.progres, langkah=self.langkah)
            return
        table = connection.ops.quote_name(self._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET progres = %s, langkah = %s WHERE id = %s",
                           [self.progres, self.langkah, self.pk])

    def start(self, langkah: str = "Mulai", **where):
        """Claim a queued job: True only for the one caller that moved it from antre to berjalan
        (a task delivered twice then runs once). `where` adds conditions on the row."""
        now = timezone.now()
        claimed = type(self)._base_manager.filter(pk=self.pk, status=StatusPekerjaan.ANTRE, **where).update(
            status=StatusPekerjaan.BERJALAN, mulai=now, progres=1, langkah=langkah)
        if claimed:
            self.status, self.mulai, self.progres, self.langkah = StatusPekerjaan.BERJALAN, now, 1, langkah
        return bool(claimed)

    def fail(self, pesan: str):
        """Mark the job failed with a message for the user; written by UPDATE so it also works after
        the job's own transaction was rolled back."""
        now = timezone.now()
        type(self)._base_manager.filter(pk=self.pk).update(
            status=StatusPekerjaan.GAGAL, pesan_galat=pesan, progres=100, selesai=now)
        self.status, self.pesan_galat, self.progres, self.selesai = StatusPekerjaan.GAGAL, pesan, 100, now

    @contextmanager
    def failing(self, pesan: str = SYSTEM_FAILURE):
        """The work of a started job: whatever it raises, the job ends gagal instead of staying
        "berjalan" forever. A UserError ends it with its own message and goes no further (check
        `status` after the block); any other exception ends it with `pesan` and is raised again,
        so the worker logs the traceback."""
        try:
            yield self
        except UserError as error:
            self.fail(str(error))
        except Exception:
            self.fail(pesan)
            raise

    def mark_done(self, langkah: str = "Selesai"):
        """Set the finished state on the instance; the caller saves it with its results."""
        self.status, self.progres, self.langkah, self.selesai = StatusPekerjaan.SELESAI, 100, langkah, timezone.now()
