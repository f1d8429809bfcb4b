"""Writes of the balita app, one atomic function per business event.

- record_measurement: a measurement entered on the form (z-scores by the engine, weight trend).
- register_child / update_child: a child entered or corrected on the form.
- merge_children: two records of one child become one.
- start_import / check_import / confirm_import / cancel_import / run_import: an e-PPGBM file from
  upload through preview to the import itself (checking and importing run in the background).
- import_file: the command line's import (or dry run) of one file, in the foreground.

The audit trail is written by database triggers (tpps.audit) for every row, bulk or not; these
functions add who and why through pghistory.context.
"""

from __future__ import annotations

import datetime
import logging
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pghistory
import pghistory.models
from django.apps import apps
from django.core.files import File
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.utils import timezone
from django_tasks import task

from balita import bulk, summary
from balita.growth import engine
from balita.importers import eppgbm, identity, reading
from balita.importers.plan import PREVIEW_FIELDS
from balita.models import Anak, ImporBatch, ImporGalat, Pengukuran, TinjauanIdentitas
from balita.signals import measurements_changed
from tpps import jobs
from tpps.errors import UserError
from tpps.models import Kelurahan, Posyandu
from tpps.roles import CHANGE, SYSTEM, actor

logger = logging.getLogger(__name__)


class BalitaError(UserError):
    """A problem with children's data the user can fix (message in Bahasa Indonesia, `field` the input)."""


def _writable_kelurahan_ids(user) -> set:
    """Kelurahan where `user` may write children's data (the importer refuses rows elsewhere)."""
    return set(Kelurahan.objects.for_user(user, CHANGE).values_list("id", flat=True))


def _check_child(anak: Anak, user):
    if not Anak.objects.for_user(user, CHANGE).filter(pk=anak.pk).exists():
        raise BalitaError(f"Data {anak.nama} di luar wilayah kerja Anda.")


def _figures_changed(years=None, kelurahan_ids=None):
    """Rebuild the figures the change touched inside this transaction (so no page ever reads
    figures older than the data), let other apps update what they derive from measurements in
    the same transaction, and tell them once it commits. years=None: every year (a child's birth
    date or area moves its denominators across years)."""
    rebuilt = summary.refresh(years, kelurahan_ids)["tahun"]
    _run_measurement_hooks(kelurahan_ids)
    touched = sorted({int(y) for y in years if y}) if years is not None else rebuilt
    if touched:
        transaction.on_commit(lambda: measurements_changed.send(sender=Pengukuran, years=touched))


def _run_measurement_hooks(kelurahan_ids):
    """Call every app's `measurements_refreshed(kelurahan_ids)` (AppConfig method; None = the
    whole city), each in a savepoint: what another app derives (e.g. kasus opening cases) must
    never block or fail the entry or import that changed the data, so its failure is logged and
    rolled back alone. balita imports no app; apps register by defining the method."""
    for config in apps.get_app_configs():
        hook = getattr(config, "measurements_refreshed", None)
        if hook is None:
            continue
        try:
            with transaction.atomic():
                hook(None if kelurahan_ids is None else set(kelurahan_ids))
        except Exception:  # noqa: BLE001 - isolation of a secondary consumer, logged loudly
            logger.exception("measurements_refreshed of %s failed; the measurements are kept", config.name)


# --- Form entry -------------------------------------------------------------------------------


@dataclass
class MeasurementInput:
    tanggal: datetime.date
    berat: Decimal | None = None
    tinggi: Decimal | None = None
    cara_ukur: str = ""
    lila: Decimal | None = None
    lingkar_kepala: Decimal | None = None
    posyandu: Posyandu | None = None
    asi_eksklusif: bool | None = None


def preview_measurement(anak: Anak, data: MeasurementInput) -> dict:
    """What the engine makes of these numbers for this child (the form's live preview)."""
    return engine.compute_one(
        jenis_kelamin=anak.jenis_kelamin,
        tanggal_lahir=anak.tanggal_lahir,
        tanggal=data.tanggal,
        berat=None if data.berat is None else float(data.berat),
        tinggi=None if data.tinggi is None else float(data.tinggi),
        cara_ukur=data.cara_ukur,
    )


