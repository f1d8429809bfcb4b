"""Indicator catalogue (RAN PASTI / Perpres 72/2021 plus local ones), yearly targets and
achievements (capaian) per quarter and year, with kendala and upaya."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from konvergensi.models.aksi import KonvergensiQuerySet
from konvergensi.rules import Arah, Periode, persentase
from tpps.audit import audited
from tpps.models import Opd


class JenisIndikator(models.TextChoices):
    NASIONAL = "nasional", "RAN PASTI / Perpres 72/2021"
    LOKAL = "lokal", "Lokal Kota Kediri"


class HitungOtomatis(models.TextChoices):
    """Indicators whose capaian we compute from our own data (balita, ibuhamil, sasaran) when it has data."""

    TIDAK = "", "Diisi OPD"
    PREVALENSI_STUNTING = "prevalensi_stunting", "Dihitung: prevalensi stunting dari data balita"
    BALITA_DIPANTAU = "balita_dipantau", "Dihitung: balita yang diukur dari data balita"
    ASI_EKSKLUSIF = "asi_eksklusif", "Dihitung: bayi 0–5 bulan ASI eksklusif dari data penimbangan"
    REMATRI_TTD = "rematri_ttd", "Dihitung: remaja putri minum TTD dari laporan sekolah"
    CATIN_DIPERIKSA = "catin_diperiksa", "Dihitung: catin diperiksa lengkap dari data Elsimil"
    UNMET_NEED = "unmet_need", "Dihitung: unmet need KB dari data keluarga risiko stunting BKKBN"
    IBU_HAMIL_KEK_PMT = "bumil_kek_pmt", "Dihitung: ibu hamil KEK yang mendapat PMT dari data ibu hamil"
    IBU_HAMIL_TTD90 = "bumil_ttd90", "Dihitung: ibu hamil dengan TTD ≥ 90 tablet dari data ibu hamil"
    IBU_HAMIL_K6 = "bumil_k6", "Dihitung: ibu bersalin dengan kunjungan K6 dari data ibu hamil"


@audited()
class Indikator(models.Model):
    kode = models.SlugField(max_length=40, unique=True)
    nama = models.CharField(max_length=255)
    satuan = models.CharField(max_length=30, default="%")
    arah = models.CharField(max_length=10, choices=Arah.choices, default=Arah.NAIK)
    jenis = models.CharField(max_length=10, choices=JenisIndikator.choices, default=JenisIndikator.LOKAL)
    sumber_data = models.CharField("sumber data", max_length=200)
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="indikator", verbose_name="OPD penanggung jawab")
    definisi_pembilang = models.CharField("pembilang", max_length=255, blank=True)
    definisi_penyebut = models.CharField("penyebut", max_length=255, blank=True)
    hitung_otomatis = models.CharField("cara memperoleh capaian", max_length=30, choices=HitungOtomatis.choices, blank=True, default="")
    urutan = models.PositiveSmallIntegerField(default=0)
    aktif = models.BooleanField(default=True)

    objects = KonvergensiQuerySet.as_manager()

    class Meta:
        ordering = ["urutan", "kode"]
        verbose_name = "indikator"
        verbose_name_plural = "indikator"

    def __str__(self):
        return self.nama


class TargetQuerySet(KonvergensiQuerySet):
    opd_lookup = "indikator__opd"


@audited()
class TargetIndikator(models.Model):
    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="target")
    tahun = models.PositiveSmallIntegerField()
    nilai = models.DecimalField(max_digits=12, decimal_places=2)

    objects = TargetQuerySet.as_manager()

    class Meta:
        ordering = ["indikator", "tahun"]
        verbose_name = "target indikator"
        verbose_name_plural = "target indikator"
        constraints = [models.UniqueConstraint(fields=["indikator", "tahun"], name="target_unik_per_tahun")]

    def __str__(self):
        return f"{self.indikator} {self.tahun}: {self.nilai}"


class CapaianQuerySet(KonvergensiQuerySet):
    opd_lookup = "indikator__opd"


@audited()
class Capaian(models.Model):
    """An indicator's achievement in one period: numerator ÷ denominator, or a direct value.

    `nilai` is what counts: computed from pembilang/penyebut when both are given (percent
    indicators), else the value typed. For indicators computed from our data the row may hold
    only kendala and upaya.
    """

    indikator = models.ForeignKey(Indikator, on_delete=models.CASCADE, related_name="capaian")
    tahun = models.PositiveSmallIntegerField()
    periode = models.CharField(max_length=2, choices=Periode.choices)
    pembilang = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    penyebut = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    nilai = models.DecimalField("capaian", max_digits=12, decimal_places=2, null=True, blank=True)
    kendala = models.TextField(blank=True)
    upaya = models.TextField(blank=True)
    diisi_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    diubah = models.DateTimeField(auto_now=True)

    objects = CapaianQuerySet.as_manager()

    class Meta:
        ordering = ["indikator", "tahun", "periode"]
        verbose_name = "capaian indikator"
        verbose_name_plural = "capaian indikator"
        constraints = [
            models.UniqueConstraint(fields=["indikator", "tahun", "periode"], name="capaian_unik_per_periode"),
            models.CheckConstraint(name="capaian_penyebut_positif", condition=Q(penyebut__isnull=True) | Q(penyebut__gt=0)),
            models.CheckConstraint(name="capaian_pembilang_tidak_negatif", condition=Q(pembilang__isnull=True) | Q(pembilang__gte=0)),
        ]

    def __str__(self):
        return f"{self.indikator} {self.get_periode_display()} {self.tahun}"

    def clean(self):
        has_ratio = self.pembilang is not None or self.penyebut is not None
        if has_ratio:
            if self.indikator.satuan.strip() != "%":
                raise ValidationError({"pembilang": f"Indikator bersatuan {self.indikator.satuan} diisi langsung pada kolom capaian, tanpa pembilang/penyebut."})
            if self.pembilang is None:
                raise ValidationError({"pembilang": "Isi pembilang, atau kosongkan pembilang dan penyebut lalu isi capaian langsung."})
            if self.penyebut is None:
                raise ValidationError({"penyebut": "Isi penyebut, atau kosongkan pembilang dan penyebut lalu isi capaian langsung."})
            if self.penyebut <= 0:
                raise ValidationError({"penyebut": "Penyebut harus lebih dari 0."})
            if self.pembilang < 0:
                raise ValidationError({"pembilang": "Pembilang tidak boleh negatif."})
            if self.pembilang > self.penyebut:
                raise ValidationError({"pembilang": "Pembilang tidak boleh lebih besar dari penyebut untuk indikator persentase."})
            self.nilai = persentase(self.pembilang, self.penyebut)
        elif self.nilai is None and not self.indikator.hitung_otomatis:
            raise ValidationError({"nilai": "Isi capaian langsung, atau isi pembilang dan penyebut."})
        if self.nilai is not None and self.nilai < 0:
            raise ValidationError({"nilai": "Capaian tidak boleh negatif."})
