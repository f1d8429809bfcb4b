"""Clerks disbursing from one pool at the same moment, each on its own PostgreSQL connection:
the row lock lets exactly as many through as the money allows, never more."""

import threading

import psycopg
import pytest
from django.db import close_old_connections, connection, connections

from genting import services
from genting.models import Akun, JenisAkun, Penyaluran
from genting.reconcile import reconcile
from tests.genting.conftest import disburse, donate, make_keluarga, pool

CLERKS = 6


def run_together(work, count):
    """Start `count` threads that call work(i) at the same instant; return their outcomes."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def clerk(index):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = ("ok", work(index))
        except services.GentingError as error:
            outcomes[index] = ("refused", error.message)
        except Exception as error:  # noqa: BLE001 - reported to the test below
            outcomes[index] = ("error", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=clerk, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_disbursements_cannot_overdraw_the_pool(ota):
    donate(ota, 100_000)
    families = [make_keluarga(kepala=f"Keluarga {i}") for i in range(CLERKS)]
    source = pool()

    def work(index):
        close_old_connections()
        return disburse(families[index], 30_000, sumber=source).pk

    outcomes = run_together(work, CLERKS)
    assert [o for o in outcomes if o[0] == "error"] == []
    assert sum(o[0] == "ok" for o in outcomes) == 3  # 3 × 30.000 ≤ 100.000 < 4 × 30.000
    refused = [o[1] for o in outcomes if o[0] == "refused"]
    assert len(refused) == CLERKS - 3 and all("hanya Rp 10.000" in m for m in refused)
    assert Akun.objects.get(pk=source.pk).saldo == 10_000
    assert Penyaluran.objects.count() == 3
    assert reconcile() == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_database_refuses_an_overdraft_even_without_the_application_lock(ota, keluarga):
    """Two raw connections write disbursement legs at once, skipping the service's SELECT … FOR
    UPDATE: the second waits on the first one's row lock, then fails the CHECK constraint."""
    donate(ota, 50_000)
    disburse(keluarga, 1_000)
    kas = pool().pk
    family = Akun.objects.get(jenis=JenisAkun.KELUARGA).pk
    kanal_id = Akun.objects.get(pk=kas).kanal_id
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)

    def work(index):
        with psycopg.connect(**params) as conn:
            with conn.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO genting_transaksi (jenis, kanal_id, tanggal, keterangan, alasan) "
                    "VALUES ('penyaluran', %s, CURRENT_DATE, 'langsung', '') RETURNING id", [kanal_id]
                )
                transaksi = cursor.fetchone()[0]
                cursor.execute(
                    "INSERT INTO genting_entri (transaksi_id, akun_id, jumlah) VALUES (%s, %s, %s), (%s, %s, %s)",
                    [transaksi, kas, -30_000, transaksi, family, 30_000],
                )
            conn.commit()
        return transaksi

    def classify(outcome):
        return outcome[0] == "error" and "akun_saldo_tidak_minus" in outcome[1]

    outcomes = run_together(work, 2)
    assert sorted(o[0] for o in outcomes) == ["error", "ok"], outcomes
    assert any(classify(o) for o in outcomes)
    assert Akun.objects.get(pk=kas).saldo == 19_000
