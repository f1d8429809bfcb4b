"""The documents behind ledger transactions: a donation in (Donasi) and help delivered to a family
(Penyaluran). Each points at its transaction; neither is edited or deleted (a reversal of the
transaction cancels it), except that a disbursement's evidence file may be attached later."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from genting.models.ledger import Akun, Kanal, Transaksi
from genting.models.people import KeluargaRisikoStunting, OrangTuaAsuh, Pendampingan
from tpps.audit import audited
from tpps.roles import VIEW, AreaScopedQuerySet, ScopedQuerySet


class BentukDonasi(models.TextChoices):
    UANG = "uang", "Uang"
    BARANG = "barang", "Barang"
    KEGIATAN = "kegiatan", "Kegiatan"


class DonasiQuerySet(ScopedQuerySet):
    """City roles see every donation; an operator wilayah the donations of the foster parents they
    may see (those helping families of their area). The ledger is the secretariat's."""

    def own_rows(self, user, access, action):
        if action == VIEW:
            return self.filter(orang_tua_asuh__in=OrangTuaAsuh.objects.for_user(user))
        return self.none()

    def berlaku(self):
        """Donations whose transaction has not been reversed."""
        return self.filter(transaksi__pembalikan__isnull=True)


@audited()
class Donasi(models.Model):
    orang_tua_asuh = models.ForeignKey(OrangTuaAsuh, on_delete=models.PROTECT, related_name="donasi", verbose_name="orang tua asuh")
    bentuk = models.CharField(max_length=10, choices=BentukDonasi.choices, default=BentukDonasi.UANG)
    kanal = models.ForeignKey(Kanal, on_delete=models.PROTECT, related_name="donasi")
    tanggal = models.DateField()
    # Money: the amount received; goods and activities: their estimated value. Whole rupiah.
    jumlah = models.BigIntegerField("jumlah (Rp)")
    referensi = models.CharField("referensi transfer", max_length=60, blank=True)
    uraian = models.CharField(max_length=255, blank=True)
    untuk_keluarga = models.ForeignKey(
        KeluargaRisikoStunting, on_delete=models.PROTECT, null=True, blank=True, related_name="donasi_peruntukan",
        verbose_name="peruntukan keluarga",
    )
    untuk_pendampingan = models.ForeignKey(
        Pendampingan, on_delete=models.PROTECT, null=True, blank=True, related_name="donasi_peruntukan",
        verbose_name="peruntukan pendampingan",
    )
    transaksi = models.OneToOneField(Transaksi, on_delete=models.PROTECT, related_name="donasi")
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    dicatat_pada = models.DateTimeField(auto_now_add=True)

    objects = DonasiQuerySet.as_manager()

    class Meta:
        verbose_name = "donasi"
        verbose_name_plural = "donasi"
        ordering = ["-tanggal", "-id"]
        indexes = [models.Index(fields=["tanggal"])]
        constraints = [
            models.CheckConstraint(condition=Q(jumlah__gt=0), name="donasi_jumlah_positif"),
            models.CheckConstraint(
                condition=Q(untuk_keluarga__isnull=True) | Q(untuk_pendampingan__isnull=True),
                name="donasi_satu_peruntukan",
            ),
            models.UniqueConstraint(fields=["kanal", "referensi"], condition=~Q(referensi=""), name="donasi_referensi_unik"),
        ]
        triggers = [pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]

    def __str__(self):
        return f"Donasi {self.pk} {self.orang_tua_asuh} {self.tanggal}"

    @property
    def dibatalkan(self) -> bool:
        return self.transaksi.dibalik


class JenisBantuan(models.TextChoices):
    PAKET_NUTRISI = "paket_nutrisi", "Paket nutrisi"
    AIR_BERSIH = "air_bersih", "Air bersih"
    JAMBAN = "jamban", "Jamban"
    PERBAIKAN_RUMAH = "perbaikan_rumah", "Perbaikan rumah"
    EDUKASI = "edukasi", "Edukasi/pendampingan"
    LAINNYA = "lainnya", "Lainnya"


class PenyaluranQuerySet(AreaScopedQuerySet):
    # Wilayah sees the help its families received; the ledger is the secretariat's.
    area_lookup = "keluarga__kelurahan"
    area_actions = frozenset({VIEW})

    def berlaku(self):
        return self.filter(transaksi__pembalikan__isnull=True)


def bukti_path(instance, filename):
    return f"genting/bukti/{instance.tanggal:%Y/%m}/{filename}"


@audited()
class Penyaluran(models.Model):
    keluarga = models.ForeignKey(KeluargaRisikoStunting, on_delete=models.PROTECT, related_name="penyaluran")
    jenis = models.CharField("jenis bantuan", max_length=20, choices=JenisBantuan.choices)
    # Months of food a nutrition delivery covers (the reports count families with 6 months).
    lama_bulan = models.PositiveSmallIntegerField("lama (bulan)", default=1)
    kanal = models.ForeignKey(Kanal, on_delete=models.PROTECT, related_name="penyaluran")
    akun_sumber = models.ForeignKey(Akun, on_delete=models.PROTECT, related_name="penyaluran", verbose_name="sumber dana")
    jumlah = models.BigIntegerField("nilai (Rp)")
    tanggal = models.DateField()
    uraian = models.CharField(max_length=255, blank=True)
    bukti = models.FileField("bukti (foto/kuitansi)", upload_to=bukti_path, blank=True)
    bukti_tipe = models.CharField(max_length=60, blank=True)
    transaksi = models.OneToOneField(Transaksi, on_delete=models.PROTECT, related_name="penyaluran")
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    dicatat_pada = models.DateTimeField(auto_now_add=True)

    objects = PenyaluranQuerySet.as_manager()

    class Meta:
        verbose_name = "penyaluran"
        verbose_name_plural = "penyaluran"
        ordering = ["-tanggal", "-id"]
        indexes = [models.Index(fields=["tanggal", "jenis"])]
        constraints = [
            models.CheckConstraint(condition=Q(jumlah__gt=0), name="penyaluran_jumlah_positif"),
            models.CheckConstraint(condition=Q(lama_bulan__gte=1), name="penyaluran_lama_minimal_sebulan"),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Delete),
            # Only the evidence may be attached afterwards.
            pgtrigger.ReadOnly(name="read_only_but_evidence", exclude=["bukti", "bukti_tipe"]),
        ]

    def __str__(self):
        return f"Penyaluran {self.pk} {self.get_jenis_display()} {self.tanggal}"

    @property
    def dibatalkan(self) -> bool:
        return self.transaksi.dibalik
