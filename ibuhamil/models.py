"""Ibu hamil: a pregnancy (Kehamilan) with the mother's identity, its antenatal visits
(KunjunganAnc, K1–K6), its PMT courses for KEK (PemberianPmt) and its outcome (the birth, written
on the pregnancy, linked to the child in balita).

What is derived is never typed: HPL from HPHT, the trimester of a visit, KEK, anaemia, the TTD
total, the visit count and the risk flags are written by `ibuhamil.services` with the rules of
`ibuhamil.rules` whenever the typed facts change, so lists and figures are plain SQL.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from balita.models import Anak, JenisKelamin
from ibuhamil import rules
from tpps.audit import audited
from tpps.models import Kelurahan, Posyandu
from tpps.roles import CHANGE, CITY_EDITORS, CITY_ROLES, VERIFY, VIEW, HealthOfficeQuerySet, Role


class KeadaanLahir(models.TextChoices):
    HIDUP = "hidup", "Lahir hidup"
    MATI = "mati", "Lahir mati"
    KEGUGURAN = "keguguran", "Keguguran"


class Tautan(models.TextChoices):
    """The newborn's link to balita."""

    BELUM = "", "Belum ada persalinan"
    TERTAUT = "tertaut", "Tertaut ke data balita"
    TINJAU = "tinjau", "Perlu keputusan petugas"
    TIDAK = "tidak", "Tidak ada bayi hidup"


class KehamilanQuerySet(HealthOfficeQuerySet):
    """The mother's kelurahan decides: the secretariat and the health office (OPD Dinkes) change
    the city, an operator wilayah (puskesmas) its area; Pimpinan and other OPD users read the city.
    Names are masked for every role that does not enter children's data (tpps.masking)."""

    area_lookup = "kelurahan"
    city_roles = {VIEW: CITY_ROLES | {Role.OPD}, CHANGE: CITY_EDITORS, VERIFY: CITY_EDITORS}


class PregnancyRowQuerySet(KehamilanQuerySet):
    area_lookup = "kehamilan__kelurahan"


@audited()
class Kehamilan(models.Model):
    # The mother
    nama = models.CharField("nama ibu", max_length=150)
    nik = models.CharField("NIK ibu", max_length=16, null=True, blank=True)
    tanggal_lahir = models.DateField("tanggal lahir ibu")
    alamat = models.CharField(max_length=255, blank=True)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # The pregnancy (typed)
    hpht = models.DateField("HPHT", help_text="Hari pertama haid terakhir")
    jumlah_persalinan = models.PositiveSmallIntegerField(
        "jumlah persalinan sebelumnya", default=0, validators=[MaxValueValidator(20)])
    persalinan_terakhir = models.DateField("tanggal persalinan terakhir", null=True, blank=True)
    # Derived (ibuhamil.services.refresh): never typed.
    hpl = models.DateField("HPL (taksiran persalinan)")
    # The last day the pregnancy counts in a period: the outcome, else HPL + 14 days.
    akhir = models.DateField("akhir masa hamil")
    risiko = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    kek = models.BooleanField("KEK", null=True, blank=True)
    anemia = models.BooleanField(null=True, blank=True)
    ttd = models.PositiveSmallIntegerField("TTD diminum", default=0)
    kunjungan = models.PositiveSmallIntegerField("jumlah kunjungan", default=0)
    # The outcome (persalinan)
    tanggal_persalinan = models.DateField("tanggal persalinan", null=True, blank=True)
    keadaan_lahir = models.CharField("keadaan lahir", max_length=10, choices=KeadaanLahir.choices, blank=True)
    berat_lahir = models.PositiveSmallIntegerField("berat lahir (gram)", null=True, blank=True,
                                                   validators=[MinValueValidator(300), MaxValueValidator(6500)])
    panjang_lahir = models.DecimalField("panjang lahir (cm)", max_digits=4, decimal_places=1, null=True, blank=True,
                                        validators=[MinValueValidator(20), MaxValueValidator(65)])
    jenis_kelamin_bayi = models.CharField("jenis kelamin bayi", max_length=1, choices=JenisKelamin.choices, blank=True)
    nama_bayi = models.CharField("nama bayi", max_length=150, blank=True)
    nik_bayi = models.CharField("NIK bayi", max_length=16, blank=True)
    anak = models.ForeignKey(Anak, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name="anak di data balita")
    tautan = models.CharField("tautan ke balita", max_length=10, choices=Tautan.choices, blank=True)
    catatan_tautan = models.CharField("catatan tautan", max_length=500, blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="dicatat oleh")
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    objects = KehamilanQuerySet.as_manager()

    class Meta:
        verbose_name = "kehamilan"
        verbose_name_plural = "kehamilan"
        ordering = ["-hpht", "id"]
        constraints = [
            # One pregnancy per mother and HPHT: what makes a re-import change nothing.
            models.UniqueConstraint(Lower("nama"), "tanggal_lahir", "hpht", name="kehamilan_satu_per_ibu_hpht"),
            models.UniqueConstraint(fields=["nik", "hpht"], condition=Q(nik__isnull=False), name="kehamilan_nik_hpht"),
            models.CheckConstraint(condition=Q(nik__isnull=True) | Q(nik__regex=r"^[0-9]{16}$"), name="kehamilan_nik_16_digit"),
            models.CheckConstraint(condition=Q(tanggal_persalinan__isnull=True) | Q(tanggal_persalinan__gt=models.F("hpht")),
                                   name="kehamilan_persalinan_sesudah_hpht"),
        ]
        indexes = [
            models.Index(fields=["kelurahan", "hpht"]),
            models.Index(fields=["hpht", "akhir"]),
            models.Index(fields=["tanggal_persalinan"]),
        ]

    def __str__(self):
        return f"{self.nama} (HPHT {self.hpht:%d/%m/%Y})"

    @property
    def kode(self) -> str:
        return f"IH-{self.pk:05d}" if self.pk else "IH-baru"

    @property
    def bersalin(self) -> bool:
        return self.tanggal_persalinan is not None

    @property
    def bblr(self) -> bool:
        return rules.bblr(self.berat_lahir)

    @property
    def pblr(self) -> bool:
        return rules.pblr(self.panjang_lahir)

    @property
    def risiko_label(self) -> list[str]:
        return [rules.RISIKO[code] for code in self.risiko if code in rules.RISIKO]

    @property
    def umur_ibu(self) -> int:
        return rules.umur_tahun(self.tanggal_lahir, self.hpht)


