"""`manage.py zscore INPUT -o OUTPUT` on real CSV and XLSX files."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from balita.growth import engine
from tpps import xlsx

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = Path(__file__).parent / "data" / "anthro_reference_cases.csv"
ADDED = ["Umur (hari)", "ZS TB/U", "TB/U", "ZS BB/U", "BB/U", "ZS BB/TB", "BB/TB", "ZS IMT/U", "IMT/U", "Flag"]


def reference_rows(n=40):
    return pd.read_csv(REFERENCE).head(n)


def test_csv_in_csv_out_keeps_rows_columns_and_order(tmp_path):
    cases = reference_rows()
    source = cases[["JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur"]].copy()
    source.insert(0, "Nama", [f"Anak {i}" for i in range(len(source))])
    source.to_csv(tmp_path / "in.csv", index=False)

    call_command("zscore", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"))
    out = pd.read_csv(tmp_path / "out.csv", keep_default_na=False)

    assert list(out.columns) == list(source.columns) + ADDED
    assert out["Nama"].tolist() == source["Nama"].tolist()
    assert out["Umur (hari)"].tolist() == cases["umur_hari"].tolist()
    for ours, theirs in [("ZS TB/U", "zlen"), ("ZS BB/U", "zwei"), ("ZS BB/TB", "zwfl"), ("ZS IMT/U", "zbmi")]:
        for value, who in zip(out[ours], cases[theirs]):
            if pd.isna(who):
                assert value == ""  # an empty cell where WHO computes nothing
            else:
                assert abs(float(value) - who) <= 0.01
    first = out.iloc[0]  # newborn girl, 39.5 cm: severely short and flagged BMI
    assert first["TB/U"] == "Sangat pendek" and first["Flag"] == "IMT/U"


def test_xlsx_with_excel_dates_serials_and_ddmmyyyy(tmp_path):
    xlsx.write_table(tmp_path / "in.xlsx", ["No", "jk", "Tgl. Lahir", "TANGGAL PENGUKURAN", "Berat", "Tinggi", "Cara Ukur", "BB/U"], [
        [1, "L", datetime.datetime(2022, 1, 18), "18/01/2024", 10.85, 77.7, "Terlentang", "Normal"],
        [2, "L", "2022-06-07", 45450, "13,46", "83,2", "Berdiri", "Normal"],  # 45450 = 2024-06-07
    ])

    call_command("zscore", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "out.xlsx"))
    out = pd.read_excel(tmp_path / "out.xlsx", engine="calamine")
    assert out["Umur (hari)"].tolist() == [730, 731]
    assert out["ZS TB/U"].tolist() == [-3.31, -1.29]
    assert out["ZS BB/TB"].tolist() == [0.93, 2.12]
    # e-PPGBM's own BB/U column is kept beside ours.
    assert out["BB/U (asal)"].tolist() == ["Normal", "Normal"]
    assert out["BB/U"].tolist() == ["Berat badan normal", "Berat badan normal"]


def test_missing_column_is_named(tmp_path):
    pd.DataFrame({"JK": ["L"], "Tgl Lahir": ["2022-01-01"], "Berat": [9]}).to_csv(tmp_path / "in.csv", index=False)
    with pytest.raises(CommandError, match="Tanggal Pengukuran, Tinggi"):
        call_command("zscore", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"))
    assert not (tmp_path / "out.csv").exists()


def test_bad_rows_name_row_and_column_and_exit_1(tmp_path):
    rows = pd.DataFrame(
        {
            "JK": ["L", "P", "X"],
            "Tgl Lahir": ["2022-01-01", "31/02/2022", "2022-01-01"],
            "Tanggal Pengukuran": ["2023-01-01", "2023-01-01", "2023-01-01"],
            "Berat": ["9,5", "9.1", "sembilan"],
            "Tinggi": ["75", "74", "74"],
        }
    )
    rows.to_csv(tmp_path / "in.csv", index=False)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tpps.settings"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "zscore", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv")],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 1
    assert "Baris 3, kolom Tgl Lahir: tanggal tidak terbaca" in result.stderr
    assert "Baris 4, kolom Berat: bukan angka" in result.stderr
    assert "Baris 4, kolom JK: jenis kelamin harus L atau P" in result.stderr
    assert not (tmp_path / "out.csv").exists()


def test_command_agrees_with_engine_on_many_rows(tmp_path):
    cases = pd.read_csv(REFERENCE)
    cases[["JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur"]].to_csv(tmp_path / "in.csv", index=False)
    call_command("zscore", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"))
    out = pd.read_csv(tmp_path / "out.csv")
    direct = engine.compute(
        cases.rename(columns={"JK": "jenis_kelamin", "Tgl Lahir": "tanggal_lahir", "Tanggal Pengukuran": "tanggal",
                              "Berat": "berat", "Tinggi": "tinggi", "Cara Ukur": "cara_ukur"})
    )
    pd.testing.assert_series_equal(out["ZS BB/TB"], direct["zs_bbtb"], check_names=False)
    assert int(out["Flag"].notna().sum()) == int(direct[["flag_tbu", "flag_bbu", "flag_bbtb", "flag_imtu"]].any(axis=1).sum())


def test_header_below_a_title_block_and_blank_lines_at_the_end(tmp_path):
    xlsx.write_table(tmp_path / "in.xlsx", ["NIK", "JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur"],
                     [["3571010101220001", "L", "2022-01-18", "2024-01-18", 10.85, 77.7, "Terlentang"], [None] * 7],
                     preamble=("Data Pengukuran Balita — e-PPGBM", "Kota Kediri, Februari 2024"))
    call_command("zscore", str(tmp_path / "in.xlsx"), "-o", str(tmp_path / "out.csv"))
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert len(out) == 1
    assert out.loc[0, "NIK"] == "3571010101220001" and out.loc[0, "ZS TB/U"] == "-3.31"
