"""The data-quality report: each measure on crafted data (expected values by hand or computed
independently here), the score and its reasons, the fix list and "sudah diperiksa, benar"."""

import datetime
import math
import random

import numpy as np
import pytest
from django.core.exceptions import PermissionDenied

from balita.models import TemuanDiperiksa
from balita.quality import marks
from balita.quality.measures import Jumlah
from balita.quality.report import report, worst_posyandu
from balita.quality.score import score
from tests.balita.quality_helpers import Q1, child, melati_betet, ukur
from tests.laporan.helpers import refresh_figures
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db


def _posyandu_row(laporan, name="Melati", kelurahan="Betet"):
    return next(r for r in laporan.rows if r.nama == name and r.induk == kelurahan)


def test_each_measure_on_a_crafted_posyandu():
    melati_betet()
    row = _posyandu_row(report(SYSTEM, Q1))
    j = row.jumlah
    # Children: each child's latest measurement in the quarter (Adi, Bunga, Citra, Dewi).
    assert (j.n_anak, j.n_ukur) == (4, 6)
    assert j.persen_nik_kosong() == 25  # Bunga
    assert j.persen_berat_kosong() == pytest.approx(100 / 6) and j.persen_tinggi_kosong() == 0
    assert j.persen_cara_kosong() == 0
    # Flagged share over the measurements whose TB/U WHO computes (all six have a height).
    assert j.persen_flag("tbu") == pytest.approx(100 / 6) and j.persen_flag("bbu") == 0
    # Position: Bunga standing at 13 months, Citra lying at 35 months, of six with a position.
    assert j.persen_cara_ukur_umur() == pytest.approx(200 / 6)
    # Growth: two measurements have an earlier one (Adi's and Dewi's second). Adi's height fell
    # 3.0 cm; Dewi gained 4.0 kg in 23 days, within 0.5 + 0.020 × 8.0 × 23 = 4.18 kg.
    assert j.pasangan == 2
    assert j.tinggi_turun == 1 and j.berat_tidak_wajar == 0
    assert j.persen_ganda() == 25  # the two Adi records, counted at the measured one
    # Digits: heights 80.0 77.0 75.5 95.3 70.1 71.2 → .0 ×2, .5, .3, .1, .2; weights first decimal.
    assert j.digit_tb == [2, 1, 1, 1, 0, 1, 0, 0, 0, 0]
    assert j.persen_0_5("tb") == 50
    digits = np.array(j.digit_tb)
    chi2 = ((digits - digits.sum() / 10) ** 2 / (digits.sum() / 10)).sum()
    assert j.dps("tb") == pytest.approx(100 * math.sqrt(chi2 / (digits.sum() * 9)))
    assert j.digit_bb == [3, 0, 1, 0, 0, 1, 0, 0, 0, 0]  # 10.0 10.5 14.2 8.0 12.0 (Bunga none)
    # Sex: Adi boy; Bunga, Citra, Dewi girls.
    assert j.rasio_jk() == pytest.approx(1 / 3)
    # Born on the 1st: Adi only, of four children.
    assert j.rasio_lahir_tgl1() == pytest.approx(0.25 / (12 / 365.25))


def test_weight_jump_beyond_the_limit_is_found():
    data = melati_betet()
    # +3.5 kg in 10 days from 12.0 kg: beyond 0.5 + 0.020 × 12.0 × 10 = 2.9 kg
    ukur(data["dewi"], datetime.date(2025, 3, 25), 15.5, 71.5, "terlentang")
    refresh_figures()
    items = [t for t in report(SYSTEM, Q1).temuan if t.jenis == "berat_tidak_wajar"]
    assert [t.anak_id for t in items] == [data["dewi"].pk]
    assert "naik 3,50 kg" in items[0].rincian


def test_z_score_sd_skewness_kurtosis_against_numpy():
    rng = random.Random(5)
    values = [round(rng.gauss(-0.8, 1.3) ** 1, 2) for _ in range(40)]
    for i, z in enumerate(values):
        anak = child("Pesantren", datetime.date(2023, 5, 1 + i % 28), f"Anak {i}", jk="LP"[i % 2])
        ukur(anak, datetime.date(2025, 2, 10), 11.0, 85.0, "berdiri", haz=z)
    flagged = child("Pesantren", datetime.date(2023, 5, 2), "Anak flag")
    ukur(flagged, datetime.date(2025, 2, 10), 11.0, 85.0, "berdiri", haz=7.0, flag_tbu=True)
    refresh_figures()
    j = report(SYSTEM, Q1, "kelurahan").kota.jumlah
    z = np.array(values)
    assert j.n_z("tbu") == 40  # the flagged one left out
    assert j.sd("tbu") == pytest.approx(z.std(ddof=1))
    centred = z - z.mean()
    m2, m3, m4 = (centred ** 2).mean(), (centred ** 3).mean(), (centred ** 4).mean()
    assert j.skewness("tbu") == pytest.approx(m3 / m2 ** 1.5)
    assert j.kurtosis("tbu") == pytest.approx(m4 / m2 ** 2 - 3)
    assert j.rasio_jk() == 21 / 20
    # Ages in completed WHO months at a multiple of 6, over the expected sixth.
    months = [int((datetime.date(2025, 2, 10) - datetime.date(2023, 5, 1 + i % 28)).days / 30.4375) for i in range(40)]
    months.append(int((datetime.date(2025, 2, 10) - datetime.date(2023, 5, 2)).days / 30.4375))
    assert j.rasio_umur_6() == pytest.approx(sum(m % 6 == 0 for m in months) / 41 * 6)


