"""Pure rules: achievement status in both directions, percentages, periods, readiness."""

import datetime
from decimal import Decimal

import pytest

from konvergensi.rules import Arah, StatusCapaian, kesiapan_persen, persentase, rata_rata, rentang_periode, status_capaian

NAIK, TURUN = Arah.NAIK, Arah.TURUN


@pytest.mark.parametrize(
    "capaian, target, expected",
    [
        ("80", "80", StatusCapaian.TERCAPAI),
        ("95.5", "80", StatusCapaian.TERCAPAI),
        ("72", "80", StatusCapaian.HAMPIR),  # exactly 90 % of the target
        ("79.99", "80", StatusCapaian.HAMPIR),
        ("71.99", "80", StatusCapaian.BELUM),
        ("0", "58", StatusCapaian.BELUM),
        ("0", "0", StatusCapaian.TERCAPAI),
    ],
)
def test_higher_is_better(capaian, target, expected):
    assert status_capaian(Decimal(capaian), Decimal(target), NAIK) == expected


@pytest.mark.parametrize(
    "capaian, target, expected",
    [
        ("15.5", "15.5", StatusCapaian.TERCAPAI),
        ("4.9", "14", StatusCapaian.TERCAPAI),
        ("17.05", "15.5", StatusCapaian.HAMPIR),  # exactly 110 % of the target
        ("15.51", "15.5", StatusCapaian.HAMPIR),
        ("17.06", "15.5", StatusCapaian.BELUM),
        ("30", "15.5", StatusCapaian.BELUM),
    ],
)
def test_lower_is_better(capaian, target, expected):
    assert status_capaian(Decimal(capaian), Decimal(target), TURUN) == expected


def test_direction_changes_the_verdict_for_the_same_numbers():
    assert status_capaian(Decimal("20"), Decimal("15"), NAIK) == StatusCapaian.TERCAPAI
    assert status_capaian(Decimal("20"), Decimal("15"), TURUN) == StatusCapaian.BELUM
    assert status_capaian(Decimal("10"), Decimal("15"), NAIK) == StatusCapaian.BELUM
    assert status_capaian(Decimal("10"), Decimal("15"), TURUN) == StatusCapaian.TERCAPAI


def test_missing_capaian_or_target():
    assert status_capaian(None, Decimal("80"), NAIK) == StatusCapaian.TANPA_DATA
    assert status_capaian(Decimal("80"), None, NAIK) == StatusCapaian.TANPA_TARGET


def test_percentage_is_decimal_and_rounded_half_up():
    assert persentase(1, 3) == Decimal("33.33")
    assert persentase(2, 3) == Decimal("66.67")
    assert persentase(Decimal("0.5"), 8) == Decimal("6.25")
    assert persentase(1, 8) == Decimal("12.50")
    assert persentase(5, 0) is None and persentase(None, 4) is None


def test_periods_cover_quarters_and_year():
    assert rentang_periode(2024, "t1") == (datetime.date(2024, 1, 1), datetime.date(2024, 3, 31))
    assert rentang_periode(2024, "t2") == (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))
    assert rentang_periode(2024, "t4") == (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31))
    assert rentang_periode(2025, "th") == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))


def test_readiness_arithmetic():
    assert kesiapan_persen(2, 3) == 66.7
    assert kesiapan_persen(0, 2) == 0
    assert kesiapan_persen(3, 3) == 100
    assert kesiapan_persen(0, 0) is None
    assert rata_rata([100, 50, None, 0]) == 50
    assert rata_rata([None]) is None
