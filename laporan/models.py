"""Tables of the laporan app: yearly targets, the dashboard summary, the provincial ranking of
kab/kota and the generated evaluation packs."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tpps.audit import audited
from tpps.models import Kelurahan
from tpps.roles import AreaScopedQuerySet, Role

# Roles that read city-wide aggregates (OPD reads figures, never names).
AGGREGATE_CITY_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN, Role.OPD})


@audited()
class TargetTahunan(models.Model):
    """The city's stunting target for one year (prevalence in percent; lower is better)."""

    tahun = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(2018), MaxValueValidator(2045)])
    target_prevalensi = models.DecimalField(
        "target prevalensi stunting (%)", max_digits=4, decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    target_cakupan = models.DecimalField(
        "target cakupan pengukuran (%)", max_digits=4, decimal_places=1, default=90,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    keterangan = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["tahun"]
        verbose_name = "target tahunan"
        verbose_name_plural = "target tahunan"

    def __str__(self):
        return f"Target {self.tahun}: {self.target_prevalensi}%"


class Jenis(models.TextChoices):
    BULAN = "bulan", "Bulan"
    TRIWULAN = "triwulan", "Triwulan"
    SEMESTER = "semester", "Semester"
    TAHUN = "tahun", "Tahun"


class RingkasanQuerySet(AreaScopedQuerySet):
    area_lookup = "kelurahan"
    city_roles = {**AreaScopedQuerySet.city_roles, "view": AGGREGATE_CITY_ROLES}


class RingkasanStatus(models.Model):
    """Counts per kelurahan and reporting period from each child's latest measurement in it.

    A derived cache over balita's measurements (rebuilt by `services.refresh_summary`), so it is
    not audited: the audit trail lives on the measurements themselves.
    """

    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    tahun = models.PositiveSmallIntegerField()
    nomor = models.PositiveSmallIntegerField(help_text="bulan 1–12, triwulan 1–4, semester 1–2, tahun 1")
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.CASCADE, related_name="+")
    # Children under five at some time in the period, registered in the kelurahan.
    sasaran = models.PositiveIntegerField(default=0)
    # Children whose latest measurement in the period was taken in the kelurahan.
    diukur = models.PositiveIntegerField(default=0)
    tbu_valid = models.PositiveIntegerField(default=0)
    stunting = models.PositiveIntegerField(default=0)
    sangat_pendek = models.PositiveIntegerField(default=0)
    bbu_valid = models.PositiveIntegerField(default=0)
    underweight = models.PositiveIntegerField(default=0)
    bbtb_valid = models.PositiveIntegerField(default=0)
    wasting = models.PositiveIntegerField(default=0)

    objects = RingkasanQuerySet.as_manager()

    class Meta:
        verbose_name = "ringkasan status gizi"
        verbose_name_plural = "ringkasan status gizi"
        constraints = [
            models.UniqueConstraint(fields=["tahun", "jenis", "nomor", "kelurahan"], name="ringkasan_unik"),
        ]

    def __str__(self):
        return f"{self.kelurahan_id} {self.jenis} {self.nomor}/{self.tahun}"


class PembaruanRingkasan(models.Model):
    """One run of the summary refresh (shown on the dashboard as 'diperbarui …')."""

    waktu = models.DateTimeField(auto_now_add=True)
    tahun = models.CharField(max_length=200, help_text="tahun yang dihitung ulang")
    baris = models.PositiveIntegerField(default=0)
    durasi_detik = models.FloatField(default=0)
    # Measurements at the time, so the demo loader can tell whether a refresh is due.
    jumlah_pengukuran = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-waktu"]
        get_latest_by = "waktu"


# --- Provincial assessment (penilaian kinerja TPPS kab/kota) ----------------------------------


@audited()
class KabKota(models.Model):
    """The 38 kab/kota of Jawa Timur (reference data, loaded by a data migration)."""

    class Jenis(models.TextChoices):
        KABUPATEN = "kabupaten", "Kabupaten"
        KOTA = "kota", "Kota"

    kode = models.CharField("kode Kemendagri", max_length=5, unique=True)
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    nama = models.CharField(max_length=60, help_text="tanpa 'Kabupaten'/'Kota'")

    class Meta:
        ordering = ["kode"]
        verbose_name = "kabupaten/kota"
        verbose_name_plural = "kabupaten/kota"
        constraints = [models.UniqueConstraint(fields=["jenis", "nama"], name="kabkota_unik")]

    def __str__(self):
        return f"{self.get_jenis_display()} {self.nama}"

    @property
    def singkat(self):
        return f"Kab. {self.nama}" if self.jenis == self.Jenis.KABUPATEN else f"Kota {self.nama}"


@audited()
class Penilaian(models.Model):
    """The province's assessment of all kab/kota for one year."""

    tahun = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(2018), MaxValueValidator(2045)])
    keterangan = models.CharField(max_length=200, blank=True)
    skor_maksimum = models.DecimalField("skor maksimum", max_digits=6, decimal_places=2, null=True, blank=True)
    diubah = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-tahun"]
        verbose_name = "penilaian kinerja kab/kota"
        verbose_name_plural = "penilaian kinerja kab/kota"

    def __str__(self):
        return f"Penilaian kinerja {self.tahun}"


