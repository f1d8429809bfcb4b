"""The province's recommendations and weak points per assessment year, what each OPD did about
them (tindak lanjut), and the city's register of innovations with their pentahelix partners.

A recommendation links to the OPDs that answer for it, the indicators and planned activities of
konvergensi that answer it and the evidence already uploaded there; its status is derived
(`rekomendasi.rules`), never typed.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from konvergensi.models import Bukti, Indikator, RencanaKegiatan, Sasaran
from tpps.audit import audited
from tpps.models import Opd
from tpps.roles import CITY_EDITORS, FOLLOW_UP, OpdScopedQuerySet, Role


class RekomendasiQuerySet(OpdScopedQuerySet):
    """Readers view every recommendation; only the secretariat changes one. FOLLOW_UP: the rows
    an OPD may record follow-up on are those linked to its own OPD (the secretariat: all)."""

    city_roles = {**OpdScopedQuerySet.city_roles, FOLLOW_UP: CITY_EDITORS}
    opd_lookup = "opd"

    def own_rows(self, user, access, action):
        if action != FOLLOW_UP or not access.has(Role.OPD) or not access.opd_ids:
            return self.none()
        owned = self.model._default_manager.filter(opd__in=access.opd_ids)
        return self.filter(pk__in=owned.values("pk"))


class OwnOpdQuerySet(OpdScopedQuerySet):
    """Follow-ups and innovations: an OPD changes the rows of its own OPD."""

    opd_lookup = "opd"


class Jenis(models.TextChoices):
    REKOMENDASI = "rekomendasi", "Rekomendasi"
    KELEMAHAN = "kelemahan", "Catatan kelemahan"


def dokumen_path(instance, filename):
    """Private storage path; never derived from the uploaded name (kept in `nama_berkas`)."""
    return f"rekomendasi/{uuid.uuid4().hex}.{instance.jenis_berkas or 'bin'}"


class BerkasTerperiksa(models.Model):
    """A file that passed `tpps.uploads.periksa_berkas`, with what the check found."""

    berkas = models.FileField(upload_to=dokumen_path, max_length=255, blank=True)
    nama_berkas = models.CharField("nama berkas asli", max_length=255, blank=True)
    jenis_berkas = models.CharField(max_length=5, blank=True)
    mime = models.CharField(max_length=100, blank=True)
    ukuran = models.PositiveBigIntegerField("ukuran (bita)", null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)

    class Meta:
        abstract = True


@audited()
class Rekomendasi(BerkasTerperiksa):
    """One recommendation or weak point from a provincial assessment."""

    tahun = models.PositiveSmallIntegerField("tahun penilaian")
    jenis = models.CharField(max_length=12, choices=Jenis.choices, default=Jenis.REKOMENDASI)
    judul = models.CharField(max_length=200)
    uraian = models.TextField(blank=True)
    sumber = models.CharField("sumber", max_length=200, blank=True,
                              help_text="Misalnya: Hasil penilaian kinerja TPPS Provinsi Jawa Timur 2025.")
    angka_aplikasi = models.CharField(
        "angka yang diukur aplikasi", max_length=40, blank=True,
        help_text="Angka dari data aplikasi ini yang menjawab rekomendasi, bila ada.",
    )
    opd = models.ManyToManyField(Opd, through="OpdRekomendasi", related_name="+", verbose_name="OPD penanggung jawab")
    indikator = models.ManyToManyField(Indikator, through="IndikatorRekomendasi", related_name="+", blank=True)
    kegiatan = models.ManyToManyField(RencanaKegiatan, through="KegiatanRekomendasi", related_name="+", blank=True,
                                      verbose_name="rencana kegiatan")
    bukti = models.ManyToManyField(Bukti, through="BuktiRekomendasi", related_name="+", blank=True,
                                   verbose_name="bukti dukung")
    # Year over year: the same recommendation given again at a later assessment points back to it.
    lanjutan_dari = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="lanjutan",
                                      verbose_name="lanjutan dari rekomendasi tahun sebelumnya")
    urutan = models.PositiveSmallIntegerField(default=0)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    dicatat_pada = models.DateTimeField(default=timezone.now)

    objects = RekomendasiQuerySet.as_manager()

    class Meta:
        ordering = ["-tahun", "jenis", "urutan", "id"]
        verbose_name = "rekomendasi"
        verbose_name_plural = "rekomendasi"

    def __str__(self):
        return self.judul

    def clean(self):
        if self.lanjutan_dari_id and self.lanjutan_dari.tahun >= self.tahun:
            raise ValidationError({"lanjutan_dari": "Pilih rekomendasi dari penilaian tahun sebelumnya."})


@audited()
class OpdRekomendasi(models.Model):
    rekomendasi = models.ForeignKey(Rekomendasi, on_delete=models.CASCADE, related_name="+")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "OPD rekomendasi"
        verbose_name_plural = "OPD rekomendasi"
        constraints = [models.UniqueConstraint(fields=["rekomendasi", "opd"], name="opd_rekomendasi_unik")]


@audited()
class IndikatorRekomendasi(models.Model):
    rekomendasi = models.ForeignKey(Rekomendasi, on_delete=models.CASCADE, related_name="+")
    indikator = models.ForeignKey(Indikator, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "indikator rekomendasi"
        verbose_name_plural = "indikator rekomendasi"
        constraints = [models.UniqueConstraint(fields=["rekomendasi", "indikator"], name="indikator_rekomendasi_unik")]


@audited()
class KegiatanRekomendasi(models.Model):
    rekomendasi = models.ForeignKey(Rekomendasi, on_delete=models.CASCADE, related_name="+")
    kegiatan = models.ForeignKey(RencanaKegiatan, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "kegiatan rekomendasi"
        verbose_name_plural = "kegiatan rekomendasi"
        constraints = [models.UniqueConstraint(fields=["rekomendasi", "kegiatan"], name="kegiatan_rekomendasi_unik")]


@audited()
class BuktiRekomendasi(models.Model):
    rekomendasi = models.ForeignKey(Rekomendasi, on_delete=models.CASCADE, related_name="+")
    bukti = models.ForeignKey(Bukti, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = "bukti rekomendasi"
        verbose_name_plural = "bukti rekomendasi"
        constraints = [models.UniqueConstraint(fields=["rekomendasi", "bukti"], name="bukti_rekomendasi_unik")]


@audited()
class TindakLanjut(BerkasTerperiksa):
    """What one OPD did about a recommendation: what, when, with what result, and its evidence."""

    rekomendasi = models.ForeignKey(Rekomendasi, on_delete=models.CASCADE, related_name="tindak_lanjut")
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+", verbose_name="OPD")
    uraian = models.TextField("apa yang dilakukan")
    tanggal = models.DateField("kapan")
    hasil = models.TextField("hasil", blank=True)
    tuntas = models.BooleanField("hasil sudah tercapai", default=False,
                                 help_text="Centang bila tindak lanjut OPD ini sudah selesai dan hasilnya tercapai.")
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    dicatat_pada = models.DateTimeField(default=timezone.now)

    objects = OwnOpdQuerySet.as_manager()

    class Meta:
        ordering = ["-tanggal", "-id"]
        verbose_name = "tindak lanjut"
        verbose_name_plural = "tindak lanjut"

    def __str__(self):
        return f"{self.opd} — {self.uraian[:60]}"

    def clean(self):
        if self.tuntas and not self.hasil.strip():
            raise ValidationError({"hasil": "Tuliskan hasilnya bila tindak lanjut sudah tercapai."})


class SumberAnggaran(models.TextChoices):
    APBD = "apbd", "APBD Kota"
    APBN = "apbn", "APBN / DAK"
    PROVINSI = "provinsi", "APBD Provinsi / bantuan keuangan"
    CSR = "csr", "CSR / dunia usaha"
    FILANTROPI = "filantropi", "Zakat, infak, filantropi"
    SWADAYA = "swadaya", "Swadaya masyarakat"
    TANPA = "tanpa", "Tanpa anggaran khusus"


class Pentahelix(models.TextChoices):
    USAHA = "usaha", "Dunia usaha"
    AKADEMISI = "akademisi", "Akademisi / perguruan tinggi"
    MASYARAKAT = "masyarakat", "Komunitas / masyarakat"
    MEDIA = "media", "Media"


@audited()
class Inovasi(BerkasTerperiksa):
    """One of the city's innovations, with the indicator it is meant to move."""

    nama = models.CharField(max_length=200)
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, related_name="+", verbose_name="OPD pengampu")
    mulai = models.DateField("mulai")
    sasaran = models.CharField(max_length=20, choices=Sasaran.choices)
    sumber_anggaran = models.CharField("sumber anggaran", max_length=12, choices=SumberAnggaran.choices)
    uraian = models.TextField("uraian inovasi")
    perubahan = models.TextField("apa yang berubah", blank=True)
    indikator = models.ForeignKey(Indikator, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                  verbose_name="indikator yang ingin digerakkan")
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    dicatat_pada = models.DateTimeField(default=timezone.now)

    objects = OwnOpdQuerySet.as_manager()

    class Meta:
        ordering = ["-mulai", "nama"]
        verbose_name = "inovasi"
        verbose_name_plural = "inovasi"

    def __str__(self):
        return self.nama


@audited()
class MitraInovasi(models.Model):
    """A pentahelix partner of an innovation (business, academia, community, media)."""

    inovasi = models.ForeignKey(Inovasi, on_delete=models.CASCADE, related_name="mitra")
    nama = models.CharField(max_length=200)
    unsur = models.CharField(max_length=12, choices=Pentahelix.choices)
    peran = models.CharField("peran", max_length=255, blank=True)

    class Meta:
        ordering = ["unsur", "nama"]
        verbose_name = "mitra inovasi"
        verbose_name_plural = "mitra inovasi"
        constraints = [models.UniqueConstraint(fields=["inovasi", "nama"], name="mitra_inovasi_unik")]

    def __str__(self):
        return f"{self.nama} ({self.get_unsur_display()})"
