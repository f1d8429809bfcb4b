"""Shared core: the areas of the city, OPDs, users and their role assignments."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q

from tpps.audit import audited
from tpps.roles import (
    AGGREGATE_READERS, AUDITORS, CHANGE, SETTINGS_EDITORS, VERIFY, VIEW, AreaScopedQuerySet, Role, ScopedQuerySet,
)


PASSWORD_SET = "kata_sandi_diatur"
# A puskesmas's working area is a many-to-many table without triggers of its own; the service that
# changes it records this event on the puskesmas, with the kelurahan before and after.
WORKING_AREA_SET = "wilayah_kerja_diatur"


@audited()
class Kecamatan(models.Model):
    kode = models.CharField("kode Kemendagri", max_length=8, unique=True)
    nama = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["kode"]
        verbose_name_plural = "kecamatan"

    def __str__(self):
        return self.nama


class KelurahanQuerySet(AreaScopedQuerySet):
    area_lookup = "id"
    # Everyone with a role may see the list of kelurahan names (filters, dashboards).
    city_roles = {**AreaScopedQuerySet.city_roles, VIEW: AGGREGATE_READERS}


@audited()
class Kelurahan(models.Model):
    kode = models.CharField("kode Kemendagri", max_length=13, unique=True)
    nama = models.CharField(max_length=100)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="kelurahan")

    objects = KelurahanQuerySet.as_manager()

    class Meta:
        ordering = ["kode"]
        verbose_name_plural = "kelurahan"
        constraints = [models.UniqueConstraint(fields=["kecamatan", "nama"], name="kelurahan_unik_per_kecamatan")]

    def __str__(self):
        return self.nama

    def is_lokus(self, tahun: int) -> bool:
        return self.lokus.filter(tahun=tahun).exists()


@audited(WORKING_AREA_SET)
class Puskesmas(models.Model):
    nama = models.CharField(max_length=100, unique=True)
    kecamatan = models.ForeignKey(Kecamatan, on_delete=models.PROTECT, related_name="puskesmas")
    kelurahan = models.ManyToManyField(Kelurahan, related_name="puskesmas", verbose_name="wilayah kerja")

    class Meta:
        ordering = ["nama"]
        verbose_name_plural = "puskesmas"

    def __str__(self):
        return f"Puskesmas {self.nama}"


class PosyanduQuerySet(AreaScopedQuerySet):
    area_lookup = "kelurahan"
    city_roles = KelurahanQuerySet.city_roles


@audited()
class Posyandu(models.Model):
    nama = models.CharField(max_length=120)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="posyandu")
    aktif = models.BooleanField(default=True)

    objects = PosyanduQuerySet.as_manager()

    class Meta:
        ordering = ["kelurahan__kode", "nama"]
        verbose_name_plural = "posyandu"
        constraints = [models.UniqueConstraint(fields=["kelurahan", "nama"], name="posyandu_unik_per_kelurahan")]

    def __str__(self):
        return f"Posyandu {self.nama}"


@audited()
class LokusKelurahan(models.Model):
    """A priority kelurahan (lokus) of one year, chosen in convergence action 1."""

    tahun = models.PositiveSmallIntegerField()
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="lokus")

    class Meta:
        ordering = ["-tahun", "kelurahan__kode"]
        verbose_name = "kelurahan lokus"
        verbose_name_plural = "kelurahan lokus"
        constraints = [models.UniqueConstraint(fields=["tahun", "kelurahan"], name="lokus_unik_per_tahun")]

    def __str__(self):
        return f"{self.kelurahan} ({self.tahun})"


@audited()
class Opd(models.Model):
    """Organisasi Perangkat Daerah (and partner offices such as Kemenag) in the TPPS."""

    kode = models.SlugField(max_length=30, unique=True)
    singkatan = models.CharField(max_length=40)
    nama = models.CharField(max_length=200)

    class Meta:
        ordering = ["singkatan"]
        verbose_name = "OPD"
        verbose_name_plural = "OPD"

    def __str__(self):
        return self.singkatan


class PejabatTppsQuerySet(ScopedQuerySet):
    # The officials who sign the evaluation pack: city readers see them, only the Admin sets them.
    city_roles = {**ScopedQuerySet.city_roles, CHANGE: SETTINGS_EDITORS, VERIFY: SETTINGS_EDITORS}


@audited()
class PejabatTpps(models.Model):
    """An official who signs the TPPS evaluation pack: the Ketua TPPS (the Sekda) and the
    Sekretaris TPPS (head of DP3AP2KB). One row per role, edited on /kelola/pejabat/."""

    class Peran(models.TextChoices):
        KETUA = "ketua", "Ketua TPPS"
        SEKRETARIS = "sekretaris", "Sekretaris TPPS"

    peran = models.CharField(max_length=20, choices=Peran.choices, unique=True)
    nama = models.CharField("nama lengkap dan gelar", max_length=150)
    nip = models.CharField("NIP", max_length=18, blank=True,
                           validators=[RegexValidator(r"^\d{18}$", "NIP harus 18 angka.")],
                           help_text="18 angka, tanpa spasi.")
    jabatan = models.CharField("jabatan", max_length=150, help_text="mis. Sekretaris Daerah Kota Kediri")

    objects = PejabatTppsQuerySet.as_manager()

    class Meta:
        ordering = ["peran"]
        verbose_name = "pejabat TPPS"
        verbose_name_plural = "pejabat TPPS"

    def __str__(self):
        return f"{self.get_peran_display()}: {self.nama}"


# The password hash is never copied into the trail; an admin's password reset is recorded as its
# own event (tpps/kelola/services.py).
@audited(PASSWORD_SET, exclude=["password", "last_login"])
class User(AbstractUser):
    """A person who logs in; what they may do comes from their assignments (Penugasan)."""

    class Meta:
        verbose_name = "pengguna"
        verbose_name_plural = "pengguna"

    def __str__(self):
        return self.get_full_name() or self.username


@audited()
class Penugasan(models.Model):
    """One role of a user, with its OPD or area where the role needs one."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="penugasan")
    peran = models.CharField(max_length=20, choices=Role.choices)
    opd = models.ForeignKey(Opd, on_delete=models.PROTECT, null=True, blank=True, related_name="penugasan")
    puskesmas = models.ForeignKey(Puskesmas, on_delete=models.PROTECT, null=True, blank=True)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name = "penugasan"
        verbose_name_plural = "penugasan"
        constraints = [
            models.CheckConstraint(
                name="penugasan_opd_hanya_untuk_peran_opd",
                condition=(Q(peran=Role.OPD, opd__isnull=False) | (~Q(peran=Role.OPD) & Q(opd__isnull=True))),
            ),
            models.CheckConstraint(
                name="penugasan_wilayah_punya_satu_area",
                condition=(
                    Q(peran=Role.WILAYAH, puskesmas__isnull=False, kelurahan__isnull=True)
                    | Q(peran=Role.WILAYAH, puskesmas__isnull=True, kelurahan__isnull=False)
                    | (~Q(peran=Role.WILAYAH) & Q(puskesmas__isnull=True, kelurahan__isnull=True))
                ),
            ),
        ]

    def clean(self):
        if self.peran == Role.OPD and not self.opd_id:
            raise ValidationError({"opd": "Peran OPD harus memilih OPD."})
        if self.peran != Role.OPD and self.opd_id:
            raise ValidationError({"opd": "OPD hanya diisi untuk peran OPD."})
        if self.peran == Role.WILAYAH and bool(self.puskesmas_id) == bool(self.kelurahan_id):
            raise ValidationError("Operator wilayah memilih satu puskesmas atau satu kelurahan.")
        if self.peran != Role.WILAYAH and (self.puskesmas_id or self.kelurahan_id):
            raise ValidationError("Puskesmas/kelurahan hanya diisi untuk operator wilayah.")

    @property
    def area(self):
        return self.puskesmas or self.kelurahan

    def __str__(self):
        detail = self.opd or self.area
        return f"{self.get_peran_display()} — {detail}" if detail else self.get_peran_display()


