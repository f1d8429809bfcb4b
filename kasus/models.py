"""Tata laksana gizi: a case (Kasus) follows one child with one nutrition problem from the
measurement that opened it to an outcome; the pathway steps (Langkah) and the interventions
(Intervensi) recorded on it by whoever gave them.

Cases are opened and their measurement-derived outcome (sembuh) and progress are written only by
`kasus/derive.py` from balita's stored measurements, never typed; people record the pathway and
the events the measurements cannot show (bukan stunting by a doctor, pindah, meninggal).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from balita.models import Anak, Pengukuran
from tpps.audit import audited
from tpps.models import Opd
from tpps.roles import CHANGE, CITY_EDITORS, CITY_ROLES, VERIFY, VIEW, AreaScopedQuerySet, Role


class Masalah(models.TextChoices):
    STUNTING = "stunting", "Stunting (pendek/sangat pendek)"
    GIZI_KURANG = "gizi_kurang", "Gizi kurang/gizi buruk"
    BB_SANGAT_KURANG = "bb_sangat_kurang", "Berat badan sangat kurang"
    TIDAK_NAIK = "2t", "Berat badan tidak naik 2 kali (2T)"


class Hasil(models.TextChoices):
    """How a case closed: `sembuh` from measurements (kasus.derive), the others recorded."""

    SEMBUH = "sembuh", "Keluar/sembuh"
    BUKAN_STUNTING = "bukan_stunting", "Bukan stunting (diagnosis dokter)"
    PINDAH = "pindah", "Pindah"
    MENINGGAL = "meninggal", "Meninggal"


class Perkembangan(models.TextChoices):
    """The change of the problem's z-score since the case opened (kasus.rules thresholds)."""

    BELUM = "belum", "Belum diukur ulang"
    MEMBAIK = "membaik", "Membaik"
    TETAP = "tetap", "Tetap"
    MEMBURUK = "memburuk", "Memburuk"


class KasusQuerySet(AreaScopedQuerySet):
    """Cases follow the child's scope: the secretariat and Pimpinan see the city, an operator wilayah
    its area (and changes there). OPD users see every case, names masked, so they can record what
    their OPD gave (Intervensi); they change no case."""

    area_lookup = "anak__kelurahan"
    city_roles = {VIEW: CITY_ROLES | {Role.OPD}, CHANGE: CITY_EDITORS, VERIFY: CITY_EDITORS}


@audited()
class Kasus(models.Model):
    anak = models.ForeignKey(Anak, on_delete=models.CASCADE, related_name="kasus")
    masalah = models.CharField(max_length=20, choices=Masalah.choices)
    tanggal_buka = models.DateField("tanggal dibuka")
    pengukuran_buka = models.ForeignKey(Pengukuran, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name="pengukuran pembuka")
    # The problem's z-score and category at opening (kept if the measurement is corrected later).
    z_buka = models.DecimalField("z-score saat dibuka", max_digits=5, decimal_places=2, null=True, blank=True)
    kategori_buka = models.CharField("kategori saat dibuka", max_length=20, blank=True)
    hasil = models.CharField(max_length=20, choices=Hasil.choices, blank=True)
    tanggal_tutup = models.DateField("tanggal ditutup", null=True, blank=True)
    # Derived by kasus.derive from the measurements after opening (up to the closure).
    tanggal_ukur_terakhir = models.DateField("pengukuran terakhir", null=True, blank=True)
    z_terakhir = models.DecimalField("z-score terakhir", max_digits=5, decimal_places=2, null=True, blank=True)
    perkembangan = models.CharField(max_length=10, choices=Perkembangan.choices, default=Perkembangan.BELUM)
    dibuat = models.DateTimeField(auto_now_add=True)

    objects = KasusQuerySet.as_manager()

    class Meta:
        verbose_name = "kasus gizi"
        verbose_name_plural = "kasus gizi"
        ordering = ["-tanggal_buka", "id"]
        constraints = [
            # One open case per child and problem (derive inserts ON CONFLICT against this index).
            models.UniqueConstraint(fields=["anak", "masalah"], condition=Q(hasil=""), name="kasus_satu_terbuka"),
            models.CheckConstraint(condition=(Q(hasil="") & Q(tanggal_tutup__isnull=True))
                                   | (~Q(hasil="") & Q(tanggal_tutup__isnull=False)), name="kasus_tutup_bertanggal"),
        ]
        indexes = [
            models.Index(fields=["tanggal_buka", "masalah"]),
            models.Index(fields=["anak", "masalah", "tanggal_buka"]),
        ]

    def __str__(self):
        return f"{self.get_masalah_display()} — {self.anak} ({self.tanggal_buka:%d/%m/%Y})"

    @property
    def terbuka(self) -> bool:
        return not self.hasil

    @property
    def kode(self) -> str:
        return f"KG-{self.pk:05d}" if self.pk else "KG-baru"


