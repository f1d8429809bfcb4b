"""Fill a believable Kota Kediri: the core's posyandu and users, then each app's demo data.

An app takes part by giving its AppConfig a `load_demo_data(stdout)` method; the command runs
them in INSTALLED_APPS order. Every step is idempotent, so `make run` can call this each time.
"""

import time

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection

from tpps import demo


class Command(BaseCommand):
    help = "Isi data contoh Kota Kediri (posyandu, pengguna demo, dan data tiap modul)."

    def handle(self, *args, **options):
        started = step = time.perf_counter()
        result = demo.load()
        self.stdout.write(f"Posyandu baru: {result['posyandu_new']} ({time.perf_counter() - step:.1f} detik)")
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo_data", None)
            if loader:
                step = time.perf_counter()
                loader(self.stdout)
                # Each step's time, so a slow first start shows which app's demo to look at.
                self.stdout.write(f"  [{config.label}: {time.perf_counter() - step:.1f} detik]")
        # Pages are served right after this load: planner statistics of the filled tables now, not
        # when autovacuum gets round to it (or never, on a server that runs with it off). Stale
        # statistics made the GENTING ledger sums take 15 ms instead of 4.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(
            f"Data contoh siap ({time.perf_counter() - started:.1f} detik). Akun demo (kata sandi sama untuk semua):"))
        for username, role in result["users"]:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(f"  kata sandi: {demo.DEMO_PASSWORD}")
