"""The shared part of every import that needs more than plain Python: one cell turned into a
value (dates, numbers, Ya/Tidak, NIK, area names), and an upload read under the upload limits
(`tpps.uploads.periksa_tabel`) into a `tpps.tabel.Tabel`. balita's vectorised cleaning calls the
same cell functions once per distinct value; sasaran's imports call them per row.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError

from tpps import uploads
from tpps.tabel import XLSX_SUFFIXES, Tabel, TabelError, UnreadableWorkbook, csv_rows, find_header, table_from_rows, workbook_rows

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
EMPTY_MARKERS = {"", "-", "--", "nan", "none", "null", "#n/a"}
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()[:10]
    text = " ".join(str(value).split())
    return "" if text.lower() in EMPTY_MARKERS else text


def one_date(value):
    """(numpy datetime or NaT, unreadable?) for one cell."""
    if isinstance(value, datetime.datetime):
        return np.datetime64(value.date(), "ns"), False
    if isinstance(value, datetime.date):
        return np.datetime64(value, "ns"), False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value:
            return np.datetime64("NaT"), False
        return _serial(value)
    cell = cell_text(value)
    if not cell:
        return np.datetime64("NaT"), False
    match = _DMY.match(cell)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return np.datetime64(datetime.date(year, month, day), "ns"), False
        if re.match(r"^\d{4}-\d{2}-\d{2}", cell):
            return np.datetime64(datetime.date.fromisoformat(cell[:10]), "ns"), False
        if re.fullmatch(r"\d{4,5}(\.\d+)?", cell):
            return _serial(float(cell))
    except ValueError:
        pass
    return np.datetime64("NaT"), True


def _serial(number: float):
    # Excel serial days since 1899-12-30; 1 Jan 1950 .. 31 Dec 2099 only, other numbers are typos.
    if 18264 <= number <= 73050:
        return (EXCEL_EPOCH + pd.Timedelta(days=int(number))).to_datetime64(), False
    return np.datetime64("NaT"), True


def area_key(value: str) -> str:
    """'Kel. Banjar Mlati' and 'BANJARMLATI' -> 'banjarmlati'; 'Posyandu Melati 2' -> 'melati2'."""
    value = str(value).lower().strip()
    value = re.sub(r"^(kelurahan|kel|desa|ds|kecamatan|kec|posyandu|posy|pos|kota|kab)\b\.?\s*", "", value)
    return re.sub(r"[^0-9a-z]", "", value)


# One cell, for imports checked row by row (a few thousand rows): (value or None, unreadable?).

def parse_date(value) -> tuple:
    parsed, bad = one_date(value)
    return (None if np.isnat(parsed) else pd.Timestamp(parsed).date()), bad


def parse_number(value) -> tuple:
    """'12,5', '9,5 kg', 12.5 -> 12.5."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (None, False) if value != value else (float(value), False)
    text = cell_text(value).lower()
    if not text:
        return None, False
    text = re.sub(r"\s*(kg|cm|gr|g|g/dl|gr/dl|orang|jiwa)$", "", text).replace(",", ".")
    try:
        return float(text), False
    except ValueError:
        return None, True


YES_NO = {"ya": True, "y": True, "1": True, "iya": True, "yes": True, "ada": True, "benar": True, "v": True,
          "tidak": False, "t": False, "0": False, "tdk": False, "no": False, "n": False, "bukan": False,
          "tidakada": False}


def parse_yes_no(value) -> tuple:
    """Ya/Tidak, Y/T, 1/0 (also 'Tidak ada'); empty -> None (unknown)."""
    text = re.sub(r"[^0-9a-z]", "", cell_text(value).lower())
    if not text:
        return None, False
    answer = YES_NO.get(text)
    return answer, answer is None


def parse_nik(value) -> tuple:
    """16 digits (spaces, dots, dashes and a leading quote allowed); '' when empty."""
    text = re.sub(r"[\s.'`-]", "", cell_text(value))
    if not text:
        return "", False
    return (text, False) if re.fullmatch(r"[0-9]{16}", text) and text != "0" * 16 else (text, True)



# --- Reading an upload ----------------------------------------------------------------------------


def read_rows(path: Path | str, original_name: str, is_header=lambda rows: True) -> list[list]:
    """Every row of an uploaded XLSX or CSV, after the upload limits are checked."""
    path = Path(path)
    name = Path(original_name or path.name).name
    suffix = Path(name).suffix.lower()
    kind = "xlsx" if suffix in XLSX_SUFFIXES else "csv" if suffix == ".csv" else None
    if kind is None:
        raise TabelError(f"Format berkas {suffix or '(tanpa ekstensi)'} tidak didukung: unggah berkas .xlsx atau .csv.")
    with path.open("rb") as handle:
        try:
            uploads.periksa_tabel(handle, name, kind)
        except ValidationError as error:
            raise TabelError(" ".join(error.messages)) from error
    if kind == "csv":
        return csv_rows(path)
    try:
        return workbook_rows(path, is_header)
    except UnreadableWorkbook as error:
        raise TabelError(f"Berkas Excel tidak dapat dibaca ({error}). Simpan ulang sebagai .xlsx lalu unggah lagi.") from error


def read_table(path: Path | str, original_name: str, columns: dict) -> Tabel:
    """The file's rows under our column names; missing required columns are one error."""
    rows = read_rows(path, original_name, lambda rows: find_header(rows, columns) is not None)
    return table_from_rows(rows, columns)
