"""Writes of rekomendasi: one atomic function per business event.

Each takes the acting user (SYSTEM for the demo and commands), refuses rows outside the user's
scope (`require`, tpps.roles) and raises tpps.errors.UserError for what the user can fix. The
audit trail is written by the pghistory triggers on every table. Files go only through the
shared upload check (`tpps.uploads.periksa_berkas`).
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from rekomendasi import measures
from rekomendasi.models import Inovasi, MitraInovasi, Rekomendasi, TindakLanjut
from tpps import uploads
from tpps.errors import UserError, full_clean
from tpps.roles import CHANGE, FOLLOW_UP, access_for, actor

SECRETARIAT_ONLY = "Hanya sekretariat TPPS (DP3AP2KB) yang mencatat rekomendasi provinsi."
NOT_YOURS = "Anda tidak berhak mengubah {}."


def _attach(row, berkas, written: list) -> None:
    """Check `berkas` by content and size and store it on `row` (not yet saved); the stored name
    goes to `written` so that the caller removes the file if the transaction fails."""
    try:
        info = uploads.periksa_berkas(berkas)
    except ValidationError as error:  # the shared upload check speaks Django's form error
        raise UserError.from_validation_error(error) from error
    row.nama_berkas = Path(berkas.name).name[:255]
    row.jenis_berkas = info.jenis
    row.mime = info.mime
    row.ukuran = info.ukuran
    row.sha256 = info.sha256
    row.berkas.save(f"berkas.{info.jenis}", berkas, save=False)
    written.append((row.berkas.storage, row.berkas.name))


def _removing_files_on_failure(write, *args):
    """Run the atomic `write(*args, written)`; files it stored are deleted if it raises."""
    written = []
    try:
        return write(*args, written)
    except Exception:
        for storage, name in written:
            storage.delete(name)
        raise


@transaction.atomic
def _save_recommendation(rekomendasi, opd, indikator, kegiatan, bukti, dokumen, user, written):
    if rekomendasi.pk:
        Rekomendasi.objects.require(user, CHANGE, rekomendasi, SECRETARIAT_ONLY)
    elif not Rekomendasi.objects.acts_on_all(user, CHANGE):
        raise PermissionDenied(SECRETARIAT_ONLY)
    if rekomendasi.angka_aplikasi and rekomendasi.angka_aplikasi not in measures.REGISTRY:
        raise UserError("Pilih angka dari daftar.", "angka_aplikasi")
    if not opd:
        raise UserError("Pilih minimal satu OPD penanggung jawab.", "opd")
    wrong_year = [k for k in kegiatan if k.tahun not in (rekomendasi.tahun, rekomendasi.tahun + 1)]
    if wrong_year:
        raise UserError(f"Kegiatan “{wrong_year[0]}” bukan rencana tahun {rekomendasi.tahun} atau {rekomendasi.tahun + 1}.", "kegiatan")
    if rekomendasi.dicatat_oleh_id is None and not rekomendasi.pk:
        rekomendasi.dicatat_oleh = actor(user)
    if dokumen is not None:
        _attach(rekomendasi, dokumen, written)
    full_clean(rekomendasi)
    rekomendasi.save()
    rekomendasi.opd.set(opd)
    rekomendasi.indikator.set(indikator)
    rekomendasi.kegiatan.set(kegiatan)
    rekomendasi.bukti.set(bukti)
    return rekomendasi


def save_recommendation(rekomendasi: Rekomendasi, *, opd, indikator=(), kegiatan=(), bukti=(), dokumen=None, user) -> Rekomendasi:
    """Record or change a recommendation with its links and (optionally) its source document."""
    return _removing_files_on_failure(_save_recommendation, rekomendasi, list(opd), list(indikator), list(kegiatan),
                                      list(bukti), dokumen, user)


@transaction.atomic
def delete_recommendation(rekomendasi: Rekomendasi, *, user) -> None:
    Rekomendasi.objects.require(user, CHANGE, rekomendasi, SECRETARIAT_ONLY)
    files = [(t.berkas.storage, t.berkas.name) for t in rekomendasi.tindak_lanjut.all() if t.berkas]
    if rekomendasi.berkas:
        files.append((rekomendasi.berkas.storage, rekomendasi.berkas.name))
    rekomendasi.delete()
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


@transaction.atomic
def _record_follow_up(rekomendasi, opd, data, berkas, user, written):
    Rekomendasi.objects.require(user, FOLLOW_UP, rekomendasi, "Rekomendasi ini bukan tanggung jawab OPD Anda.")
    if opd is None or not rekomendasi.opd.filter(pk=opd.pk).exists():
        raise UserError("Pilih OPD penanggung jawab rekomendasi ini.", "opd")
    if not (Rekomendasi.objects.acts_on_all(user, FOLLOW_UP) or opd.id in access_for(user).opd_ids):
        raise PermissionDenied(f"Anda tidak mencatat tindak lanjut atas nama {opd}.")
    tindak = TindakLanjut(
        rekomendasi=rekomendasi, opd=opd, uraian=(data.get("uraian") or "").strip(), tanggal=data.get("tanggal"),
        hasil=(data.get("hasil") or "").strip(), tuntas=bool(data.get("tuntas")), dicatat_oleh=actor(user),
    )
    if berkas is not None:
        _attach(tindak, berkas, written)
    full_clean(tindak)
    tindak.save()
    return tindak


def record_follow_up(rekomendasi: Rekomendasi, opd, data: dict, berkas=None, *, user) -> TindakLanjut:
    """One OPD's follow-up (what, when, result, evidence) on a recommendation linked to it."""
    return _removing_files_on_failure(_record_follow_up, rekomendasi, opd, data, berkas, user)


