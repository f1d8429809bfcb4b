"""Figures of ibu hamil checked against counts made in the test from the rows themselves: the
indicators (konvergensi's computed capaian), the year's summary, the stunting split by BBLR/PBLR
against the dashboard's prevalence, and the pack's section in the PDF (pdftotext)."""

import datetime
import subprocess
from decimal import Decimal

import pytest

from balita import figures
from balita.models import Anak
from ibuhamil import selectors, services
from ibuhamil.models import Kehamilan
from konvergensi.models import HitungOtomatis, Indikator
from konvergensi.selectors import computed_figures, indicator_results
from laporan import pdf
from tests.ibuhamil.helpers import birth, make_kehamilan, visit
from tests.balita.conftest import make_anak
from tests.kasus.helpers import measure_z
from tpps.periods import Periode
from tpps.roles import SYSTEM

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def mothers():
    """Ten pregnancies of 2025 in two kelurahan, with KEK, PMT, TTD and visits that vary."""
    specs = [  # (kelurahan, lila, ttd, visits, pmt, birth weight or None)
        ("Pesantren", 22.0, 95, 6, True, 2400), ("Pesantren", 23.4, 80, 6, False, 3000),
        ("Pesantren", 23.5, 120, 5, False, 2500), ("Pesantren", 25.0, 90, 6, False, None),
        ("Betet", 21.0, 89, 4, True, 2499), ("Betet", 26.0, 100, 6, False, 3300),
        ("Betet", 22.8, 60, 2, False, None), ("Betet", 24.0, 0, 1, False, None),
        ("Pesantren", 27.0, 130, 6, False, 3600), ("Betet", 23.0, 95, 6, True, 2800),
    ]
    made = []
    for i, (kel, lila, ttd, count, pmt, berat) in enumerate(specs):
        k = make_kehamilan(kel, nama=f"Ibu {i}", hpht=D(2025, 1, 5) + datetime.timedelta(days=i))
        for n in range(count):
            visit(k, D(2025, 2, 20) + datetime.timedelta(days=30 * n), lila=lila if n == 0 else None,
                  ttd=ttd if n == count - 1 else None)
        if pmt:
            services.record_pmt(k, mulai=D(2025, 3, 1), user=SYSTEM)
        if berat:
            birth(k, D(2025, 10, 5) + datetime.timedelta(days=i), berat=berat, sex="P", nama=f"Bayi {i}")
        made.append(k)
    return made


def _independent(rows):
    """The indicators counted here from the rows, without the selectors' queries."""
    kek = [k for k in rows if k.kek]
    born = [k for k in rows if k.tanggal_persalinan and D(2025, 1, 1) <= k.tanggal_persalinan <= D(2025, 12, 31)]
    return {
        "kek_pmt": (sum(1 for k in kek if k.pmt.exists()), len(kek)),
        "ttd90": (sum(1 for k in born if k.ttd >= 90), len(born)),
        "k6": (sum(1 for k in born if k.kunjungan_anc.count() >= 6), len(born)),
    }


def test_indicators_and_summary_equal_counts_made_here(mothers):
    rows = list(Kehamilan.objects.all())
    expected = _independent(rows)
    assert expected["kek_pmt"] == (3, 5)  # the fixture really has both sides
    assert selectors.indicator_figures(SYSTEM, D(2025, 1, 1), D(2025, 12, 31)) == expected
    computed = computed_figures(2025, "th")
    assert computed[HitungOtomatis.IBU_HAMIL_KEK_PMT]["pembilang"] == expected["kek_pmt"][0]
    assert computed[HitungOtomatis.IBU_HAMIL_KEK_PMT]["nilai"] == Decimal("60.00")
    assert (computed[HitungOtomatis.IBU_HAMIL_TTD90]["pembilang"], computed[HitungOtomatis.IBU_HAMIL_TTD90]["penyebut"]) \
        == expected["ttd90"]
    # No data in 2023: the codes are absent, as prevalence without measurements.
    assert HitungOtomatis.IBU_HAMIL_TTD90 not in computed_figures(2023, "th")
    # The catalogue's national indicators take the computed figure.
    results = {r["kode"]: r for r in indicator_results(2025, "th", user=SYSTEM)}
    assert Indikator.objects.get(kode="bumil-ttd").hitung_otomatis == HitungOtomatis.IBU_HAMIL_TTD90
    assert results["bumil-ttd"]["dihitung"] and results["bumil-ttd"]["penyebut"] == expected["ttd90"][1]
    summary = selectors.summary(SYSTEM, 2025)
    live = [k for k in rows if k.keadaan_lahir == "hidup"]
    assert summary["kek"] == sum(1 for k in rows if k.kek) and summary["lahir_hidup"] == len(live)
    assert summary["bblr"] == sum(1 for k in live if k.berat_lahir < 2500) == 2
    assert summary["kehamilan"] == len(rows)


