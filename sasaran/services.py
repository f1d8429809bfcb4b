"""Writes of sasaran hulu, one function per event: a catin screened, a school's TTD month
recorded, an import uploaded (checked: the preview), confirmed (written in one transaction) or
cancelled. Each takes the acting user and refuses what lies outside their scope."""

from __future__ import annotations

import datetime
from pathlib import Path

import pghistory
from django.db import IntegrityError, transaction
from django.utils import timezone

from sasaran import importers, matching, policy, rules
from sasaran.models import Catin, ImporSasaran, JenisImpor, KeluargaKrs, Sumber, TtdRemajaPutri
from tpps import impor
from tpps.errors import UserError
from tpps.roles import actor

# A batch keeps its first errors by row (the rest are counted), as balita's import does.
GALAT_DISIMPAN = 1_000
# What the preview lists of the rows it would write.
CONTOH_BARIS = 50


class SasaranError(UserError):
    pass


# --- Entered on a form -----------------------------------------------------------------------------


@transaction.atomic
def record_catin(data: dict, user) -> Catin:
    policy.check_write(user, JenisImpor.CATIN, data["kelurahan"].pk)
    if Catin.objects.filter(nik=data["nik"], tanggal_periksa=data["tanggal_periksa"]).exists():
        raise SasaranError("Catin dengan NIK ini sudah diperiksa pada tanggal tersebut.", "tanggal_periksa")
    catin = Catin(**data, sumber=Sumber.FORM, dicatat_oleh=actor(user))
    rules.apply(catin)
    with pghistory.context(peristiwa="catat_catin"):
        catin.save()
    return catin


@transaction.atomic
def record_ttd(data: dict, user) -> TtdRemajaPutri:
    policy.check_write(user, JenisImpor.REMAJA, data["kelurahan"].pk)
    key = importers.name_key(data["sekolah"])
    if TtdRemajaPutri.objects.filter(kunci_sekolah=key, kelurahan=data["kelurahan"], tahun=data["tahun"],
                                     bulan=data["bulan"]).exists():
        raise SasaranError("Laporan sekolah ini untuk bulan tersebut sudah ada.", "sekolah")
    row = TtdRemajaPutri(**data, kunci_sekolah=key, sumber=Sumber.FORM, dicatat_oleh=actor(user))
    with pghistory.context(peristiwa="catat_ttd_remaja"):
        row.save()
    return row


# --- Imports -------------------------------------------------------------------------------------


def _prepare(batch: ImporSasaran, user, today: datetime.date):
    """(checked rows, plan) of a stored upload, for the user's writable kelurahan."""
    try:
        table = impor.read_table(batch.berkas.path, batch.nama_berkas, importers.COLUMNS[batch.jenis])
    except impor.TabelError as error:
        raise SasaranError(error.message, "berkas") from error
    writable = policy.writable_kelurahan(user, batch.jenis)
    checked = importers.check(batch.jenis, table, writable=writable, today=today)
    plan = PLANS[batch.jenis](checked.rows, writable)
    if plan.refused:  # stored rows of another area are never changed from here
        checked.errors = sorted(checked.errors + plan.refused, key=lambda e: e["baris"])
    return checked, plan


@transaction.atomic
def upload(jenis: str, berkas, user) -> ImporSasaran:
    """Store the (already checked by tpps.uploads) file and check every row: the preview."""
    policy.check_write(user, jenis)
    batch = ImporSasaran(jenis=jenis, nama_berkas=Path(berkas.name).name[:255], diunggah_oleh=actor(user))
    batch.berkas.save(Path(berkas.name).name, berkas, save=False)
    checked, plan = _prepare(batch, user, timezone.localdate())
    batch.ringkasan = plan.summary(checked)
    batch.galat = checked.errors[:GALAT_DISIMPAN]
    batch.galat_total = len(checked.errors)
    batch.save()
    return batch


@transaction.atomic
def confirm(batch: ImporSasaran, user) -> ImporSasaran:
    """Write the valid rows of a previewed file in one transaction (checked again now: the
    database may have changed since the preview). A row with an error is not written at all."""
    batch = ImporSasaran.objects.select_for_update().get(pk=batch.pk)
    policy.check_import(user, batch)
    if batch.status != ImporSasaran.Status.PRATINJAU:
        raise SasaranError("Impor ini sudah diproses.")
    checked, plan = _prepare(batch, user, timezone.localdate())
    with pghistory.context(peristiwa=f"impor_{batch.jenis}", impor=batch.pk):
        try:
            plan.write(user)
        except IntegrityError as error:  # a racing entry of the same key: nothing of the file stays
            raise SasaranError("Sebagian data berubah saat impor berjalan; tidak ada yang disimpan. Ulangi impor.") from error
    batch.ringkasan = plan.summary(checked) | {"selesai": True}
    batch.galat = checked.errors[:GALAT_DISIMPAN]
    batch.galat_total = len(checked.errors)
    batch.status = ImporSasaran.Status.SELESAI
    batch.selesai = timezone.now()
    batch.save()
    return batch


@transaction.atomic
def cancel(batch: ImporSasaran, user) -> None:
    batch = ImporSasaran.objects.select_for_update().get(pk=batch.pk)
    ImporSasaran.objects.require(user, "change", batch, "Impor ini bukan milik Anda.")
    if batch.status != ImporSasaran.Status.PRATINJAU:
        raise SasaranError("Impor ini sudah diproses.")
    batch.status = ImporSasaran.Status.DIBATALKAN
    batch.save()


