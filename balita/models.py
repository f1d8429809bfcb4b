"""Toddlers (Anak) and their measurements (Pengukuran) with stored WHO z-scores.

A measurement stores what the engine computed from it (age, four z-scores, Permenkes 2/2020
categories, WHO flags) so that registers and dashboards are plain SQL over stored values.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q

from balita.growth import categories
from tpps.audit import audited
from tpps.jobs import AUDIT_EXCLUDE, Pekerjaan
from tpps.models import Kelurahan, Posyandu
from tpps.roles import AGGREGATE_READERS, CHANGE, VIEW, AreaScopedQuerySet, Role, ScopedQuerySet


class JenisKelamin(models.TextChoices):
    L = "L", "Laki-laki"
    P = "P", "Perempuan"


class CaraUkur(models.TextChoices):
    TERLENTANG = "terlentang", "Terlentang"
    BERDIRI = "berdiri", "Berdiri"


class AnakQuerySet(AreaScopedQuerySet):
    # Change: Admin and Operator the whole city, an operator wilayah its own area (also when
    # they hold a read-only city-wide role besides).
    area_lookup = "kelurahan"


@audited(bulk_inserts=True)
class Anak(models.Model):
    nik = models.CharField("NIK", max_length=16, null=True, blank=True)
    nama = models.CharField(max_length=150)
    jenis_kelamin = models.CharField("jenis kelamin", max_length=1, choices=JenisKelamin.choices)
    tanggal_lahir = models.DateField("tanggal lahir")
    berat_lahir = models.DecimalField("berat lahir (kg)", max_digits=4, decimal_places=2, null=True, blank=True)
    panjang_lahir = models.DecimalField("panjang lahir (cm)", max_digits=4, decimal_places=1, null=True, blank=True)
    nama_ibu = models.CharField("nama ibu", max_length=150, blank=True)
    nik_ibu = models.CharField("NIK ibu", max_length=16, blank=True)
    nama_ayah = models.CharField("nama ayah", max_length=150, blank=True)
    alamat = models.CharField(max_length=255, blank=True)
    rt = models.CharField("RT", max_length=3, blank=True)
    rw = models.CharField("RW", max_length=3, blank=True)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="anak")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.SET_NULL, null=True, blank=True, related_name="anak")
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    objects = AnakQuerySet.as_manager()

    class Meta:
        verbose_name = "anak"
        verbose_name_plural = "anak"
        ordering = ["nama"]
        constraints = [
            models.UniqueConstraint(fields=["nik"], condition=Q(nik__isnull=False), name="anak_nik_unik"),
            models.CheckConstraint(condition=Q(nik__isnull=True) | Q(nik__regex=r"^[0-9]{16}$"), name="anak_nik_16_digit"),
        ]
        indexes = [
            models.Index(fields=["kelurahan", "nama"]),
            models.Index(fields=["tanggal_lahir", "nama"]),
        ]

    def __str__(self):
        return self.nama


class PengukuranQuerySet(AreaScopedQuerySet):
    area_lookup = "anak__kelurahan"


@audited(bulk_inserts=True)
class Pengukuran(models.Model):
    class Sumber(models.TextChoices):
        FORM = "form", "Formulir"
        IMPOR = "impor", "Impor e-PPGBM"

    anak = models.ForeignKey(Anak, on_delete=models.CASCADE, related_name="pengukuran")
    tanggal = models.DateField("tanggal pengukuran")
    berat = models.DecimalField("berat (kg)", max_digits=5, decimal_places=2, null=True, blank=True)
    tinggi = models.DecimalField("panjang/tinggi (cm)", max_digits=5, decimal_places=1, null=True, blank=True)
    cara_ukur = models.CharField("cara ukur", max_length=10, choices=CaraUkur.choices, blank=True)
    lila = models.DecimalField("LiLA (cm)", max_digits=4, decimal_places=1, null=True, blank=True)
    lingkar_kepala = models.DecimalField("lingkar kepala (cm)", max_digits=4, decimal_places=1, null=True, blank=True)
    # Infants under six months: only breast milk since the last weighing (24-hour recall as the
    # surveys ask it). None = not asked or not recorded, which is not "no" (balita/asi.py).
    asi_eksklusif = models.BooleanField("ASI eksklusif", null=True, blank=True)
    posyandu = models.ForeignKey(Posyandu, on_delete=models.SET_NULL, null=True, blank=True, related_name="pengukuran")
    # Where the child lived when measured: registers and dashboards count by this without joins.
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="pengukuran")
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    sumber = models.CharField(max_length=10, choices=Sumber.choices, default=Sumber.FORM)
    batch = models.ForeignKey(
        "ImporBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="pengukuran",
        verbose_name="batch impor",
    )

    # Computed by balita.growth when the row is written.
    umur_hari = models.PositiveIntegerField("umur (hari)")
    umur_bulan = models.PositiveSmallIntegerField("umur (bulan)")
    zs_tbu = models.DecimalField("ZS TB/U", max_digits=5, decimal_places=2, null=True, blank=True)
    zs_bbu = models.DecimalField("ZS BB/U", max_digits=5, decimal_places=2, null=True, blank=True)
    zs_bbtb = models.DecimalField("ZS BB/TB", max_digits=5, decimal_places=2, null=True, blank=True)
    zs_imtu = models.DecimalField("ZS IMT/U", max_digits=5, decimal_places=2, null=True, blank=True)
    kategori_tbu = models.CharField("TB/U", max_length=20, choices=categories.TBU, blank=True)
    kategori_bbu = models.CharField("BB/U", max_length=20, choices=categories.BBU, blank=True)
    kategori_bbtb = models.CharField("BB/TB", max_length=20, choices=categories.GIZI, blank=True)
    kategori_imtu = models.CharField("IMT/U", max_length=20, choices=categories.GIZI, blank=True)
    flag_tbu = models.BooleanField(default=False)
    flag_bbu = models.BooleanField(default=False)
    flag_bbtb = models.BooleanField(default=False)
    flag_imtu = models.BooleanField(default=False)
    naik_bb = models.CharField("naik berat badan", max_length=1, choices=[("N", "Naik"), ("T", "Tidak naik")], blank=True)

    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    objects = PengukuranQuerySet.as_manager()

    class Meta:
        verbose_name = "pengukuran"
        verbose_name_plural = "pengukuran"
        ordering = ["anak", "tanggal"]
        constraints = [
            models.UniqueConstraint(fields=["anak", "tanggal"], name="pengukuran_satu_per_anak_per_tanggal"),
        ]
        indexes = [
            models.Index(fields=["tanggal", "kelurahan"]),
            models.Index(fields=["anak", "-tanggal"]),
            # The stunting register's candidates: a few thousand of a million rows
            # (balita.figures.children_behind; the condition is figures.STUNTED_Q).
            models.Index(fields=["tanggal", "anak"], name="pengukuran_stunting_idx",
                         condition=Q(zs_tbu__isnull=False, flag_tbu=False,
                                     kategori_tbu__in=categories.STUNTED)),
        ]

    def __str__(self):
        return f"{self.anak} — {self.tanggal}"

    @property
    def stunting(self) -> bool:
        return self.kategori_tbu in categories.STUNTED


class RingkasanQuerySet(AreaScopedQuerySet):
    area_lookup = "kelurahan"
    # Aggregates carry no personal data: OPD reads them too.
    city_roles = {**AreaScopedQuerySet.city_roles, VIEW: AGGREGATE_READERS}


class RingkasanGizi(models.Model):
    """Counts per reporting period, kelurahan and posyandu from each child's latest measurement
    in the period: the one stored form of every nutrition figure (see balita/figures.py).

    A child counts where it is registered now (Anak.kelurahan, Anak.posyandu), for its
    measurements and for the under-five denominator alike, so coverage never passes 100 %.
    A derived table kept fresh by balita's services in the transaction that changes the data
    (balita/summary.py), so it is not audited: the audit trail lives on the measurements.
    """

    jenis = models.CharField(max_length=10)
    tahun = models.PositiveSmallIntegerField()
    nomor = models.PositiveSmallIntegerField(help_text="bulan 1–12, triwulan 1–4, semester 1–2, tahun 1")
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.CASCADE, related_name="+")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, null=True, related_name="+")
    # Children under five at some time in the period (WHO age: under 1826.25 days).
    sasaran = models.PositiveIntegerField(default=0)
    # Children with a measurement in the period (the latest one counts).
    diukur = models.PositiveIntegerField(default=0)
    tbu_valid = models.PositiveIntegerField(default=0)
    stunting = models.PositiveIntegerField(default=0)
    sangat_pendek = models.PositiveIntegerField(default=0)
    bbu_valid = models.PositiveIntegerField(default=0)
    underweight = models.PositiveIntegerField(default=0)
    bbtb_valid = models.PositiveIntegerField(default=0)
    wasting = models.PositiveIntegerField(default=0)
    # For the data-quality report (balita/quality/measures.py): the children counted by sex, at a
    # WHO age in months that is a multiple of 6, born on the 1st; and sums of the first four powers
    # of each valid z-score (n is tbu_valid, bbu_valid, bbtb_valid).
    laki = models.PositiveIntegerField(default=0)
    perempuan = models.PositiveIntegerField(default=0)
    umur_6 = models.PositiveIntegerField(default=0)
    lahir_tgl1 = models.PositiveIntegerField(default=0)
    z_tbu_s1 = models.FloatField(default=0)
    z_tbu_s2 = models.FloatField(default=0)
    z_tbu_s3 = models.FloatField(default=0)
    z_tbu_s4 = models.FloatField(default=0)
    z_bbu_s1 = models.FloatField(default=0)
    z_bbu_s2 = models.FloatField(default=0)
    z_bbu_s3 = models.FloatField(default=0)
    z_bbu_s4 = models.FloatField(default=0)
    z_bbtb_s1 = models.FloatField(default=0)
    z_bbtb_s2 = models.FloatField(default=0)
    z_bbtb_s3 = models.FloatField(default=0)
    z_bbtb_s4 = models.FloatField(default=0)

    objects = RingkasanQuerySet.as_manager()

    class Meta:
        verbose_name = "ringkasan status gizi"
        verbose_name_plural = "ringkasan status gizi"
        constraints = [
            models.UniqueConstraint(fields=["tahun", "jenis", "nomor", "kelurahan", "posyandu"],
                                    name="ringkasan_gizi_unik", nulls_distinct=False),
        ]

    def __str__(self):
        return f"{self.kelurahan_id}/{self.posyandu_id} {self.jenis} {self.nomor}/{self.tahun}"


class RingkasanMutu(models.Model):
    """The data-quality report's measurement-level sums per month, kelurahan and posyandu, and
    the month's measurement findings (balita/quality/load.py MONTHLY_SQL): additive over months,
    since each measurement is judged against the child's previous one whenever that was taken.
    A derived table kept fresh with RingkasanGizi (balita/summary.py), so it is not audited.
    Children-level measures (the latest measurement per child) depend on the period and are
    read live."""

    tahun = models.PositiveSmallIntegerField()
    bulan = models.PositiveSmallIntegerField()
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.CASCADE, related_name="+")
    posyandu = models.ForeignKey(Posyandu, on_delete=models.CASCADE, null=True, related_name="+")
    n_ukur = models.PositiveIntegerField(default=0)
    cara_kosong = models.PositiveIntegerField(default=0)
    ada_tinggi = models.PositiveIntegerField(default=0)
    ada_berat = models.PositiveIntegerField(default=0)
    n_tbu = models.PositiveIntegerField(default=0)
    n_bbu = models.PositiveIntegerField(default=0)
    n_bbtb = models.PositiveIntegerField(default=0)
    digit_tb = ArrayField(models.PositiveIntegerField(), size=10)  # heights by first decimal 0–9
    digit_bb = ArrayField(models.PositiveIntegerField(), size=10)  # weights by first decimal 0–9
    pasangan = models.PositiveIntegerField(default=0)  # measurements with an earlier one of the child
    temuan = models.JSONField(default=list)  # measurements missing a value, flagged or in the wrong position
    tumbuh = models.JSONField(default=list)  # measurements with implausible growth since the previous one

    # The children's scope: the report shows what the user may see of children.
    objects = AnakQuerySet.as_manager()

    class Meta:
        verbose_name = "ringkasan mutu data"
        verbose_name_plural = "ringkasan mutu data"
        constraints = [
            models.UniqueConstraint(fields=["tahun", "bulan", "kelurahan", "posyandu"],
                                    name="ringkasan_mutu_unik", nulls_distinct=False),
        ]

    def __str__(self):
        return f"{self.kelurahan_id}/{self.posyandu_id} {self.bulan}/{self.tahun}"


class ImporBatchQuerySet(ScopedQuerySet):
    """City-wide editors see every batch; an operator wilayah the batches they uploaded."""

    city_roles = {**ScopedQuerySet.city_roles, VIEW: ScopedQuerySet.city_roles[CHANGE]}

    def own_rows(self, user, access, action):
        if action in (VIEW, CHANGE) and access.has(Role.WILAYAH):
            return self.filter(diunggah_oleh=user)
        return self.none()


@audited(exclude=[*AUDIT_EXCLUDE, "perubahan_anak"])
class ImporBatch(Pekerjaan):
    """One uploaded e-PPGBM file, a job in two runs: checked (antre → berjalan → menunggu, the
    preview), then imported (antre → berjalan → selesai) or cancelled (dibatalkan).

    Counts are those of the preview until the import finishes, then those of the import.
    Progress is written from outside the import transaction so pages see it.
    """

    berkas = models.FileField(upload_to="balita/impor/%Y/%m/", max_length=255)
    nama_berkas = models.CharField("nama berkas", max_length=255)
    diunggah_oleh = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="diunggah oleh",
    )
    dibuat = models.DateTimeField(auto_now_add=True)
    # Set when the preview is ready: a queued batch with it waits for the import, without it for the check.
    diperiksa = models.DateTimeField("selesai diperiksa", null=True, blank=True)

    baris = models.PositiveIntegerField(default=0)
    anak_baru = models.PositiveIntegerField("anak baru", default=0)
    anak_cocok = models.PositiveIntegerField("anak cocok", default=0)
    pengukuran_baru = models.PositiveIntegerField("pengukuran baru", default=0)
    pengukuran_diubah = models.PositiveIntegerField("pengukuran diubah", default=0)
    baris_galat = models.PositiveIntegerField("baris bergalat", default=0)
    # Every error found; only the first GALAT_DISIMPAN are stored (ImporGalat), so a file full of
    # errors cannot fill the database or the errors download.
    galat_total = models.PositiveIntegerField("jumlah galat", default=0)
    baris_flag = models.PositiveIntegerField("baris dengan nilai tidak wajar (flag WHO)", default=0)
    posyandu_baru = models.JSONField("posyandu baru", default=list, blank=True)
    # The preview's "what will change" per matched child (the first PERUBAHAN_MAKS; the count is all).
    anak_berubah = models.PositiveIntegerField("anak yang datanya berubah", default=0)
    perubahan_anak = models.JSONField("perubahan data anak", default=list, blank=True)
    durasi_detik = models.FloatField(null=True, blank=True)

    objects = ImporBatchQuerySet.as_manager()

    class Meta:
        verbose_name = "batch impor e-PPGBM"
        verbose_name_plural = "batch impor e-PPGBM"
        ordering = ["-dibuat"]

    def __str__(self):
        return f"{self.nama_berkas} ({self.get_status_display()})"

    def summary_line(self) -> str:
        """The one-line summary of the import command."""
        return (
            f"rows={self.baris} children_new={self.anak_baru} children_matched={self.anak_cocok} "
            f"measurements_new={self.pengukuran_baru} measurements_updated={self.pengukuran_diubah} "
            f"errors={self.baris_galat}"
        )


class ImporGalat(models.Model):
    """One problem in one cell of an uploaded file (spreadsheet row number as the user sees it)."""

    batch = models.ForeignKey(ImporBatch, on_delete=models.CASCADE, related_name="galat")
    baris = models.PositiveIntegerField()
    kolom = models.CharField(max_length=60)
    nilai = models.CharField(max_length=200, blank=True)
    pesan = models.CharField(max_length=300)
    # The row's child as written in the file, so the operator can find the record in e-PPGBM.
    nama = models.CharField("nama anak", max_length=150, blank=True)
    nik = models.CharField("NIK", max_length=30, blank=True)

    class Meta:
        verbose_name = "galat impor"
        verbose_name_plural = "galat impor"
        ordering = ["batch", "baris", "id"]

    def __str__(self):
        return f"baris {self.baris}, {self.kolom}: {self.pesan}"


class TemuanQuerySet(AreaScopedQuerySet):
    area_lookup = "anak__kelurahan"


@audited()
class TemuanDiperiksa(models.Model):
    """A data-quality finding (balita/quality) an operator checked and found correct, e.g. twins
    with the same birth date and mother, or a real weight loss: it leaves the fix list and no
    longer costs its posyandu points.

    `kunci` names the record and the values that raised the finding (see balita.quality.findings),
    so a mark stops applying once the record is corrected and the problem is raised again.
    """

    jenis = models.CharField(max_length=30)
    kunci = models.CharField(max_length=120)
    anak = models.ForeignKey(Anak, on_delete=models.CASCADE, related_name="temuan_diperiksa")
    pengukuran = models.ForeignKey(Pengukuran, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    keterangan = models.CharField(max_length=300, blank=True)
    diperiksa_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name="diperiksa oleh")
    diperiksa_pada = models.DateTimeField("diperiksa pada", auto_now_add=True)

    objects = TemuanQuerySet.as_manager()

    class Meta:
        verbose_name = "temuan mutu data yang sudah diperiksa"
        verbose_name_plural = "temuan mutu data yang sudah diperiksa"
        constraints = [models.UniqueConstraint(fields=["jenis", "kunci"], name="temuan_diperiksa_unik")]

    def __str__(self):
        return f"{self.jenis} {self.kunci}"


@audited()
class TinjauanIdentitas(models.Model):
    """A child of an uploaded file held for review because its identity collides with a stored
    child (balita.importers.identity): the operator decides per batch whether it is the same child
    (the import updates the stored one) or another child (the rows are rejected). Decisions are
    matched again at import time by `kunci` (the file's child) and `anak` (the stored child)."""

    class Jenis(models.TextChoices):
        NIK_NAMA = "nik_nama", "NIK sama, nama tidak mirip"
        NAMA_NIK = "nama_nik", "Nama, tanggal lahir, dan ibu sama; NIK berbeda"

    class Keputusan(models.TextChoices):
        SAMA = "sama", "Anak yang sama"
        BEDA = "beda", "Anak berbeda"

    batch = models.ForeignKey(ImporBatch, on_delete=models.CASCADE, related_name="tinjauan")
    kunci = models.CharField(max_length=400)
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    anak = models.ForeignKey(Anak, on_delete=models.CASCADE, related_name="+", verbose_name="anak terdaftar")
    baris = models.CharField("baris di berkas", max_length=300)
    baris_pertama = models.PositiveIntegerField()
    # The child as written in the file.
    nik = models.CharField("NIK", max_length=16, blank=True)
    nama = models.CharField(max_length=150)
    jenis_kelamin = models.CharField("jenis kelamin", max_length=1, choices=JenisKelamin.choices)
    tanggal_lahir = models.DateField("tanggal lahir")
    nama_ibu = models.CharField("nama ibu", max_length=150, blank=True)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="+")
    keputusan = models.CharField(max_length=4, choices=Keputusan.choices, blank=True)
    diputuskan_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                        related_name="+", verbose_name="diputuskan oleh")
    diputuskan = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "tinjauan identitas"
        verbose_name_plural = "tinjauan identitas"
        ordering = ["batch", "baris_pertama"]
        constraints = [models.UniqueConstraint(fields=["batch", "kunci", "anak"], name="tinjauan_satu_per_anak")]

    def __str__(self):
        return f"{self.batch_id} baris {self.baris}: {self.get_keputusan_display() or 'belum diputuskan'}"
