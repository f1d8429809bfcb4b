"""Rebuild the dashboard summary table from balita's measurements."""

from django.core.management.base import BaseCommand

from laporan import services


class Command(BaseCommand):
    help = "Hitung ulang ringkasan dasbor (semua tahun, atau --year 2025 --year 2026)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="hanya tahun ini (boleh berulang)")

    def handle(self, *args, year=None, **options):
        run = services.refresh_summary(year)
        self.stdout.write(self.style.SUCCESS(
            f"Ringkasan dasbor: {run.baris} baris untuk tahun {run.tahun} dalam {run.durasi_detik:.2f} s"
        ))
