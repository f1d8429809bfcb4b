"""Open, close and update every nutrition case from the stored measurements (kasus.derive), for
the whole city: after installing the app on a database with history, after raw SQL or a restore.
The services keep the cases fresh otherwise."""

from django.core.management.base import BaseCommand
from django.db import transaction

from kasus import derive


class Command(BaseCommand):
    help = "Perbarui kasus gizi dari semua pengukuran (buka, tutup, perkembangan)."

    def handle(self, *args, **options):
        with transaction.atomic():
            result = derive.refresh(None)
        self.stdout.write(f"opened={result['dibuka']} changed={result['diubah']} removed={result['dihapus']} "
                          f"seconds={result['detik']}")
