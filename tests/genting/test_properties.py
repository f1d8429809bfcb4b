"""Property-based: any sequence of valid operations (donations into pools and earmarks,
disbursements, reversals, refused overdrafts) keeps every balance non-negative and the ledger
reconciled, and the balances equal a model kept independently in the test."""

import datetime
from collections import defaultdict

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from genting import selectors, services
from genting.models import Akun, JenisAkun, Kanal
from genting.reconcile import reconcile
from tests.genting.conftest import make_keluarga, make_ota
from tpps.roles import SYSTEM

DAY = datetime.date(2025, 5, 1)
amounts = st.integers(min_value=1, max_value=500_000)


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        self.channels = list(Kanal.objects.filter(kode__in=["rumah-zakat", "baznas"]))
        self.donors = [make_ota(nama=f"OTA {i}") for i in range(3)]
        self.families = [make_keluarga(kepala=f"KK {i}") for i in range(3)]
        # Independent model: balances per (kind, channel, owner) and what each document moved.
        self.expected = defaultdict(int)
        self.open = []  # (transaksi, [(key, amount)]) that may still be reversed

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _apply(self, legs, sign=1):
        for key, amount in legs:
            self.expected[key] += sign * amount

    @rule(amount=amounts, donor=st.integers(0, 2), channel=st.integers(0, 1), earmark=st.none() | st.integers(0, 2))
    def donate(self, amount, donor, channel, earmark):
        kanal = self.channels[channel]
        family = self.families[earmark] if earmark is not None else None
        donation = services.record_donation(
            orang_tua_asuh=self.donors[donor], kanal=kanal, jumlah=amount, tanggal=DAY, untuk_keluarga=family, user=SYSTEM
        )
        target = ("peruntukan", kanal.id, family.id) if family else ("kas", kanal.id, None)
        legs = [(target, amount), (("donatur", kanal.id, self.donors[donor].id), -amount)]
        self._apply(legs)
        self.open.append((donation.transaksi, legs))

    @rule(amount=amounts, family=st.integers(0, 2), channel=st.integers(0, 1), earmarked=st.booleans())
    def disburse(self, amount, family, channel, earmarked):
        kanal, keluarga = self.channels[channel], self.families[family]
        source_key = ("peruntukan", kanal.id, keluarga.id) if earmarked else ("kas", kanal.id, None)
        sources = services.source_accounts(keluarga, kanal)
        source = next((a for a in sources if a.jenis == source_key[0]), None)
        if source is None:
            return
        available = self.expected[source_key]
        try:
            penyaluran = services.record_disbursement(
                keluarga=keluarga, jenis="paket_nutrisi", kanal=kanal, akun_sumber=source, jumlah=amount, tanggal=DAY, user=SYSTEM
            )
        except services.DanaTidakCukup:
            assert amount > available
            return
        assert amount <= available
        legs = [(("keluarga", kanal.id, keluarga.id), amount), (source_key, -amount)]
        self._apply(legs)
        self.open.append((penyaluran.transaksi, legs))

    @precondition(lambda self: self.open)
    @rule(pick=st.integers(min_value=0))
    def reverse(self, pick):
        transaksi, legs = self.open[pick % len(self.open)]
        # A reversal is refused exactly when it would take a pool or earmark below zero.
        would_overdraw = any(self.expected[key] - amount < 0 for key, amount in legs if key[0] != "donatur")
        try:
            services.reverse_transaction(transaksi=transaksi, alasan="uji properti", user=SYSTEM)
        except services.GentingError:
            assert would_overdraw
            return
        assert not would_overdraw
        self._apply(legs, sign=-1)
        self.open.remove((transaksi, legs))

    @invariant()
    def balances_match_the_model_and_reconcile(self):
        with connection.cursor() as cursor:
            # Fire the deferred balance checks now, as a commit would.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for akun in Akun.objects.all():
            owner = akun.orang_tua_asuh_id or akun.keluarga_id
            assert akun.saldo == self.expected[(akun.jenis, akun.kanal_id, owner)]
            if akun.jenis == JenisAkun.DONATUR:
                assert akun.saldo <= 0
            else:
                assert akun.saldo >= 0
        assert reconcile() == []
        money = selectors.genting_totals(SYSTEM)
        assert money["masuk"] - money["keluar"] == money["saldo"]


@pytest.mark.django_db
def test_any_sequence_of_operations_keeps_the_ledger_reconciled():
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(max_examples=25, stateful_step_count=15, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]),
    )
