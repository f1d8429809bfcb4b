"""`genting_reconcile` passes on clean data and catches rows changed behind the application's back."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from genting import services
from genting.models import Akun, Donasi, JenisAkun
from genting.reconcile import reconcile
from tests.factories import database_url
from tests.genting.conftest import disburse, donate
from tpps.roles import SYSTEM

ROOT = Path(__file__).resolve().parents[2]


def tamper(*statements):
    """Change ledger rows with the triggers switched off (a DBA with raw SQL, a buggy script)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # fire what the services left pending
        cursor.execute("ALTER TABLE genting_entri DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE genting_akun DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE genting_donasi DISABLE TRIGGER USER")
        cursor.execute("ALTER TABLE genting_transaksi DISABLE TRIGGER USER")
        for sql in statements:
            cursor.execute(sql)
        cursor.execute("ALTER TABLE genting_entri ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE genting_akun ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE genting_donasi ENABLE TRIGGER USER")
        cursor.execute("ALTER TABLE genting_transaksi ENABLE TRIGGER USER")


@pytest.fixture
def ledger(ota, keluarga):
    donation = donate(ota, 300_000)
    penyaluran = disburse(keluarga, 120_000)
    wrong = disburse(keluarga, 30_000)
    services.reverse_transaction(transaksi=wrong.transaksi, alasan="Salah input", user=SYSTEM)
    return donation, penyaluran


def test_clean_ledger_passes(ledger, capsys):
    assert reconcile() == []
    call_command("genting_reconcile")
    out = capsys.readouterr().out
    assert "cocok" in out and "saldo Rp 180.000" in out


@pytest.mark.parametrize(
    "statements, expected",
    [
        # One leg of the donation inflated: the transaction no longer balances, the pool's cached
        # balance and the donation document disagree with the entries.
        (["UPDATE genting_entri SET jumlah = jumlah + 1000 WHERE id = (SELECT MIN(id) FROM genting_entri)"],
         ["tidak seimbang", "saldo akun berbeda", "donasi tidak cocok"]),
        # A cached balance edited by hand.
        (["UPDATE genting_akun SET saldo = saldo + 5 WHERE jenis = 'kas'"], ["saldo akun berbeda"]),
        # A disbursement's entries deleted: the family's received total and the channel disagree.
        (["DELETE FROM genting_entri WHERE transaksi_id = (SELECT transaksi_id FROM genting_penyaluran ORDER BY id LIMIT 1)"],
         ["penyaluran tidak cocok", "penerimaan keluarga", "saldo kanal"]),
        # A donation's document amount changed.
        (["UPDATE genting_donasi SET jumlah = jumlah - 1"], ["donasi tidak cocok", "pemberian orang tua asuh"]),
        # An extra balanced pair that drives the pool negative for a moment.
        (["INSERT INTO genting_entri (transaksi_id, akun_id, jumlah) SELECT d.transaksi_id, a.id, -999999 "
          "FROM genting_donasi d, genting_akun a WHERE a.jenis = 'kas'",
          "INSERT INTO genting_entri (transaksi_id, akun_id, jumlah) SELECT d.transaksi_id, a.id, 999999 "
          "FROM genting_donasi d, genting_akun a WHERE a.jenis = 'donatur'"],
         ["bertanda salah", "donasi tidak cocok"]),
    ],
)
def test_mismatches_made_behind_the_app_are_found(ledger, statements, expected):
    tamper(*statements)
    problems = reconcile()
    for text in expected:
        assert any(text in p for p in problems), (text, problems)
    with pytest.raises(CommandError, match="TIDAK cocok"):
        call_command("genting_reconcile")


def _reconcile_process(database_name):
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": database_url(database_name)}
    return subprocess.run(
        [sys.executable, "manage.py", "genting_reconcile"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_command_exit_status_on_committed_data(ota, keluarga):
    donate(ota, 100_000)
    disburse(keluarga, 40_000)
    clean = _reconcile_process(connection.settings_dict["NAME"])
    assert clean.returncode == 0, clean.stderr
    assert "Rp 60.000" in clean.stdout
    akun = Akun.objects.get(jenis=JenisAkun.KELUARGA)
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("ALTER TABLE genting_akun DISABLE TRIGGER USER")
        cursor.execute("UPDATE genting_akun SET saldo = saldo + 1 WHERE id = %s", [akun.id])
        cursor.execute("ALTER TABLE genting_akun ENABLE TRIGGER USER")
        cursor.execute("COMMIT")
    dirty = _reconcile_process(connection.settings_dict["NAME"])
    assert dirty.returncode != 0
    assert f"id {akun.id}" in dirty.stderr and "TIDAK cocok" in dirty.stderr
    assert Donasi.objects.count() == 1