class _Plan:
    """New, changed and unchanged rows of one import against the database."""

    model = None
    fields: list = []

    def __init__(self, rows, writable):
        existing = self.existing(rows)
        self.rows, self.new, self.changed, self.same, self.refused = [], [], [], 0, []
        for row in rows:
            stored = existing.get(row["_kunci"])
            if stored is not None and stored.kelurahan_id not in writable:
                self.refused.append({"baris": row["_baris"], "kolom": "", "nilai": "",
                                     "pesan": "Data ini sudah tercatat di kelurahan di luar wilayah kerja Anda; tidak diubah."})
                continue
            self.rows.append(row)
            if stored is None:
                self.new.append(row)
            elif any(_differs(getattr(stored, name), row[name]) for name in self.fields):
                self.changed.append((stored, row))
            else:
                self.same += 1

    def summary(self, checked) -> dict:
        sample = [self.describe(row) for row in self.new[:CONTOH_BARIS]]
        sample += [self.describe(row, "ubah") for _, row in self.changed[:max(0, CONTOH_BARIS - len(sample))]]
        return {"baris": checked.total, "baru": len(self.new), "diubah": len(self.changed), "sama": self.same,
                "baris_galat": len({e["baris"] for e in checked.errors}), "contoh": sample}

    def write(self, user):
        created = [self.build(row, user) for row in self.new]
        self.model.objects.bulk_create(created)
        for stored, row in self.changed:
            for name in self.fields:
                setattr(stored, name, row[name])
            self.after_change(stored)
            stored.save()

    def after_change(self, stored):
        pass


def _differs(stored, new) -> bool:
    if stored is None or new is None:
        return stored != new
    if hasattr(stored, "quantize") or isinstance(new, float):
        return float(stored) != float(new)
    return stored != new


class CatinPlan(_Plan):
    model = Catin
    fields = ["nama", "jenis_kelamin", "tanggal_lahir", "alamat", "kelurahan_id", "rencana_nikah", "berat", "tinggi",
              "lila", "hb", "terpapar_rokok", "didampingi"]

    def existing(self, rows):
        niks = [r["nik"] for r in rows]
        stored = Catin.objects.filter(nik__in=niks)
        return {(c.nik, c.tanggal_periksa): c for c in stored}

    def build(self, row, user):
        catin = Catin(nik=row["nik"], tanggal_periksa=row["tanggal_periksa"], sumber=Sumber.IMPOR,
                      dicatat_oleh=actor(user), **{name: row[name] for name in self.fields})
        rules.apply(catin)
        return catin

    def after_change(self, stored):
        rules.apply(stored)

    def describe(self, row, jenis="baru"):
        found = rules.risk(jenis_kelamin=row["jenis_kelamin"], tanggal_lahir=row["tanggal_lahir"],
                           tanggal_periksa=row["tanggal_periksa"], berat=row["berat"], tinggi=row["tinggi"],
                           lila=row["lila"], hb=row["hb"], terpapar_rokok=row["terpapar_rokok"])
        return {"baris": row["_baris"], "jenis": jenis, "nama": row["nama"], "nik": row["nik"],
                "keterangan": f"IMT {str(found['imt']).replace('.', ',')}; " + ("berisiko" if found["berisiko"] else "ideal")}


class TtdPlan(_Plan):
    model = TtdRemajaPutri
    fields = ["sekolah", "jumlah_siswi", "diberi_ttd", "minum_ttd"]

    def existing(self, rows):
        keys = {r["kunci_sekolah"] for r in rows}
        stored = TtdRemajaPutri.objects.filter(kunci_sekolah__in=keys)
        return {(t.kunci_sekolah, t.kelurahan_id, t.tahun, t.bulan): t for t in stored}

    def build(self, row, user):
        return TtdRemajaPutri(kunci_sekolah=row["kunci_sekolah"], kelurahan_id=row["kelurahan_id"], tahun=row["tahun"],
                              bulan=row["bulan"], sumber=Sumber.IMPOR, dicatat_oleh=actor(user),
                              **{name: row[name] for name in self.fields})

    def describe(self, row, jenis="baru"):
        return {"baris": row["_baris"], "jenis": jenis, "nama": row["sekolah"], "nik": "",
                "keterangan": f"{row['bulan']:02d}/{row['tahun']}: {row['minum_ttd']} dari {row['jumlah_siswi']} minum TTD"}


class KrsPlan(_Plan):
    model = KeluargaKrs
    fields = ["kepala_keluarga", "nik_kepala", "nama_istri", "nik_istri", "alamat", "rt", "rw", "jumlah_anggota",
              *importers.KRS_FLAGS]

    def existing(self, rows):
        years = {r["tahun"] for r in rows}
        stored = KeluargaKrs.objects.filter(tahun__in=years)
        return {(k.tahun, k.kelurahan_id, k.kunci): k for k in stored}

    def build(self, row, user):
        return KeluargaKrs(tahun=row["tahun"], kelurahan_id=row["kelurahan_id"], kunci=row["kunci"],
                           **{name: row[name] for name in self.fields})

    def write(self, user):
        super().write(user)
        matching.match_genting(user, years={r["tahun"] for r in self.rows})

    def describe(self, row, jenis="baru"):
        factors = [importers.KRS[name].label for name in importers.KRS_FLAGS[:6] if row[name]]
        if row["unmet_need"]:
            factors.append("unmet need")
        return {"baris": row["_baris"], "jenis": jenis, "nama": row["kepala_keluarga"], "nik": row["nik_kepala"],
                "keterangan": ", ".join(factors) or "tanpa faktor risiko tercatat"}


PLANS = {JenisImpor.CATIN: CatinPlan, JenisImpor.REMAJA: TtdPlan, JenisImpor.KRS: KrsPlan}
