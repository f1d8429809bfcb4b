"""Pure rules: achievement status in both directions, percentages, periods, readiness."""

import datetime
from decimal import Decimal

import pytest

from konvergensi.rules import Arah, Periode, StatusCapaian, kesiapan_persen, persentase, rata_rata, status_capaian
from tpps import periods

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


def test_capaian_period_codes_are_tpps_period_codes():
    # The stored choices and the one period object agree on every code and name.
    assert list(Periode.values) == list(periods.QUARTER_AND_YEAR)
    assert periods.parse("t2", 2024).mulai == datetime.date(2024, 4, 1)
    assert periods.parse("t2", 2024).akhir == datetime.date(2024, 6, 30)
    assert periods.parse("th", 2025).akhir == datetime.date(2025, 12, 31)
    for kode, label in Periode.choices:
        assert periods.parse(kode, 2024).nama == label


def test_readiness_arithmetic():
    assert kesiapan_persen(2, 3) == 66.7
    assert kesiapan_persen(0, 2) == 0
    assert kesiapan_persen(3, 3) == 100
    assert kesiapan_persen(0, 0) is None
    assert rata_rata([100, 50, None, 0]) == 50
    assert rata_rata([None]) is None
