"""Who may write sasaran data where: `check_*` raise PermissionDenied (Indonesian message),
`can_*` are the booleans pages use. Rows and kelurahan come from `for_user` (tpps.roles)."""

from django.core.exceptions import PermissionDenied

from sasaran.models import Catin, ImporSasaran, JenisImpor, KeluargaKrs, TtdRemajaPutri
from tpps.models import Kelurahan
from tpps.roles import CHANGE, access_for

MODELS = {JenisImpor.CATIN: Catin, JenisImpor.REMAJA: TtdRemajaPutri, JenisImpor.KRS: KeluargaKrs}


def writable_kelurahan(user, jenis) -> set:
    """Ids of the kelurahan where `user` may write rows of this kind (empty: none)."""
    ids = MODELS[jenis].objects.all().kelurahan_ids_for(user, CHANGE)
    return set(Kelurahan.objects.values_list("id", flat=True)) if ids is None else ids


def can_write(user, jenis) -> bool:
    return bool(writable_kelurahan(user, jenis))


def check_write(user, jenis, kelurahan_id=None):
    allowed = writable_kelurahan(user, jenis)
    if not allowed or (kelurahan_id is not None and kelurahan_id not in allowed):
        raise PermissionDenied("Anda tidak berwenang mencatat data ini untuk kelurahan tersebut.")


def check_import(user, batch: ImporSasaran):
    ImporSasaran.objects.require(user, CHANGE, batch, "Impor ini bukan milik Anda.")
    check_write(user, batch.jenis)
