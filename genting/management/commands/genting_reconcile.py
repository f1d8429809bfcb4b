"""Check every invariant of the GENTING ledger; exit non-zero on any mismatch (for cron/monitoring)."""

from django.core.management.base import BaseCommand, CommandError

from genting import selectors
from genting.reconcile import CHECKS, reconcile
from tpps.formatting import rupiah
from tpps.roles import SYSTEM


class Command(BaseCommand):
    help = "Cocokkan buku besar GENTING: semua transaksi seimbang dan semua saldo sesuai dokumen."

    def handle(self, *args, **options):
        problems = reconcile()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Buku besar GENTING TIDAK cocok: {len(problems)} temuan.")
        totals = selectors.genting_totals(SYSTEM)
        self.stdout.write(
            f"{len(CHECKS)} pemeriksaan lolos. Masuk {rupiah(totals['masuk'])}, keluar {rupiah(totals['keluar'])}, "
            f"saldo {rupiah(totals['saldo'])}."
        )
        self.stdout.write(self.style.SUCCESS("Buku besar GENTING cocok sampai rupiah terakhir."))
