"""The eight convergence actions, their yearly record, expected outputs and evidence.

`Aksi` is fixed reference data (data migration). Each year gets one `AksiTahunan` per action
(status, responsible OPDs, dates, narrative) and its `KeluaranAksi` (the documents the province
asks for, editable by Admin). Evidence (`Bukti`) is a checked, checksummed file verified by
DP3AP2KB; every decision is kept as a `Verifikasi` row.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tpps.audit import audited
from tpps.models import Opd
from tpps.roles import CHANGE, OpdScopedQuerySet


class KonvergensiQuerySet(OpdScopedQuerySet):
    """Scope for this app's tables (`for_user(user, action)`, tpps.roles): readers view all, an
    OPD changes the rows `opd_lookup` leads to its own OPD, the secretariat changes and verifies."""

    opd_lookup = "opd"


class SecretariatQuerySet(KonvergensiQuerySet):
    """Rows no OPD owns (the actions, the assessment year): only the secretariat changes them."""

    opd_lookup = None


class StatusAksi(models.TextChoices):
    BELUM_MULAI = "belum_mulai", "Belum mulai"
    BERJALAN = "berjalan", "Berjalan"
    SELESAI = "selesai", "Selesai"


class StatusVerifikasi(models.TextChoices):
    MENUNGGU = "menunggu", "Menunggu verifikasi"
    DITERIMA = "diterima", "Diterima"
    PERLU_REVISI = "perlu_revisi", "Perlu revisi"


@audited()
class Aksi(models.Model):
    """One of the eight convergence actions (Kemendagri Bangda), fixed reference data."""

    nomor = models.PositiveSmallIntegerField(unique=True)
    nama = models.CharField(max_length=100)
    keluaran = models.TextField("keluaran utama")

    objects = SecretariatQuerySet.as_manager()

    class Meta:
        ordering = ["nomor"]
        verbose_name = "aksi konvergensi"
        verbose_name_plural = "aksi konvergensi"

    def __str__(self):
        return f"Aksi {self.nomor}: {self.nama}"


@audited()
class TahunPenilaian(models.Model):
    """A year the city reports on, with the date of the provincial assessment (for the countdown)."""

    tahun = models.PositiveSmallIntegerField(unique=True)
    tanggal_penilaian = models.DateField("tanggal penilaian provinsi", null=True, blank=True)
    catatan = models.CharField(max_length=255, blank=True)

    objects = SecretariatQuerySet.as_manager()

    class Meta:
        ordering = ["-tahun"]
        verbose_name = "tahun penilaian"
        verbose_name_plural = "tahun penilaian"

    def __str__(self):
        return str(self.tahun)


class AksiTahunanQuerySet(KonvergensiQuerySet):
    opd_lookup = "opd"


@audited()
class AksiTahunan(models.Model):
    """One action in one year: status, responsible OPDs, dates and what was done."""

    aksi = models.ForeignKey(Aksi, on_delete=models.PROTECT, related_name="tahunan")
    tahun = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=StatusAksi.choices, default=StatusAksi.BELUM_MULAI)
    opd = models.ManyToManyField(Opd, through="PenanggungJawabAksi", related_name="aksi_tahunan", verbose_name="OPD penanggung jawab")
    rencana_mulai = models.DateField("rencana mulai", null=True, blank=True)
    rencana_selesai = models.DateField("rencana selesai", null=True, blank=True)
    realisasi_mulai = models.DateField("realisasi mulai", null=True, blank=True)
    realisasi_selesai = models.DateField("realisasi selesai", null=True, blank=True)
    narasi = models.TextField("uraian pelaksanaan", blank=True)
    diubah = models.DateTimeField(auto_now=True)

    objects = AksiTahunanQuerySet.as_manager()

    class Meta:
        ordering = ["tahun", "aksi__nomor"]
        verbose_name = "aksi per tahun"
        verbose_name_plural = "aksi per tahun"
        constraints = [models.UniqueConstraint(fields=["aksi", "tahun"], name="aksi_tahunan_unik")]

    def __str__(self):
        return f"{self.aksi} ({self.tahun})"

    def clean(self):
        errors = {}
        if self.rencana_mulai and self.rencana_selesai and self.rencana_selesai < self.rencana_mulai:
            errors["rencana_selesai"] = "Rencana selesai tidak boleh sebelum rencana mulai."
        if self.realisasi_mulai and self.realisasi_selesai and self.realisasi_selesai < self.realisasi_mulai:
            errors["realisasi_selesai"] = "Realisasi selesai tidak boleh sebelum realisasi mulai."
        if self.status == StatusAksi.SELESAI and not self.realisasi_selesai:
            errors["realisasi_selesai"] = "Isi tanggal realisasi selesai untuk aksi yang berstatus selesai."
        if self.status == StatusAksi.BELUM_MULAI and (self.realisasi_mulai or self.realisasi_selesai):
            errors["status"] = "Aksi yang sudah punya tanggal realisasi tidak bisa berstatus belum mulai."
        if errors:
            raise ValidationError(errors)


@audited()
class PenanggungJawabAksi(models.Model):
    """An OPD responsible for an action in a year (explicit so that changes are audited)."""

    aksi_tahunan = models.ForeignKey(AksiTahunan, on_delete=models.CASCADE, related_name="penanggung_jawab")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "OPD penanggung jawab aksi"
        verbose_name_plural = "OPD penanggung jawab aksi"
        constraints = [models.UniqueConstraint(fields=["aksi_tahunan", "opd"], name="penanggung_jawab_unik")]

    def __str__(self):
        return f"{self.opd} — {self.aksi_tahunan}"


class KeluaranQuerySet(KonvergensiQuerySet):
    opd_lookup = "aksi_tahunan__opd"


@audited()
class KeluaranAksi(models.Model):
    """A document the province expects for an action in a year (editable by Admin)."""

    aksi_tahunan = models.ForeignKey(AksiTahunan, on_delete=models.CASCADE, related_name="keluaran")
    nama = models.CharField("dokumen yang diharapkan", max_length=200)
    keterangan = models.TextField(blank=True)
    wajib = models.BooleanField(default=True, help_text="Dihitung dalam persentase kesiapan.")
    urutan = models.PositiveSmallIntegerField(default=0)

    objects = KeluaranQuerySet.as_manager()

    class Meta:
        ordering = ["aksi_tahunan", "urutan", "id"]
        verbose_name = "keluaran aksi"
        verbose_name_plural = "keluaran aksi"
        constraints = [models.UniqueConstraint(fields=["aksi_tahunan", "nama"], name="keluaran_unik_per_aksi_tahun")]

    def __str__(self):
        return self.nama


def bukti_path(instance, filename):
    """Private storage path; never derived from the uploaded name (kept in `nama_berkas`)."""
    return f"konvergensi/bukti/{instance.aksi_tahunan.tahun}/aksi-{instance.aksi_tahunan.aksi.nomor}/{uuid.uuid4().hex}.{instance.jenis}"


class BuktiQuerySet(KonvergensiQuerySet):
    opd_lookup = "aksi_tahunan__opd"



@audited()
class Bukti(models.Model):
    """An evidence document for an action in a year, checked by content, with its checksum."""

    JENIS = [("pdf", "PDF"), ("png", "Gambar PNG"), ("jpg", "Gambar JPEG"), ("xlsx", "Excel (XLSX)"), ("docx", "Word (DOCX)")]

    aksi_tahunan = models.ForeignKey(AksiTahunan, on_delete=models.PROTECT, related_name="bukti")
    keluaran = models.ForeignKey(KeluaranAksi, on_delete=models.SET_NULL, null=True, blank=True, related_name="bukti")
    judul = models.CharField(max_length=200)
    berkas = models.FileField(upload_to=bukti_path, max_length=255)
    nama_berkas = models.CharField("nama berkas asli", max_length=255)
    jenis = models.CharField(max_length=5, choices=JENIS)
    mime = models.CharField(max_length=100)
    ukuran = models.PositiveBigIntegerField("ukuran (bita)")
    sha256 = models.CharField("SHA-256", max_length=64)
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, null=True, blank=True, related_name="bukti_konvergensi")
    diunggah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    diunggah_pada = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=StatusVerifikasi.choices, default=StatusVerifikasi.MENUNGGU)
    komentar = models.TextField("catatan verifikasi", blank=True)
    diverifikasi_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    diverifikasi_pada = models.DateTimeField(null=True, blank=True)

    objects = BuktiQuerySet.as_manager()

    class Meta:
        ordering = ["-diunggah_pada", "-id"]
        verbose_name = "bukti dukung"
        verbose_name_plural = "bukti dukung"
        indexes = [models.Index(fields=["status", "diunggah_pada"])]
        constraints = [
            models.CheckConstraint(name="bukti_sha256_hex", condition=Q(sha256__regex=r"^[0-9a-f]{64}$")),
        ]

    def __str__(self):
        return self.judul

    @property
    def warna(self):
        return {"menunggu": "blue", "diterima": "green", "perlu_revisi": "red"}[self.status]


@audited()
class Verifikasi(models.Model):
    """One verification decision on an evidence document (the history the OPD reads)."""

    bukti = models.ForeignKey(Bukti, on_delete=models.CASCADE, related_name="riwayat")
    status = models.CharField(max_length=20, choices=StatusVerifikasi.choices)
    komentar = models.TextField(blank=True)
    oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    pada = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-pada", "-id"]
        verbose_name = "verifikasi bukti"
        verbose_name_plural = "verifikasi bukti"

    def __str__(self):
        return f"{self.bukti} — {self.get_status_display()}"


class Unsur(models.TextChoices):
    WALI_KOTA = "wali_kota", "Wali Kota / Wakil Wali Kota"
    DPRD = "dprd", "DPRD"
    OPD = "opd", "Kepala OPD"
    WILAYAH = "wilayah", "Camat / Lurah"
    MITRA = "mitra", "Mitra (perguruan tinggi, swasta, organisasi)"
    LAINNYA = "lainnya", "Lainnya"


class RembukQuerySet(KonvergensiQuerySet):
    """Action 3's record: changed by the OPDs responsible for action 3 in that year."""

    opd_lookup = None

    def own_rows(self, user, access, action):
        if action != CHANGE:
            return self.none()
        years = AksiTahunan.objects.for_user(user, CHANGE).filter(aksi__nomor=3).values("tahun")
        return self.filter(tahun__in=years)


