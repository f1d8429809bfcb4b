"""The one period object and the age-group bound used by the register's filter."""

import datetime

from tpps import ages, periods
from tpps.periods import Periode


def test_codes_parse_and_name_themselves():
    assert periods.parse("b03", 2025) == Periode("bulan", 2025, 3)
    assert periods.parse("t4", 2024).akhir == datetime.date(2024, 12, 31)
    assert periods.parse("s1", 2024).akhir == datetime.date(2024, 6, 30)
    assert periods.parse("th", 2025).label == "Tahun 2025"
    assert periods.parse("b13", 2025) is None and periods.parse("x", 2025) is None
    for periode in periods.periods_of_year(2024):
        assert periods.parse(periode.kode, 2024) == periode
    assert Periode("triwulan", 2025, 1).sebelumnya() == Periode("triwulan", 2024, 4)


def test_period_choices_name_the_chosen_year():
    labels = [label for _, options in periods.choices(2024) for _, label in options]
    assert "Setahun (2024)" in labels and "Setahun (2025)" not in labels


def test_latest_birth_for_age_matches_who_months():
    on = datetime.date(2025, 6, 15)
    for months in range(0, 61):
        birth = ages.latest_birth_for_age(on, months)
        assert ages.age_in_months(birth, on) >= months
        assert ages.age_in_months(birth + datetime.timedelta(days=1), on) < months or months == 0
