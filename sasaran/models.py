"""Sasaran hulu: the targets upstream of the toddler — brides-to-be screened as Elsimil records
them (Catin), adolescent girls' iron tablets counted per school (TtdRemajaPutri) and BKKBN's
families at risk of stunting (KeluargaKrs) — and the imports that bring them in (ImporSasaran).

Who sees and changes what is decided here, in the querysets (README "Roles and scope"): catin
by the secretariat, the area's operator wilayah (puskesmas) and the health office (OPD Dinkes,
city-wide); TTD counts the same; KRS data by the secretariat (DP3AP2KB) city-wide, the area's
operator wilayah reads its own. Pimpinan reads all, names masked (tpps.masking).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from tpps.audit import audited
from tpps.models import Kelurahan
from tpps.roles import (
    CHANGE, CITY_EDITORS, CITY_ROLES, VERIFY, VIEW, AreaScopedQuerySet, HealthOfficeQuerySet, ScopedQuerySet,
)


class JenisKelamin(models.TextChoices):
    L = "L", "Laki-laki"
    P = "P", "Perempuan"


class Sumber(models.TextChoices):
    FORM = "form", "Formulir"
    IMPOR = "impor", "Impor"


@audited()
class Catin(models.Model):
    """One screening of a bride- or groom-to-be (Elsimil's fields). The risk columns are written
    by sasaran.rules on every save, so figures count them in SQL."""

    nik = models.CharField("NIK", max_length=16)
    nama = models.CharField(max_length=150)
    jenis_kelamin = models.CharField("jenis kelamin", max_length=1, choices=JenisKelamin.choices)
    tanggal_lahir = models.DateField("tanggal lahir")
    alamat = models.CharField(max_length=255, blank=True)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="catin")
    tanggal_periksa = models.DateField("tanggal pemeriksaan")
    rencana_nikah = models.DateField("rencana tanggal menikah", null=True, blank=True)
    berat = models.DecimalField("berat (kg)", max_digits=5, decimal_places=1)
    tinggi = models.DecimalField("tinggi (cm)", max_digits=5, decimal_places=1)
    lila = models.DecimalField("LiLA (cm)", max_digits=4, decimal_places=1, null=True, blank=True)
    hb = models.DecimalField("Hb (g/dL)", max_digits=4, decimal_places=1, null=True, blank=True)
    terpapar_rokok = models.BooleanField("terpapar asap rokok", null=True, blank=True)
    didampingi = models.BooleanField("mendapat pendampingan TPK", default=False)
    # Written by sasaran.rules.apply (never typed).
    usia = models.PositiveSmallIntegerField("usia (tahun)")
    imt = models.DecimalField("IMT", max_digits=4, decimal_places=1)
    kurus = models.BooleanField("IMT < 18,5", default=False)
    kek = models.BooleanField("KEK (LiLA < 23,5)", default=False)
    anemia = models.BooleanField(default=False)
    usia_berisiko = models.BooleanField("usia berisiko", default=False)
    berisiko = models.BooleanField(default=False)
    sumber = models.CharField(max_length=10, choices=Sumber.choices, default=Sumber.FORM)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    objects = HealthOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "catin"
        verbose_name_plural = "catin"
        ordering = ["-tanggal_periksa", "nama"]
        constraints = [
            models.UniqueConstraint(fields=["nik", "tanggal_periksa"], name="catin_satu_periksa_per_hari"),
            models.CheckConstraint(condition=Q(nik__regex=r"^[0-9]{16}$"), name="catin_nik_16_digit"),
        ]
        indexes = [models.Index(fields=["kelurahan", "tanggal_periksa"])]

    def __str__(self):
        return f"{self.nama} ({self.tanggal_periksa:%d/%m/%Y})"


@audited()
class TtdRemajaPutri(models.Model):
    """A school's monthly count of adolescent girls and iron-folic-acid tablets (TTD)."""

    sekolah = models.CharField(max_length=150)
    # The school's name reduced (case, spaces, punctuation ignored): "SMPN 1 Kediri" = "smpn 1  KEDIRI.".
    kunci_sekolah = models.CharField(max_length=150, editable=False)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="ttd_remaja")
    tahun = models.PositiveSmallIntegerField()
    bulan = models.PositiveSmallIntegerField()
    jumlah_siswi = models.PositiveIntegerField("jumlah remaja putri")
    diberi_ttd = models.PositiveIntegerField("remaja putri diberi TTD")
    minum_ttd = models.PositiveIntegerField("remaja putri minum TTD")
    sumber = models.CharField(max_length=10, choices=Sumber.choices, default=Sumber.FORM)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    objects = HealthOfficeQuerySet.as_manager()

    class Meta:
        verbose_name = "TTD remaja putri"
        verbose_name_plural = "TTD remaja putri"
        ordering = ["-tahun", "-bulan", "sekolah"]
        constraints = [
            models.UniqueConstraint(fields=["kunci_sekolah", "kelurahan", "tahun", "bulan"], name="ttd_satu_per_sekolah_bulan"),
            models.CheckConstraint(condition=Q(diberi_ttd__lte=models.F("jumlah_siswi")), name="ttd_diberi_lte_jumlah"),
            models.CheckConstraint(condition=Q(minum_ttd__lte=models.F("diberi_ttd")), name="ttd_minum_lte_diberi"),
            models.CheckConstraint(condition=Q(bulan__gte=1, bulan__lte=12), name="ttd_bulan_1_12"),
        ]

    def __str__(self):
        return f"{self.sekolah} {self.bulan:02d}/{self.tahun}"