@audited()
class RembukStunting(models.Model):
    """Action 3: the year's Rembuk Stunting and the commitment signed there."""

    tahun = models.PositiveSmallIntegerField(unique=True)
    tanggal = models.DateField()
    tempat = models.CharField(max_length=200, blank=True)
    jumlah_peserta = models.PositiveIntegerField("jumlah peserta", null=True, blank=True)
    peserta = models.TextField("unsur peserta", blank=True, help_text="Unsur yang hadir, misalnya OPD, DPRD, camat, lurah, mitra.")
    kegiatan_disepakati = models.TextField("kegiatan yang disepakati", blank=True, help_text="Satu kegiatan per baris.")
    catatan = models.TextField(blank=True)

    objects = RembukQuerySet.as_manager()

    class Meta:
        ordering = ["-tahun"]
        verbose_name = "rembuk stunting"
        verbose_name_plural = "rembuk stunting"

    def __str__(self):
        return f"Rembuk Stunting {self.tahun}"

    @property
    def daftar_kegiatan(self):
        return [line.strip(" -•\t") for line in self.kegiatan_disepakati.splitlines() if line.strip(" -•\t")]


@audited()
class Penandatangan(models.Model):
    """A signatory of the Rembuk Stunting commitment."""

    rembuk = models.ForeignKey(RembukStunting, on_delete=models.CASCADE, related_name="penandatangan")
    nama = models.CharField(max_length=150)
    jabatan = models.CharField(max_length=200)
    unsur = models.CharField(max_length=20, choices=Unsur.choices, default=Unsur.OPD)

    class Meta:
        ordering = ["rembuk", "id"]
        verbose_name = "penandatangan komitmen"
        verbose_name_plural = "penandatangan komitmen"

    def __str__(self):
        return f"{self.nama} ({self.jabatan})"