class CaseRowQuerySet(KasusQuerySet):
    """Rows recorded on a case: the case's scope."""

    area_lookup = "kasus__anak__kelurahan"


class Tahap(models.TextChoices):
    PERIKSA_PUSKESMAS = "periksa_puskesmas", "Pemeriksaan di puskesmas (tenaga kesehatan)"
    RUJUKAN_DSA = "rujukan_dsa", "Rujukan ke dokter spesialis anak"
    DIAGNOSIS_DSA = "diagnosis_dsa", "Diagnosis dokter spesialis anak"
    PERISTIWA = "peristiwa", "Peristiwa"


class HasilLangkah(models.TextChoices):
    TERKONFIRMASI = "terkonfirmasi", "Masalah gizi terkonfirmasi"
    TIDAK_TERKONFIRMASI = "tidak_terkonfirmasi", "Tidak terkonfirmasi (ukur ulang)"
    DIRUJUK = "dirujuk", "Dirujuk"
    DITANGANI = "ditangani", "Ditangani di puskesmas"
    STUNTING = "stunting", "Stunting"
    BUKAN_STUNTING = "bukan_stunting", "Bukan stunting"
    PINDAH = "pindah", "Pindah"
    MENINGGAL = "meninggal", "Meninggal"


# The results each step may have; a result listed in CLOSES ends the case with that outcome.
HASIL_PER_TAHAP = {
    Tahap.PERIKSA_PUSKESMAS: (HasilLangkah.TERKONFIRMASI, HasilLangkah.TIDAK_TERKONFIRMASI, HasilLangkah.DITANGANI),
    Tahap.RUJUKAN_DSA: (HasilLangkah.DIRUJUK,),
    Tahap.DIAGNOSIS_DSA: (HasilLangkah.STUNTING, HasilLangkah.BUKAN_STUNTING),
    Tahap.PERISTIWA: (HasilLangkah.PINDAH, HasilLangkah.MENINGGAL),
}
CLOSES = {HasilLangkah.BUKAN_STUNTING: Hasil.BUKAN_STUNTING, HasilLangkah.PINDAH: Hasil.PINDAH,
          HasilLangkah.MENINGGAL: Hasil.MENINGGAL}


@audited()
class Langkah(models.Model):
    """One step of the pathway (posyandu finding → puskesmas → paediatrician) or an event."""

    kasus = models.ForeignKey(Kasus, on_delete=models.CASCADE, related_name="langkah")
    tahap = models.CharField(max_length=20, choices=Tahap.choices)
    tanggal = models.DateField()
    hasil = models.CharField(max_length=20, choices=HasilLangkah.choices)
    catatan = models.CharField(max_length=300, blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="dicatat oleh")
    dicatat_pada = models.DateTimeField("dicatat pada", auto_now_add=True)

    objects = CaseRowQuerySet.as_manager()

    class Meta:
        verbose_name = "langkah tata laksana"
        verbose_name_plural = "langkah tata laksana"
        ordering = ["kasus", "tanggal", "id"]

    def __str__(self):
        return f"{self.get_tahap_display()}: {self.get_hasil_display()} ({self.tanggal:%d/%m/%Y})"

    def clean(self):
        if self.tahap and self.hasil and self.hasil not in HASIL_PER_TAHAP.get(self.tahap, ()):
            raise ValidationError({"hasil": f"Hasil \u201c{self.get_hasil_display()}\u201d tidak berlaku untuk "
                                            f"{self.get_tahap_display().lower()}."})


