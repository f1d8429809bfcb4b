"""Rebuild the nutrition figures (RingkasanGizi) and the data-quality report's monthly sums
(RingkasanMutu) from the children and measurements.

balita's services keep them fresh on every change; this is for after raw SQL or a restore.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from balita import summary


class Command(BaseCommand):
    help = "Hitung ulang ringkasan status gizi dan mutu data (semua tahun, atau --year 2025 --year 2026)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="hanya tahun ini (boleh berulang)")

    def handle(self, *args, year=None, **options):
        with transaction.atomic():
            run = summary.refresh(year)
        tahun = ", ".join(str(y) for y in run["tahun"]) or "–"
        self.stdout.write(self.style.SUCCESS(
            f"Ringkasan status gizi: {run['baris']} baris, ringkasan mutu data: {run['baris_mutu']} baris "
            f"untuk tahun {tahun} dalam {run['detik']:.2f} s"
        ))
