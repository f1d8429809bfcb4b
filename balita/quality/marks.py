"""The one write of the data-quality report: an operator marks a finding "sudah diperiksa,
benar" (checked, the record is right). Those who may change the child may mark it; the audit
trail (pghistory) keeps who and when, and so does the row itself for the page."""

import pghistory
from django.db import transaction

from balita.models import Anak, Pengukuran, TemuanDiperiksa
from balita.quality.findings import JENIS
from tpps.errors import UserError
from tpps.roles import CHANGE, actor


def mark_checked(user, *, jenis: str, kunci: str, anak_id, pengukuran_id=None, keterangan: str = "") -> TemuanDiperiksa:
    """Mark one finding checked and correct (again: nothing changes). Raises UserError for a
    malformed request and PermissionDenied when the user may not change the child."""
    if jenis not in JENIS or not kunci or len(kunci) > 120:
        raise UserError("Temuan tidak dikenal; muat ulang halaman mutu data.")
    anak = Anak.objects.filter(pk=anak_id).first() if str(anak_id or "").isdigit() else None
    Anak.objects.require(user, CHANGE, anak, "Anda tidak berhak memeriksa data anak ini.")
    pengukuran = None
    if pengukuran_id:
        pengukuran = Pengukuran.objects.filter(pk=pengukuran_id, anak=anak).first() if str(pengukuran_id).isdigit() else None
        # The key starts with the measurement's id (findings.py): a mark cannot land on another record.
        if pengukuran is None or not kunci.startswith(f"{pengukuran.pk}:"):
            raise UserError("Pengukuran temuan ini tidak ditemukan; muat ulang halaman mutu data.")
    elif str(anak.pk) not in kunci.replace("-", " ").split():
        raise UserError("Temuan ini bukan milik anak tersebut; muat ulang halaman mutu data.")
    with transaction.atomic(), pghistory.context(peristiwa="temuan_diperiksa", jenis=jenis):
        mark, _ = TemuanDiperiksa.objects.get_or_create(
            jenis=jenis, kunci=kunci,
            defaults={"anak": anak, "pengukuran": pengukuran, "keterangan": keterangan[:300],
                      "diperiksa_oleh": actor(user)},
        )
    return mark