@transaction.atomic
def record_measurement(anak: Anak, data: MeasurementInput, user) -> Pengukuran:
    """Store one measurement entered on the form, with its z-scores, categories, flags and the
    weight trend (see bulk.refresh_weight_trend for the N/T rule; the next measurement's trend is
    recomputed too)."""
    _check_child(anak, user)
    result = _measurement_rules(anak, data)
    with pghistory.context(peristiwa="catat_pengukuran"):
        measurement = Pengukuran.objects.create(
            anak=anak,
            tanggal=data.tanggal,
            berat=data.berat,
            tinggi=data.tinggi,
            cara_ukur=data.cara_ukur,
            lila=data.lila,
            lingkar_kepala=data.lingkar_kepala,
            asi_eksklusif=data.asi_eksklusif,
            posyandu=data.posyandu or anak.posyandu,
            kelurahan=anak.kelurahan,
            dicatat_oleh=actor(user),
            sumber=Pengukuran.Sumber.FORM,
            **result,
        )
        bulk.refresh_weight_trend([anak.id])
    measurement.refresh_from_db()
    _figures_changed([data.tanggal.year], {anak.kelurahan_id})
    return measurement


def _measurement_rules(anak: Anak, data: MeasurementInput, *, exclude=None) -> dict:
    """The checks every stored measurement passes (entry and correction); returns the engine's
    result for it."""
    if data.tanggal < anak.tanggal_lahir:
        raise BalitaError("Tanggal pengukuran sebelum tanggal lahir anak.", "tanggal")
    if data.tanggal > timezone.localdate():
        raise BalitaError("Tanggal pengukuran tidak boleh di masa depan.", "tanggal")
    if data.berat is None and data.tinggi is None:
        raise BalitaError("Isi berat, tinggi, atau keduanya.", "berat")
    same_day = Pengukuran.objects.filter(anak=anak, tanggal=data.tanggal)
    if exclude is not None:
        same_day = same_day.exclude(pk=exclude.pk)
    if same_day.exists():
        raise BalitaError("Anak ini sudah punya pengukuran pada tanggal tersebut.", "tanggal")
    result = preview_measurement(anak, data)
    if result["umur_bulan"] is None or result["umur_bulan"] >= 60:
        raise BalitaError("Umur anak pada tanggal ini 60 bulan atau lebih: bukan balita lagi.", "tanggal")
    return result


# Shortest reason accepted for a correction: a word or two that a reviewer can act on.
MIN_ALASAN = 5


def _reason(alasan: str) -> str:
    alasan = " ".join((alasan or "").split())
    if len(alasan) < MIN_ALASAN:
        raise BalitaError("Tulis alasan koreksi (paling sedikit 5 huruf), mis. \"salah ketik tinggi\".", "alasan")
    return alasan


@transaction.atomic
def correct_measurement(measurement: Pengukuran, data: MeasurementInput, alasan: str, user) -> Pengukuran:
    """A measurement saved by mistake, corrected: new values and z-scores, the weight trends
    around it recomputed, figures refreshed; the audit trail keeps the old values and the reason."""
    anak = measurement.anak
    _check_child(anak, user)
    alasan = _reason(alasan)
    measurement = Pengukuran.objects.select_for_update().get(pk=measurement.pk)
    result = _measurement_rules(anak, data, exclude=measurement)
    old_year = measurement.tanggal.year
    with pghistory.context(peristiwa="koreksi_pengukuran", alasan=alasan):
        for field in ("tanggal", "berat", "tinggi", "cara_ukur", "lila", "lingkar_kepala", "asi_eksklusif"):
            setattr(measurement, field, getattr(data, field))
        measurement.posyandu = data.posyandu or measurement.posyandu
        for field, value in result.items():
            setattr(measurement, field, value)
        measurement.save()
        bulk.refresh_weight_trend([anak.id])
    measurement.refresh_from_db()
    _figures_changed({old_year, data.tanggal.year}, {anak.kelurahan_id})
    return measurement


@transaction.atomic
def delete_measurement(measurement: Pengukuran, alasan: str, user) -> None:
    """A measurement that should not exist (wrong child, never happened), removed with a reason
    kept in the audit trail; the weight trends and figures follow."""
    anak = measurement.anak
    _check_child(anak, user)
    alasan = _reason(alasan)
    with pghistory.context(peristiwa="hapus_pengukuran", alasan=alasan):
        Pengukuran.objects.filter(pk=measurement.pk).delete()
        bulk.refresh_weight_trend([anak.id])
    _figures_changed({measurement.tanggal.year}, {anak.kelurahan_id})


IDENTITY_FORM_FIELDS = ["nik", "nama", "jenis_kelamin", "tanggal_lahir", "berat_lahir", "panjang_lahir", "nama_ibu",
                        "nik_ibu", "nama_ayah", "alamat", "rt", "rw", "kelurahan", "posyandu"]


@transaction.atomic
def register_child(data: dict, user) -> Anak:
    """A child entered on the form (not yet known from e-PPGBM)."""
    _check_area(data["kelurahan"], user)
    _check_identity(data, user)
    with pghistory.context(peristiwa="daftar_anak"):
        anak = Anak.objects.create(**{k: data.get(k) for k in IDENTITY_FORM_FIELDS if k in data})
    _figures_changed(None, {anak.kelurahan_id})
    return anak


