"""Import a pregnant-women template (XLSX or CSV) for the whole city from the command line, or
only check it (--periksa): the same checks and the same all-or-nothing write as the page."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ibuhamil import importer
from tpps.errors import UserError, command_error
from tpps.roles import SYSTEM


class Command(BaseCommand):
    help = "Impor data ibu hamil dari templat XLSX/CSV (atau hanya periksa dengan --periksa)."

    def add_arguments(self, parser):
        parser.add_argument("berkas")
        parser.add_argument("--periksa", action="store_true", help="Hanya periksa; tidak menyimpan apa pun.")

    def handle(self, *args, **options):
        path = Path(options["berkas"])
        if not path.is_file():
            raise CommandError(f"Berkas {path} tidak ditemukan.")
        try:
            result = importer.check(path, path.name, SYSTEM)
            if not options["periksa"] and not result.errors:
                result = importer.apply(path, path.name, SYSTEM)
        except UserError as error:
            raise command_error(error) from error
        counts = result.counts
        self.stdout.write(f"rows={len(result.rows)} new={counts['baru']} changed={counts['ubah']} "
                          f"unchanged={counts['sama']} births={counts['persalinan']} errors={len(result.errors)}")
        for error in result.errors:
            self.stdout.write(str(error))
        for warning in result.warnings:
            self.stdout.write(warning)
        if result.errors:
            raise CommandError("Berkas memuat kesalahan; tidak ada data yang disimpan.")
