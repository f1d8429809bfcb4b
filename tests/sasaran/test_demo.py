"""The demo data of sasaran hulu: catin with their risks as the rules give them, a dozen schools'
TTD months, KRS families in every kelurahan (some GENTING's, some the families of demo children),
rates in plausible ranges, and a second load changing nothing. The ASI answers of balita's demo."""

import io

import numpy as np
import pandas as pd
import pytest

from balita import demo as balita_demo
from sasaran import demo, matching, rules
from sasaran.models import Catin, KeluargaKrs, TtdRemajaPutri
from tests.balita.conftest import make_anak
from tests.genting.conftest import make_keluarga
from tpps.models import Kelurahan
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db


def test_demo_loads_every_part_once(users):
    for i in range(10):
        make_keluarga("Betet", kepala=f"Kepala GENTING {i}", nik_kepala=f"35710312128000{i:02d}")
    make_anak("Pesantren", nama="Anak Demo", nama_ibu="Ibu Demo Pesantren")
    demo.load(io.StringIO())
    assert 100 <= Catin.objects.count() <= 150
    for row in Catin.objects.all():
        expected = rules.risk(jenis_kelamin=row.jenis_kelamin, tanggal_lahir=row.tanggal_lahir,
                              tanggal_periksa=row.tanggal_periksa, berat=row.berat, tinggi=row.tinggi, lila=row.lila,
                              hb=row.hb, terpapar_rokok=row.terpapar_rokok)
        assert row.berisiko == expected["berisiko"] and row.imt == expected["imt"]
    assert TtdRemajaPutri.objects.values("kunci_sekolah").distinct().count() == 12
    assert set(KeluargaKrs.objects.values_list("kelurahan_id", flat=True).distinct()) == set(
        Kelurahan.objects.values_list("id", flat=True))
    assert KeluargaKrs.objects.filter(keluarga_genting__isnull=False).exists()
    family = KeluargaKrs.objects.get(nama_istri="Ibu Demo Pesantren")
    assert [c["nama"] for c in matching.children_of(SYSTEM, [family])[family.pk]] == ["Anak Demo"]
    pus = KeluargaKrs.objects.filter(pus=True).count()
    assert 0.05 < KeluargaKrs.objects.filter(unmet_need=True).count() / pus < 0.3
    counts = (Catin.objects.count(), TtdRemajaPutri.objects.count(), KeluargaKrs.objects.count())
    demo.load(io.StringIO())
    assert (Catin.objects.count(), TtdRemajaPutri.objects.count(), KeluargaKrs.objects.count()) == counts


def test_balita_demo_answers_asi_for_infants_at_a_plausible_rate():
    kids = pd.DataFrame({"x": range(2000)})
    ages = np.array([15, 45, 75, 105, 135, 165, 250])  # monthly weighings, one after six months
    kid = np.repeat(np.arange(2000), len(ages))
    age = np.tile(ages, 2000)
    answers = balita_demo._asi_answers(kids, kid, age, 2025)
    under = answers[age < 183]
    known = under[under != ""]
    assert 0.6 <= (known == "Ya").mean() <= 0.85  # most at a weighing, fewer as infants grow
    oldest = answers[age == 165]
    assert 0.45 <= (oldest[oldest != ""] == "Ya").mean() <= 0.7
    assert 0.03 < (under == "").mean() < 0.1     # some not recorded
    assert (answers[age >= 183] == "").all()