@transaction.atomic
def update_child(anak: Anak, data: dict, user) -> Anak:
    """Corrected identity or residence; a new birth date or sex recomputes every stored z-score."""
    _check_child(anak, user)
    _check_area(data["kelurahan"], user)
    _check_identity(data, user, exclude=anak.pk)
    recompute = data["tanggal_lahir"] != anak.tanggal_lahir or data["jenis_kelamin"] != anak.jenis_kelamin
    if recompute and Pengukuran.objects.filter(anak=anak, tanggal__lt=data["tanggal_lahir"]).exists():
        raise BalitaError("Ada pengukuran sebelum tanggal lahir yang baru; periksa tanggal lahir.", "tanggal_lahir")
    before = Anak.objects.values_list("kelurahan_id", "posyandu_id", "tanggal_lahir").get(pk=anak.pk)
    with pghistory.context(peristiwa="ubah_anak"):
        for key in IDENTITY_FORM_FIELDS:
            if key in data:
                setattr(anak, key, data[key])
        anak.save()
        if recompute:
            bulk.recompute_measurements([anak.id])
    if recompute or before != (anak.kelurahan_id, anak.posyandu_id, anak.tanggal_lahir):
        _figures_changed(None, {before[0], anak.kelurahan_id})
    return anak


def _check_area(kelurahan, user):
    if not Kelurahan.objects.for_user(user, CHANGE).filter(pk=kelurahan.pk).exists():
        raise BalitaError(f"Kelurahan {kelurahan} di luar wilayah kerja Anda.", "kelurahan")


def _described(user, child: Anak) -> str | None:
    """The child as `user` may see it (None: outside their view, so not named at all)."""
    return eppgbm.describe_children(user, [child.pk]).get(child.pk)


def _check_identity(data: dict, user, exclude=None):
    """The import's identity rules on the child form (balita.importers.identity): a NIK of another
    child is refused, naming that child as far as the user may see it (with what differs when the
    sex or birth date is another); a child with the same name, birth date and mother is refused
    unless the user ticked that it is another child."""
    others = Anak.objects.exclude(pk=exclude) if exclude else Anak.objects.all()
    holder = others.filter(nik=data["nik"]).select_related("kelurahan").first() if data.get("nik") else None
    if holder is not None:
        description = _described(user, holder)
        if holder.jenis_kelamin != data["jenis_kelamin"] or holder.tanggal_lahir != data["tanggal_lahir"]:
            raise BalitaError(identity.conflict_message(description, holder.jenis_kelamin, holder.tanggal_lahir,
                                                        data["jenis_kelamin"], data["tanggal_lahir"]), "nik")
        if description is None:
            raise BalitaError(f"{identity.OTHER_AREA}. Hubungi operator DP3AP2KB.", "nik")
        raise BalitaError(f"NIK ini sudah terdaftar untuk {description}. Buka data anak tersebut; bila keduanya "
                          "anak yang sama, gabungkan datanya.", "nik")
    same = others.filter(
        nama__iexact=data["nama"].strip(), tanggal_lahir=data["tanggal_lahir"],
        nama_ibu__iexact=(data.get("nama_ibu") or "").strip(),
    ).select_related("kelurahan").first()
    if same is not None and not data.get("anak_berbeda"):
        description = _described(user, same) or "anak di kelurahan lain"
        other_nik = " dengan NIK lain" if same.nik and data.get("nik") and same.nik != data["nik"] else ""
        raise BalitaError(f"Anak dengan nama, tanggal lahir, dan nama ibu yang sama sudah terdaftar{other_nik}: "
                          f"{description}. Bila anak yang sama, buka dan perbarui data tersebut; bila anak lain, "
                          "centang \u201cAnak lain (bukan data ganda)\u201d.", "nama")


# --- Merging duplicates -----------------------------------------------------------------------


