"""The demo loader: pregnancies linked to demo children whose birth dates fit, rates in range,
audited, and a second run adds nothing."""

import datetime
import io
from decimal import Decimal

import pytest
from django.apps import apps

from balita.models import Anak
from ibuhamil import demo
from ibuhamil.models import Kehamilan, Tautan
from tests.balita.conftest import make_anak

pytestmark = pytest.mark.django_db


def test_demo_links_births_to_children_and_is_idempotent():
    for i in range(30):
        make_anak("Pesantren" if i % 2 else "Betet", nama=f"Bayi {i}", tanggal_lahir=datetime.date(2024, 6, 1) + datetime.timedelta(days=9 * i),
                  nama_ibu=f"Ibu {i}", berat_lahir=Decimal("2.3") if i % 10 == 0 else Decimal("3.1"), posyandu=None)
    make_anak("Betet", nama="Terlalu tua", tanggal_lahir=datetime.date(2020, 1, 1), posyandu=None)
    demo.load(io.StringIO())
    linked = Kehamilan.objects.filter(tautan=Tautan.TERTAUT)
    assert linked.count() == 30 and Kehamilan.objects.count() == 30 + demo.ONGOING
    for k in linked.select_related("anak"):
        assert k.anak.tanggal_lahir == k.tanggal_persalinan and k.nama == k.anak.nama_ibu
        assert k.kelurahan_id == k.anak.kelurahan_id and k.berat_lahir == int(k.anak.berat_lahir * 1000)
        assert k.hpht < k.tanggal_persalinan
    assert not Kehamilan.objects.filter(anak__nama="Terlalu tua").exists()
    kek = Kehamilan.objects.filter(kek=True).count() / Kehamilan.objects.exclude(kek=None).count()
    assert 0.03 < kek < 0.30
    events = apps.get_model("ibuhamil", "KehamilanEvent")
    assert events.objects.filter(pgh_label="insert").count() == Kehamilan.objects.count()
    out = io.StringIO()
    demo.load(out)
    assert "sudah ada" in out.getvalue() and Kehamilan.objects.count() == 30 + demo.ONGOING
    assert Anak.objects.count() == 31