class JenisIntervensi(models.TextChoices):
    PMT_LOKAL = "pmt_lokal", "PMT lokal"
    KONSELING_GIZI = "konseling_gizi", "Konseling gizi"
    KUNJUNGAN_RUMAH = "kunjungan_rumah", "Kunjungan rumah (kader/TPK)"
    BANTUAN_SOSIAL = "bantuan_sosial", "Bantuan sosial"
    AIR_BERSIH = "air_bersih", "Air bersih"
    JAMBAN = "jamban", "Jamban"
    JKN = "jkn", "Kepesertaan JKN"


class IntervensiQuerySet(CaseRowQuerySet):
    """The case's scope, and an OPD user also changes what its own OPD recorded."""

    def own_rows(self, user, access, action):
        rows = super().own_rows(user, access, action)
        if action == CHANGE and access.has(Role.OPD) and access.opd_ids:
            return rows | self.filter(opd__in=access.opd_ids)
        return rows


@audited()
class Intervensi(models.Model):
    """What one giver gave for a case: an OPD (`opd`) or the area's own health workers and cadres
    (no OPD). GENTING help is not recorded here: it is read from the GENTING ledger."""

    kasus = models.ForeignKey(Kasus, on_delete=models.CASCADE, related_name="intervensi")
    jenis = models.CharField(max_length=20, choices=JenisIntervensi.choices)
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                            verbose_name="OPD pemberi")
    mulai = models.DateField("tanggal mulai/diberikan")
    # PMT lokal: the course length (kasus.rules.LAMA_PMT_HARI by problem) and the days eaten.
    lama_hari = models.PositiveSmallIntegerField("lama (hari)", null=True, blank=True)
    hari_dimakan = models.PositiveSmallIntegerField("hari dimakan", null=True, blank=True)
    catatan = models.CharField(max_length=300, blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name="dicatat oleh")
    dicatat_pada = models.DateTimeField("dicatat pada", auto_now_add=True)

    objects = IntervensiQuerySet.as_manager()

    class Meta:
        verbose_name = "intervensi"
        verbose_name_plural = "intervensi"
        ordering = ["kasus", "mulai", "id"]
        indexes = [models.Index(fields=["jenis", "kasus"])]
        constraints = [
            models.CheckConstraint(condition=Q(hari_dimakan__isnull=True) | Q(lama_hari__isnull=False)
                                   & Q(hari_dimakan__lte=models.F("lama_hari")), name="intervensi_hari_dimakan_wajar"),
            models.CheckConstraint(condition=~Q(jenis="pmt_lokal") | Q(lama_hari__gte=1), name="intervensi_pmt_berlama"),
        ]

    def __str__(self):
        return f"{self.get_jenis_display()} {self.mulai:%d/%m/%Y}"

    @property
    def pemberi(self) -> str:
        return self.opd.nama if self.opd_id else "Puskesmas/kader wilayah"

    def clean(self):
        if self.jenis == JenisIntervensi.PMT_LOKAL and not self.lama_hari:
            raise ValidationError({"lama_hari": "Isi lama PMT lokal (hari)."})
        if self.hari_dimakan is not None and self.lama_hari and self.hari_dimakan > self.lama_hari:
            raise ValidationError({"hari_dimakan": "Hari dimakan tidak boleh melebihi lama PMT."})
