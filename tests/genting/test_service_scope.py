"""GENTING's ledger services check the acting user themselves: the ledger is the secretariat's
(Admin, Operator DP3AP2KB); anyone else is refused with an Indonesian PermissionDenied and
nothing is stored."""

import pytest
from django.core.exceptions import PermissionDenied

from genting import services
from genting.models import Donasi, Entri, Penyaluran, Transaksi
from tests.genting.conftest import HARI, disburse, donate, kanal, make_keluarga, pool


def test_wilayah_cannot_disburse_to_a_family_of_another_kelurahan(users, ota):
    donate(ota, 1_000_000)
    betet = make_keluarga("Betet")  # outside Puskesmas Pesantren I's area
    before = (Transaksi.objects.count(), Entri.objects.count())
    with pytest.raises(PermissionDenied, match=betet.kode):
        services.record_disbursement(keluarga=betet, jenis="paket_nutrisi", kanal=kanal(), akun_sumber=pool(),
                                     jumlah=100_000, tanggal=HARI, user=users["wilayah"])
    assert not Penyaluran.objects.exists() and (Transaksi.objects.count(), Entri.objects.count()) == before


@pytest.mark.parametrize("role", ["wilayah", "pimpinan", "opd", "outsider"])
def test_only_the_secretariat_keeps_the_ledger(users, ota, role):
    own = make_keluarga("Pesantren")  # inside the wilayah user's own area: still the secretariat's ledger
    given = donate(ota, 500_000)
    counts = (Transaksi.objects.count(), Donasi.objects.count())
    with pytest.raises(PermissionDenied):
        services.record_donation(orang_tua_asuh=ota, kanal=kanal(), jumlah=1, tanggal=HARI, user=users[role])
    with pytest.raises(PermissionDenied):
        services.record_disbursement(keluarga=own, jenis="edukasi", kanal=kanal(), akun_sumber=pool(),
                                     jumlah=1, tanggal=HARI, user=users[role])
    with pytest.raises(PermissionDenied):
        services.reverse_transaction(transaksi=given.transaksi, alasan="salah", user=users[role])
    assert (Transaksi.objects.count(), Donasi.objects.count()) == counts and not Penyaluran.objects.exists()


def test_the_secretariat_records_in_every_kelurahan(users, ota):
    donate(ota, 500_000)
    for role, name in (("operator", "Betet"), ("admin", "Pesantren")):
        done = services.record_disbursement(keluarga=make_keluarga(name), jenis="edukasi", kanal=kanal(), akun_sumber=pool(),
                                            jumlah=1_000, tanggal=HARI, user=users[role])
        assert done.dicatat_oleh == users[role]
    assert disburse(make_keluarga("Gayam"), 1_000).dicatat_oleh is None  # SYSTEM is stored as nobody


def test_a_city_reader_who_is_also_wilayah_edits_only_own_area(client_for, db):
    """Pimpinan sees every family, but the wilayah role changes only its own kelurahan's."""
    from django.urls import reverse

    from tests.factories import make_user
    from tpps.roles import Role

    both = make_user("u_lurah_sekda", (Role.WILAYAH, {"kelurahan": "Betet"}), (Role.PIMPINAN, {}))
    client = client_for(both)
    assert client.get(reverse("genting:keluarga_edit", args=[make_keluarga("Betet").pk])).status_code == 200
    assert client.get(reverse("genting:keluarga_edit", args=[make_keluarga("Gayam").pk])).status_code == 404
