"""Writes of the management area: one function per event, atomic, refusing anyone without the
Admin role, tagged for the audit trail (`peristiwa`) and raising UserError for what the admin can
fix. The rows themselves are audited by their triggers (tpps/audit.py)."""

import pghistory
from django.core.exceptions import PermissionDenied
from django.db import transaction

from tpps.errors import UserError, full_clean
from tpps.models import PASSWORD_SET, LokusKelurahan, Opd, Penugasan, Posyandu, User
from tpps.roles import Role, access_for

USER_FIELDS = ("username", "first_name", "last_name", "email")


def _require_admin(actor):
    if not access_for(actor).has(Role.ADMIN):
        raise PermissionDenied("Hanya Admin yang boleh mengelola pengguna dan data acuan.")


def _check_username(username, exclude=None):
    taken = User.objects.filter(username__iexact=username)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise UserError(f"Nama pengguna “{username}” sudah dipakai.", "username")


def _another_active_admin_exists(user):
    return (Penugasan.objects.filter(peran=Role.ADMIN, user__is_active=True)
            .exclude(user=user).exists())


# --- Users ------------------------------------------------------------------------------------

@transaction.atomic
def create_user(actor, data: dict, password: str, assignment: dict | None = None) -> User:
    """A new active user with a password already checked by Django's validators and, when given,
    a first assignment (role with its OPD or area)."""
    _require_admin(actor)
    _check_username(data["username"])
    with pghistory.context(peristiwa="tambah_pengguna"):
        user = User(**{key: data.get(key, "") for key in USER_FIELDS})
        user.set_password(password)
        full_clean(user, exclude=["password"])
        user.save()
        if assignment:
            _add_assignment(user, assignment)
    return user


@transaction.atomic
def update_user(actor, user: User, data: dict) -> User:
    _require_admin(actor)
    _check_username(data["username"], exclude=user)
    with pghistory.context(peristiwa="ubah_pengguna"):
        for key in USER_FIELDS:
            setattr(user, key, data.get(key, ""))
        full_clean(user, exclude=["password"])
        user.save(update_fields=list(USER_FIELDS))
    return user


@transaction.atomic
def set_password(actor, user: User, password: str) -> None:
    """A new password set by the admin (already checked by Django's validators). The hash is not
    audited, so the event is recorded by hand."""
    _require_admin(actor)
    with pghistory.context(peristiwa="atur_kata_sandi"):
        user.set_password(password)
        user.save(update_fields=["password"])
        pghistory.create_event(user, label=PASSWORD_SET)


@transaction.atomic
def set_active(actor, user: User, aktif: bool) -> User:
    """Deactivate (never delete: their records keep their author) or reactivate a user."""
    _require_admin(actor)
    if not aktif:
        if user.pk == actor.pk:
            raise UserError("Anda tidak dapat menonaktifkan akun Anda sendiri.")
        if user.penugasan.filter(peran=Role.ADMIN).exists() and not _another_active_admin_exists(user):
            raise UserError("Pengguna ini Admin aktif terakhir; tetapkan Admin lain dahulu.")
    with pghistory.context(peristiwa="aktifkan_pengguna" if aktif else "nonaktifkan_pengguna"):
        user.is_active = aktif
        user.save(update_fields=["is_active"])
    return user


# --- Assignments ------------------------------------------------------------------------------

def _add_assignment(user, data):
    assignment = Penugasan(
        user=user, peran=data["peran"], opd=data.get("opd"), puskesmas=data.get("puskesmas"),
        kelurahan=data.get("kelurahan"),
    )
    full_clean(assignment)
    same = Penugasan.objects.filter(user=user, peran=assignment.peran, opd=assignment.opd,
                                    puskesmas=assignment.puskesmas, kelurahan=assignment.kelurahan)
    if same.exists():
        raise UserError(f"{user} sudah memiliki penugasan {assignment}.", "peran")
    assignment.save()
    return assignment


@transaction.atomic
def add_assignment(actor, user: User, data: dict) -> Penugasan:
    """One more role for `user` (rights add up), with the OPD or area the role needs."""
    _require_admin(actor)
    with pghistory.context(peristiwa="tambah_penugasan", pengguna=user.pk):
        return _add_assignment(user, data)