@transaction.atomic
def merge_children(keep: Anak, remove: Anak, user) -> Anak:
    """One child recorded twice: `remove`'s measurements move to `keep` (on a date both have, the
    measurement of `keep` stays), its empty identity fields fill `keep`'s, every other record
    pointing at `remove` (e.g. GENTING family members) is pointed at `keep`, then `remove` is
    deleted. Stored z-scores and weight trends of `keep` are recomputed."""
    if keep.pk == remove.pk:
        raise BalitaError("Pilih dua data anak yang berbeda.")
    if Anak.objects.for_user(user, CHANGE).filter(pk__in=[keep.pk, remove.pk]).count() != 2:
        raise BalitaError("Kedua data anak harus berada di wilayah kerja Anda.")
    if keep.jenis_kelamin != remove.jenis_kelamin:
        raise BalitaError("Jenis kelamin kedua data berbeda: bukan anak yang sama.")
    # The identity rules of the import: two NIKs, or a NIK moving to another birth date, are
    # not one child until someone corrects the records.
    if keep.nik and remove.nik and keep.nik != remove.nik:
        raise BalitaError(f"Kedua data punya NIK berbeda ({keep.nik} dan {remove.nik}): bukan anak yang sama. "
                          "Perbaiki NIK yang salah lewat \u201cUbah data anak\u201d dulu.")
    if remove.nik and not keep.nik and remove.tanggal_lahir != keep.tanggal_lahir:
        raise BalitaError(f"NIK {remove.nik} tercatat untuk data nomor {remove.pk} dengan tanggal lahir "
                          f"{remove.tanggal_lahir:%d/%m/%Y}, bukan {keep.tanggal_lahir:%d/%m/%Y}. Samakan tanggal "
                          "lahir lewat \u201cUbah data anak\u201d dulu, atau pertahankan data yang ber-NIK.")
    keep = Anak.objects.select_for_update().get(pk=keep.pk)
    remove = Anak.objects.select_for_update().get(pk=remove.pk)
    if remove.pengukuran.filter(tanggal__lt=keep.tanggal_lahir).exists():
        raise BalitaError("Ada pengukuran sebelum tanggal lahir anak yang dipertahankan; periksa tanggal lahir.")
    areas = {keep.kelurahan_id, remove.kelurahan_id}
    with pghistory.context(peristiwa="gabung_anak", anak_dihapus=remove.pk, anak_tetap=keep.pk):
        # Apps whose rows of one child must become one first (e.g. kasus: one open case per child
        # and problem) do it here, before the rows are pointed at `keep` below.
        for config in apps.get_app_configs():
            hook = getattr(config, "children_merging", None)
            if hook is not None:
                hook(keep.pk, remove.pk)
        keep_dates = keep.pengukuran.values_list("tanggal", flat=True)
        remove.pengukuran.filter(tanggal__in=keep_dates).delete()
        remove.pengukuran.update(anak=keep, diubah=timezone.now())
        for relation in Anak._meta.related_objects:
            model = relation.related_model
            if model is Pengukuran or issubclass(model, pghistory.models.Event) or not (relation.one_to_many or relation.one_to_one):
                continue  # audit events keep pointing at the record they describe
            relation.related_model._base_manager.filter(**{relation.field.name: remove}).update(**{relation.field.name: keep})
        nik = remove.nik
        for field in ("berat_lahir", "panjang_lahir", "nama_ibu", "nik_ibu", "nama_ayah", "alamat", "rt", "rw"):
            if getattr(keep, field) in (None, "") and getattr(remove, field) not in (None, ""):
                setattr(keep, field, getattr(remove, field))
        if keep.posyandu_id is None:
            keep.posyandu_id = remove.posyandu_id
        remove.delete()
        if not keep.nik and nik:
            keep.nik = nik
        keep.save()
        bulk.recompute_measurements([keep.pk])
        bulk.refresh_weight_trend([keep.pk])
    _figures_changed(None, areas)
    return keep


# --- e-PPGBM import ---------------------------------------------------------------------------


class ProgressWriter:
    """Writes a batch's progress through a connection of its own, so that pages see it while the
    import's transaction is still open. Progress is only a hint: failures are ignored."""

    def __init__(self, batch: ImporBatch):
        self.batch = batch
        self.connection = None

    def __call__(self, percent: int, stage: str):
        try:
            if self.connection is None:
                self.connection = connections.create_connection(DEFAULT_DB_ALIAS)
                with self.connection.cursor() as cursor:
                    cursor.execute("SET lock_timeout = '500ms'")
            self.batch.set_progress(percent, stage, connection=self.connection)
        except DatabaseError:
            logger.info("progress of import batch %s not written", self.batch.pk)

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class NoProgress:
    def __call__(self, percent: int, stage: str):
        pass

    def close(self):
        pass


def start_import(uploaded_file, user) -> ImporBatch:
    """Keep the uploaded file and check it in the background (the preview)."""
    batch = ImporBatch(nama_berkas=Path(uploaded_file.name).name[:255], diunggah_oleh=actor(user),
                       status=ImporBatch.Status.ANTRE, langkah="Menunggu giliran pemeriksaan")
    batch.berkas.save(Path(uploaded_file.name).name, uploaded_file, save=False)
    batch.save()
    jobs.enqueue(batch, check_import_task, batch.pk)
    return batch


# Errors stored per batch: the first ones by row (the page and the download show them, the batch
# counts them all). A file full of errors once stored seven million rows.
GALAT_DISIMPAN = 1_000


