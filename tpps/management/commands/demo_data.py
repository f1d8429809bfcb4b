"""Fill a believable Kota Kediri: the core's posyandu and users, then each app's demo data.

An app takes part by giving its AppConfig a `load_demo_data(stdout)` method; the command runs
them in INSTALLED_APPS order. Every step is idempotent, so `make run` can call this each time.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from tpps import demo


class Command(BaseCommand):
    help = "Isi data contoh Kota Kediri (posyandu, pengguna demo, dan data tiap modul)."

    def handle(self, *args, **options):
        result = demo.load()
        self.stdout.write(f"Posyandu baru: {result['posyandu_new']}")
        for config in apps.get_app_configs():
            loader = getattr(config, "load_demo_data", None)
            if loader:
                loader(self.stdout)
        self.stdout.write(self.style.SUCCESS("Data contoh siap. Akun demo (kata sandi sama untuk semua):"))
        for username, role in result["users"]:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write(f"  kata sandi: {demo.DEMO_PASSWORD}")