def test_the_wilayah_counts_only_its_area(mothers, users):
    inside = [k for k in Kehamilan.objects.all() if k.kelurahan.nama == "Pesantren"]
    assert selectors.summary(users["wilayah"], 2025)["kehamilan"] == len(inside) == 5


@pytest.fixture
def toddlers():
    """Children measured in March 2025 with known, low, and unknown birth weight and length."""
    specs = [(Decimal("2.3"), Decimal("46"), -2.6), (Decimal("2.4"), None, -1.0), (Decimal("3.1"), Decimal("49"), -2.4),
             (Decimal("3.3"), Decimal("50"), 0.2), (None, None, -2.8), (Decimal("2.5"), Decimal("48"), -0.5),
             (Decimal("3.0"), Decimal("47.9"), -1.2)]
    for i, (berat, panjang, z) in enumerate(specs):
        anak = make_anak("Pesantren" if i % 2 else "Betet", nama=f"Anak {i}", berat_lahir=berat, panjang_lahir=panjang,
                         tanggal_lahir=D(2023, 6, 1))
        measure_z(anak, D(2025, 3, 3), tbu=z)


def test_stunting_split_adds_up_to_the_dashboard_and_matches_a_count_made_here(toddlers):
    periode = Periode("bulan", 2025, 3)
    split = figures.stunting_by_birth(SYSTEM, periode)
    children = list(Anak.objects.prefetch_related("pengukuran"))

    def count(test):
        group = [a for a in children if test(a)]
        return (sum(1 for a in group for p in a.pengukuran.all() if p.stunting and not p.flag_tbu), len(group))

    for key, field, limit in (("bblr", "berat_lahir", Decimal("2.5")), ("pblr", "panjang_lahir", Decimal("48"))):
        got = {r["kode"]: (r["stunting"], r["tbu_valid"]) for r in split[key]}
        assert got["ya"] == count(lambda a: getattr(a, field) is not None and getattr(a, field) < limit)
        assert got["tidak"] == count(lambda a: getattr(a, field) is not None and getattr(a, field) >= limit)
        assert got["tidak_diketahui"] == count(lambda a: getattr(a, field) is None)
        angka = figures.figures(SYSTEM, periode)
        assert sum(v[0] for v in got.values()) == angka.stunting and sum(v[1] for v in got.values()) == angka.tbu_valid
    assert split["bblr"][0]["stunting"] == 1 and split["bblr"][0]["tbu_valid"] == 2


def test_pack_section_in_the_pdf(mothers, toddlers, tmp_path):
    data = pdf.gather(2025)
    html = pdf.render_html(data)
    assert 'id="ibuhamil"' in html and "Ibu hamil dan bayi baru lahir" in html
    content, _ = pdf.render_pack(2025)
    path = tmp_path / "paket.pdf"
    path.write_bytes(content)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    assert "13. Ibu hamil dan bayi baru lahir" in text
    assert f"{data['ibuhamil']['kehamilan']} ibu hamil tercatat hamil pada 2025" in text
    assert "Stunting menurut status lahir" in text and "BBLR (berat lahir < 2.500 g)" in text
