"""The rules of a pregnancy at their boundaries (ibuhamil/rules.py)."""

import datetime
from decimal import Decimal

import pytest

from balita.figures import BBLR_KG, PBLR_CM
from ibuhamil import rules


@pytest.mark.parametrize("hpht, expected", [
    (datetime.date(2025, 1, 10), datetime.date(2025, 10, 17)),
    (datetime.date(2024, 5, 31), datetime.date(2025, 3, 7)),   # Naegele: +1 year, −3 months, +7 days
    (datetime.date(2024, 2, 29), datetime.date(2024, 12, 6)),
])
def test_hpl_by_naegele(hpht, expected):
    assert rules.hpl(hpht) == expected
    assert 278 <= (rules.hpl(hpht) - hpht).days <= 283


def test_trimester_boundaries():
    hpht = datetime.date(2025, 1, 1)
    day = lambda n: hpht + datetime.timedelta(days=n)  # noqa: E731
    assert [rules.trimester(hpht, day(n)) for n in (0, 84, 85, 168, 169, 280)] == [1, 1, 2, 2, 3, 3]


def test_kek_anemia_bblr_pblr_boundaries():
    assert rules.kek(Decimal("23.4")) and not rules.kek(Decimal("23.5")) and not rules.kek(None)
    assert rules.anemia(Decimal("10.9")) and not rules.anemia(Decimal("11.0")) and not rules.anemia(None)
    assert rules.bblr(2499) and not rules.bblr(2500) and not rules.bblr(None)
    assert rules.pblr(Decimal("47.9")) and not rules.pblr(Decimal("48.0")) and not rules.pblr(None)
    assert rules.ttd_cukup(90) and not rules.ttd_cukup(89)
    # One home: the birth thresholds are balita's constants.
    assert rules.BBLR_GRAM == int(BBLR_KG * 1000) == 2500 and PBLR_CM == 48


def test_risk_flags_four_terlalu():
    hpht = datetime.date(2025, 6, 1)
    # Age at HPHT: 19 (muda) vs 20 (not); 35 (not) vs 36 (tua).
    assert rules.risiko(datetime.date(2005, 6, 2), hpht) == ["muda"]
    assert rules.risiko(datetime.date(2005, 6, 1), hpht) == []
    assert rules.risiko(datetime.date(1990, 6, 1), hpht) == []
    assert rules.risiko(datetime.date(1989, 6, 1), hpht) == ["tua"]
    # Last birth under two years before HPHT is terlalu dekat; exactly two years is not.
    mother = datetime.date(1995, 1, 1)
    assert rules.risiko(mother, hpht, 1, datetime.date(2023, 6, 2)) == ["dekat"]
    assert rules.risiko(mother, hpht, 1, datetime.date(2023, 6, 1)) == []
    # Four children born before is terlalu banyak; three is not.
    assert rules.risiko(mother, hpht, 4) == ["banyak"]
    assert rules.risiko(mother, hpht, 3) == []
    assert rules.risiko(datetime.date(2007, 1, 1), hpht, 4, datetime.date(2024, 12, 1)) == ["muda", "dekat", "banyak"]