class KrsQuerySet(AreaScopedQuerySet):
    """BKKBN's family data: the secretariat (DP3AP2KB) changes it city-wide; the area's operator
    wilayah reads its own families; Pimpinan reads all (names masked)."""

    area_actions = frozenset({VIEW})
    city_roles = {VIEW: CITY_ROLES, CHANGE: CITY_EDITORS, VERIFY: CITY_EDITORS}


@audited()
class KeluargaKrs(models.Model):
    """A family at risk of stunting as BKKBN's Pendataan Keluarga / Verval KRS lists it, for one
    data year, with what it was matched to in GENTING (sasaran.matching)."""

    class Cocok(models.TextChoices):
        NIK = "nik", "NIK kepala keluarga"
        NAMA = "nama", "Nama kepala keluarga + kelurahan"
        TIDAK = "", "Tidak cocok"

    tahun = models.PositiveSmallIntegerField("tahun data")
    kepala_keluarga = models.CharField("kepala keluarga", max_length=150)
    nik_kepala = models.CharField("NIK kepala keluarga", max_length=16, blank=True)
    # The row's identity within a year: its NIK, else its reduced name (with the kelurahan).
    kunci = models.CharField(max_length=160, editable=False)
    nama_istri = models.CharField("nama istri/ibu", max_length=150, blank=True)
    nik_istri = models.CharField("NIK istri/ibu", max_length=16, blank=True)
    alamat = models.CharField(max_length=255, blank=True)
    rt = models.CharField("RT", max_length=3, blank=True)
    rw = models.CharField("RW", max_length=3, blank=True)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="keluarga_krs")
    jumlah_anggota = models.PositiveSmallIntegerField("jumlah anggota keluarga", null=True, blank=True)
    tanpa_air_minum_layak = models.BooleanField("tidak punya sumber air minum layak", default=False)
    tanpa_jamban_layak = models.BooleanField("tidak punya jamban layak", default=False)
    terlalu_muda = models.BooleanField("terlalu muda (istri < 20 tahun)", default=False)
    terlalu_tua = models.BooleanField("terlalu tua (istri > 35 tahun)", default=False)
    terlalu_dekat = models.BooleanField("terlalu dekat (jarak lahir < 2 tahun)", default=False)
    terlalu_banyak = models.BooleanField("terlalu banyak (anak ≥ 3)", default=False)
    pus = models.BooleanField("pasangan usia subur (PUS)", default=False)
    unmet_need = models.BooleanField("PUS ingin ber-KB tidak terlayani (unmet need)", default=False)
    ada_baduta = models.BooleanField("ada baduta", default=False)
    ada_balita = models.BooleanField("ada balita", default=False)
    ada_ibu_hamil = models.BooleanField("ada ibu hamil", default=False)
    keluarga_genting = models.ForeignKey("genting.KeluargaRisikoStunting", on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="+", verbose_name="keluarga GENTING")
    cocok = models.CharField("dicocokkan lewat", max_length=5, choices=Cocok.choices, blank=True, default="")
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    objects = KrsQuerySet.as_manager()

    class Meta:
        verbose_name = "keluarga risiko stunting (BKKBN)"
        verbose_name_plural = "keluarga risiko stunting (BKKBN)"
        ordering = ["kelurahan__kode", "kepala_keluarga"]
        constraints = [
            models.UniqueConstraint(fields=["tahun", "kelurahan", "kunci"], name="krs_satu_per_tahun"),
            models.CheckConstraint(condition=Q(nik_kepala="") | Q(nik_kepala__regex=r"^[0-9]{16}$"),
                                   name="krs_bkkbn_nik_16_digit"),
            models.CheckConstraint(condition=Q(unmet_need=False) | Q(pus=True), name="krs_unmet_need_hanya_pus"),
        ]

    def __str__(self):
        return f"{self.kepala_keluarga} ({self.tahun})"


class JenisImpor(models.TextChoices):
    CATIN = "catin", "Catin (Elsimil)"
    REMAJA = "remaja", "TTD remaja putri"
    KRS = "krs", "Keluarga risiko stunting (BKKBN)"


class ImporQuerySet(ScopedQuerySet):
    """The secretariat sees every import; anyone else the imports they uploaded."""

    city_roles = {VIEW: CITY_EDITORS, CHANGE: CITY_EDITORS, VERIFY: CITY_EDITORS}

    def own_rows(self, user, access, action):
        if action in (VIEW, CHANGE) and getattr(user, "pk", None):
            return self.filter(diunggah_oleh_id=user.pk)
        return self.none()


@audited()
class ImporSasaran(models.Model):
    """One uploaded file: checked at upload (the preview), written when confirmed."""

    class Status(models.TextChoices):
        PRATINJAU = "pratinjau", "Menunggu konfirmasi"
        SELESAI = "selesai", "Selesai diimpor"
        DIBATALKAN = "dibatalkan", "Dibatalkan"

    jenis = models.CharField(max_length=10, choices=JenisImpor.choices)
    berkas = models.FileField(upload_to="sasaran/impor/%Y/%m/")
    nama_berkas = models.CharField("nama berkas", max_length=255)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PRATINJAU)
    ringkasan = models.JSONField(default=dict, blank=True)
    galat = models.JSONField(default=list, blank=True)
    galat_total = models.PositiveIntegerField(default=0)
    diunggah_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)
    selesai = models.DateTimeField(null=True, blank=True)

    objects = ImporQuerySet.as_manager()

    class Meta:
        verbose_name = "impor sasaran"
        verbose_name_plural = "impor sasaran"
        ordering = ["-dibuat"]

    def __str__(self):
        return f"{self.get_jenis_display()}: {self.nama_berkas}"
