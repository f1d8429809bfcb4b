"""The GENTING ledger: append-only double entry, guarded by the database itself.

- Accounts (Akun) belong to one channel (Kanal): what each foster parent gave through it
  (donatur, kept negative), the channel's general pool (kas), money earmarked for a family or a
  pairing (peruntukan), and what each family received through it (keluarga).
- A transaction (Transaksi) has at least two legs (Entri) whose amounts sum to zero, all in the
  transaction's channel: checked by a deferred constraint trigger at commit.
- Entries and transactions are never updated or deleted (triggers raise); a mistake is undone by
  a reversing transaction that names the original and a reason.
- `Akun.saldo` is a running total kept by a trigger on every inserted entry, never written by the
  application; CHECK constraints keep pools, earmarks and family accounts from going negative,
  and the row lock taken by that update serialises concurrent disbursements.
"""

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from tpps.audit import audited
from tpps.roles import ScopedQuerySet


class JenisKanal(models.TextChoices):
    UANG = "uang", "Uang"
    NATURA = "natura", "Barang/kegiatan (natura)"


@audited()
class Kanal(models.Model):
    """A channel donations go through: Rumah Zakat, BAZNAS, the city, or in kind (natura)."""

    kode = models.SlugField(max_length=30, unique=True)
    nama = models.CharField(max_length=120, unique=True)
    jenis = models.CharField(max_length=10, choices=JenisKanal.choices)
    urutan = models.PositiveSmallIntegerField(default=0)
    aktif = models.BooleanField(default=True)

    class Meta:
        verbose_name = "kanal"
        verbose_name_plural = "kanal"
        ordering = ["urutan", "nama"]

    def __str__(self):
        return self.nama

    @property
    def is_uang(self) -> bool:
        return self.jenis == JenisKanal.UANG


class JenisAkun(models.TextChoices):
    DONATUR = "donatur", "Donatur"
    KAS = "kas", "Dana umum kanal"
    PERUNTUKAN = "peruntukan", "Dana peruntukan"
    KELUARGA = "keluarga", "Diterima keluarga"


# Accounts that hold something (pools, earmarks) or count what a family received: never negative.
NON_NEGATIVE = (JenisAkun.KAS, JenisAkun.PERUNTUKAN, JenisAkun.KELUARGA)
# Accounts money can be disbursed from.
SOURCES = (JenisAkun.KAS, JenisAkun.PERUNTUKAN)