def _store_errors(batch: ImporBatch, errors: pd.DataFrame):
    """Keep the first GALAT_DISIMPAN errors (they come sorted by row) and count them all; the
    caller saves the batch."""
    ImporGalat.objects.filter(batch=batch).delete()
    batch.galat_total = len(errors)
    if len(errors):
        frame = errors.head(GALAT_DISIMPAN).assign(batch_id=batch.pk)
        bulk.copy_frame("balita_imporgalat", frame, ["batch_id", "baris", "kolom", "nilai", "pesan", "nama", "nik"])


def _apply_counts(batch: ImporBatch, plan):
    for key, value in plan.counts().items():
        setattr(batch, key, value)
    batch.posyandu_baru = sorted(
        f"{name} ({kelurahan})" for (kelurahan, name) in _posyandu_names(plan.new_posyandu)
    )
    batch.perubahan_anak = _change_rows(plan, PERUBAHAN_MAKS)


PERUBAHAN_MAKS = 200
CHANGE_LABELS = {"nama": "Nama", "jenis_kelamin": "JK", "tanggal_lahir": "Tgl lahir", "nama_ibu": "Nama ibu",
                 "alamat": "Alamat", "rt": "RT", "rw": "RW", "kelurahan_id": "Kelurahan", "posyandu_id": "Posyandu",
                 "nik": "NIK"}
assert set(CHANGE_LABELS) == set(PREVIEW_FIELDS)


def _change_rows(plan, limit: int) -> list:
    """The first `limit` matched children that change, as display text (names unmasked: pages mask
    them per viewer): {anak_id, baris, nama, perubahan: [[label, old, new], ...]}."""
    changes = plan.changes[:limit]
    kelurahan = dict(Kelurahan.objects.values_list("id", "nama"))
    posyandu_ids = {v for c in changes for v in c["fields"].get("posyandu_id", ()) if isinstance(v, int)}
    posyandu = dict(Posyandu.objects.filter(id__in=posyandu_ids).values_list("id", "nama"))
    names = dict(Anak.objects.filter(id__in=[c["anak_id"] for c in changes]).values_list("id", "nama"))

    def text(field, value, kelurahan_id):
        if value is None or value == "":
            return "(kosong)"
        if field == "kelurahan_id":
            return kelurahan.get(value, str(value))
        if field == "posyandu_id":
            if isinstance(value, (list, tuple)):  # still to be created
                return f"{plan.new_posyandu.get((kelurahan_id, value[1]), value[1])} (baru)"
            return posyandu.get(value, str(value))
        if field == "tanggal_lahir":
            return datetime.date.fromisoformat(value).strftime("%d/%m/%Y")
        return str(value)

    return [{"anak_id": c["anak_id"], "baris": c["baris"], "nama": names.get(c["anak_id"], ""),
             "perubahan": [[CHANGE_LABELS[f], text(f, old, c["kelurahan_id"]), text(f, new, c["kelurahan_id"])]
                           for f, (old, new) in c["fields"].items()]}
            for c in changes]


def _posyandu_names(new_posyandu: dict):
    names = dict(Kelurahan.objects.filter(id__in={k for k, _ in new_posyandu}).values_list("id", "nama"))
    return [(names[k], name) for (k, _), name in new_posyandu.items()]


def _uploader(batch: ImporBatch):
    """Whose scope a batch is checked and written in: a batch without uploader came from the
    command line (the system)."""
    return batch.diunggah_oleh or SYSTEM


def _check_batch(batch: ImporBatch, user):
    if not ImporBatch.objects.for_user(user, CHANGE).filter(pk=batch.pk).exists():
        raise BalitaError("Batch impor ini bukan milik Anda.")


def check_import(batch: ImporBatch) -> ImporBatch:
    """The preview: read and check the file, count what an import would do, list the errors.
    Whatever goes wrong ends the batch gagal with a message, never stuck "sedang diperiksa"."""
    if not batch.start("Memeriksa berkas", diperiksa__isnull=True):
        return batch
    # A FileError (a UserError) fails the batch with its message; anything else with a general one.
    with batch.running("Pemeriksaan berkas gagal karena kesalahan sistem; silakan ulangi. Jika terulang, hubungi Admin."):
        _check(batch)
    return batch


def _check(batch: ImporBatch):
    progress = ProgressWriter(batch)
    try:
        user = _uploader(batch)
        plan = eppgbm.prepare(batch.berkas.path, batch.nama_berkas, today=timezone.localdate(),
                              kelurahan_ids=_writable_kelurahan_ids(user), viewer=user, decisions=_decisions(batch),
                              undecided="hold", progress=progress)
    finally:
        progress.close()
    # Stored only if the batch is still being checked (not cancelled or failed meanwhile): finish()
    # raises otherwise, and this transaction rolls back.
    with transaction.atomic():
        _store_errors(batch, plan.errors)
        _store_reviews(batch, plan.reviews)
        _apply_counts(batch, plan)
        batch.diperiksa = timezone.now()
        batch.finish(ImporBatch.Status.MENUNGGU, "Pratinjau siap")


