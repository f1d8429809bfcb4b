"""sasaran's figures against counts made in the test from the stored rows, konvergensi's computed
capaian of the four upstream indicators (only when the period has data), children linked to KRS
families, the dashboard card and the evaluation pack's section (pdftotext)."""

import datetime
import random
import subprocess

import pytest
from django.urls import reverse

from balita import asi
from konvergensi import selectors as konvergensi_selectors
from konvergensi.models import HitungOtomatis, Indikator
from laporan import pdf
from sasaran import matching, selectors
from sasaran.models import Catin, KeluargaKrs
from tests.balita.conftest import make_anak, measure
from tests.sasaran.helpers import catin, kelurahan, ttd
from tpps.periods import Periode
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db
PLACES = ["Pesantren", "Betet", "Banaran"]


def _catin_city(seed=3):
    rng = random.Random(seed)
    for i in range(30):
        # NIKs repeat from the 23rd on (a second screening of the same person), on another day
        screened = datetime.date(2025, rng.randint(1, 6), rng.randint(1, 27) if i < 22 else 28)
        catin(rng.choice(PLACES), nik=f"35710301010{i % 22:05d}", nama=f"Catin {i}", tanggal_periksa=screened,
              jenis_kelamin=rng.choice("LP"), tanggal_lahir=datetime.date(rng.choice([1985, 1995, 2000, 2008]), 3, 3),
              berat=str(rng.choice([40, 50, 60])), tinggi="158", lila=rng.choice([None, "22", "26"]),
              hb=rng.choice([None, "11", "13.5"]), terpapar_rokok=rng.choice([None, True, False]),
              didampingi=rng.random() < 0.5)


def _expected_catin(periode, place=None):
    rows = [c for c in Catin.objects.select_related("kelurahan").order_by("tanggal_periksa")
            if periode.mulai <= c.tanggal_periksa <= periode.akhir]
    latest = {}
    for c in rows:
        latest[c.nik] = c  # ordered by date: the last wins
    chosen = [c for c in latest.values() if place is None or c.kelurahan.nama == place]
    return {"terdaftar": len(chosen), "diperiksa_lengkap": sum(c.hb is not None and (c.lila is not None or c.jenis_kelamin == "L")
                                 for c in chosen),
            "berisiko": sum(c.berisiko for c in chosen), "kek": sum(c.kek for c in chosen),
            "berisiko_didampingi": sum(c.berisiko and c.didampingi for c in chosen)}


@pytest.mark.parametrize("periode", [Periode("bulan", 2025, 3), Periode("triwulan", 2025, 2), Periode("tahun", 2025, 1)],
                         ids=lambda p: p.kode)
def test_catin_figures_equal_counts_made_here(periode):
    _catin_city()
    got = selectors.catin_figures(SYSTEM, periode)
    want = _expected_catin(periode)
    assert want["terdaftar"] and {k: getattr(got, k) for k in want} == want
    by = selectors.catin_by(SYSTEM, periode, "kelurahan")
    for place in PLACES:
        figure = by.get(kelurahan(place).pk, selectors.AngkaCatin())
        assert {k: getattr(figure, k) for k in want} == _expected_catin(periode, place)


def test_krs_unmet_need_rate_per_kelurahan():
    rng = random.Random(5)
    for i in range(60):
        pus = rng.random() < 0.7
        KeluargaKrs.objects.create(tahun=2025, kepala_keluarga=f"K{i}", kunci=f"nama:k{i}", kelurahan=kelurahan(rng.choice(PLACES)),
                                   pus=pus, unmet_need=pus and rng.random() < 0.3)
    by = selectors.krs_by(SYSTEM, 2025, "kelurahan")
    for place in PLACES:
        rows = KeluargaKrs.objects.filter(kelurahan__nama=place)
        pus = sum(r.pus for r in rows)
        unmet = sum(r.unmet_need for r in rows)
        assert (by[kelurahan(place).pk].pus, by[kelurahan(place).pk].unmet_need) == (pus, unmet)
        assert by[kelurahan(place).pk].persen_unmet_need == round(100 * unmet / pus, 2)


def test_children_linked_to_krs_families_by_mother():
    by_nik = make_anak("Betet", nama="Anak NIK", nama_ibu="Ibu Lain", nik_ibu="3571030101900001")
    by_name = make_anak("Betet", nama="Anak Nama", nama_ibu="Sri  Wahyuni")
    make_anak("Pesantren", nama="Anak Kelurahan Lain", nama_ibu="Sri Wahyuni")
    family = KeluargaKrs.objects.create(tahun=2025, kepala_keluarga="Budi", kunci="nama:budi", kelurahan=kelurahan("Betet"),
                                        nama_istri="SRI WAHYUNI", nik_istri="3571030101900001")
    linked = matching.children_of(SYSTEM, [family])[family.pk]
    assert {c["id"] for c in linked} == {by_nik.pk, by_name.pk}


