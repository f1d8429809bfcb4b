"""Writes of the laporan app, one function per business event."""

import time

from django.db import connection, transaction

from laporan import summary
from laporan.models import (
    KabKota, KomponenNilai, NilaiKabKota, PaketEvaluasi, PembaruanRingkasan, Penilaian, RingkasanStatus,
)


def measurement_years() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(tanggal), max(tanggal) FROM balita_pengukuran")
        first, last = cursor.fetchone()
    return list(range(first.year, last.year + 1)) if first else []


@transaction.atomic
def refresh_summary(years=None) -> PembaruanRingkasan:
    """Rebuild the dashboard summary for `years` (an iterable of years; None = every year that
    has measurements). balita's import calls this after a batch; it is safe to call at any time
    and takes about a second per year at 1,000,000 measurements."""
    started = time.perf_counter()
    all_years = years is None
    years = measurement_years() if all_years else sorted({int(y) for y in years})
    # One refresh at a time: concurrent runs would insert the same keys.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('laporan.refresh_summary'))")
    stale = RingkasanStatus.objects.all() if all_years else RingkasanStatus.objects.filter(tahun__in=years)
    stale.delete()  # a single DELETE: the summary has no signals or relations
    rows = 0
    with connection.cursor() as cursor:
        # One big sort per year: keep it in memory; JIT compilation only adds time here.
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL jit = off")
        for params in summary.summary_params(years):
            cursor.execute(summary.SUMMARY_SQL, params)
            rows += cursor.rowcount
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM balita_pengukuran")
        measurements = cursor.fetchone()[0]
    return PembaruanRingkasan.objects.create(
        jumlah_pengukuran=measurements,
        tahun=", ".join(str(y) for y in years) or "–",
        baris=rows,
        durasi_detik=round(time.perf_counter() - started, 3),
    )


def queue_refresh(years=None):
    """Rebuild the summary in the background (django-tasks), unless a queued refresh already
    covers these years: an import of many batches then costs one refresh, not one each."""
    from django_tasks_db.models import DBTaskResult

    from laporan import tasks

    years = sorted({int(y) for y in years}) if years is not None else None
    waiting = DBTaskResult.objects.filter(task_path=tasks.refresh_summary_task.module_path, status="READY")
    for args_kwargs in waiting.values_list("args_kwargs", flat=True):
        queued = (args_kwargs.get("args") or [None])[0]
        if queued is None or (years is not None and set(years) <= set(queued)):
            return None
    return tasks.refresh_summary_task.enqueue(years)


def on_measurements_changed(sender, years=None, **kwargs):
    """Receiver of balita's `measurements_changed` (sent after the commit of a form entry, a
    merge or an import): refresh the touched years in the background."""
    queue_refresh(years)


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
    from laporan import tasks

    pack = PaketEvaluasi.objects.create(tahun=tahun, dibuat_oleh=user, langkah="Menunggu giliran")
    # Enqueue only once the row is visible to the worker.
    transaction.on_commit(lambda: _enqueue(tasks, pack))
    return pack


def _enqueue(tasks, pack):
    result = tasks.build_pack_task.enqueue(pack.pk)
    PaketEvaluasi.objects.filter(pk=pack.pk).update(task_id=str(result.id))


def build_pack(pack: PaketEvaluasi) -> PaketEvaluasi:
    """Render the PDF for `pack` and store it; on failure the pack is marked 'gagal'."""
    from django.core.files.base import ContentFile

    from laporan.pdf import render_pack

    started = time.perf_counter()
    if not pack.start("Mulai"):
        return pack  # already taken by another run of the task
    try:
        pdf_bytes, pages = render_pack(pack.tahun, progress=pack.set_progress)
    except Exception as error:  # the pack page shows the failure; the worker logs the traceback
        pack.fail(f"{type(error).__name__}: {error}")
        raise
    pack.berkas.save(pack.nama_berkas, ContentFile(pdf_bytes), save=False)
    pack.mark_done()
    pack.ukuran, pack.halaman = len(pdf_bytes), pages
    pack.durasi_detik = round(time.perf_counter() - started, 2)
    pack.save()
    return pack