@transaction.atomic
def delete_follow_up(tindak: TindakLanjut, *, user) -> None:
    TindakLanjut.objects.require(user, CHANGE, tindak, NOT_YOURS.format("tindak lanjut ini"))
    storage, name = tindak.berkas.storage, tindak.berkas.name
    tindak.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def _save_innovation(inovasi, berkas, user, written):
    message = NOT_YOURS.format(f"inovasi {inovasi.opd}" if inovasi.opd_id else "inovasi ini")
    if inovasi.pk:
        Inovasi.objects.require(user, CHANGE, inovasi, message)
    if inovasi.dicatat_oleh_id is None and not inovasi.pk:
        inovasi.dicatat_oleh = actor(user)
    if berkas is not None:
        _attach(inovasi, berkas, written)
    full_clean(inovasi)
    inovasi.save()
    Inovasi.objects.require(user, CHANGE, inovasi, message)  # as stored (its OPD may have changed): rolls back
    return inovasi


def save_innovation(inovasi: Inovasi, berkas=None, *, user) -> Inovasi:
    """Record or change an innovation (an OPD only its own)."""
    return _removing_files_on_failure(_save_innovation, inovasi, berkas, user)


@transaction.atomic
def delete_innovation(inovasi: Inovasi, *, user) -> None:
    Inovasi.objects.require(user, CHANGE, inovasi, NOT_YOURS.format(f"inovasi {inovasi}"))
    storage, name = inovasi.berkas.storage, inovasi.berkas.name
    inovasi.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def add_partner(inovasi: Inovasi, nama: str, unsur: str, peran: str = "", *, user) -> MitraInovasi:
    Inovasi.objects.require(user, CHANGE, inovasi, NOT_YOURS.format(f"inovasi {inovasi}"))
    nama = (nama or "").strip()
    if inovasi.mitra.filter(nama__iexact=nama).exists():
        raise UserError(f"{nama} sudah tercatat sebagai mitra inovasi ini.", "nama")
    mitra = MitraInovasi(inovasi=inovasi, nama=nama, unsur=unsur, peran=(peran or "").strip())
    full_clean(mitra)
    try:
        with transaction.atomic():
            mitra.save()
    except IntegrityError as error:  # the same partner posted twice at once
        raise UserError(f"{nama} sudah tercatat sebagai mitra inovasi ini.", "nama") from error
    return mitra


@transaction.atomic
def remove_partner(mitra: MitraInovasi, *, user) -> None:
    Inovasi.objects.require(user, CHANGE, mitra.inovasi, NOT_YOURS.format(f"inovasi {mitra.inovasi}"))
    mitra.delete()
