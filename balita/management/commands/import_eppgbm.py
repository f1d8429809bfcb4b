"""`manage.py import_eppgbm FILE [--dry-run]`: import an e-PPGBM export (XLSX or CSV).

Prints one summary line, `rows=N children_new=N children_matched=N measurements_new=N
measurements_updated=N errors=N` (errors = rows with at least one error; the other counts cover
the valid rows only), then one line per error. `--dry-run` checks and counts but changes nothing.
A crash ends with one Indonesian line (and a failed batch), never a bare traceback.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from balita import services
from tpps.errors import UserError, command_error
from tpps.models import User
from tpps.roles import SYSTEM


class Command(BaseCommand):
    help = "Impor berkas ekspor e-PPGBM (XLSX/CSV): anak, pengukuran, z-skor WHO."

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas .xlsx atau .csv dari e-PPGBM")
        parser.add_argument("--dry-run", action="store_true", help="periksa dan hitung saja, tanpa menyimpan")
        parser.add_argument("--user", help="nama pengguna yang dicatat sebagai pengimpor (cakupan wilayahnya berlaku)")

    def handle(self, *args, file, dry_run, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas tidak ditemukan: {path}")
        importer = SYSTEM  # the whole city, unless --user names the importer
        if user:
            importer = User.objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"Pengguna {user} tidak ada.")
        try:
            batch, plan = services.import_file(path, dry_run=dry_run, user=importer)
        except UserError as error:
            raise command_error(error) from error
        except Exception as error:
            # An Indonesian line, not a traceback (`--traceback` shows it); nothing was stored.
            raise CommandError(f"Impor gagal karena kesalahan sistem ({type(error).__name__}); tidak ada data "
                               "yang tersimpan. Jalankan ulang dengan --traceback untuk rinciannya.") from error
        if batch is not None:
            self.stdout.write(batch.summary_line())
            errors = batch.galat.order_by("baris", "id").values_list("baris", "kolom", "nilai", "pesan")
        else:
            c = plan.counts()
            self.stdout.write(
                f"rows={c['baris']} children_new={c['anak_baru']} children_matched={c['anak_cocok']} "
                f"measurements_new={c['pengukuran_baru']} measurements_updated={c['pengukuran_diubah']} "
                f"errors={c['baris_galat']}"
            )
            errors = plan.errors[["baris", "kolom", "nilai", "pesan"]].itertuples(index=False)
        for row, column, value, message in errors:
            shown = f" [{value}]" if value else ""
            self.stdout.write(f"baris {row}, kolom {column}{shown}: {message}")