@audited()
class KunjunganAnc(models.Model):
    """An antenatal visit (K1–K6) with what was measured: LiLA, Hb, and the TTD tablets taken so
    far in this pregnancy (cumulative, as buku KIA records them)."""

    kehamilan = models.ForeignKey(Kehamilan, on_delete=models.CASCADE, related_name="kunjungan_anc")
    ke = models.PositiveSmallIntegerField("kunjungan ke", validators=[MinValueValidator(1), MaxValueValidator(12)])
    tanggal = models.DateField()
    lila = models.DecimalField("LiLA (cm)", max_digits=4, decimal_places=1, null=True, blank=True,
                               validators=[MinValueValidator(10), MaxValueValidator(60)])
    hb = models.DecimalField("Hb (g/dL)", max_digits=4, decimal_places=1, null=True, blank=True,
                             validators=[MinValueValidator(3), MaxValueValidator(20)])
    ttd_kumulatif = models.PositiveSmallIntegerField("TTD diminum s.d. kunjungan ini", null=True, blank=True,
                                                     validators=[MaxValueValidator(400)])
    catatan = models.CharField(max_length=300, blank=True)

    objects = PregnancyRowQuerySet.as_manager()

    class Meta:
        verbose_name = "kunjungan antenatal"
        verbose_name_plural = "kunjungan antenatal"
        ordering = ["kehamilan", "ke"]
        constraints = [models.UniqueConstraint(fields=["kehamilan", "ke"], name="kunjungan_anc_satu_per_ke")]

    def __str__(self):
        return f"K{self.ke} {self.tanggal:%d/%m/%Y}"

    @property
    def trimester(self) -> int:
        return rules.trimester(self.kehamilan.hpht, self.tanggal)


@audited()
class PemberianPmt(models.Model):
    """A course of PMT (makanan tambahan) for a pregnant woman with KEK."""

    kehamilan = models.ForeignKey(Kehamilan, on_delete=models.CASCADE, related_name="pmt")
    mulai = models.DateField("tanggal mulai")
    lama_hari = models.PositiveSmallIntegerField("lama (hari)", default=rules.LAMA_PMT_KEK_HARI,
                                                 validators=[MinValueValidator(1), MaxValueValidator(365)])
    hari_dimakan = models.PositiveSmallIntegerField("hari dimakan", null=True, blank=True)
    catatan = models.CharField(max_length=300, blank=True)

    objects = PregnancyRowQuerySet.as_manager()

    class Meta:
        verbose_name = "PMT ibu hamil"
        verbose_name_plural = "PMT ibu hamil"
        ordering = ["kehamilan", "mulai"]
        constraints = [models.CheckConstraint(condition=Q(hari_dimakan__isnull=True) | Q(hari_dimakan__lte=models.F("lama_hari")),
                                              name="pmt_bumil_hari_dimakan_wajar")]

    def __str__(self):
        return f"PMT {self.mulai:%d/%m/%Y} ({self.lama_hari} hari)"

    @property
    def selesai(self):
        return self.mulai + datetime.timedelta(days=self.lama_hari - 1)