def _store_reviews(batch: ImporBatch, reviews):
    """Children held for review by the check; decisions already taken on this batch are kept."""
    kept = _decisions(batch)
    TinjauanIdentitas.objects.filter(batch=batch).delete()
    TinjauanIdentitas.objects.bulk_create([
        TinjauanIdentitas(batch=batch, kunci=r.kunci, jenis=r.jenis, anak_id=int(r.anak_id), baris=r.baris[:300],
                          baris_pertama=int(r.baris_pertama), nik=r.nik or "", nama=r.nama,
                          jenis_kelamin=r.jenis_kelamin, tanggal_lahir=pd.Timestamp(r.tanggal_lahir).date(),
                          nama_ibu=r.nama_ibu or "", kelurahan_id=int(r.kelurahan_id),
                          keputusan=kept.get((r.kunci, int(r.anak_id)), ""))
        for r in reviews.itertuples(index=False)
    ])


def _decisions(batch: ImporBatch | None) -> dict:
    if batch is None or batch.pk is None:
        return {}
    return {(kunci, anak_id): keputusan for kunci, anak_id, keputusan in
            TinjauanIdentitas.objects.filter(batch=batch).exclude(keputusan="").values_list("kunci", "anak_id", "keputusan")}


@transaction.atomic
def decide_identity(tinjauan: TinjauanIdentitas, keputusan: str, user) -> TinjauanIdentitas:
    """The operator's decision on a child held for review: "sama" (update the stored child) or
    "beda" (reject the rows). Only while the batch waits for the import decision."""
    _check_batch(tinjauan.batch, user)
    if keputusan not in TinjauanIdentitas.Keputusan.values:
        raise BalitaError("Pilih \u201cAnak yang sama\u201d atau \u201cAnak berbeda\u201d.", "keputusan")
    batch = ImporBatch.objects.select_for_update().get(pk=tinjauan.batch_id)
    if batch.status != ImporBatch.Status.MENUNGGU:
        raise BalitaError("Batch ini tidak sedang menunggu keputusan.")
    tinjauan = TinjauanIdentitas.objects.select_for_update().get(pk=tinjauan.pk)
    with pghistory.context(peristiwa="tinjau_identitas", batch=batch.pk):
        tinjauan.keputusan, tinjauan.diputuskan_oleh, tinjauan.diputuskan = keputusan, actor(user), timezone.now()
        tinjauan.save()
    return tinjauan


def confirm_import(batch: ImporBatch, user, posyandu_dikonfirmasi: bool = False) -> ImporBatch:
    """The user chose to import the valid rows: every child held for review must be decided, and
    posyandu that the import would create must be confirmed."""
    _check_batch(batch, user)
    with transaction.atomic():
        batch = ImporBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImporBatch.Status.MENUNGGU:
            raise BalitaError("Batch ini tidak sedang menunggu keputusan.")
        undecided = batch.tinjauan.filter(keputusan="").count()
        if undecided:
            raise BalitaError(f"{undecided} anak masih menunggu tinjauan identitas: putuskan dulu \u201cAnak yang "
                              "sama\u201d atau \u201cAnak berbeda\u201d untuk setiap baris yang ditahan.", "keputusan")
        if batch.posyandu_baru and not posyandu_dikonfirmasi:
            raise BalitaError("Centang konfirmasi posyandu baru: impor ini akan membuat "
                              f"{len(batch.posyandu_baru)} posyandu baru.", "posyandu_dikonfirmasi")
        batch.status, batch.progres, batch.langkah = ImporBatch.Status.ANTRE, 0, "Menunggu giliran impor"
        batch.save()
        jobs.enqueue(batch, run_import_task, batch.pk)
    return batch


@transaction.atomic
def cancel_import(batch: ImporBatch, user) -> ImporBatch:
    """Nothing of the batch will be imported: one waiting for the decision, or one that failed
    (also one whose worker died)."""
    _check_batch(batch, user)
    batch = ImporBatch.objects.select_for_update().get(pk=batch.pk)
    # A check still queued or running wrote nothing yet: it may be dropped too (a check that hangs
    # must not keep the batch "sedang diperiksa" forever); the check then stores nothing.
    still_checking = batch.berjalan and batch.diperiksa is None
    if batch.status not in (ImporBatch.Status.MENUNGGU, ImporBatch.Status.GAGAL) and not still_checking:
        raise BalitaError("Hanya batch yang menunggu keputusan, masih diperiksa, atau gagal yang dapat dibatalkan.")
    batch.status, batch.langkah, batch.selesai = ImporBatch.Status.DIBATALKAN, "Dibatalkan", timezone.now()
    batch.save()
    # Nothing will be imported: its error list is of no further use (the count stays on the batch).
    ImporGalat.objects.filter(batch=batch).delete()
    return batch


