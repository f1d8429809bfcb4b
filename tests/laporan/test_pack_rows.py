"""The evaluation pack's tables: the city's total row named as the city with its change, and a
note where the province's score scale changed between years."""

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest

from laporan import demo, pdf, ranking
from tests.laporan.helpers import expected, random_city, refresh_figures
from tpps import formatting


@pytest.fixture
def city(db):
    random_city(seed=11, children=40)
    refresh_figures()
    demo.load_ranking()


@pytest.mark.django_db
def test_total_row_is_the_city_with_its_change(city):
    html = pdf.render_html(pdf.gather(2025))
    rows = re.findall(r'<tr class="total"><td>([^<]*)</td>.*?</tr>', html, re.S)
    assert rows == ["Total Kota Kediri", "Total Kota Kediri"]  # kecamatan and kelurahan tables
    now = expected(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))["stunting"]
    before = expected(datetime.date(2024, 1, 1), datetime.date(2024, 12, 31))["stunting"]
    change = now - before
    total = re.search(r'<tr class="total">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r'<td class="num">([^<]*)', total)
    want = ("+" if change > 0 else "") + formatting.angka(change)
    assert cells[5].strip() == want, (cells, want)


@pytest.mark.django_db
def test_pack_notes_where_the_score_scale_changed(city):
    html = pdf.render_html(pdf.gather(2025))
    notes = re.findall(r'data-catatan="skala">([^<]*)<', html)
    assert len(notes) == 1 and "Skala skor provinsi berubah pada penilaian 2025" in notes[0]
    assert "tidak dapat dibandingkan langsung" in notes[0]
    history = ranking.history()
    assert [h["tahun"] for h in history if h["skala_berubah"]] == [2025]


def _year(puncak, maksimum=None):
    return {"puncak": Decimal(str(puncak)), "penilaian": SimpleNamespace(skor_maksimum=maksimum)}


def test_scale_changed_rule():
    assert not ranking.scale_changed(None, _year(129))
    assert not ranking.scale_changed(_year(92.4, 100), _year(94.1, 100))
    assert ranking.scale_changed(_year(94.1, 100), _year(132, 150))
    assert ranking.scale_changed(_year(94.1, 100), _year(132))  # a score above last year's maximum
    assert not ranking.scale_changed(_year(94.1, 100), _year(96.0))
    assert ranking.scale_changed(_year(94.1), _year(132))  # no maxima: the top score jumped
    assert not ranking.scale_changed(_year(92.4), _year(94.1))
