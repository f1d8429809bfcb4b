"""Writes of the laporan app, one function per business event."""

import time

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from laporan import narasi
from laporan.models import KabKota, KomponenNilai, NarasiPaket, NilaiKabKota, PaketEvaluasi, Penilaian, SurveiPrevalensi
from laporan.pdf import render_pack
from tpps import jobs
from tpps.errors import UserError, full_clean
from tpps.roles import CHANGE, actor


# --- Ranking -------------------------------------------------------------------------------------


@transaction.atomic
def save_penilaian(tahun: int, rows: list[dict], komponen: list[dict] | None = None,
                   keterangan: str = "", skor_maksimum=None) -> Penilaian:
    """Record (or replace) one year's provincial assessment.

    `rows`: validated dicts {kab_kota: KabKota, skor: Decimal, peringkat: int}; all 38 or fewer.
    `komponen`: our city's component scores [{nama, bobot, skor, skor_maksimum}] or None to keep.
    Replaces the year's previous scores as a whole so ranks never collide halfway.
    """
    penilaian, _ = Penilaian.objects.update_or_create(
        tahun=tahun, defaults={"keterangan": keterangan, "skor_maksimum": skor_maksimum}
    )
    penilaian.nilai.all().delete()
    NilaiKabKota.objects.bulk_create(
        NilaiKabKota(penilaian=penilaian, kab_kota=r["kab_kota"], skor=r["skor"], peringkat=r["peringkat"])
        for r in rows
    )
    if komponen is not None:
        penilaian.komponen.all().delete()
        KomponenNilai.objects.bulk_create(
            KomponenNilai(penilaian=penilaian, urutan=i, nama=k["nama"], bobot=k.get("bobot"), skor=k.get("skor"),
                          skor_maksimum=k.get("skor_maksimum"))
            for i, k in enumerate(komponen, start=1)
        )
    return penilaian


def kab_kota_by_kode() -> dict[str, KabKota]:
    return {k.kode: k for k in KabKota.objects.all()}


# --- Evaluation pack -----------------------------------------------------------------------------


def request_pack(user, tahun: int) -> PaketEvaluasi:
    """Queue a new evaluation pack for `tahun`; the background worker builds it."""
    pack = PaketEvaluasi.objects.create(tahun=tahun, dibuat_oleh=user, langkah="Menunggu giliran")
    jobs.enqueue(pack, build_pack_task, pack.pk)
    return pack


@transaction.atomic
def retry_pack(pack: PaketEvaluasi, user) -> PaketEvaluasi:
    """Make a failed or cancelled pack again, in the same row (its history stays in the audit)."""
    pack = PaketEvaluasi.objects.select_for_update().get(pk=pack.pk)
    if pack.status not in (PaketEvaluasi.Status.GAGAL, PaketEvaluasi.Status.DIBATALKAN):
        raise UserError("Hanya paket yang gagal atau dibatalkan yang dapat diulang.")
    pack.status, pack.progres, pack.langkah, pack.pesan_galat = PaketEvaluasi.Status.ANTRE, 0, "Menunggu giliran", ""
    pack.mulai = pack.selesai = pack.detak = None
    pack.dibuat_oleh = user
    pack.save()
    jobs.enqueue(pack, build_pack_task, pack.pk)
    return pack


@transaction.atomic
def cancel_pack(pack: PaketEvaluasi, user) -> PaketEvaluasi:
    """Stop a pack that is queued or being made: a queued one is never started; a running one's
    result is discarded when it finishes (tpps.jobs: finish() refuses a settled job)."""
    pack = PaketEvaluasi.objects.select_for_update().get(pk=pack.pk)
    if not pack.berjalan:
        raise UserError("Hanya paket yang menunggu giliran atau sedang dibuat yang dapat dibatalkan.")
    pack.status, pack.langkah, pack.selesai = PaketEvaluasi.Status.DIBATALKAN, "Dibatalkan", timezone.now()
    pack.save()
    return pack