@transaction.atomic
def retry_import(batch: ImporBatch, user) -> ImporBatch:
    """Try a failed batch again: a failed check is checked again; a failed import (its transaction
    rolled back, nothing written) returns to the preview, to be confirmed or cancelled again."""
    _check_batch(batch, user)
    batch = ImporBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != ImporBatch.Status.GAGAL:
        raise BalitaError("Hanya batch yang gagal yang dapat diulang.")
    batch.pesan_galat, batch.selesai = "", None
    if batch.diperiksa is None:
        batch.status, batch.progres, batch.langkah = ImporBatch.Status.ANTRE, 0, "Menunggu giliran pemeriksaan"
        batch.save()
        jobs.enqueue(batch, check_import_task, batch.pk)
    else:
        batch.status, batch.progres, batch.langkah = ImporBatch.Status.MENUNGGU, 100, "Pratinjau siap"
        batch.save()
    return batch


def run_import(batch: ImporBatch) -> ImporBatch:
    """Import the valid rows of a confirmed batch in one transaction (the background task)."""
    if not batch.start("Mulai mengimpor", diperiksa__isnull=False):
        return batch
    batch.refresh_from_db()
    progress = ProgressWriter(batch)
    with batch.running("Impor gagal karena kesalahan sistem; tidak ada data yang tersimpan. Silakan ulangi; "
                       "jika terulang, hubungi Admin."):
        try:
            # The posyandu the user confirmed on the preview: the import creates no others.
            _import_in_transaction(batch, progress, confirmed_posyandu=batch.posyandu_baru)
        finally:
            progress.close()
    batch.refresh_from_db()
    return batch


def _import_in_transaction(batch: ImporBatch, progress, confirmed_posyandu=None):
    started = time.perf_counter()
    user = _uploader(batch)
    with transaction.atomic(), pghistory.context(peristiwa="impor_eppgbm", batch=batch.pk):
        result = write_file(batch.berkas.path, batch.nama_berkas, user=user, batch=batch, progress=progress,
                            confirmed_posyandu=confirmed_posyandu)
        progress(97, "Menyimpan ringkasan")
        progress.close()  # from here on this transaction holds the batch row
        _store_errors(batch, result.errors)
        _apply_counts(batch, result)
        batch.durasi_detik = round(time.perf_counter() - started, 2)
        # Only if the batch is still running (not failed by its watchdog, nor its worker declared
        # dead): otherwise finish() raises and the whole import rolls back, as its state says.
        batch.finish()


def write_file(path, original_name, *, user, batch=None, progress=NoProgress(), confirmed_posyandu=None):
    """Plan and write one file; call inside a transaction. Returns the plan (its counts)."""
    progress(5, "Membaca berkas")
    return write_sheet(reading.read(path, original_name), user=user, batch=batch, progress=progress,
                       confirmed_posyandu=confirmed_posyandu)


def write_sheet(sheet, *, user, batch=None, progress=NoProgress(), confirmed_posyandu=None):
    """Plan and write rows read from an e-PPGBM file (or demo rows); call inside a transaction.

    The identity checks run again here with the batch's review decisions: a child held for review
    without a (still valid) decision is an error, never written. `confirmed_posyandu`: the new
    posyandu the user confirmed on the preview (None: the command line, which needs no confirmation)."""
    with connection.cursor() as cursor:
        # One import at a time: two would create the same new children.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('balita.import_eppgbm'))")
    plan = eppgbm.prepare_sheet(sheet, today=timezone.localdate(), kelurahan_ids=_writable_kelurahan_ids(user),
                                viewer=user, decisions=_decisions(batch), undecided="error", progress=progress)
    if confirmed_posyandu is not None:
        unconfirmed = {f"{name} ({kelurahan})" for kelurahan, name in _posyandu_names(plan.new_posyandu)} - set(confirmed_posyandu)
        if unconfirmed:
            raise BalitaError("Impor dihentikan: posyandu baru berikut belum dikonfirmasi di pratinjau: "
                              + ", ".join(sorted(unconfirmed)) + ". Unggah ulang berkas untuk pratinjau baru.")
    with bulk.immediate_foreign_keys("balita_anak", "balita_pengukuran"):
        _write_plan(plan, user=user, batch=batch, progress=progress)
    return plan