class JejakAuditQuerySet(ScopedQuerySet):
    # Only AUDITORS act on the audit trail at all; it is read, never changed, by any page.
    city_roles = {VIEW: AUDITORS, CHANGE: SETTINGS_EDITORS, VERIFY: SETTINGS_EDITORS}


class JejakAudit(models.Model):
    """One line of the audit trail, narrow and indexed: a change (one pghistory event, written by a
    trigger on every event table, see tpps.audit) or a read of personal data (one AksesData).

    The page pages and filters these rows by (waktu, id) and fetches the details of its 50 rows
    from their source; pghistory's aggregate `Events` view unions every event table and cannot
    use an index for "newest first", which made the page take tens of seconds."""

    class Aksi(models.TextChoices):
        TAMBAH = "tambah", "Tambah"
        UBAH = "ubah", "Ubah"
        HAPUS = "hapus", "Hapus"
        LIHAT = "lihat", "Lihat"
        UNDUH = "unduh", "Unduh"

    waktu = models.DateTimeField()
    aksi = models.CharField(max_length=10, choices=Aksi.choices)
    # 'app.Model' of the data changed or read, and the changed object's id (blank for a list read).
    model = models.CharField(max_length=100)
    objek = models.CharField(max_length=64, blank=True)
    # Where the details are: the event model ('balita.AnakEvent') and its pgh_id, or tpps.AksesData.
    sumber = models.CharField(max_length=100)
    sumber_id = models.BigIntegerField()
    # No database constraint: the trail outlives a deleted user (pghistory keeps the id the same way).
    pengguna = models.ForeignKey(User, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                                 null=True, blank=True, related_name="+")

    objects = JejakAuditQuerySet.as_manager()

    class Meta:
        verbose_name = "jejak audit"
        verbose_name_plural = "jejak audit"
        indexes = [
            models.Index(fields=["waktu", "id"], name="jejak_waktu"),
            models.Index(fields=["pengguna", "waktu", "id"], name="jejak_pengguna_waktu"),
            models.Index(fields=["model", "waktu", "id"], name="jejak_model_waktu"),
            models.Index(fields=["objek", "waktu", "id"], name="jejak_objek_waktu"),
            models.Index(fields=["aksi", "waktu", "id"], name="jejak_aksi_waktu"),
        ]
        constraints = [models.UniqueConstraint(fields=["sumber", "sumber_id"], name="jejak_satu_per_sumber")]

    def __str__(self):
        return f"{self.get_aksi_display()} {self.model} {self.objek}".strip()


