"""Action 2: the year's planned activities per OPD, with their RKPD codes, budget ceiling (pagu)
and realisation in whole rupiah, target group, lokus kelurahan and the indicators they serve."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from konvergensi.models.aksi import KonvergensiQuerySet
from konvergensi.models.indikator import Indikator
from tpps.audit import audited
from tpps.models import Kelurahan, Opd

# Kepmendagri 050 nomenclature: program "1.02.02", kegiatan "1.02.02.2.02" (sub-kegiatan adds ".0016").
KODE_RKPD = RegexValidator(r"^[0-9X]+(\.[0-9X]+)*$", "Kode RKPD berupa angka dipisah titik, misalnya 1.02.02.2.02.")


class Sasaran(models.TextChoices):
    IBU_HAMIL = "ibu_hamil", "Ibu hamil"
    IBU_MENYUSUI = "ibu_menyusui", "Ibu menyusui"
    BADUTA = "baduta", "Baduta (0–23 bulan)"
    BALITA = "balita", "Balita (0–59 bulan)"
    REMAJA_PUTRI = "remaja_putri", "Remaja putri"
    CATIN = "catin", "Calon pengantin"
    KELUARGA_BERISIKO = "keluarga_berisiko", "Keluarga berisiko stunting"
    UMUM = "umum", "Masyarakat umum / lintas sasaran"


@audited()
class RencanaKegiatan(models.Model):
    tahun = models.PositiveSmallIntegerField()
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="rencana_kegiatan", verbose_name="OPD")
    nama = models.CharField("nama kegiatan", max_length=255)
    kode_program = models.CharField("kode program RKPD", max_length=30, blank=True, validators=[KODE_RKPD])
    kode_kegiatan = models.CharField(
        "kode kegiatan RKPD", max_length=40, blank=True, validators=[KODE_RKPD],
        help_text="Kosongkan bila kegiatan belum tercantum dalam RKPD.",
    )
    pagu = models.BigIntegerField("pagu (Rp)", default=0)
    realisasi = models.BigIntegerField("realisasi (Rp)", default=0)
    sasaran = models.CharField(max_length=20, choices=Sasaran.choices)
    lokus = models.ManyToManyField(Kelurahan, through="LokusKegiatan", related_name="+", blank=True, verbose_name="kelurahan lokus")
    indikator = models.ManyToManyField(Indikator, through="IndikatorKegiatan", related_name="kegiatan", blank=True, verbose_name="indikator yang didukung")
    keterangan = models.TextField(blank=True)

    objects = KonvergensiQuerySet.as_manager()

    class Meta:
        ordering = ["tahun", "opd__singkatan", "kode_kegiatan", "nama"]
        verbose_name = "rencana kegiatan"
        verbose_name_plural = "rencana kegiatan"
        constraints = [
            models.CheckConstraint(name="kegiatan_pagu_tidak_negatif", condition=Q(pagu__gte=0)),
            models.CheckConstraint(name="kegiatan_realisasi_dalam_pagu", condition=Q(realisasi__gte=0) & Q(realisasi__lte=F("pagu"))),
        ]

    def __str__(self):
        return self.nama

    @property
    def dalam_rkpd(self) -> bool:
        return bool(self.kode_kegiatan)

    @property
    def realisasi_persen(self):
        return round(100 * self.realisasi / self.pagu, 1) if self.pagu else None

    def clean(self):
        if self.pagu is not None and self.pagu < 0:
            raise ValidationError({"pagu": "Pagu tidak boleh negatif."})
        if self.realisasi is not None and self.realisasi < 0:
            raise ValidationError({"realisasi": "Realisasi tidak boleh negatif."})
        if self.pagu is not None and self.realisasi is not None and self.realisasi > self.pagu:
            raise ValidationError({"realisasi": "Realisasi tidak boleh melebihi pagu."})
        if self.kode_kegiatan and self.kode_program and not self.kode_kegiatan.startswith(self.kode_program + "."):
            raise ValidationError({"kode_kegiatan": f"Kode kegiatan harus diawali kode programnya ({self.kode_program}.)."})
        if self.kode_kegiatan and not self.kode_program:
            raise ValidationError({"kode_program": "Isi kode program RKPD untuk kegiatan yang punya kode kegiatan."})


@audited()
class LokusKegiatan(models.Model):
    kegiatan = models.ForeignKey(RencanaKegiatan, on_delete=models.CASCADE, related_name="+")
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "lokus kegiatan"
        verbose_name_plural = "lokus kegiatan"
        constraints = [models.UniqueConstraint(fields=["kegiatan", "kelurahan"], name="lokus_kegiatan_unik")]


@audited()
class IndikatorKegiatan(models.Model):
    kegiatan = models.ForeignKey(RencanaKegiatan, on_delete=models.CASCADE, related_name="+")
    indikator = models.ForeignKey(Indikator, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "indikator kegiatan"
        verbose_name_plural = "indikator kegiatan"
        constraints = [models.UniqueConstraint(fields=["kegiatan", "indikator"], name="indikator_kegiatan_unik")]
