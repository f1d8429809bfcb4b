"""Who may write sasaran data where: `check_*` raise PermissionDenied (Indonesian message),
`can_*` are the booleans pages use. Rows and kelurahan come from `for_user` (tpps.roles)."""

from django.core.exceptions import PermissionDenied

from sasaran.models import (
    Catin, HealthOfficeQuerySet, ImporSasaran, JenisImpor, KeluargaKrs, TtdRemajaPutri, is_health_office,
)
from tpps.models import Kelurahan
from tpps.roles import CHANGE, access_for

MODELS = {JenisImpor.CATIN: Catin, JenisImpor.REMAJA: TtdRemajaPutri, JenisImpor.KRS: KeluargaKrs}


def writable_kelurahan(user, jenis) -> set:
    """Ids of the kelurahan where `user` may write rows of this kind (empty: none)."""
    model = MODELS[jenis]
    if model.objects.acts_on_all(user, CHANGE) or _health_office_writes(user, model):
        return set(Kelurahan.objects.values_list("id", flat=True))
    access = access_for(user)
    if CHANGE in model.objects.all().area_actions:
        return set(access.area_kelurahan_ids)
    return set()


def _health_office_writes(user, model) -> bool:
    """The health office changes catin and TTD rows city-wide (sasaran.models.HealthOfficeQuerySet)."""
    queryset = model.objects.all()
    return (isinstance(queryset, HealthOfficeQuerySet) and CHANGE in queryset.health_office_actions
            and is_health_office(access_for(user)))


def can_write(user, jenis) -> bool:
    return bool(writable_kelurahan(user, jenis))


def check_write(user, jenis, kelurahan_id=None):
    allowed = writable_kelurahan(user, jenis)
    if not allowed or (kelurahan_id is not None and kelurahan_id not in allowed):
        raise PermissionDenied("Anda tidak berwenang mencatat data ini untuk kelurahan tersebut.")


def check_import(user, batch: ImporSasaran):
    ImporSasaran.objects.require(user, CHANGE, batch, "Impor ini bukan milik Anda.")
    check_write(user, batch.jenis)