SALDO_ONLY_FROM_ENTRIES = """
    IF pg_trigger_depth() < 2 THEN
        RAISE EXCEPTION 'genting: akun % tidak boleh diubah atau dihapus; saldo hanya berubah lewat entri', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


@audited(exclude=["saldo"])
class Akun(models.Model):
    jenis = models.CharField(max_length=12, choices=JenisAkun.choices)
    kanal = models.ForeignKey(Kanal, on_delete=models.PROTECT, related_name="akun")
    orang_tua_asuh = models.ForeignKey("genting.OrangTuaAsuh", on_delete=models.PROTECT, null=True, related_name="akun")
    keluarga = models.ForeignKey("genting.KeluargaRisikoStunting", on_delete=models.PROTECT, null=True, related_name="akun")
    pendampingan = models.ForeignKey("genting.Pendampingan", on_delete=models.PROTECT, null=True, related_name="akun")
    # Kept by the database from the entries (trigger genting_entri_saldo); reconciled by genting_reconcile.
    saldo = models.BigIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "akun"
        verbose_name_plural = "akun"
        constraints = [
            models.UniqueConstraint(
                fields=["jenis", "kanal", "orang_tua_asuh", "keluarga", "pendampingan"],
                nulls_distinct=False,
                name="akun_unik",
            ),
            models.CheckConstraint(
                name="akun_bentuk_sesuai_jenis",
                condition=(
                    Q(jenis=JenisAkun.DONATUR, orang_tua_asuh__isnull=False, keluarga__isnull=True, pendampingan__isnull=True)
                    | Q(jenis=JenisAkun.KAS, orang_tua_asuh__isnull=True, keluarga__isnull=True, pendampingan__isnull=True)
                    | Q(jenis=JenisAkun.PERUNTUKAN, orang_tua_asuh__isnull=True, keluarga__isnull=False, pendampingan__isnull=True)
                    | Q(jenis=JenisAkun.PERUNTUKAN, orang_tua_asuh__isnull=True, keluarga__isnull=True, pendampingan__isnull=False)
                    | Q(jenis=JenisAkun.KELUARGA, orang_tua_asuh__isnull=True, keluarga__isnull=False, pendampingan__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="akun_saldo_tidak_minus",
                condition=(Q(jenis=JenisAkun.DONATUR) & Q(saldo__lte=0)) | (Q(jenis__in=NON_NEGATIVE) & Q(saldo__gte=0)),
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="saldo_only_from_entries",
                when=pgtrigger.Before,
                operation=pgtrigger.Update | pgtrigger.Delete,
                func=SALDO_ONLY_FROM_ENTRIES.replace("RETURN NEW", "RETURN COALESCE(NEW, OLD)"),
            ),
        ]

    def __str__(self):
        return self.label()

    def label(self, keluarga_label=None) -> str:
        if self.jenis == JenisAkun.KAS:
            return f"Dana umum {self.kanal}"
        if self.jenis == JenisAkun.PERUNTUKAN and self.pendampingan_id:
            return f"Peruntukan pendampingan #{self.pendampingan_id} ({self.kanal})"
        if self.jenis == JenisAkun.PERUNTUKAN:
            return f"Peruntukan {keluarga_label or f'keluarga #{self.keluarga_id}'} ({self.kanal})"
        if self.jenis == JenisAkun.DONATUR:
            return f"Donatur #{self.orang_tua_asuh_id} ({self.kanal})"
        return f"Keluarga #{self.keluarga_id} ({self.kanal})"


class JenisTransaksi(models.TextChoices):
    DONASI = "donasi", "Donasi masuk"
    PENYALURAN = "penyaluran", "Penyaluran"
    PEMBALIKAN = "pembalikan", "Pembalikan (koreksi)"


# Run at commit (deferred): a transaction has two or more legs, sums to zero, stays in its channel.
CHECK_BALANCED = """
        -- Planned per call (EXECUTE): a plan cached while the table was small would scan it whole.
        EXECUTE 'SELECT COALESCE(SUM(e.jumlah), 0), COUNT(*), COUNT(*) FILTER (WHERE a.kanal_id <> t.kanal_id)
                   FROM genting_entri e
                   JOIN genting_akun a ON a.id = e.akun_id
                   JOIN genting_transaksi t ON t.id = e.transaksi_id
                  WHERE e.transaksi_id = $1'
           INTO total, legs, outside USING {transaksi_id};
        IF legs < 2 THEN
            RAISE EXCEPTION 'genting: transaksi % harus punya minimal dua entri (ada %)', {transaksi_id}, legs
                USING ERRCODE = 'check_violation';
        END IF;
        IF total <> 0 THEN
            RAISE EXCEPTION 'genting: transaksi % tidak seimbang, jumlah entri %', {transaksi_id}, total
                USING ERRCODE = 'check_violation';
        END IF;
        IF outside > 0 THEN
            RAISE EXCEPTION 'genting: transaksi % memakai akun dari kanal lain', {transaksi_id}
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
"""
CHECK_BALANCED_DECLARE = [("total", "bigint"), ("legs", "integer"), ("outside", "integer")]


@audited()
class Transaksi(models.Model):
    jenis = models.CharField(max_length=12, choices=JenisTransaksi.choices)
    kanal = models.ForeignKey(Kanal, on_delete=models.PROTECT, related_name="transaksi")
    tanggal = models.DateField()
    # Set by the database to its transaction's start time: entries may only join a transaction
    # recorded in the same database transaction (trigger transaksi_baru on Entri).
    dicatat_pada = models.DateTimeField(db_default=Now(), editable=False)
    dicatat_oleh = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    keterangan = models.CharField(max_length=255, blank=True)
    membalik = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="pembalikan",
        verbose_name="membalik transaksi",
    )
    alasan = models.TextField("alasan koreksi", blank=True)

    # City roles read the ledger; the secretariat records and reverses.
    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = "transaksi"
        verbose_name_plural = "transaksi"
        ordering = ["id"]
        indexes = [models.Index(fields=["tanggal"])]
        constraints = [
            models.CheckConstraint(
                name="transaksi_pembalikan_menunjuk_asal",
                condition=(Q(jenis=JenisTransaksi.PEMBALIKAN) & Q(membalik__isnull=False) & ~Q(alasan=""))
                | (~Q(jenis=JenisTransaksi.PEMBALIKAN) & Q(membalik__isnull=True)),
            ),
        ]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            # The stamp identifies the database transaction that recorded it (now() is its start time).
            pgtrigger.Trigger(
                name="stamp",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func="NEW.dicatat_pada := now(); RETURN NEW;",
            ),
            pgtrigger.Trigger(
                name="balanced_at_commit",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                timing=pgtrigger.Deferred,
                declare=CHECK_BALANCED_DECLARE,
                func=CHECK_BALANCED.format(transaksi_id="NEW.id"),
            ),
        ]

    def __str__(self):
        return f"T{self.pk} {self.get_jenis_display()} {self.tanggal}"

    @property
    def dibalik(self) -> bool:
        """True when a reversing transaction exists for this one."""
        try:
            return self.pembalikan is not None
        except Transaksi.DoesNotExist:
            return False


@audited()
class Entri(models.Model):
    """One leg of a transaction: a signed amount on one account (positive = into the account)."""

    transaksi = models.ForeignKey(Transaksi, on_delete=models.PROTECT, related_name="entri")
    akun = models.ForeignKey(Akun, on_delete=models.PROTECT, related_name="entri")
    jumlah = models.BigIntegerField()

    class Meta:
        verbose_name = "entri"
        verbose_name_plural = "entri"
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(jumlah=0), name="entri_tidak_nol")]
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete),
            pgtrigger.Trigger(
                name="transaksi_baru",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func="""
                    IF NOT EXISTS (SELECT 1 FROM genting_transaksi
                                    WHERE id = NEW.transaksi_id AND dicatat_pada = now()) THEN
                        RAISE EXCEPTION 'genting: entri hanya boleh ditambahkan pada transaksi baru (transaksi %)',
                            NEW.transaksi_id USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                """,
            ),
            pgtrigger.Trigger(
                name="saldo",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                func="""
                    UPDATE genting_akun SET saldo = saldo + NEW.jumlah WHERE id = NEW.akun_id;
                    RETURN NULL;
                """,
            ),
            pgtrigger.Trigger(
                name="balanced_at_commit",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                timing=pgtrigger.Deferred,
                declare=CHECK_BALANCED_DECLARE,
                func=CHECK_BALANCED.format(transaksi_id="NEW.transaksi_id"),
            ),
        ]

    def __str__(self):
        return f"{self.akun}: {self.jumlah}"
