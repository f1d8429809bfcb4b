"""The database itself keeps the ledger honest, whatever code (or raw SQL) writes to it."""

import datetime

import pgtrigger
import pytest
from django.db.models import F
from django.db import DatabaseError, IntegrityError, connection, transaction

from genting.models import Akun, Entri, JenisAkun, Transaksi
from tests.genting.conftest import HARI, disburse, donate, kanal, pool


def run(sql, params=None):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def check_deferred_now():
    """Fire the deferred constraint triggers inside the test's transaction, as a commit would."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE genting_entri SET jumlah = jumlah + 1",
        "DELETE FROM genting_entri",
        "UPDATE genting_transaksi SET tanggal = '2020-01-01'",
        "DELETE FROM genting_transaksi",
        "UPDATE genting_donasi SET jumlah = 1",
        "DELETE FROM genting_donasi",
        "UPDATE genting_penyaluran SET jumlah = 1",
        "DELETE FROM genting_penyaluran",
        "UPDATE genting_akun SET saldo = saldo + 1",
        "DELETE FROM genting_akun",
    ],
)
def test_ledger_rows_cannot_be_changed_or_deleted(ota, keluarga, sql):
    donate(ota, 100_000)
    disburse(keluarga, 40_000)
    before = list(Entri.objects.values_list("id", "akun", "jumlah"))
    with pytest.raises(DatabaseError):
        run(sql)
    assert list(Entri.objects.values_list("id", "akun", "jumlah")) == before
    assert Akun.objects.get(jenis=JenisAkun.KAS).saldo == 60_000


def test_evidence_may_be_attached_later_but_nothing_else_changes(ota, keluarga):
    donate(ota, 100_000)
    penyaluran = disburse(keluarga, 40_000)
    run("UPDATE genting_penyaluran SET bukti = 'genting/bukti/x.pdf', bukti_tipe = 'application/pdf' WHERE id = %s",
        [penyaluran.id])
    penyaluran.refresh_from_db()
    assert penyaluran.bukti.name == "genting/bukti/x.pdf"


def test_unbalanced_transaction_is_refused_at_commit(ota):
    donate(ota, 100_000)
    kas = pool()
    with pytest.raises(IntegrityError, match="tidak seimbang"):
        with transaction.atomic():
            transaksi = Transaksi.objects.create(jenis="donasi", kanal=kanal(), tanggal=HARI)
            Entri.objects.bulk_create([Entri(transaksi=transaksi, akun=kas, jumlah=5_000),
                                       Entri(transaksi=transaksi, akun=kas, jumlah=-4_000)])
            check_deferred_now()


@pytest.mark.parametrize("legs", [0, 1])
def test_transaction_needs_two_legs(ota, legs):
    donate(ota, 100_000)
    with pytest.raises(IntegrityError, match="minimal dua entri"):
        with transaction.atomic():
            transaksi = Transaksi.objects.create(jenis="donasi", kanal=kanal(), tanggal=HARI)
            if legs:
                Entri.objects.create(transaksi=transaksi, akun=pool(), jumlah=5_000)
            check_deferred_now()


def test_legs_must_stay_in_the_transaction_channel(ota):
    donate(ota, 100_000)
    donate(ota, 100_000, kode="baznas")
    with pytest.raises(IntegrityError, match="kanal lain"):
        with transaction.atomic():
            transaksi = Transaksi.objects.create(jenis="donasi", kanal=kanal(), tanggal=HARI)
            Entri.objects.bulk_create([
                Entri(transaksi=transaksi, akun=pool(), jumlah=-1_000),
                Entri(transaksi=transaksi, akun=pool("baznas"), jumlah=1_000),
            ])
            check_deferred_now()


def test_balanced_legs_cannot_be_slipped_into_an_old_transaction(ota, keluarga):
    donation = donate(ota, 100_000)
    # Pretend the donation was committed earlier: its stamp is not this transaction's start time.
    with pgtrigger.ignore("genting.Transaksi:append_only"):
        Transaksi.objects.filter(pk=donation.transaksi_id).update(dicatat_pada=F("dicatat_pada") - datetime.timedelta(days=1))
    with pytest.raises(IntegrityError, match="transaksi baru"):
        with transaction.atomic():
            Entri.objects.bulk_create([
                Entri(transaksi=donation.transaksi, akun=pool(), jumlah=-1_000),
                Entri(transaksi=donation.transaksi, akun=Akun.objects.get(jenis=JenisAkun.DONATUR), jumlah=1_000),
            ])


def test_pool_cannot_go_negative_even_bypassing_the_services(ota, keluarga):
    donate(ota, 50_000)
    disburse(keluarga, 10_000)
    family_account = Akun.objects.get(jenis=JenisAkun.KELUARGA)
    with pytest.raises(IntegrityError, match="akun_saldo_tidak_minus"):
        with transaction.atomic():
            transaksi = Transaksi.objects.create(jenis="penyaluran", kanal=kanal(), tanggal=HARI)
            Entri.objects.bulk_create([
                Entri(transaksi=transaksi, akun=pool(), jumlah=-40_001),
                Entri(transaksi=transaksi, akun=family_account, jumlah=40_001),
            ])
    assert Akun.objects.get(pk=pool().pk).saldo == 40_000


def test_saldo_is_the_running_sum_of_entries(ota, keluarga):
    donate(ota, 70_000)
    donate(ota, 30_000)
    disburse(keluarga, 25_000)
    for akun in Akun.objects.all():
        assert akun.saldo == sum(akun.entri.values_list("jumlah", flat=True))
    assert sum(Entri.objects.values_list("jumlah", flat=True)) == 0
