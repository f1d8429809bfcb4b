"""Writes of the management area: one function per event, atomic, refusing anyone without the
Admin role, tagged for the audit trail (`peristiwa`) and raising UserError for what the admin can
fix. The rows themselves are audited by their triggers (tpps/audit.py)."""

import pghistory
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_ipv46_address
from django.db import transaction

from tpps.errors import UserError, delete_unless_referenced, full_clean
from tpps.models import (
    PASSWORD_SET,
    WORKING_AREA_SET,
    Kecamatan,
    Kelurahan,
    LokusKelurahan,
    Opd,
    PejabatTpps,
    PembukaanKunci,
    Penugasan,
    Posyandu,
    Puskesmas,
    User,
)
from tpps.roles import CHANGE, Role, access_for

USER_FIELDS = ("username", "first_name", "last_name", "email")


def require_admin(actor):
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
    require_admin(actor)
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
    require_admin(actor)
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
    require_admin(actor)
    with pghistory.context(peristiwa="atur_kata_sandi"):
        user.set_password(password)
        user.save(update_fields=["password"])
        pghistory.create_event(user, label=PASSWORD_SET)


@transaction.atomic
def set_active(actor, user: User, aktif: bool) -> User:
    """Deactivate (never delete: their records keep their author) or reactivate a user."""
    require_admin(actor)
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
    require_admin(actor)
    with pghistory.context(peristiwa="tambah_penugasan", pengguna=user.pk):
        return _add_assignment(user, data)


@transaction.atomic
def remove_assignment(actor, assignment: Penugasan) -> None:
    require_admin(actor)
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
    require_admin(actor)
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
    require_admin(actor)
    nama = " ".join(nama.split())
    _check_posyandu_name(posyandu.kelurahan, nama, exclude=posyandu)
    peristiwa = "ubah_posyandu" if aktif == posyandu.aktif else (
        "aktifkan_posyandu" if aktif else "nonaktifkan_posyandu")
    with pghistory.context(peristiwa=peristiwa):
        posyandu.nama, posyandu.aktif = nama, aktif
        full_clean(posyandu)
        posyandu.save(update_fields=["nama", "aktif"])
    return posyandu


@transaction.atomic
def delete_posyandu(actor, posyandu: Posyandu) -> None:
    """Only a posyandu nothing refers to (entered by mistake); one with children or measurements
    is deactivated instead."""
    require_admin(actor)
    with pghistory.context(peristiwa="hapus_posyandu"):
        delete_unless_referenced(posyandu, str(posyandu))


# --- Lokus kelurahan ------------------------------------------------------------------------------

@transaction.atomic
def add_lokus(actor, tahun: int, kelurahan) -> LokusKelurahan:
    require_admin(actor)
    if LokusKelurahan.objects.filter(tahun=tahun, kelurahan=kelurahan).exists():
        raise UserError(f"Kelurahan {kelurahan} sudah menjadi lokus tahun {tahun}.", "kelurahan")
    with pghistory.context(peristiwa="tambah_lokus"):
        return LokusKelurahan.objects.create(tahun=tahun, kelurahan=kelurahan)


@transaction.atomic
def copy_lokus(actor, dari: int, ke: int) -> int:
    """Start year `ke` with the lokus of year `dari` (those not yet listed); returns how many."""
    require_admin(actor)
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
    require_admin(actor)
    with pghistory.context(peristiwa="hapus_lokus"):
        lokus.delete()


# --- OPD ------------------------------------------------------------------------------------------

@transaction.atomic
def save_opd(actor, opd: Opd) -> Opd:
    """A new OPD or changed names; the code (`kode`) is fixed once created: it names the OPD in
    imports and reference data."""
    require_admin(actor)
    if Opd.objects.filter(kode=opd.kode).exclude(pk=opd.pk).exists():
        raise UserError(f"Kode {opd.kode} sudah dipakai OPD lain.", "kode")
    with pghistory.context(peristiwa="ubah_opd" if opd.pk else "tambah_opd"):
        full_clean(opd, validate_unique=False)
        opd.save()
    return opd


@transaction.atomic
def delete_opd(actor, opd: Opd) -> None:
    require_admin(actor)
    with pghistory.context(peristiwa="hapus_opd"):
        delete_unless_referenced(opd, f"OPD {opd}")


# --- Areas: kecamatan, kelurahan, puskesmas ---------------------------------------------------------

def _check_unique(model, label, exclude, **lookup):
    field, value = next(iter(lookup.items()))
    same = model.objects.filter(**{f"{field}__iexact": value})
    if exclude is not None and exclude.pk:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise UserError(f"{label} “{value}” sudah dipakai {same.first()}.", field)


@transaction.atomic
def save_kecamatan(actor, kecamatan: Kecamatan) -> Kecamatan:
    require_admin(actor)
    kecamatan.nama, kecamatan.kode = " ".join(kecamatan.nama.split()), kecamatan.kode.strip()
    _check_unique(Kecamatan, "Kode", kecamatan, kode=kecamatan.kode)
    _check_unique(Kecamatan, "Nama", kecamatan, nama=kecamatan.nama)
    with pghistory.context(peristiwa="ubah_kecamatan" if kecamatan.pk else "tambah_kecamatan"):
        full_clean(kecamatan, validate_unique=False)
        kecamatan.save()
    return kecamatan


@transaction.atomic
def delete_kecamatan(actor, kecamatan: Kecamatan) -> None:
    require_admin(actor)
    with pghistory.context(peristiwa="hapus_kecamatan"):
        delete_unless_referenced(kecamatan, f"Kecamatan {kecamatan}")