@audited()
class NilaiKabKota(models.Model):
    """Score and rank of one kab/kota. Ranks are entered, not computed: equal scores may hold
    different ranks (the province breaks ties)."""

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="nilai")
    kab_kota = models.ForeignKey(KabKota, on_delete=models.PROTECT, related_name="nilai")
    skor = models.DecimalField(max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    peringkat = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(38)])

    class Meta:
        ordering = ["penilaian", "peringkat"]
        verbose_name = "nilai kab/kota"
        verbose_name_plural = "nilai kab/kota"
        constraints = [
            models.UniqueConstraint(fields=["penilaian", "kab_kota"], name="nilai_satu_per_kabkota"),
            models.UniqueConstraint(fields=["penilaian", "peringkat"], name="nilai_peringkat_unik"),
        ]

    def __str__(self):
        return f"{self.kab_kota} {self.penilaian.tahun}: {self.skor} (#{self.peringkat})"


@audited()
class KomponenNilai(models.Model):
    """One component of our own city's score in an assessment (e.g. 2023: five components)."""

    penilaian = models.ForeignKey(Penilaian, on_delete=models.CASCADE, related_name="komponen")
    urutan = models.PositiveSmallIntegerField(default=1)
    nama = models.CharField(max_length=150)
    bobot = models.DecimalField("bobot (%)", max_digits=5, decimal_places=2, null=True, blank=True,
                                validators=[MinValueValidator(0), MaxValueValidator(100)])
    skor = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)])
    skor_maksimum = models.DecimalField("skor maksimum", max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["penilaian", "urutan"]
        verbose_name = "komponen nilai"
        verbose_name_plural = "komponen nilai"
        constraints = [models.UniqueConstraint(fields=["penilaian", "nama"], name="komponen_unik")]

    def __str__(self):
        return self.nama

    def clean(self):
        if self.skor is not None and self.skor_maksimum is not None and self.skor > self.skor_maksimum:
            raise ValidationError({"skor": "Skor tidak boleh melebihi skor maksimum."})


# --- Evaluation pack (PDF) ----------------------------------------------------------------------


@audited(exclude=["progres", "langkah"])
class PaketEvaluasi(models.Model):
    class Status(models.TextChoices):
        ANTRE = "antre", "Menunggu giliran"
        PROSES = "proses", "Sedang dibuat"
        SELESAI = "selesai", "Selesai"
        GAGAL = "gagal", "Gagal"

    tahun = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ANTRE)
    progres = models.PositiveSmallIntegerField(default=0, help_text="persen")
    langkah = models.CharField(max_length=120, blank=True)
    berkas = models.FileField(upload_to="laporan/paket/%Y/", blank=True)
    ukuran = models.PositiveIntegerField("ukuran (bait)", default=0)
    halaman = models.PositiveSmallIntegerField(default=0)
    durasi_detik = models.FloatField(null=True, blank=True)
    pesan_galat = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)
    selesai = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-dibuat"]
        verbose_name = "paket evaluasi"
        verbose_name_plural = "paket evaluasi"

    def __str__(self):
        return f"Paket evaluasi {self.tahun} ({self.get_status_display()})"

    @property
    def siap(self):
        return self.status == self.Status.SELESAI and bool(self.berkas)

    @property
    def berjalan(self):
        return self.status in (self.Status.ANTRE, self.Status.PROSES)

    @property
    def nama_berkas(self):
        return f"paket-evaluasi-tpps-{self.tahun}-{self.pk}.pdf"
