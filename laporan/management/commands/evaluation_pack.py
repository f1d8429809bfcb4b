"""Build the evaluation pack PDF from the command line (the same renderer as the web button)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand

from laporan import pdf, sources


class Command(BaseCommand):
    help = "Buat paket evaluasi PDF, mis. `evaluation_pack --year 2025 -o paket.pdf`."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="tahun kinerja (bawaan: tahun penilaian, seperti di halaman paket)")
        parser.add_argument("-o", "--output", default=None, help="berkas PDF keluaran")

    def handle(self, *args, year=None, output=None, **options):
        year = year or sources.assessment_year()
        output = Path(output or f"paket-evaluasi-{year}.pdf")
        started = time.perf_counter()
        content, pages = pdf.render_pack(year)
        output.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(
            f"{output}: {pages} halaman, {len(content) // 1024} KB, {time.perf_counter() - started:.1f} s"
        ))