@transaction.atomic
def save_kelurahan(actor, kelurahan: Kelurahan) -> Kelurahan:
    """A new kelurahan or corrected names and codes. Its kode must start with its kecamatan's
    (Kemendagri: 35.71.03.1007 lies in 35.71.03)."""
    require_admin(actor)
    kelurahan.nama, kelurahan.kode = " ".join(kelurahan.nama.split()), kelurahan.kode.strip()
    _check_unique(Kelurahan, "Kode", kelurahan, kode=kelurahan.kode)
    same = Kelurahan.objects.filter(kecamatan=kelurahan.kecamatan, nama__iexact=kelurahan.nama).exclude(pk=kelurahan.pk)
    if same.exists():
        raise UserError(f"Kelurahan {kelurahan.nama} sudah ada di Kecamatan {kelurahan.kecamatan}.", "nama")
    if not kelurahan.kode.startswith(f"{kelurahan.kecamatan.kode}."):
        raise UserError(f"Kode kelurahan di Kecamatan {kelurahan.kecamatan} diawali {kelurahan.kecamatan.kode}., "
                        f"misalnya {kelurahan.kecamatan.kode}.1001.", "kode")
    with pghistory.context(peristiwa="ubah_kelurahan" if kelurahan.pk else "tambah_kelurahan"):
        full_clean(kelurahan, validate_unique=False, validate_constraints=False)
        kelurahan.save()
    return kelurahan


@transaction.atomic
def delete_kelurahan(actor, kelurahan: Kelurahan) -> None:
    require_admin(actor)
    with pghistory.context(peristiwa="hapus_kelurahan"):
        delete_unless_referenced(kelurahan, f"Kelurahan {kelurahan}")


@transaction.atomic
def save_puskesmas(actor, puskesmas: Puskesmas, wilayah_kerja) -> Puskesmas:
    """A puskesmas with its working area (the kelurahan whose children its operators see). A
    kelurahan may lie in one puskesmas's area only; the change of area is recorded as its own
    event, as the many-to-many table has no trigger."""
    require_admin(actor)
    puskesmas.nama = " ".join(puskesmas.nama.split())
    _check_unique(Puskesmas, "Nama", puskesmas, nama=puskesmas.nama)
    wilayah_kerja = list(wilayah_kerja)
    if not wilayah_kerja:
        raise UserError("Pilih minimal satu kelurahan wilayah kerja.", "kelurahan")
    taken = (Puskesmas.kelurahan.through.objects.filter(kelurahan__in=wilayah_kerja)
             .exclude(puskesmas_id=puskesmas.pk).select_related("puskesmas", "kelurahan").order_by("kelurahan__nama"))
    if taken:
        listed = ", ".join(f"{row.kelurahan} ({row.puskesmas})" for row in taken)
        raise UserError(f"Kelurahan ini sudah masuk wilayah kerja puskesmas lain: {listed}. "
                        "Lepaskan dahulu dari puskesmas itu.", "kelurahan")
    before = sorted(str(k) for k in puskesmas.kelurahan.all()) if puskesmas.pk else []
    after = sorted(str(k) for k in wilayah_kerja)
    with pghistory.context(peristiwa="ubah_puskesmas" if puskesmas.pk else "tambah_puskesmas"):
        full_clean(puskesmas, validate_unique=False)
        puskesmas.save()
    if before != after:
        with pghistory.context(peristiwa="ubah_wilayah_kerja", sebelum=before, sesudah=after):
            puskesmas.kelurahan.set(wilayah_kerja)
            pghistory.create_event(puskesmas, label=WORKING_AREA_SET)
    return puskesmas


@transaction.atomic
def delete_puskesmas(actor, puskesmas: Puskesmas) -> None:
    """Only a puskesmas no operator is assigned to; its working area goes with it."""
    require_admin(actor)
    with pghistory.context(peristiwa="hapus_puskesmas"):
        delete_unless_referenced(puskesmas, str(puskesmas), own=(Puskesmas,))


# --- Login lockouts ---------------------------------------------------------------------------------

@transaction.atomic
def unlock(actor, *, username: str | None = None, alamat: str | None = None) -> PembukaanKunci:
    """Lift a lockout: every failed attempt of `username` from `alamat` (both given: one pair), or
    of a whole address (`alamat` only: the limit per address across usernames). The failures are
    forgotten, as after a successful login; a PembukaanKunci row (audited) says who did it."""
    require_admin(actor)
    if not username and not alamat:
        raise UserError("Pilih kunci yang akan dibuka.")
    if alamat:
        try:
            validate_ipv46_address(alamat)
        except ValidationError:
            raise UserError(f"“{alamat[:50]}” bukan alamat IP.", "alamat") from None
    attempts = AccessAttempt.objects.filter(ip_address=alamat) if alamat else AccessAttempt.objects.all()
    if username:
        attempts = attempts.filter(username=username)
    rows = list(attempts.select_for_update())
    if not rows:
        raise UserError("Kunci ini sudah tidak ada (sudah dibuka atau sudah kedaluwarsa).")
    with pghistory.context(peristiwa="buka_kunci_masuk"):
        record = PembukaanKunci.objects.create(
            oleh=actor, nama_pengguna=username or "", alamat=alamat or None,
            gagal=sum(row.failures_since_start for row in rows),
        )
        AccessAttempt.objects.filter(pk__in=[row.pk for row in rows]).delete()
    return record


@transaction.atomic
def save_officials(actor, officials: list[PejabatTpps]) -> list[PejabatTpps]:
    """The Ketua and Sekretaris TPPS who sign the evaluation pack (one row per role)."""
    if not PejabatTpps.objects.acts_on_all(actor, CHANGE):
        raise PermissionDenied("Hanya Admin yang mengatur pejabat penanda tangan.")
    with pghistory.context(peristiwa="ubah_pejabat_tpps"):
        for official in officials:
            full_clean(official, validate_unique=False)
            official.save()
    return officials
