"""Writes of konvergensi: one atomic function per business event.

Each takes the acting user (SYSTEM for commands and the demo) and refuses with PermissionDenied
(Indonesian message) a row the user may not act on (`for_user(user, action)`, tpps.roles), so a
new view cannot forget; rows without an owner yet are checked as stored, inside the transaction.
They enforce the domain rules (validation, consistent state) and leave an audit trail through the
pghistory triggers on every table. User-fixable problems raise tpps.errors.UserError in Indonesian.
"""

from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from tpps import uploads
from tpps.errors import UserError, delete_unless_referenced, full_clean
from konvergensi.models import (
    Aksi,
    AksiTahunan,
    Bukti,
    Capaian,
    Indikator,
    IndikatorKegiatan,
    KeluaranAksi,
    LokusKegiatan,
    PenanggungJawabAksi,
    Penandatangan,
    RembukStunting,
    RencanaKegiatan,
    StatusAksi,
    StatusVerifikasi,
    TahunPenilaian,
    TargetIndikator,
    Verifikasi,
)
from tpps.roles import CHANGE, VERIFY, Role, access_for, actor

NOT_YOURS = "Anda tidak berhak mengubah {}."


@transaction.atomic
def open_year(tahun: int, *, user) -> TahunPenilaian:
    """Open a reporting year: its eight actions, copying responsible OPDs and expected outputs
    from the latest earlier year (statuses start at "belum mulai"). Idempotent."""
    year, _ = TahunPenilaian.objects.get_or_create(tahun=tahun)
    TahunPenilaian.objects.require(user, CHANGE, year, "Hanya sekretariat TPPS yang membuka tahun penilaian.")
    previous = TahunPenilaian.objects.filter(tahun__lt=tahun).order_by("-tahun").first()
    for aksi in Aksi.objects.all():
        tahunan, created = AksiTahunan.objects.get_or_create(aksi=aksi, tahun=tahun)
        if not created or previous is None:
            continue
        source = AksiTahunan.objects.filter(aksi=aksi, tahun=previous.tahun).first()
        if source is None:
            continue
        PenanggungJawabAksi.objects.bulk_create(
            PenanggungJawabAksi(aksi_tahunan=tahunan, opd_id=pj.opd_id) for pj in source.penanggung_jawab.all()
        )
        KeluaranAksi.objects.bulk_create(
            KeluaranAksi(aksi_tahunan=tahunan, nama=k.nama, keterangan=k.keterangan, wajib=k.wajib, urutan=k.urutan)
            for k in source.keluaran.all()
        )
    return year


@transaction.atomic
def set_assessment_date(tahun: int, tanggal, *, user) -> TahunPenilaian:
    year = TahunPenilaian.objects.select_for_update().get(tahun=tahun)
    TahunPenilaian.objects.require(user, CHANGE, year, "Hanya sekretariat TPPS yang mengatur tanggal penilaian.")
    year.tanggal_penilaian = tanggal
    year.save(update_fields=["tanggal_penilaian"])
    return year


@transaction.atomic
def update_action(aksi_tahunan: AksiTahunan, data: dict, opd=None, *, user) -> AksiTahunan:
    """Change status, dates and narrative (and, when `opd` is given, the responsible OPDs)."""
    AksiTahunan.objects.require(user, CHANGE, aksi_tahunan, NOT_YOURS.format(f"aksi {aksi_tahunan.aksi.nomor}"))
    if opd is not None:
        # Choosing who answers for an action is the secretariat's job (the year is theirs).
        year = TahunPenilaian.objects.filter(tahun=aksi_tahunan.tahun).first()
        TahunPenilaian.objects.require(user, CHANGE, year, "Hanya sekretariat TPPS yang menetapkan OPD penanggung jawab.")
    for field in ("status", "rencana_mulai", "rencana_selesai", "realisasi_mulai", "realisasi_selesai", "narasi"):
        if field in data:
            setattr(aksi_tahunan, field, data[field])
    try:
        full_clean(aksi_tahunan)
    except UserError:
        aksi_tahunan.refresh_from_db()  # leave the caller's object as stored
        raise
    aksi_tahunan.save()
    if opd is not None:
        if not opd:
            raise UserError("Pilih minimal satu OPD penanggung jawab.", "opd")
        aksi_tahunan.opd.set(opd)
    return aksi_tahunan


