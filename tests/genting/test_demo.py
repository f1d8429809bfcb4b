"""The demo loader: about 60 foster parents and 300 families, a reconciled year, idempotent, and
children linked to balita's records whether balita's demo ran before or after."""

import datetime

from balita.models import Anak
from genting import demo
from genting.models import AnggotaKeluarga, Donasi, KeluargaRisikoStunting, OrangTuaAsuh, Penyaluran, Transaksi
from genting.reconcile import reconcile
from tpps.models import Kelurahan


def test_demo_loads_a_reconciled_year_once_and_links_children_later(db):
    demo.load()
    assert OrangTuaAsuh.objects.count() == 60 and KeluargaRisikoStunting.objects.count() == 300
    assert Donasi.objects.count() > 300 and Penyaluran.objects.count() > 1000
    assert Transaksi.objects.filter(jenis="pembalikan").exists()
    assert reconcile() == []
    days = Transaksi.objects.values_list("tanggal", flat=True)
    assert (max(days) - min(days)).days <= 366
    assert not AnggotaKeluarga.objects.filter(anak__isnull=False).exists()  # no balita children yet

    counts = (Donasi.objects.count(), Penyaluran.objects.count(), Transaksi.objects.count())
    born = datetime.date.today() - datetime.timedelta(days=400)
    Anak.objects.bulk_create(
        Anak(nama=f"Anak Balita {k.nama}", jenis_kelamin="L", tanggal_lahir=born, kelurahan=k) for k in Kelurahan.objects.all()
    )
    demo.load()
    assert (Donasi.objects.count(), Penyaluran.objects.count(), Transaksi.objects.count()) == counts
    linked = AnggotaKeluarga.objects.filter(anak__isnull=False).select_related("anak", "keluarga")
    assert linked.exists()
    for member in linked:
        assert member.nama == member.anak.nama and member.anak.kelurahan_id == member.keluarga.kelurahan_id
    assert reconcile() == []
