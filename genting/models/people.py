"""Who gives (OrangTuaAsuh) and who is helped (KeluargaRisikoStunting and its members), and the
pairings between them (Pendampingan)."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from tpps.ages import age_in_months
from tpps.audit import audited
from tpps.models import Kelurahan
from tpps.roles import DISBURSE, CITY_EDITORS, VIEW, AreaScopedQuerySet, Role, ScopedQuerySet


class JenisOrangTuaAsuh(models.TextChoices):
    PERORANGAN = "perorangan", "Perorangan"
    ASN = "asn", "ASN"
    PERUSAHAAN = "perusahaan", "Perusahaan"
    BUMN_BUMD = "bumn_bumd", "BUMN/BUMD"
    ORGANISASI = "organisasi", "Organisasi"
    PERGURUAN_TINGGI = "perguruan_tinggi", "Perguruan tinggi"
    MEDIA = "media", "Media"
    LAINNYA = "lainnya", "Lainnya"


# Kinds whose name is a private person's name (masked for roles that do not see personal data).
PERSONAL_KINDS = frozenset({JenisOrangTuaAsuh.PERORANGAN, JenisOrangTuaAsuh.ASN})


class BentukKomitmen(models.TextChoices):
    BULANAN = "bulanan", "Uang tiap bulan"
    SEKALI = "sekali", "Uang sekali"
    BARANG = "barang", "Barang"
    KEGIATAN = "kegiatan", "Kegiatan"


def calendar_months_between(start: datetime.date, end: datetime.date) -> int:
    """Whole calendar months from start to end, for commitments paid per calendar month; not an
    age (children's ages are `tpps.ages.age_in_months`, the WHO definition)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


class OrangTuaAsuhQuerySet(ScopedQuerySet):
    """City roles see every foster parent; an operator wilayah those paired with a family of
    their area (so they know who helps their families). Only the secretariat changes them."""

    def own_rows(self, user, access, action):
        if action == VIEW and access.has(Role.WILAYAH):
            return self.filter(id__in=Pendampingan.objects.for_user(user).values("orang_tua_asuh"))
        return self.none()


@audited()
class OrangTuaAsuh(models.Model):
    """A foster parent: a person or organisation that commits to help families at risk."""

    nama = models.CharField(max_length=200)
    jenis = models.CharField(max_length=20, choices=JenisOrangTuaAsuh.choices)
    kontak_nama = models.CharField("narahubung", max_length=150, blank=True)
    telepon = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    alamat = models.CharField(max_length=255, blank=True)
    komitmen_bentuk = models.CharField("bentuk komitmen", max_length=10, choices=BentukKomitmen.choices)
    # Rupiah per month (bulanan), in total (sekali), or the estimated value of goods/activities.
    komitmen_nominal = models.BigIntegerField("nominal komitmen (Rp)", default=0)
    komitmen_bulan = models.PositiveSmallIntegerField("lama komitmen (bulan)", default=1)
    komitmen_mulai = models.DateField("komitmen mulai", null=True, blank=True)
    komitmen_uraian = models.CharField("uraian komitmen", max_length=255, blank=True)
    aktif = models.BooleanField(default=True)
    dibuat = models.DateTimeField(auto_now_add=True)

    objects = OrangTuaAsuhQuerySet.as_manager()

    class Meta:
        verbose_name = "orang tua asuh"
        verbose_name_plural = "orang tua asuh"
        ordering = ["nama"]
        constraints = [
            models.CheckConstraint(condition=Q(komitmen_nominal__gte=0), name="ota_komitmen_tidak_negatif"),
            models.CheckConstraint(condition=Q(komitmen_bulan__gte=1), name="ota_komitmen_minimal_sebulan"),
        ]

    def __str__(self):
        return self.nama

    @property
    def komitmen_total(self) -> int:
        """The whole commitment in rupiah (monthly amount × months for monthly commitments)."""
        if self.komitmen_bentuk == BentukKomitmen.BULANAN:
            return self.komitmen_nominal * self.komitmen_bulan
        return self.komitmen_nominal

    def komitmen_jatuh_tempo(self, on: datetime.date) -> int:
        """What should have been given by `on`: months started so far for monthly commitments."""
        if self.komitmen_bentuk != BentukKomitmen.BULANAN:
            return self.komitmen_total
        if not self.komitmen_mulai or on < self.komitmen_mulai:
            return 0
        started = calendar_months_between(self.komitmen_mulai, on) + 1
        return self.komitmen_nominal * min(started, self.komitmen_bulan)

    @property
    def is_personal(self) -> bool:
        return self.jenis in PERSONAL_KINDS


class StatusKeluarga(models.TextChoices):
    AKTIF = "aktif", "Aktif"
    SELESAI = "selesai", "Selesai"
    KELUAR = "keluar", "Keluar"


class KebutuhanKeluarga(models.TextChoices):
    NUTRISI = "nutrisi", "Nutrisi"
    AIR_BERSIH = "air_bersih", "Air bersih"
    JAMBAN = "jamban", "Jamban"
    RUMAH_LAYAK = "rumah_layak", "Rumah layak"
    EDUKASI = "edukasi", "Edukasi"


class KeluargaQuerySet(AreaScopedQuerySet):
    # Families are registered and changed by the secretariat and by wilayah in its own area;
    # help is disbursed to them (the ledger, DISBURSE) by the secretariat only.
    area_lookup = "kelurahan"
    city_roles = {**AreaScopedQuerySet.city_roles, DISBURSE: CITY_EDITORS}


@audited()
class KeluargaRisikoStunting(models.Model):
    """A family at risk of stunting (KRS) registered for GENTING."""

    kepala_keluarga = models.CharField("kepala keluarga", max_length=150)
    nik_kepala = models.CharField("NIK kepala keluarga", max_length=16, blank=True)
    alamat = models.CharField(max_length=255)
    rt = models.CharField("RT", max_length=3, blank=True)
    rw = models.CharField("RW", max_length=3, blank=True)
    kelurahan = models.ForeignKey(Kelurahan, on_delete=models.PROTECT, related_name="keluarga_genting")
    kebutuhan = ArrayField(
        models.CharField(max_length=20, choices=KebutuhanKeluarga.choices), default=list, blank=True
    )
    status = models.CharField(max_length=10, choices=StatusKeluarga.choices, default=StatusKeluarga.AKTIF)
    tanggal_masuk = models.DateField("tanggal masuk")
    # When the family finished (selesai) or left (keluar) the programme.
    tanggal_selesai = models.DateField("tanggal selesai/keluar", null=True, blank=True)
    keterangan = models.TextField(blank=True)
    dibuat = models.DateTimeField(auto_now_add=True)
    diubah = models.DateTimeField(auto_now=True)

    objects = KeluargaQuerySet.as_manager()

    class Meta:
        verbose_name = "keluarga risiko stunting"
        verbose_name_plural = "keluarga risiko stunting"
        ordering = ["kelurahan__kode", "kepala_keluarga"]
        indexes = [models.Index(fields=["kelurahan", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(nik_kepala="") | Q(nik_kepala__regex=r"^[0-9]{16}$"), name="krs_nik_16_digit"
            ),
            models.CheckConstraint(
                condition=(Q(status=StatusKeluarga.AKTIF) & Q(tanggal_selesai__isnull=True))
                | (~Q(status=StatusKeluarga.AKTIF) & Q(tanggal_selesai__isnull=False)),
                name="krs_tanggal_selesai_sesuai_status",
            ),
            models.CheckConstraint(
                condition=Q(tanggal_selesai__isnull=True) | Q(tanggal_selesai__gte=models.F("tanggal_masuk")),
                name="krs_selesai_setelah_masuk",
            ),
        ]

    def __str__(self):
        return f"{self.kode} {self.kepala_keluarga}"

    @property
    def kode(self) -> str:
        return f"KRS-{self.pk:05d}" if self.pk else "KRS-baru"

    def clean(self):
        if self.status == StatusKeluarga.AKTIF and self.tanggal_selesai:
            raise ValidationError({"tanggal_selesai": "Keluarga aktif tidak punya tanggal selesai/keluar."})
        if self.status != StatusKeluarga.AKTIF and not self.tanggal_selesai:
            raise ValidationError({"tanggal_selesai": "Isi tanggal selesai/keluar untuk status ini."})
        if self.tanggal_selesai and self.tanggal_masuk and self.tanggal_selesai < self.tanggal_masuk:
            raise ValidationError({"tanggal_selesai": "Tanggal selesai/keluar tidak boleh sebelum tanggal masuk."})

    def kebutuhan_labels(self):
        labels = dict(KebutuhanKeluarga.choices)
        return [labels.get(code, code) for code in self.kebutuhan]


class Sasaran(models.TextChoices):
    IBU_HAMIL = "ibu_hamil", "Ibu hamil"
    IBU_MENYUSUI = "ibu_menyusui", "Ibu menyusui"
    ANAK = "anak", "Anak (baduta/balita)"


class KelompokSasaran(models.TextChoices):
    """The target groups of the GENTING reports (a child's group follows from its age)."""

    IBU_HAMIL = "ibu_hamil", "Ibu hamil"
    IBU_MENYUSUI = "ibu_menyusui", "Ibu menyusui"
    BADUTA = "baduta", "Baduta (0–23 bulan)"
    BALITA = "balita", "Balita (24–59 bulan)"


class AnggotaQuerySet(AreaScopedQuerySet):
    area_lookup = "keluarga__kelurahan"


@audited()
class AnggotaKeluarga(models.Model):
    """A member of a family in one of the target groups; a child may be linked to balita's record."""

    keluarga = models.ForeignKey(KeluargaRisikoStunting, on_delete=models.CASCADE, related_name="anggota")
    nama = models.CharField(max_length=150)
    nik = models.CharField("NIK", max_length=16, blank=True)
    sasaran = models.CharField(max_length=20, choices=Sasaran.choices)
    tanggal_lahir = models.DateField("tanggal lahir", null=True, blank=True)
    anak = models.ForeignKey(
        "balita.Anak", on_delete=models.SET_NULL, null=True, blank=True, related_name="anggota_genting",
        verbose_name="data balita",
    )

    objects = AnggotaQuerySet.as_manager()

    class Meta:
        verbose_name = "anggota keluarga"
        verbose_name_plural = "anggota keluarga"
        ordering = ["keluarga", "sasaran", "tanggal_lahir"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(sasaran=Sasaran.ANAK) | Q(tanggal_lahir__isnull=False), name="anggota_anak_punya_tgl_lahir"
            ),
            models.CheckConstraint(condition=Q(nik="") | Q(nik__regex=r"^[0-9]{16}$"), name="anggota_nik_16_digit"),
            models.UniqueConstraint(fields=["anak"], condition=Q(anak__isnull=False), name="anggota_satu_per_anak"),
        ]

    def __str__(self):
        return self.nama

    def clean(self):
        if self.sasaran == Sasaran.ANAK and not self.tanggal_lahir:
            raise ValidationError({"tanggal_lahir": "Tanggal lahir anak wajib diisi."})

    def kelompok_pada(self, on: datetime.date):
        """The report target group on a date, or None (a child aged 60 months or more, or unborn)."""
        if self.sasaran != Sasaran.ANAK:
            return self.sasaran
        if self.tanggal_lahir is None or on < self.tanggal_lahir:
            return None
        months = age_in_months(self.tanggal_lahir, on)
        if months < 24:
            return KelompokSasaran.BADUTA
        if months < 60:
            return KelompokSasaran.BALITA
        return None


class PendampinganQuerySet(AreaScopedQuerySet):
    # Pairing a foster parent with a family is the secretariat's job; wilayah only sees them.
    area_lookup = "keluarga__kelurahan"
    area_actions = frozenset({VIEW})


@audited()
class Pendampingan(models.Model):
    """A foster parent adopts a family for a period."""

    orang_tua_asuh = models.ForeignKey(OrangTuaAsuh, on_delete=models.PROTECT, related_name="pendampingan")
    keluarga = models.ForeignKey(KeluargaRisikoStunting, on_delete=models.PROTECT, related_name="pendampingan")
    mulai = models.DateField()
    selesai = models.DateField(null=True, blank=True)
    keterangan = models.CharField(max_length=255, blank=True)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)

    objects = PendampinganQuerySet.as_manager()

    class Meta:
        verbose_name = "pendampingan"
        verbose_name_plural = "pendampingan"
        ordering = ["-mulai"]
        constraints = [
            models.CheckConstraint(
                condition=Q(selesai__isnull=True) | Q(selesai__gte=models.F("mulai")), name="pendampingan_selesai_setelah_mulai"
            ),
        ]

    def __str__(self):
        return f"{self.orang_tua_asuh} → {self.keluarga.kode}"

    def clean(self):
        if self.selesai and self.mulai and self.selesai < self.mulai:
            raise ValidationError({"selesai": "Tanggal selesai tidak boleh sebelum tanggal mulai."})

    def aktif_pada(self, on: datetime.date) -> bool:
        return self.mulai <= on and (self.selesai is None or on <= self.selesai)
