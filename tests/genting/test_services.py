"""Donations, disbursements and reversals through the services: balances, refusals, messages."""

import datetime

import pytest
from django.utils import timezone

from genting import selectors, services
from genting.models import Akun, Donasi, JenisAkun, Pendampingan, Penyaluran, Transaksi
from genting.reconcile import reconcile
from tests.genting.conftest import disburse, donate, kanal, make_keluarga, make_ota, pool
from tpps.roles import SYSTEM


def saldo(akun):
    return Akun.objects.get(pk=akun.pk).saldo


def test_donation_into_pool_and_disbursement_to_family(ota, keluarga):
    donation = donate(ota, 250_000, referensi="TRF-001")
    penyaluran = disburse(keluarga, 90_000, lama_bulan=3)
    assert saldo(pool()) == 160_000
    family = Akun.objects.get(jenis=JenisAkun.KELUARGA, keluarga=keluarga)
    assert family.saldo == 90_000
    donor = Akun.objects.get(jenis=JenisAkun.DONATUR, orang_tua_asuh=ota)
    assert donor.saldo == -250_000
    assert sorted(donation.transaksi.entri.values_list("jumlah", flat=True)) == [-250_000, 250_000]
    assert penyaluran.lama_bulan == 3
    assert reconcile() == []


def test_earmarked_donation_is_only_for_that_family(ota, keluarga):
    other = make_keluarga(kepala="Lain")
    donate(ota, 100_000, untuk_keluarga=keluarga)
    earmark = Akun.objects.get(jenis=JenisAkun.PERUNTUKAN, keluarga=keluarga)
    assert saldo(pool()) == 0 and earmark.saldo == 100_000
    assert [a.pk for a in services.source_accounts(keluarga, kanal())] == [pool().pk, earmark.pk]
    assert [a.pk for a in services.source_accounts(other, kanal())] == [pool().pk]
    with pytest.raises(services.GentingError, match="keluarga lain"):
        disburse(other, 10_000, sumber=earmark)
    with pytest.raises(services.DanaTidakCukup, match="dana umum Rumah Zakat hanya Rp 0"):
        disburse(other, 10_000)
    disburse(keluarga, 100_000, sumber=earmark)
    assert saldo(earmark) == 0
    assert reconcile() == []


def test_donation_earmarked_for_a_pairing(ota, keluarga):
    pairing = Pendampingan.objects.create(orang_tua_asuh=ota, keluarga=keluarga, mulai=datetime.date(2025, 1, 1))
    donate(ota, 60_000, untuk_pendampingan=pairing)
    earmark = Akun.objects.get(jenis=JenisAkun.PERUNTUKAN, pendampingan=pairing)
    assert earmark in services.source_accounts(keluarga, kanal())
    disburse(keluarga, 60_000, sumber=earmark)
    someone_else = make_ota(nama="Bu Ani", jenis="perorangan")
    with pytest.raises(services.GentingError, match="bukan milik orang tua asuh ini"):
        donate(someone_else, 10_000, untuk_pendampingan=pairing)
    assert reconcile() == []


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"jumlah": 0}, "lebih dari Rp 0"),
        ({"jumlah": -5}, "lebih dari Rp 0"),
        ({"jumlah": 1.5}, "rupiah bulat"),
        ({"jumlah": 10**12}, "melebihi batas"),
        ({"kode": "natura"}, "kanal uang"),
        ({"bentuk": "barang", "uraian": "Beras"}, "kanal natura"),
        ({"bentuk": "barang", "kode": "natura"}, "Uraikan barang"),
        ({"tanggal": datetime.date(2099, 1, 1)}, "melewati hari ini"),
    ],
)
def test_donation_refusals_name_the_problem(ota, kwargs, message):
    params = {"jumlah": 100_000, **kwargs}
    with pytest.raises(services.GentingError, match=message):
        donate(ota, **params)
    assert not Transaksi.objects.exists() and not Donasi.objects.exists()


def test_transfer_reference_is_unique_per_channel(ota):
    donate(ota, 100_000, referensi="RZ-77")
    donate(ota, 100_000, referensi="RZ-77", kode="baznas")
    with pytest.raises(services.GentingError, match="RZ-77 sudah tercatat di Rumah Zakat"):
        donate(ota, 50_000, referensi=" RZ-77 ")


def test_goods_go_through_the_natura_channel(ota, keluarga):
    donate(ota, 750_000, kode="natura", bentuk="barang", uraian="Susu dan telur")
    disburse(keluarga, 500_000, kode="natura", jenis="paket_nutrisi")
    totals = selectors.genting_totals(SYSTEM)
    assert totals["natura_masuk"] == 750_000 and totals["natura_keluar"] == 500_000
    assert totals["masuk"] == 0 and totals["saldo"] == 0


