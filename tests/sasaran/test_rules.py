"""Catin risk at the boundaries of each threshold (sasaran.rules)."""

import datetime
from decimal import Decimal

import pytest

from sasaran import rules

SCREENED = datetime.date(2025, 6, 1)


def risk(**changes):
    values = {"jenis_kelamin": "P", "tanggal_lahir": datetime.date(2000, 1, 1), "tanggal_periksa": SCREENED,
              "berat": Decimal("55"), "tinggi": Decimal("160"), "lila": Decimal("25"), "hb": Decimal("13"),
              "terpapar_rokok": False}
    return rules.risk(**{**values, **changes})


def test_an_ideal_bride_has_no_risk():
    found = risk()
    assert found["imt"] == Decimal("21.5") and found["usia"] == 25
    assert not any(found[k] for k in ("kurus", "kek", "anemia", "usia_berisiko", "berisiko"))


@pytest.mark.parametrize("berat, tinggi, kurus", [("74.0", "200", False), ("73.9", "200", True),
                                                  ("47.3", "160", True)])
def test_bmi_below_18_5_is_thin(berat, tinggi, kurus):
    # 74 / 2.0² = 18.5 exactly; 47.3 / 1.6² = 18.48, shown as 18,5 but below the threshold
    found = risk(berat=Decimal(berat), tinggi=Decimal(tinggi))
    assert found["kurus"] is kurus and found["berisiko"] is kurus


@pytest.mark.parametrize("lila, kek", [("23.5", False), ("23.4", True), (None, False)])
def test_lila_below_23_5_is_kek_for_women(lila, kek):
    assert risk(lila=None if lila is None else Decimal(lila))["kek"] is kek


def test_lila_does_not_apply_to_men():
    assert risk(jenis_kelamin="L", lila=Decimal("20"), hb=Decimal("14"))["kek"] is False


@pytest.mark.parametrize("sex, hb, anemia", [("P", "12.0", False), ("P", "11.9", True), ("L", "13.0", False),
                                             ("L", "12.9", True), ("P", None, False)])
def test_anaemia_thresholds_by_sex(sex, hb, anemia):
    assert risk(jenis_kelamin=sex, hb=None if hb is None else Decimal(hb))["anemia"] is anemia


@pytest.mark.parametrize("born, age, risky", [
    (datetime.date(2006, 6, 1), 19, False),   # 19 on the screening day
    (datetime.date(2006, 6, 2), 18, True),    # 19 tomorrow
    (datetime.date(1990, 6, 1), 35, False),   # 35 today
    (datetime.date(1989, 6, 1), 36, True),
])
def test_age_below_19_or_above_35(born, age, risky):
    found = risk(tanggal_lahir=born)
    assert (found["usia"], found["usia_berisiko"]) == (age, risky)


@pytest.mark.parametrize("smoke, risky", [(True, True), (False, False), (None, False)])
def test_smoke_exposure_is_a_risk_unknown_is_not(smoke, risky):
    assert risk(terpapar_rokok=smoke)["berisiko"] is risky


def test_rates_have_no_denominator_without_data():
    assert rules.pct(1, 0) is None and rules.pct(1, 3) == 33.33
