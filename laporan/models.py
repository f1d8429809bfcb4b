"""Tables of the laporan app: yearly targets, the provincial ranking of kab/kota and the generated
evaluation packs. (The figures themselves are balita's: see balita/figures.py.)"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tpps.audit import audited
from tpps.jobs import AUDIT_EXCLUDE, Pekerjaan
from tpps.roles import ALL_ROLES, VIEW, ScopedQuerySet


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


class SurveiQuerySet(ScopedQuerySet):
    # A published city figure: every role reads it, the secretariat enters it.
    city_roles = {**ScopedQuerySet.city_roles, VIEW: ALL_ROLES}


@audited()
class SurveiPrevalensi(models.Model):
    """The city's stunting prevalence measured by a national survey in one year (SSGI, SKI), shown
    beside the register's prevalence: surveys measure a random sample with trained teams, the
    register every child who comes to the posyandu, so the two differ and the gap is a finding."""

    tahun = models.PositiveSmallIntegerField(validators=[MinValueValidator(2013), MaxValueValidator(2045)])
    sumber = models.CharField("sumber", max_length=60, help_text="mis. SSGI 2024, SKI 2023")
    prevalensi = models.DecimalField(
        "prevalensi stunting (%)", max_digits=4, decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    keterangan = models.CharField(max_length=200, blank=True)

    objects = SurveiQuerySet.as_manager()

    class Meta:
        ordering = ["-tahun", "sumber"]
        verbose_name = "prevalensi survei"
        verbose_name_plural = "prevalensi survei"
        constraints = [models.UniqueConstraint(fields=["tahun", "sumber"], name="survei_satu_per_sumber_per_tahun")]

    def __str__(self):
        return f"{self.sumber}: {self.prevalensi}%"


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


@audited(exclude=AUDIT_EXCLUDE)
class PaketEvaluasi(Pekerjaan):
    tahun = models.PositiveSmallIntegerField()
    berkas = models.FileField(upload_to="laporan/paket/%Y/", blank=True)
    ukuran = models.PositiveIntegerField("ukuran (bait)", default=0)
    halaman = models.PositiveSmallIntegerField(default=0)
    durasi_detik = models.FloatField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    dibuat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)

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
    def nama_berkas(self):
        return f"paket-evaluasi-tpps-{self.tahun}-{self.pk}.pdf"


# --- Narrative of the evaluation pack -----------------------------------------------------------


@audited()
class NarasiPaket(models.Model):
    """The operator's wording of one paragraph of the pack's narrative for one performance year.
    Without a row the pack prints the automatic text (laporan/narasi.py); `teks_otomatis` keeps the
    automatic text the operator saw when editing, so a later change of the figures shows."""

    tahun = models.PositiveSmallIntegerField()
    kunci = models.CharField(max_length=30)
    teks = models.TextField("teks")
    teks_otomatis = models.TextField("teks otomatis saat disunting")
    diubah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    diubah_pada = models.DateTimeField(auto_now=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["tahun", "kunci"]
        verbose_name = "narasi paket"
        verbose_name_plural = "narasi paket"
        constraints = [models.UniqueConstraint(fields=["tahun", "kunci"], name="narasi_satu_per_paragraf")]

    def __str__(self):
        return f"Narasi {self.tahun}: {self.kunci}"