def test_konvergensi_computes_the_upstream_indicators_only_with_data():
    empty = konvergensi_selectors.computed_figures(2025, "t1")
    for code in (HitungOtomatis.ASI_EKSKLUSIF, HitungOtomatis.REMATRI_TTD, HitungOtomatis.CATIN_DIPERIKSA,
                 HitungOtomatis.UNMET_NEED):
        assert code not in empty
    _catin_city()
    ttd("Pesantren", bulan=2, jumlah=200, diberi=150, minum=117)
    KeluargaKrs.objects.create(tahun=2025, kepala_keluarga="A", kunci="nama:a", kelurahan=kelurahan("Betet"), pus=True,
                               unmet_need=True)
    KeluargaKrs.objects.create(tahun=2025, kepala_keluarga="B", kunci="nama:b", kelurahan=kelurahan("Betet"), pus=True)
    baby = make_anak(nama="Bayi", tanggal_lahir=datetime.date(2025, 1, 5))
    measure(baby, datetime.date(2025, 2, 10), berat=4.6, tinggi=55, asi_eksklusif=True)
    figures = konvergensi_selectors.computed_figures(2025, "t1")
    quarter = Periode("triwulan", 2025, 1)
    catin_want = _expected_catin(quarter)
    assert figures[HitungOtomatis.CATIN_DIPERIKSA]["pembilang"] == catin_want["diperiksa_lengkap"]
    assert figures[HitungOtomatis.CATIN_DIPERIKSA]["penyebut"] == catin_want["terdaftar"]
    assert (figures[HitungOtomatis.REMATRI_TTD]["pembilang"], figures[HitungOtomatis.REMATRI_TTD]["penyebut"]) == (117, 200)
    assert str(figures[HitungOtomatis.REMATRI_TTD]["nilai"]) == "58.50"
    assert (figures[HitungOtomatis.UNMET_NEED]["pembilang"], figures[HitungOtomatis.UNMET_NEED]["penyebut"]) == (1, 2)
    assert (figures[HitungOtomatis.ASI_EKSKLUSIF]["pembilang"], figures[HitungOtomatis.ASI_EKSKLUSIF]["penyebut"]) == (1, 1)
    # The catalogue knows them: three national indicators computed now, and the new unmet-need one.
    codes = dict(Indikator.objects.filter(kode__in=["asi-eksklusif", "rematri-ttd", "catin-periksa", "unmet-need"])
                 .values_list("kode", "hitung_otomatis"))
    assert codes == {"asi-eksklusif": "asi_eksklusif", "rematri-ttd": "rematri_ttd", "catin-periksa": "catin_diperiksa",
                     "unmet-need": "unmet_need"}
    results = {r["kode"]: r for r in konvergensi_selectors.indicator_results(2025, "t1", user=SYSTEM)}
    assert results["rematri-ttd"]["dihitung"] and results["rematri-ttd"]["pembilang"] == 117


def test_dashboard_card_and_pack_section(client_for, users, tmp_path):
    _catin_city()
    ttd("Pesantren", bulan=2, jumlah=200, diberi=150, minum=117)
    measure(make_anak(nama="Balita"), datetime.date(2025, 3, 3), berat=9.5, tinggi=76)  # the dashboard needs a measurement
    response = client_for(users["pimpinan"]).get(reverse("laporan:index"), {"tahun": 2025, "periode": "th"})
    html = response.content.decode()
    assert 'id="ringkas-sasaran"' in html and "58,5" in html  # remaja putri minum TTD
    assert "Catin 1" not in html
    data = pdf.gather(2025)
    content, _ = pdf.render_pack(2025)
    path = tmp_path / "paket.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "Sasaran hulu: ASI eksklusif, catin, remaja putri, keluarga risiko stunting" in text
    want = _expected_catin(Periode("tahun", 2025, 1))
    assert f"{want['terdaftar']} diperiksa" in " ".join(text.split())
    assert data["sasaran"]["ttd"].minum_ttd == 117
    assert "Catin 1 " not in text  # no names in the pack
    assert asi.asi(SYSTEM, Periode("tahun", 2025, 1)).diketahui == 0