@transaction.atomic
def upload_evidence(aksi_tahunan: AksiTahunan, berkas, *, judul: str, user, keluaran=None, opd=None) -> Bukti:
    """Store one evidence file after checking its size and type by content.

    The file goes to private storage under a random name; the original name, size, SHA-256,
    uploader and time are kept. A first upload moves a "belum mulai" action to "berjalan".
    """
    AksiTahunan.objects.require(user, CHANGE, aksi_tahunan, NOT_YOURS.format(f"bukti aksi {aksi_tahunan.aksi.nomor}"))
    if opd is not None and not _acts_for(user, opd):
        raise PermissionDenied(f"Anda tidak mengunggah atas nama {opd}.")
    if keluaran is not None and keluaran.aksi_tahunan_id != aksi_tahunan.id:
        raise UserError("Dokumen yang dipilih bukan keluaran aksi ini.", "keluaran")
    if opd is not None and not aksi_tahunan.opd.filter(pk=opd.pk).exists():
        raise UserError(f"{opd} bukan penanggung jawab aksi ini.", "opd")
    try:
        info = uploads.periksa_berkas(berkas)
    except ValidationError as error:  # the shared upload check speaks Django's form error
        raise UserError.from_validation_error(error) from error
    original_name = Path(berkas.name).name
    bukti = Bukti(
        aksi_tahunan=aksi_tahunan,
        keluaran=keluaran,
        judul=((judul or "").strip() or original_name)[:200],
        nama_berkas=original_name[:255],
        jenis=info.jenis,
        mime=info.mime,
        ukuran=info.ukuran,
        sha256=info.sha256,
        opd=opd,
        diunggah_oleh=actor(user),
        diunggah_pada=timezone.now(),
    )
    bukti.berkas.save(f"bukti.{info.jenis}", berkas, save=False)
    try:
        bukti.save()
        if aksi_tahunan.status == StatusAksi.BELUM_MULAI:
            aksi_tahunan.status = StatusAksi.BERJALAN
            aksi_tahunan.save(update_fields=["status", "diubah"])
    except Exception:
        # The file was written first; do not leave it behind without its row.
        bukti.berkas.storage.delete(bukti.berkas.name)
        raise
    return bukti


@transaction.atomic
def verify_evidence(bukti: Bukti, status: str, komentar: str, user) -> Bukti:
    """DP3AP2KB's decision on one evidence document; a revision request needs a comment."""
    Bukti.objects.require(user, VERIFY, bukti, "Hanya DP3AP2KB yang memverifikasi bukti dukung.")
    if status not in (StatusVerifikasi.DITERIMA, StatusVerifikasi.PERLU_REVISI):
        raise UserError("Pilih diterima atau perlu revisi.", "status")
    komentar = (komentar or "").strip()
    if status == StatusVerifikasi.PERLU_REVISI and not komentar:
        raise UserError("Tulis apa yang harus diperbaiki OPD.", "komentar")
    bukti = Bukti.objects.select_for_update().get(pk=bukti.pk)
    now = timezone.now()
    bukti.status = status
    bukti.komentar = komentar
    bukti.diverifikasi_oleh = actor(user)
    bukti.diverifikasi_pada = now
    bukti.save(update_fields=["status", "komentar", "diverifikasi_oleh", "diverifikasi_pada"])
    Verifikasi.objects.create(bukti=bukti, status=status, komentar=komentar, oleh=actor(user), pada=now)
    return bukti


@transaction.atomic
def delete_evidence(bukti: Bukti, *, user) -> None:
    """Remove an evidence row; its file is removed once the deletion is committed. An OPD
    deletes its own action's evidence until it is accepted; the secretariat anything."""
    Bukti.objects.require(user, CHANGE, bukti, NOT_YOURS.format("bukti ini"))
    if bukti.status == StatusVerifikasi.DITERIMA:
        Bukti.objects.require(user, VERIFY, bukti, "Bukti yang sudah diterima hanya dapat dihapus DP3AP2KB.")
    storage, name = bukti.berkas.storage, bukti.berkas.name
    bukti.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def save_capaian(indikator, tahun: int, periode: str, data: dict, user) -> Capaian:
    """Create or update an indicator's achievement for one period (percentage computed)."""
    Indikator.objects.require(user, CHANGE, indikator, NOT_YOURS.format(f"capaian indikator {indikator.kode}"))
    capaian = Capaian.objects.select_for_update().filter(indikator=indikator, tahun=tahun, periode=periode).first()
    if capaian is None:
        capaian = Capaian(indikator=indikator, tahun=tahun, periode=periode)
    for field in ("pembilang", "penyebut", "nilai", "kendala", "upaya"):
        if field in data:
            setattr(capaian, field, data[field])
    if capaian.pembilang is not None and capaian.penyebut is not None:
        capaian.nilai = None  # recomputed from the ratio by clean()
    capaian.diisi_oleh = actor(user)
    full_clean(capaian)
    capaian.save()
    return capaian


@transaction.atomic
def set_target(indikator, tahun: int, nilai, *, user) -> TargetIndikator:
    Indikator.objects.require(user, CHANGE, indikator, NOT_YOURS.format(f"target indikator {indikator.kode}"))
    target, _ = TargetIndikator.objects.update_or_create(indikator=indikator, tahun=tahun, defaults={"nilai": nilai})
    return target