def test_help_only_for_active_families(ota):
    donate(ota, 100_000)
    finished = make_keluarga(status="selesai", tanggal_selesai=datetime.date(2025, 2, 1))
    with pytest.raises(services.GentingError, match="berstatus selesai"):
        disburse(finished, 10_000)


def test_source_must_be_of_the_same_channel(ota, keluarga):
    donate(ota, 100_000, kode="baznas")
    with pytest.raises(services.GentingError, match="Sumber dana harus"):
        disburse(keluarga, 10_000, sumber=pool("baznas"))


def test_lama_bulan_only_counts_for_nutrition(ota, keluarga):
    donate(ota, 100_000)
    assert disburse(keluarga, 10_000, jenis="jamban", lama_bulan=6).lama_bulan == 1


# --- Reversal flow ------------------------------------------------------------------------------

def test_reversing_a_disbursement_returns_the_money(ota, keluarga):
    donate(ota, 100_000)
    penyaluran = disburse(keluarga, 80_000)
    reversal = services.reverse_transaction(transaksi=penyaluran.transaksi, alasan="Salah keluarga", user=SYSTEM)
    assert reversal.membalik_id == penyaluran.transaksi_id and reversal.alasan == "Salah keluarga"
    assert sorted(reversal.entri.values_list("jumlah", flat=True)) == [-80_000, 80_000]
    assert saldo(pool()) == 100_000
    assert Penyaluran.objects.get(pk=penyaluran.pk).dibatalkan
    assert Penyaluran.objects.berlaku().count() == 0
    # The original rows are all still there: nothing was edited or deleted.
    assert Transaksi.objects.count() == 3 and Penyaluran.objects.count() == 1
    assert selectors.genting_totals(SYSTEM)["keluarga_dibantu"] == 0
    assert reconcile() == []


def test_a_spent_donation_cannot_be_reversed_until_its_help_is(ota, keluarga):
    donation = donate(ota, 100_000)
    penyaluran = disburse(keluarga, 70_000)
    with pytest.raises(services.GentingError, match="batalkan penyalurannya lebih dulu"):
        services.reverse_transaction(transaksi=donation.transaksi, alasan="Transfer ganda", user=SYSTEM)
    services.reverse_transaction(transaksi=penyaluran.transaksi, alasan="Ikut dibatalkan", user=SYSTEM)
    services.reverse_transaction(transaksi=donation.transaksi, alasan="Transfer ganda", user=SYSTEM)
    assert saldo(pool()) == 0
    assert selectors.genting_totals(SYSTEM)["masuk"] == 0
    assert reconcile() == []


def test_reversal_needs_a_reason_and_happens_once(ota):
    donation = donate(ota, 100_000)
    with pytest.raises(services.GentingError, match="alasan"):
        services.reverse_transaction(transaksi=donation.transaksi, alasan="  ", user=SYSTEM)
    reversal = services.reverse_transaction(transaksi=donation.transaksi, alasan="Dobel", user=SYSTEM)
    with pytest.raises(services.GentingError, match="sudah dibalik"):
        services.reverse_transaction(transaksi=donation.transaksi, alasan="Lagi", user=SYSTEM)
    with pytest.raises(services.GentingError, match="tidak dapat dibalik lagi"):
        services.reverse_transaction(transaksi=reversal, alasan="Batal koreksi", user=SYSTEM)
    assert Transaksi.objects.count() == 2


def test_reversal_date_defaults_to_today(ota):
    donation = donate(ota, 1_000)
    reversal = services.reverse_transaction(transaksi=donation.transaksi, alasan="Uji", user=SYSTEM)
    assert reversal.tanggal == timezone.localdate()


def test_attribution_follows_first_in_first_out(keluarga):
    first, second = make_ota(nama="A"), make_ota(nama="B")
    d1 = donate(first, 100_000, tanggal=datetime.date(2025, 1, 5))
    d2 = donate(second, 100_000, tanggal=datetime.date(2025, 1, 6))
    p1 = disburse(keluarga, 150_000, tanggal=datetime.date(2025, 2, 1))
    rows_first = selectors.donor_attribution(first)
    assert rows_first[0]["donasi"] == d1
    assert rows_first[0]["tersalur"] == [(p1, 100_000)] and rows_first[0]["sisa"] == 0
    rows_second = selectors.donor_attribution(second)
    assert rows_second[0]["tersalur"] == [(p1, 50_000)] and rows_second[0]["sisa"] == 50_000
    assert rows_second[0]["donasi"] == d2