def _write_plan(plan, *, user, batch, progress):
    progress(45, "Menyimpan posyandu dan anak baru")
    posyandu_ids = _create_posyandu(plan.new_posyandu)

    def resolve_posyandu(frame):
        if not len(frame):
            return frame
        frame = frame.copy()
        missing = frame["posyandu_id"].isna() & frame["posyandu_key"].ne("")
        keys = zip(frame.loc[missing, "kelurahan_id"].astype(int), frame.loc[missing, "posyandu_key"])
        frame.loc[missing, "posyandu_id"] = [posyandu_ids.get(k) for k in keys]
        return frame

    children = bulk.insert_children(resolve_posyandu(plan.children_new)) if len(plan.children_new) else plan.children_new
    progress(55, "Memperbarui data anak")
    bulk.update_children(resolve_posyandu(plan.children_update))
    progress(65, "Menyimpan pengukuran")
    new = plan.measurements_new
    if len(new):
        new = resolve_posyandu(new)
        new_ids = dict(zip(children["tmp_id"], children["id"])) if len(children) else {}
        from_tmp = new["anak_id"].isna()
        new.loc[from_tmp, "anak_id"] = new.loc[from_tmp, "tmp_id"].map(new_ids)
        new["anak_id"] = new["anak_id"].astype("int64")
        # A new child's measurements are all in this file: their weight trend is known before COPY.
        new["naik_bb"] = ""
        if from_tmp.any():
            new.loc[from_tmp, "naik_bb"] = bulk.weight_trend(new.loc[from_tmp, ["anak_id", "tanggal", "berat", "umur_bulan"]])
    batch_id = batch.pk if batch else None
    user_id = actor(user).pk if actor(user) else None
    bulk.insert_measurements(new, sumber=Pengukuran.Sumber.IMPOR, batch_id=batch_id, user_id=user_id)
    if len(new) > 1000:
        bulk.analyze("balita_anak")
        bulk.analyze("balita_pengukuran")
    progress(80, "Memperbarui pengukuran")
    bulk.update_measurements(resolve_posyandu(plan.measurements_update), sumber=Pengukuran.Sumber.IMPOR, batch_id=batch_id)
    progress(88, "Menghitung ulang tren berat badan")
    bulk.recompute_measurements(plan.recompute_anak_ids)
    touched = set(new["anak_id"].tolist()) if len(new) else set()
    if len(plan.measurements_update):
        touched |= set(plan.measurements_update["anak_id"].astype(int).tolist())
    touched |= set(plan.recompute_anak_ids)
    bulk.refresh_weight_trend(sorted(touched))
    if len(plan.children_new) or len(plan.children_update) or len(new) or len(plan.measurements_update) \
            or len(plan.recompute_anak_ids):
        # Children may have moved between areas: rebuild every year for the whole city.
        _figures_changed(None)


def _create_posyandu(new_posyandu: dict) -> dict:
    """Posyandu named in the file but not yet known in their (known) kelurahan: e-PPGBM is where
    posyandu lists come from. Returns {(kelurahan id, key): id}."""
    if not new_posyandu:
        return {}
    keys = list(new_posyandu)
    created = Posyandu.objects.bulk_create(
        [Posyandu(kelurahan_id=kelurahan_id, nama=new_posyandu[(kelurahan_id, key)]) for kelurahan_id, key in keys]
    )
    return {key: posyandu.pk for key, posyandu in zip(keys, created)}


def import_file(path, *, user, dry_run: bool = False):
    """The command line (`user` is SYSTEM or the named importer): returns (batch or None, plan).
    A dry run writes nothing at all."""
    path = Path(path)
    if dry_run:
        return None, eppgbm.prepare(path, path.name, today=timezone.localdate(), kelurahan_ids=_writable_kelurahan_ids(user),
                                    viewer=user)
    now = timezone.now()
    batch = ImporBatch(nama_berkas=path.name, diunggah_oleh=actor(user), status=ImporBatch.Status.BERJALAN,
                       mulai=now, detak=now, diperiksa=now)
    with path.open("rb") as handle:
        batch.berkas.save(path.name, File(handle), save=False)
    batch.save()
    # The heartbeat keeps pages from taking a long command-line import for a dead one; the command
    # shows a user's error too.
    with batch.running("Impor gagal karena kesalahan sistem.", raise_user_errors=True):
        _import_in_transaction(batch, NoProgress())
    batch.refresh_from_db()
    return batch, None


# --- Background jobs (django-tasks; run by `manage.py db_worker`) -------------------------------
# Defined beside the services they run, so that enqueueing them needs no import of another module.


@task()
def check_import_task(batch_id: int) -> str:
    """Check an uploaded e-PPGBM file for the preview (a minute on a city-wide export)."""
    return check_import(ImporBatch.objects.get(pk=batch_id)).status


@task()
def run_import_task(batch_id: int) -> str:
    """Import the valid rows of a confirmed batch."""
    return run_import(ImporBatch.objects.get(pk=batch_id)).status