@transaction.atomic
def save_kegiatan(kegiatan, lokus=(), indikator=(), *, user):
    """Save a planned activity with its lokus kelurahan and the indicators it serves."""
    message = NOT_YOURS.format(f"kegiatan {kegiatan.opd}" if kegiatan.opd_id else "kegiatan ini")
    if kegiatan.pk:
        RencanaKegiatan.objects.require(user, CHANGE, kegiatan, message)
    full_clean(kegiatan)
    kegiatan.save()
    # As stored (its OPD may have changed): a refusal rolls the transaction back.
    RencanaKegiatan.objects.require(user, CHANGE, kegiatan, message)
    kegiatan.lokus.set(lokus)
    kegiatan.indikator.set(indikator)
    return kegiatan


@transaction.atomic
def delete_kegiatan(kegiatan, *, user) -> None:
    RencanaKegiatan.objects.require(user, CHANGE, kegiatan, NOT_YOURS.format("kegiatan ini"))
    LokusKegiatan.objects.filter(kegiatan=kegiatan).delete()
    IndikatorKegiatan.objects.filter(kegiatan=kegiatan).delete()
    kegiatan.delete()


@transaction.atomic
def save_rembuk(rembuk: RembukStunting, *, user) -> RembukStunting:
    message = NOT_YOURS.format(f"Rembuk Stunting {rembuk.tahun}")
    if rembuk.pk:
        RembukStunting.objects.require(user, CHANGE, rembuk, message)
    full_clean(rembuk)
    rembuk.save()
    RembukStunting.objects.require(user, CHANGE, rembuk, message)  # as stored; rolls back
    return rembuk


@transaction.atomic
def add_signatory(rembuk: RembukStunting, nama: str, jabatan: str, unsur: str, *, user) -> Penandatangan:
    RembukStunting.objects.require(user, CHANGE, rembuk, NOT_YOURS.format(f"Rembuk Stunting {rembuk.tahun}"))
    signatory = Penandatangan(rembuk=rembuk, nama=nama.strip(), jabatan=jabatan.strip(), unsur=unsur)
    full_clean(signatory)
    signatory.save()
    return signatory


@transaction.atomic
def remove_signatory(signatory: Penandatangan, *, user) -> None:
    rembuk = signatory.rembuk
    RembukStunting.objects.require(user, CHANGE, rembuk, NOT_YOURS.format(f"Rembuk Stunting {rembuk.tahun}"))
    signatory.delete()


# --- The indicator catalogue (Admin, on /kelola/indikator/) ---------------------------------------

CATALOGUE_ADMIN = "Hanya Admin yang mengelola katalog indikator."


def _require_catalogue_admin(user):
    if not access_for(user).has(Role.ADMIN):
        raise PermissionDenied(CATALOGUE_ADMIN)


@transaction.atomic
def save_indicator(indikator: Indikator, *, user) -> Indikator:
    """A new indicator of the catalogue, or its definition changed. Its code names it in
    imports and exports: unique, and fixed once saved (the form does not offer it again)."""
    _require_catalogue_admin(user)
    indikator.nama = " ".join(indikator.nama.split())
    if Indikator.objects.filter(kode=indikator.kode).exclude(pk=indikator.pk).exists():
        raise UserError(f"Kode {indikator.kode} sudah dipakai indikator lain.", "kode")
    if indikator.hitung_otomatis and indikator.satuan.strip() != "%":
        raise UserError("Capaian yang dihitung dari data balita berupa persentase: satuannya %.", "satuan")
    full_clean(indikator, validate_unique=False)
    indikator.save()
    return indikator


@transaction.atomic
def delete_indicator(indikator: Indikator, *, user) -> None:
    """Only an indicator without achievements or planned activities (its yearly targets go with
    it); one in use is made inactive instead, which keeps its history."""
    _require_catalogue_admin(user)
    delete_unless_referenced(indikator, f"Indikator “{indikator}”", own=(TargetIndikator,))


@transaction.atomic
def set_catalogue_target(indikator: Indikator, tahun: int, nilai, *, user) -> TargetIndikator:
    _require_catalogue_admin(user)
    if nilai is None or nilai < 0:
        raise UserError("Target tidak boleh negatif.", "nilai")
    if indikator.satuan.strip() == "%" and nilai > 100:
        raise UserError("Target persentase paling besar 100.", "nilai")
    return set_target(indikator, tahun, nilai, user=user)


@transaction.atomic
def remove_target(target: TargetIndikator, *, user) -> None:
    _require_catalogue_admin(user)
    target.delete()


def _acts_for(user, opd) -> bool:
    """May `user` file evidence on behalf of `opd`: the secretariat for any OPD, an OPD user
    for its own (the same rule as OPD-owned rows in tpps.roles)."""
    return Bukti.objects.acts_on_all(user, CHANGE) or opd.id in access_for(user).opd_ids
