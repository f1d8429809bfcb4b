"""Writes of konvergensi: one atomic function per business event.

Permission is checked by the caller (views, through `konvergensi.policy`); these functions
enforce the domain rules (validation, consistent state) and leave an audit trail through the
pghistory triggers on every table. User-fixable problems raise tpps.errors.UserError in Indonesian.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tpps import uploads
from tpps.errors import UserError, full_clean
from konvergensi.models import (
    Aksi,
    AksiTahunan,
    Bukti,
    Capaian,
    IndikatorKegiatan,
    KeluaranAksi,
    LokusKegiatan,
    PenanggungJawabAksi,
    Penandatangan,
    RembukStunting,
    StatusAksi,
    StatusVerifikasi,
    TahunPenilaian,
    TargetIndikator,
    Verifikasi,
)


@transaction.atomic
def open_year(tahun: int) -> TahunPenilaian:
    """Open a reporting year: its eight actions, copying responsible OPDs and expected outputs
    from the latest earlier year (statuses start at "belum mulai"). Idempotent."""
    year, _ = TahunPenilaian.objects.get_or_create(tahun=tahun)
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
def set_assessment_date(tahun: int, tanggal) -> TahunPenilaian:
    year = TahunPenilaian.objects.select_for_update().get(tahun=tahun)
    year.tanggal_penilaian = tanggal
    year.save(update_fields=["tanggal_penilaian"])
    return year


@transaction.atomic
def update_action(aksi_tahunan: AksiTahunan, data: dict, opd=None) -> AksiTahunan:
    """Change status, dates and narrative (and, when `opd` is given, the responsible OPDs)."""
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
        diunggah_oleh=user,
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
    if status not in (StatusVerifikasi.DITERIMA, StatusVerifikasi.PERLU_REVISI):
        raise UserError("Pilih diterima atau perlu revisi.", "status")
    komentar = (komentar or "").strip()
    if status == StatusVerifikasi.PERLU_REVISI and not komentar:
        raise UserError("Tulis apa yang harus diperbaiki OPD.", "komentar")
    bukti = Bukti.objects.select_for_update().get(pk=bukti.pk)
    now = timezone.now()
    bukti.status = status
    bukti.komentar = komentar
    bukti.diverifikasi_oleh = user
    bukti.diverifikasi_pada = now
    bukti.save(update_fields=["status", "komentar", "diverifikasi_oleh", "diverifikasi_pada"])
    Verifikasi.objects.create(bukti=bukti, status=status, komentar=komentar, oleh=user, pada=now)
    return bukti


@transaction.atomic
def delete_evidence(bukti: Bukti) -> None:
    """Remove an evidence row; its file is removed once the deletion is committed."""
    storage, name = bukti.berkas.storage, bukti.berkas.name
    bukti.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def save_capaian(indikator, tahun: int, periode: str, data: dict, user) -> Capaian:
    """Create or update an indicator's achievement for one period (percentage computed)."""
    capaian = Capaian.objects.select_for_update().filter(indikator=indikator, tahun=tahun, periode=periode).first()
    if capaian is None:
        capaian = Capaian(indikator=indikator, tahun=tahun, periode=periode)
    for field in ("pembilang", "penyebut", "nilai", "kendala", "upaya"):
        if field in data:
            setattr(capaian, field, data[field])
    if capaian.pembilang is not None and capaian.penyebut is not None:
        capaian.nilai = None  # recomputed from the ratio by clean()
    capaian.diisi_oleh = user
    full_clean(capaian)
    capaian.save()
    return capaian


@transaction.atomic
def set_target(indikator, tahun: int, nilai) -> TargetIndikator:
    target, _ = TargetIndikator.objects.update_or_create(indikator=indikator, tahun=tahun, defaults={"nilai": nilai})
    return target


@transaction.atomic
def save_kegiatan(kegiatan, lokus=(), indikator=()):
    """Save a planned activity with its lokus kelurahan and the indicators it serves."""
    full_clean(kegiatan)
    kegiatan.save()
    kegiatan.lokus.set(lokus)
    kegiatan.indikator.set(indikator)
    return kegiatan


@transaction.atomic
def delete_kegiatan(kegiatan) -> None:
    LokusKegiatan.objects.filter(kegiatan=kegiatan).delete()
    IndikatorKegiatan.objects.filter(kegiatan=kegiatan).delete()
    kegiatan.delete()


@transaction.atomic
def save_rembuk(rembuk: RembukStunting) -> RembukStunting:
    full_clean(rembuk)
    rembuk.save()
    return rembuk


@transaction.atomic
def add_signatory(rembuk: RembukStunting, nama: str, jabatan: str, unsur: str) -> Penandatangan:
    signatory = Penandatangan(rembuk=rembuk, nama=nama.strip(), jabatan=jabatan.strip(), unsur=unsur)
    full_clean(signatory)
    signatory.save()
    return signatory


@transaction.atomic
def remove_signatory(signatory: Penandatangan) -> None:
    signatory.delete()