class AksesData(models.Model):
    """A read of personal data: an export, a PDF or a page listing many children's names or NIK.
    Written by tpps.audit.catat_akses only (a trigger adds its JejakAudit line); shown on the audit
    page as Lihat/Unduh."""

    waktu = models.DateTimeField()
    pengguna = models.ForeignKey(User, on_delete=models.DO_NOTHING, db_constraint=False,
                                 null=True, blank=True, related_name="+")
    aksi = models.CharField(max_length=10, choices=[(JejakAudit.Aksi.LIHAT, "Lihat"), (JejakAudit.Aksi.UNDUH, "Unduh")])
    model = models.CharField("data", max_length=100)
    objek = models.CharField(max_length=64, blank=True)
    jumlah = models.PositiveIntegerField("jumlah baris", null=True, blank=True)
    keterangan = models.CharField(max_length=200)
    halaman = models.CharField(max_length=300)
    # The filter as the user sent it (the query string).
    kueri = models.TextField(blank=True)

    class Meta:
        verbose_name = "akses data pribadi"
        verbose_name_plural = "akses data pribadi"

    def __str__(self):
        return f"{self.keterangan} ({self.waktu:%Y-%m-%d %H:%M})"


@audited()
class PembukaanKunci(models.Model):
    """A login lockout an Admin lifted (/kelola/kunci-masuk/): who, when, for which username and
    address, after how many failures. Unlocking deletes django-axes's rows; this row keeps the
    story, and its insert is the audit trail's line."""

    waktu = models.DateTimeField(auto_now_add=True)
    oleh = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="dibuka oleh")
    nama_pengguna = models.CharField("nama pengguna", max_length=255, blank=True)
    alamat = models.GenericIPAddressField("alamat IP", null=True, blank=True)
    gagal = models.PositiveIntegerField("jumlah gagal")

    class Meta:
        ordering = ["-waktu"]
        verbose_name = "pembukaan kunci masuk"
        verbose_name_plural = "pembukaan kunci masuk"

    def __str__(self):
        return f"{self.nama_pengguna or '(semua nama)'} dari {self.alamat or '(semua alamat)'}"


class Kiriman(models.Model):
    """One post of a create form, by its one-time token (tpps.submissions): a second post with the
    same token (a double click, a reloaded page) stores nothing and gets the first answer.
    Technical, not audited: the rows it guards are."""

    token = models.UUIDField(unique=True)
    pengguna = models.ForeignKey(User, on_delete=models.CASCADE, null=True, related_name="+")
    dibuat = models.DateTimeField(auto_now_add=True)
    jawaban = models.CharField(max_length=500, blank=True, help_text="alamat yang dibuka sesudah kiriman pertama")

    class Meta:
        verbose_name_plural = "kiriman"