def build_pack(pack: PaketEvaluasi) -> PaketEvaluasi:
    """Render the PDF for `pack` and store it; on failure the pack is marked 'gagal'."""
    started = time.perf_counter()
    if not pack.start("Mulai"):
        return pack  # already taken by another run of the task
    # The pack page shows the failure in Indonesian; the worker logs the traceback.
    with pack.running("Paket evaluasi gagal dibuat karena kesalahan sistem; silakan buat ulang. "
                      "Jika terulang, hubungi Admin."):
        pdf_bytes, pages = render_pack(pack.tahun, progress=pack.set_progress)
        pack.berkas.save(pack.nama_berkas, ContentFile(pdf_bytes), save=False)
        pack.ukuran, pack.halaman = len(pdf_bytes), pages
        pack.durasi_detik = round(time.perf_counter() - started, 2)
        try:
            pack.finish()
        except jobs.PekerjaanLepas:
            pack.berkas.delete(save=False)  # cancelled or failed meanwhile: no file without its row
            raise
    return pack


@task()
def build_pack_task(pack_id: int) -> int:
    """The background job (django-tasks, `manage.py db_worker`): build one evaluation pack;
    returns its size in bytes. Defined beside the service it runs."""
    return build_pack(PaketEvaluasi.objects.get(pk=pack_id)).ukuran


# --- Survey prevalence ---------------------------------------------------------------------------


@transaction.atomic
def save_survei(data: dict, user, survei: SurveiPrevalensi | None = None) -> SurveiPrevalensi:
    """Record (or correct) one survey's prevalence for the city; one figure per year and source."""
    if not SurveiPrevalensi.objects.acts_on_all(user, CHANGE):
        raise PermissionDenied("Hanya DP3AP2KB yang mengisi angka survei.")
    survei = survei or SurveiPrevalensi()
    same = SurveiPrevalensi.objects.filter(tahun=data["tahun"], sumber__iexact=data["sumber"].strip())
    if survei.pk:
        same = same.exclude(pk=survei.pk)
    if same.exists():
        raise UserError(f"Angka {data['sumber'].strip()} untuk tahun {data['tahun']} sudah ada; ubah yang itu.", "sumber")
    survei.tahun, survei.sumber = data["tahun"], data["sumber"].strip()
    survei.prevalensi, survei.keterangan = data["prevalensi"], data.get("keterangan", "")
    full_clean(survei)
    survei.save()
    return survei


@transaction.atomic
def delete_survei(survei: SurveiPrevalensi, user) -> None:
    SurveiPrevalensi.objects.require(user, CHANGE, survei, "Hanya DP3AP2KB yang menghapus angka survei.")
    survei.delete()


# --- Narrative of the evaluation pack ---------------------------------------------------------------

NARASI_MAKS = 4000


def _check_narrative(user, kunci: str):
    if not NarasiPaket.objects.acts_on_all(user, CHANGE):
        raise PermissionDenied("Hanya sekretariat TPPS (Admin, Operator DP3AP2KB) yang menyunting ringkasan naratif.")
    if kunci not in narasi.KEYS:
        raise UserError("Paragraf ringkasan naratif tidak dikenal.")


@transaction.atomic
def save_narrative(user, tahun: int, kunci: str, teks: str, otomatis: str) -> NarasiPaket:
    """The operator's wording of one paragraph for `tahun`; `otomatis` is the automatic text as
    the operator saw it (kept so a later change of the figures shows as a stale edit)."""
    _check_narrative(user, kunci)
    teks = "\n\n".join(part.strip() for part in (teks or "").replace("\r\n", "\n").split("\n\n") if part.strip())
    if not teks:
        raise UserError("Teks paragraf tidak boleh kosong; pakai \"Kembalikan ke teks otomatis\" untuk teks bawaan.", "teks")
    if len(teks) > NARASI_MAKS:
        raise UserError(f"Teks paragraf terlalu panjang ({len(teks)} huruf; paling banyak {NARASI_MAKS}).", "teks")
    row, _ = NarasiPaket.objects.select_for_update().get_or_create(
        tahun=tahun, kunci=kunci, defaults={"teks": teks, "teks_otomatis": otomatis, "diubah_oleh": actor(user)})
    row.teks, row.teks_otomatis, row.diubah_oleh = teks, otomatis, actor(user)
    row.save()
    return row


@transaction.atomic
def revert_narrative(user, tahun: int, kunci: str) -> None:
    """Back to the automatic text: the edit is removed (the audit trail keeps it)."""
    _check_narrative(user, kunci)
    for row in NarasiPaket.objects.select_for_update().filter(tahun=tahun, kunci=kunci):
        row.delete()