@transaction.atomic
def remove_assignment(actor, assignment: Penugasan) -> None:
    _require_admin(actor)
    user = assignment.user
    if assignment.peran == Role.ADMIN:
        others = user.penugasan.filter(peran=Role.ADMIN).exclude(pk=assignment.pk).exists()
        if not others and user.pk == actor.pk:
            raise UserError("Anda tidak dapat mencabut peran Admin Anda sendiri.")
        if not others and user.is_active and not _another_active_admin_exists(user):
            raise UserError("Ini peran Admin aktif terakhir; tetapkan Admin lain dahulu.")
    with pghistory.context(peristiwa="hapus_penugasan", pengguna=user.pk):
        assignment.delete()


# --- Posyandu -----------------------------------------------------------------------------------

def _check_posyandu_name(kelurahan, nama, exclude=None):
    same = Posyandu.objects.filter(kelurahan=kelurahan, nama__iexact=nama)
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise UserError(f"Posyandu {nama} sudah ada di Kelurahan {kelurahan}.", "nama")


@transaction.atomic
def create_posyandu(actor, kelurahan, nama: str) -> Posyandu:
    _require_admin(actor)
    nama = " ".join(nama.split())
    _check_posyandu_name(kelurahan, nama)
    with pghistory.context(peristiwa="tambah_posyandu"):
        posyandu = Posyandu(kelurahan=kelurahan, nama=nama)
        full_clean(posyandu)
        posyandu.save()
    return posyandu


@transaction.atomic
def update_posyandu(actor, posyandu: Posyandu, nama: str, aktif: bool) -> Posyandu:
    """Rename, deactivate or reactivate a posyandu. It stays in its kelurahan: its children and
    measurements were recorded there."""
    _require_admin(actor)
    nama = " ".join(nama.split())
    _check_posyandu_name(posyandu.kelurahan, nama, exclude=posyandu)
    peristiwa = "ubah_posyandu" if aktif == posyandu.aktif else (
        "aktifkan_posyandu" if aktif else "nonaktifkan_posyandu")
    with pghistory.context(peristiwa=peristiwa):
        posyandu.nama, posyandu.aktif = nama, aktif
        full_clean(posyandu)
        posyandu.save(update_fields=["nama", "aktif"])
    return posyandu


# --- Lokus kelurahan ------------------------------------------------------------------------------

@transaction.atomic
def add_lokus(actor, tahun: int, kelurahan) -> LokusKelurahan:
    _require_admin(actor)
    if LokusKelurahan.objects.filter(tahun=tahun, kelurahan=kelurahan).exists():
        raise UserError(f"Kelurahan {kelurahan} sudah menjadi lokus tahun {tahun}.", "kelurahan")
    with pghistory.context(peristiwa="tambah_lokus"):
        return LokusKelurahan.objects.create(tahun=tahun, kelurahan=kelurahan)


@transaction.atomic
def copy_lokus(actor, dari: int, ke: int) -> int:
    """Start year `ke` with the lokus of year `dari` (those not yet listed); returns how many."""
    _require_admin(actor)
    have = set(LokusKelurahan.objects.filter(tahun=ke).values_list("kelurahan_id", flat=True))
    source = LokusKelurahan.objects.filter(tahun=dari).exclude(kelurahan_id__in=have)
    if not LokusKelurahan.objects.filter(tahun=dari).exists():
        raise UserError(f"Belum ada kelurahan lokus tahun {dari} untuk disalin.")
    with pghistory.context(peristiwa="salin_lokus", dari=dari, ke=ke):
        rows = [LokusKelurahan(tahun=ke, kelurahan_id=k) for k in source.values_list("kelurahan_id", flat=True)]
        LokusKelurahan.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def remove_lokus(actor, lokus: LokusKelurahan) -> None:
    _require_admin(actor)
    with pghistory.context(peristiwa="hapus_lokus"):
        lokus.delete()


# --- OPD ------------------------------------------------------------------------------------------

@transaction.atomic
def save_opd(actor, opd: Opd) -> Opd:
    """A new OPD or changed names; the code (`kode`) is fixed once created: it names the OPD in
    imports and reference data."""
    _require_admin(actor)
    if Opd.objects.filter(kode=opd.kode).exclude(pk=opd.pk).exists():
        raise UserError(f"Kode {opd.kode} sudah dipakai OPD lain.", "kode")
    with pghistory.context(peristiwa="ubah_opd" if opd.pk else "tambah_opd"):
        full_clean(opd, validate_unique=False)
        opd.save()
    return opd
