"""`manage.py zscore INPUT -o OUTPUT`: add WHO z-scores and categories to an e-PPGBM-style file.

A thin face of `python -m balita.growth INPUT OUTPUT` (balita/growth/table.py), which needs no
database and no Django; manage.py hands `zscore` to it before Django starts (see manage.py), so
this class serves call_command() and `manage.py help`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from balita.growth import table
from tpps.errors import UserError, command_error


class Command(BaseCommand):
    help = "Hitung z-skor WHO (TB/U, BB/U, BB/TB, IMT/U) untuk berkas CSV/XLSX berkolom e-PPGBM."
    requires_system_checks = []  # reads and writes files only

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path)
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, input: Path, output: Path, **options):
        try:
            rows = table.run(input, output)
        except table.InputError as error:
            for message in error.details:
                self.stderr.write(message)
            raise command_error(UserError(error.message)) from error
        self.stdout.write(f"{rows} baris ditulis ke {output}")
