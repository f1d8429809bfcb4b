"""The demo histories: seeded steps and interventions on the cases balita's measurements opened,
every date inside its case, events closing their case, and a second load changing nothing."""

import datetime
import io

import pytest

from kasus import demo, selectors
from kasus.models import HasilLangkah, Intervensi, Kasus, Langkah
from tests.kasus.helpers import stunted_child

pytestmark = pytest.mark.django_db


def test_demo_histories_are_consistent_and_load_once(users):
    for i in range(40):
        stunted_child(nama=f"Anak {i}", months=[datetime.date(2025, 1 + i % 6, 3 + i % 20)])
    demo.load(io.StringIO())
    steps, given = Langkah.objects.count(), Intervensi.objects.count()
    assert steps > 20 and given > 20
    until = selectors.as_of()
    for step in Langkah.objects.select_related("kasus"):
        assert step.kasus.tanggal_buka <= step.tanggal <= until
        assert step.hasil in dict(HasilLangkah.choices)
        step.full_clean()  # the result belongs to the step
    for kasus in Kasus.objects.exclude(hasil__in=["", "sembuh"]):
        assert Langkah.objects.filter(kasus=kasus, hasil=kasus.hasil, tanggal=kasus.tanggal_tutup).exists()
    for row in Intervensi.objects.select_related("kasus"):
        assert row.kasus.tanggal_buka <= row.mulai <= until
        assert row.hari_dimakan is None or row.hari_dimakan <= row.lama_hari
    demo.load(io.StringIO())
    assert (Langkah.objects.count(), Intervensi.objects.count()) == (steps, given)