def test_score_deducts_linearly_with_reasons():
    j = Jumlah(n_ukur=100, ada_tinggi=100, ada_berat=100, n_anak=100, nik_kosong=11)
    result = score(j, cakupan=90)
    # NIK: (11 − 2) / (20 − 2) × 10 = 5 points.
    assert result.nilai == 95 and result.alasan == [("NIK anak kosong 11,0 %", 5.0)]
    result = score(j, cakupan=50)  # coverage: (80 − 50) / 60 × 5 = 2.5 more
    assert result.nilai == 92 and result.alasan[1] == ("cakupan penimbangan hanya 50,0 %", 2.5)
    assert score(Jumlah(), 50).nilai is None


def test_posyandu_score_and_reasons_from_the_findings():
    melati_betet()
    row = _posyandu_row(report(SYSTEM, Q1))
    texts = " ".join(text for text, _ in row.skor.alasan)
    for word in ("NIK anak kosong", "berat atau tinggi kosong", "nilai tidak wajar", "cara ukur tidak sesuai umur",
                 "pertumbuhan tidak wajar", "kemungkinan anak ganda"):
        assert word in texts
    assert row.skor.nilai == round(100 - sum(points for _, points in row.skor.alasan))
    assert worst_posyandu(report(SYSTEM, Q1))[0].nama == "Melati"


def test_fix_list_and_marking_checked(users):
    data = melati_betet()
    items = report(SYSTEM, Q1).temuan
    kinds = sorted(t.jenis for t in items)
    assert kinds == sorted(["nik_kosong", "bb_tb_kosong", "flag_who", "cara_ukur_umur", "cara_ukur_umur",
                            "tinggi_turun", "anak_ganda"])
    fall = next(t for t in items if t.jenis == "tinggi_turun")
    assert fall.pengukuran_id == data["adi2"].pk and "turun 3,0 cm" in fall.rincian

    # Pimpinan reads but cannot mark; a wilayah operator of Puskesmas Pesantren I not in Betet.
    for role in ("pimpinan", "wilayah"):
        with pytest.raises(PermissionDenied):
            marks.mark_checked(users[role], jenis=fall.jenis, kunci=fall.kunci, anak_id=fall.anak_id,
                               pengukuran_id=fall.pengukuran_id)
    mark = marks.mark_checked(users["operator"], jenis=fall.jenis, kunci=fall.kunci, anak_id=fall.anak_id,
                              pengukuran_id=fall.pengukuran_id)
    assert mark.diperiksa_oleh == users["operator"] and mark.diperiksa_pada
    laporan = report(SYSTEM, Q1)
    assert "tinggi_turun" not in {t.jenis for t in laporan.temuan} and laporan.diperiksa == 1
    assert _posyandu_row(laporan).jumlah.tinggi_turun == 0
    # Correcting the measurement's height (still falling) brings the finding back.
    data["adi2"].tinggi = 76
    data["adi2"].save()
    refresh_figures()
    assert "tinggi_turun" in {t.jenis for t in report(SYSTEM, Q1).temuan}
    assert TemuanDiperiksa.objects.count() == 1


def test_wilayah_sees_only_its_area(users):
    melati_betet()  # Betet: not in Puskesmas Pesantren I's area
    own = child("Pesantren", datetime.date(2024, 3, 3), "Eka Putra", nik="3571030303240001")
    ukur(own, datetime.date(2025, 2, 2), 9.0, 74.0, "berdiri")  # standing at 11 months
    refresh_figures()
    laporan = report(users["wilayah"], Q1)
    assert {t.anak_id for t in laporan.temuan} == {own.pk}
    assert laporan.kota.jumlah.n_anak == 1 and [r.induk for r in laporan.rows] == ["Pesantren"]
    mark = marks.mark_checked(users["wilayah"], jenis="cara_ukur_umur", kunci=laporan.temuan[0].kunci,
                              anak_id=own.pk, pengukuran_id=laporan.temuan[0].pengukuran_id)
    assert mark.diperiksa_oleh == users["wilayah"] and not report(users["wilayah"], Q1).temuan
    assert report(users["opd"], Q1).temuan == []  # OPD reads no children
