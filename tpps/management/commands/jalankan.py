"""`make run`: the whole application in one terminal, configured as in production — migrate, demo
data, static files, gunicorn and the background worker (`jalankan_pekerja`) — until Ctrl+C, which
stops the web server, the worker and the embedded PostgreSQL (restarted meanwhile if it dies)."""

import os
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from tpps import embedded_db
from tpps.processes import Supervised, stop_on_signals


class Command(BaseCommand):
    help = ("Menjalankan Pantau Stunting seperti di produksi (server web dan pekerja latar) sampai Ctrl+C, "
            "yang menghentikan semuanya, juga PostgreSQL tertanam.")

    def add_arguments(self, parser):
        parser.add_argument("--alamat", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--proses-web", type=int, default=2, help="jumlah proses gunicorn")
        parser.add_argument("--tanpa-demo", action="store_true", help="jangan memuat data demo")

    def handle(self, *, alamat, port, proses_web, tanpa_demo, **options):
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        if not tanpa_demo:
            call_command("demo_data")
        call_command("collectstatic", interactive=False, verbosity=0)
        connections.close_all()

        pgdata = settings.EMBEDDED_PGDATA
        env = dict(os.environ)
        if pgdata:
            # The children connect to the server this process owns, without joining or stopping it.
            env["DATABASE_URL"] = embedded_db.database_url(settings.DATABASES["default"])
        manage = str(settings.BASE_DIR / "manage.py")
        children = [
            Supervised("Server web", [sys.executable, "-m", "gunicorn", "tpps.wsgi", "--bind", f"{alamat}:{port}",
                                      "--workers", str(proses_web), "--timeout", "120", "--graceful-timeout", "5",
                                      # gunicorn's control socket (~/.gunicorn/gunicorn.ctl) is unused and
                                      # shared by every server of the user: a second one is refused.
                                      "--no-control-socket"],
                       env=env, out=self.stderr.write),
            Supervised("Pekerja latar", [sys.executable, manage, "jalankan_pekerja", "--tenggang", "5"], env=env,
                       grace=15, out=self.stderr.write),
        ]
        stopping = stop_on_signals()
        self.stdout.write(f"Pantau Stunting berjalan di http://{alamat}:{port}/ (Ctrl+C untuk berhenti)")
        try:
            while not stopping.is_set():
                if pgdata:
                    self.keep_database_up(pgdata)
                for child in children:
                    child.check()
                stopping.wait(1.0)
        finally:
            self.stdout.write("Menghentikan server web, pekerja latar" + (" dan PostgreSQL tertanam…" if pgdata else "…"))
            for child in children:
                child.begin_stop()
            for child in children:
                child.stop()
            if pgdata:
                connections.close_all()
                embedded_db.stop(pgdata)
            self.stdout.write("Pantau Stunting berhenti.")

    def keep_database_up(self, pgdata):
        if embedded_db.is_running(pgdata):
            return
        self.stderr.write("PostgreSQL tertanam berhenti; dimulai lagi.")
        try:
            embedded_db.ensure_running(pgdata)
        except Exception as error:  # noqa: BLE001 — keep supervising; the next tick tries again
            self.stderr.write(f"PostgreSQL tertanam belum dapat dimulai: {error}")
