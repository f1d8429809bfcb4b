"""The z-score engine against WHO's own `anthro` results and the rules' edge cases."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from balita.growth import categories, engine

REFERENCE = Path(__file__).parent / "data" / "anthro_reference_cases.csv"
INDICES = [("zs_tbu", "zlen", "flag_tbu", "flen"), ("zs_bbu", "zwei", "flag_bbu", "fwei"),
           ("zs_bbtb", "zwfl", "flag_bbtb", "fwfl"), ("zs_imtu", "zbmi", "flag_imtu", "fbmi")]


def frame(rows):
    """rows: (sex, birth, measured, weight, height, position) tuples."""
    return pd.DataFrame(rows, columns=["jenis_kelamin", "tanggal_lahir", "tanggal", "berat", "tinggi", "cara_ukur"])


@pytest.fixture(scope="module")
def reference():
    cases = pd.read_csv(REFERENCE)
    result = engine.compute(frame(cases[["JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur"]].to_numpy().tolist()))
    return cases, result


def test_reference_file_is_the_full_set(reference):
    cases, _ = reference
    assert len(cases) == 1000


def test_age_in_days_matches_anthro(reference):
    cases, result = reference
    assert result["umur_hari"].astype("int64").tolist() == cases["umur_hari"].tolist()


@pytest.mark.parametrize("ours, theirs, our_flag, their_flag", INDICES)
def test_every_reference_case_matches_to_001(reference, ours, theirs, our_flag, their_flag):
    cases, result = reference
    mine, who = result[ours].to_numpy(), cases[theirs].to_numpy()
    # Same rows without a value ...
    mismatched_missing = np.flatnonzero(np.isnan(mine) != np.isnan(who))
    assert mismatched_missing.size == 0, cases.iloc[mismatched_missing[:5]]
    # ... and every computed value within 0.01 of WHO's.
    both = ~np.isnan(who)
    worst = np.abs(mine[both] - who[both]).max()
    assert worst <= 0.01 + 1e-9, worst
    # Flags exactly (WHO leaves the flag empty where there is no z-score).
    expected_flags = cases[their_flag].fillna(0).astype(bool).to_numpy()
    assert (result[our_flag].to_numpy() == expected_flags).all()


def test_reference_set_exercises_the_hard_rules(reference):
    cases, result = reference
    # It contains flagged values, restricted z-scores beyond +-3 and missing values, so passing it means something.
    assert cases["fwfl"].sum() > 0 and (cases["zwei"].abs() > 3).sum() > 10 and cases["zwfl"].isna().sum() > 10


def one(sex="L", birth="2022-01-01", measured="2023-01-01", weight=9.5, height=75.0, position="terlentang"):
    return engine.compute_one(jenis_kelamin=sex, tanggal_lahir=birth, tanggal=measured, berat=weight, tinggi=height, cara_ukur=position)


def test_day_730_is_length_and_day_731_is_height():
    # 730 days: a lying length is used as is; a standing height gets +0.7 cm.
    lying_730 = one(birth="2022-01-01", measured="2024-01-01", height=85.0, position="terlentang")
    standing_730 = one(birth="2022-01-01", measured="2024-01-01", height=84.3, position="berdiri")
    assert lying_730["umur_hari"] == 730
    assert lying_730["zs_tbu"] == standing_730["zs_tbu"]
    # 731 days: a standing height is used as is; a lying length gets -0.7 cm.
    standing_731 = one(birth="2022-01-01", measured="2024-01-02", height=85.0, position="berdiri")
    lying_731 = one(birth="2022-01-01", measured="2024-01-02", height=85.7, position="terlentang")
    assert standing_731["umur_hari"] == 731
    assert standing_731["zs_tbu"] == lying_731["zs_tbu"]
    assert standing_731["zs_bbtb"] == lying_731["zs_bbtb"]
    # Weight-for-length before 731 days, weight-for-height from 731 days: different tables.
    assert standing_730["zs_bbtb"] != standing_731["zs_bbtb"]


def test_standing_height_under_nine_months_is_not_adjusted():
    unknown = one(birth="2024-01-01", measured="2024-06-01", weight=7.0, height=65.0, position="")
    standing = one(birth="2024-01-01", measured="2024-06-01", weight=7.0, height=65.0, position="berdiri")
    lying = one(birth="2024-01-01", measured="2024-06-01", weight=7.0, height=65.0, position="terlentang")
    assert standing["zs_tbu"] == unknown["zs_tbu"] == lying["zs_tbu"]


def test_missing_values_leave_only_their_indices_empty():
    no_weight = one(weight=None)
    assert no_weight["zs_tbu"] is not None
    assert no_weight["zs_bbu"] is None and no_weight["zs_bbtb"] is None and no_weight["zs_imtu"] is None
    assert no_weight["kategori_bbu"] == "" and no_weight["flag_bbu"] is False
    no_height = one(height=None)
    assert no_height["zs_bbu"] is not None
    assert no_height["zs_tbu"] is None and no_height["zs_bbtb"] is None and no_height["zs_imtu"] is None
    no_sex = one(sex="X")
    assert all(no_sex[k] is None for k in ("zs_tbu", "zs_bbu", "zs_bbtb", "zs_imtu"))


def test_out_of_table_lengths():
    # Weight-for-length covers 45-110 cm (under 731 days); weight-for-height 65-120 cm.
    assert one(birth="2024-01-01", measured="2024-01-10", weight=2.0, height=44.9)["zs_bbtb"] is None
    assert one(birth="2024-01-01", measured="2024-01-10", weight=2.0, height=45.0)["zs_bbtb"] is not None
    assert one(birth="2020-01-01", measured="2024-01-01", weight=22.0, height=120.0, position="berdiri")["zs_bbtb"] is not None
    assert one(birth="2020-01-01", measured="2024-01-01", weight=22.0, height=120.1, position="berdiri")["zs_bbtb"] is None
    assert one(birth="2022-06-01", measured="2024-07-01", weight=6.0, height=64.9, position="berdiri")["zs_bbtb"] is None
    # Length-for-age has no length limits: a very short newborn still gets a (flagged) z-score.
    tiny = one(birth="2024-01-01", measured="2024-01-01", weight=1.2, height=30.0)
    assert tiny["zs_tbu"] < -6 and tiny["flag_tbu"] is True


def test_nothing_from_sixty_months_on_or_before_birth():
    # 1826 days is 59.99 months; 1827 days is 60.03 months.
    last = one(birth="2019-01-01", measured="2024-01-01", weight=18.0, height=108.0, position="berdiri")
    assert last["umur_hari"] == 1826 and last["zs_tbu"] is not None and last["zs_bbtb"] is not None
    over = one(birth="2019-01-01", measured="2024-01-02", weight=18.0, height=108.0, position="berdiri")
    assert over["umur_hari"] == 1827
    assert all(over[k] is None for k in ("zs_tbu", "zs_bbu", "zs_bbtb", "zs_imtu"))
    before = one(birth="2024-02-01", measured="2024-01-01")
    assert before["umur_hari"] is None and before["zs_tbu"] is None


def test_category_boundaries_follow_permenkes_2_2020():
    z = np.array([-3.01, -3.0, -2.01, -2.0, 1.0, 1.01, 2.0, 2.01, 3.0, 3.01, np.nan])
    out = engine.assemble(np.zeros(len(z)), {"zlen": z, "zwei": z, "zwfl": z, "zbmi": z})
    assert list(out["kategori_tbu"]) == [
        "sangat_pendek", "pendek", "pendek", "normal", "normal", "normal", "normal", "normal", "normal", "tinggi", ""]
    assert list(out["kategori_bbu"]) == [
        "sangat_kurang", "kurang", "kurang", "normal", "normal", "risiko_lebih", "risiko_lebih", "risiko_lebih",
        "risiko_lebih", "risiko_lebih", ""]
    assert list(out["kategori_bbtb"]) == [
        "gizi_buruk", "gizi_kurang", "gizi_kurang", "gizi_baik", "gizi_baik", "berisiko_gizi_lebih",
        "berisiko_gizi_lebih", "gizi_lebih", "gizi_lebih", "obesitas", ""]
    assert list(out["kategori_imtu"]) == list(out["kategori_bbtb"])
    assert categories.label("tbu", "normal") == "Normal" and categories.label("bbu", "normal") == "Berat badan normal"


def test_flags_follow_who_thresholds():
    z = np.array([-6.01, -6.0, -5.01, -5.0, 5.0, 5.01, 6.0, 6.01])
    out = engine.assemble(np.zeros(len(z)), {"zlen": z, "zwei": z, "zwfl": z, "zbmi": z})
    assert list(out["flag_tbu"]) == [True, False, False, False, False, False, False, True]
    assert list(out["flag_bbu"]) == [True, False, False, False, False, True, True, True]
    assert list(out["flag_bbtb"]) == [True, True, True, False, False, True, True, True]
    assert list(out["flag_imtu"]) == list(out["flag_bbtb"])


def test_restricted_z_score_beyond_three_sd_by_hand():
    # Weight-for-age, boy, day 0: L=0.3487, M=3.3464, S=0.14602 (weianthro.txt row 1).
    l, m, s = 0.3487, 3.3464, 0.14602
    sd = lambda k: m * (1 + l * s * k) ** (1 / l)  # noqa: E731
    weight = 6.0
    expected = 3 + (weight - sd(3)) / (sd(3) - sd(2))
    got = one(birth="2024-01-01", measured="2024-01-01", weight=weight, height=50.0)["zs_bbu"]
    assert got == round(expected, 2)
    # The plain LMS formula would give a different (larger) value: the restriction really applies.
    assert round(((weight / m) ** l - 1) / (l * s), 2) != got


def test_vectorised_equals_one_by_one():
    rows = [("L", "2023-01-05", "2024-03-01", 10.2, 78.4, "terlentang"),
            ("P", "2021-02-10", "2024-03-01", 12.9, 92.1, "berdiri"),
            ("P", "2024-02-01", "2024-03-01", np.nan, 53.0, "")]
    together = engine.compute(frame(rows))
    for i, row in enumerate(rows):
        alone = one(*row[:3], weight=None if np.isnan(row[3]) else row[3], height=row[4], position=row[5])
        for column in ("zs_tbu", "zs_bbu", "zs_bbtb", "zs_imtu"):
            value = together[column].iloc[i]
            assert (alone[column] is None and np.isnan(value)) or alone[column] == value


def test_reference_curves_for_charts():
    curves = engine.reference_curves("tbu", "L")
    first = curves.iloc[0]
    assert first["age_days"] == 0 and first["sd0"] == pytest.approx(49.8842)
    assert (curves["sd-3"] < curves["sd-2"]).all() and (curves["sd2"] < curves["sd3"]).all()
    assert curves["age_days"].iloc[-1] == 1826
    girls_weight = engine.reference_curves("bbu", "P")
    assert girls_weight.iloc[0]["sd0"] == pytest.approx(3.2322)
