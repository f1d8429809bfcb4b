"""The background worker as a service: runs `manage.py db_worker` and starts it again when it exits
(a database restart ends it, and so does a job's watchdog when the job hangs: JOB_WATCHDOG_EXIT),
fails jobs whose worker died (tpps.jobs.fail_stale) and queues again the jobs a dying worker had
taken but not started (tpps.jobs.requeue_orphans), at start-up and every half lease."""

import os
import signal
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connections

from tpps import jobs
from tpps.processes import Supervised, stop_on_signals


class Command(BaseCommand):
    help = ("Menjalankan pekerja latar (db_worker) dan memulainya lagi bila berhenti; pekerjaan yang "
            "pekerjanya mati ditandai gagal.")

    def add_arguments(self, parser):
        parser.add_argument("--tenggang", type=float, default=10.0,
                            help="detik menunggu pekerjaan yang sedang berjalan selesai saat dihentikan")
        parser.add_argument("--jeda-maks", type=float, default=30.0, help="jeda terlama sebelum memulai lagi (detik)")

    def handle(self, *, tenggang, jeda_maks, **options):
        stopping = stop_on_signals()
        # The first SIGTERM lets db_worker finish its task; the second fails the task (tpps.jobs
        # marks it "dihentikan") and ends the worker; after that its process group is killed.
        worker = Supervised("Pekerja latar", [sys.executable, str(settings.BASE_DIR / "manage.py"), "db_worker",
                                              "--no-reload", "--no-startup-delay"],
                            env={**os.environ, "JOB_WATCHDOG_EXIT": "true"},
                            max_backoff=jeda_maks, stop_signals=(signal.SIGTERM, signal.SIGTERM), grace=tenggang,
                            out=self.stderr.write)
        every = min(jobs.lease().total_seconds() / 2, 30)
        swept = None
        try:
            while not stopping.is_set():
                if swept is None or time.monotonic() - swept >= every:
                    self.sweep()
                    swept = time.monotonic()
                worker.check()
                stopping.wait(min(every, 1.0))
        finally:
            worker.stop()
            connections.close_all()

    def sweep(self):
        try:
            close_old_connections()
            jobs.fail_stale()
            jobs.requeue_orphans()
        except DatabaseError as error:
            self.stderr.write(f"Basis data belum dapat dihubungi; dicoba lagi ({error}).")
            connections.close_all()
