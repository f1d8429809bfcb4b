"""Prevalence, its 95 % interval, mean and SD of z-scores against WHO's anthro R package.

The reference files were made with anthro 1.1.0.9000 (github WorldHealthOrganization/anthro,
commit b776d8a) on R 4 with survey from Debian: five crafted data sets of 2-decimal z-scores
(`kecil`: 5 children, a flagged HAZ, a group without WHZ; `nol`: p = 0; `satu`: p = 1;
`sedang`: 80 children in 3 groups; `besar`: 1,500 children in 4 groups, about 3 % flagged and
3–5 % missing per index), WHO flags as anthro sets them (HAZ ±6, WAZ −6/+5, WHZ ±5). Each set
was passed on its own to anthro's `compute_prevalence_of_zscores` (the function
`anthro_prevalence()` calls after computing z-scores) with the groups as "Other grouping", and
HA_2/HA_3/WH_2/WA_2/WH2 _r/_ll/_ul, HAZ/WAZ/WHZ _unwpop and HA/WA/WH _r/_stdev were written
with 17 significant digits. Neither R nor anthro is part of this repository.
"""

import math
from pathlib import Path

import pandas as pd
import pytest

from balita import prevalence

DATA = Path(__file__).parent / "data"
RENAME = {"zlen": "zs_tbu", "flen": "flag_tbu", "zwei": "zs_bbu", "fwei": "flag_bbu",
          "zwfl": "zs_bbtb", "fwfl": "flag_bbtb"}
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def inputs():
    return pd.read_csv(DATA / "anthro_prevalence_inputs.csv").rename(columns=RENAME)


@pytest.fixture(scope="module")
def reference():
    return pd.read_csv(DATA / "anthro_prevalence_reference.csv")


def close(ours, theirs):
    if theirs is None or (isinstance(theirs, float) and math.isnan(theirs)):
        return ours is None or (isinstance(ours, float) and math.isnan(ours))
    return ours is not None and abs(ours - theirs) <= TOLERANCE


@pytest.mark.parametrize("dataset", ["kecil", "nol", "satu", "sedang", "besar"])
def test_table_equals_anthro(inputs, reference, dataset):
    rows = inputs[inputs.dataset == dataset].drop(columns="dataset")
    ours = prevalence.table(rows, "kelompok").set_index(["kelompok", "indikator"])
    theirs = reference[reference.dataset == dataset].set_index(["kelompok", "indikator"])
    assert sorted(ours.index) == sorted(theirs.index)
    for key, expected in theirs.iterrows():
        got = ours.loc[key]
        assert (got.n, got.kasus) == (expected.n, expected.kasus), key
        for column in ("prevalensi", "ci_bawah", "ci_atas", "rerata_z", "sd_z"):
            assert close(got[column], expected[column]), (key, column, got[column], expected[column])


def test_interval_is_anthros_for_a_group_of_a_larger_data_set(inputs, reference):
    """A group's interval needs N, the rows of the whole data set, besides n and cases."""
    rows = inputs[inputs.dataset == "sedang"]
    expected = reference[(reference.dataset == "sedang") & (reference.kelompok == "Betet")
                         & (reference.indikator == "stunting")].iloc[0]
    low, high = prevalence.interval(expected.kasus, expected.n, len(rows))
    assert abs(low - expected.ci_bawah) < TOLERANCE and abs(high - expected.ci_atas) < TOLERANCE
    alone = prevalence.interval(expected.kasus, expected.n)
    assert alone != (low, high)


def test_interval_edges():
    assert prevalence.interval(0, 0) is None
    assert prevalence.interval(0, 40) == (0.0, 0.0)
    assert prevalence.interval(40, 40) == (100.0, 100.0)
    low, high = prevalence.interval(1, 2)
    assert 0 < low < 50 < high < 100


def test_interval_is_not_wald():
    # 3 of 100: the Wald interval would reach below 0 % + symmetric; anthro's logit one is skewed.
    low, high = prevalence.interval(3, 100)
    assert low > 0 and (high - 3) > (3 - low)


@pytest.mark.parametrize("df, expected", [  # R: sprintf("%.17g", qt(0.975, df))
    (1, 12.706204736174694), (2, 4.3026527297494619), (4, 2.7764451051977934),
    (6, 2.4469118511449688), (29, 2.0452296421327034), (100, 1.9839715185235516),
    (1381, 1.9616832578049825), (100_000, 1.9599877075346088),
])
def test_t_quantile_equals_r(df, expected):
    assert abs(prevalence.t_quantile(0.975, df) - expected) < 1e-10
