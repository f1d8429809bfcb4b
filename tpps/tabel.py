"""Tables (XLSX or CSV) with loosely matched headers: the plain-Python part shared by every import
(balita's e-PPGBM import and z-score tool, ibuhamil's template, sasaran's catin, remaja putri and
KRS imports); cells
and reading an upload under its limits are in `tpps.impor`.

Headers match ignoring case, spaces and punctuation ("Tgl. Lahir" = "TGL LAHIR"); the header row
may sit below a title block; extra columns are ignored. Every row keeps its spreadsheet row
number (`_baris`) so errors can name it. No Django and no pandas here: balita's z-score tool
(`python -m balita.growth`) reads `header_key` and `workbook_rows` outside the web app.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import python_calamine

from tpps.csvfile import pemisah_csv

XLSX_SUFFIXES = {".xlsx", ".xlsm"}
HEADER_SCAN_ROWS = 30


def header_key(text) -> str:
    """'Tgl. Lahir ' -> 'tgllahir'."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


class UnreadableWorkbook(Exception):
    """calamine could not read the workbook; each caller words the message for its users."""


def workbook_rows(path: Path, is_header=lambda rows: True) -> list[list]:
    """The rows of the first sheet whose rows `is_header` accepts, else of the first sheet."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = [workbook.get_sheet_by_index(i) for i in range(len(workbook.sheet_names))]
        for sheet in sheets:
            rows = sheet.to_python(skip_empty_area=False)
            if is_header(rows):
                return rows
        return sheets[0].to_python(skip_empty_area=False) if sheets else []
    except python_calamine.CalamineError as error:
        raise UnreadableWorkbook(str(error)) from error


def csv_rows(path: Path) -> list[list]:
    """A CSV's rows (UTF-8 with or without BOM, else Windows-1252; delimiter guessed)."""
    data = Path(path).read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1252 leaves five bytes undefined
        text = data.decode("cp1252", errors="replace")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=pemisah_csv(text[:64 * 1024])))


# --- Headers described as {our name: (label, [other spellings as keys], …)} (balita, ibuhamil) -----


def header_lookup(columns: dict) -> dict:
    """{header key: our name} from {our name: (label, [other spellings as keys], …)}."""
    found = {}
    for name, spec in columns.items():
        for key in [header_key(spec[0]), *spec[1]]:
            found[key] = name
    return found


def find_header_row(rows: list[list], keys: dict, required, at_least: int) -> int | None:
    """Index of the first row (of the first HEADER_SCAN_ROWS) naming `at_least` required columns."""
    wanted = set(required)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = {keys.get(header_key(cell)) for cell in row}
        if len(names & wanted) >= at_least:
            return index
    return None


def match_header(header: list, keys: dict) -> tuple[dict, dict]:
    """(our name -> column position, our name -> header as written); the first of two same-named
    columns wins, unknown columns are ignored."""
    positions, written = {}, {}
    for position, cell in enumerate(header):
        name = keys.get(header_key(cell))
        if name and name not in positions:
            positions[name] = position
            written[name] = str(cell).strip()
    return positions, written


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)



# --- A table described by its columns -----------------------------------------------------------


@dataclass(frozen=True)
class Kolom:
    """One column of a template: its label as our template writes it, other spellings (already
    reduced by header_key) and whether a row needs it."""

    label: str
    aliases: tuple = ()
    wajib: bool = False


@dataclass
class Tabel:
    """Rows of a file as {our column name: raw cell, "_baris": spreadsheet row number}."""

    rows: list
    headers: dict = field(default_factory=dict)  # our name -> header as written in the file

    def label(self, name, columns) -> str:
        return self.headers.get(name) or columns[name].label


class TabelError(Exception):
    """The file as a whole cannot be used; `message` is Indonesian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def lookup(columns: dict) -> dict:
    found = {}
    for name, kolom in columns.items():
        for key in (header_key(kolom.label), *kolom.aliases):
            found.setdefault(key, name)
    return found


def find_header(rows: list[list], columns: dict) -> int | None:
    """Index of the first row naming every required column (or, without required columns, two)."""
    keys = lookup(columns)
    required = {name for name, kolom in columns.items() if kolom.wajib}
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = {keys.get(header_key(cell)) for cell in row}
        if (required and required <= names) or (not required and len(names - {None}) >= 2):
            return index
    return None


def table_from_rows(rows: list[list], columns: dict) -> Tabel:
    header_index = find_header(rows, columns)
    if header_index is None:
        wanted = ", ".join(k.label for k in columns.values() if k.wajib)
        raise TabelError(f"Baris judul kolom tidak ditemukan. Berkas harus memuat kolom {wanted}. "
                         "Gunakan templat yang dapat diunduh di halaman ini.")
    positions, headers = match_header(rows[header_index], lookup(columns))
    result = []
    for offset, row in enumerate(rows[header_index + 1:]):
        cells = {name: (row[p] if p < len(row) else None) for name, p in positions.items()}
        if all(is_blank(v) for v in cells.values()):
            continue  # blank lines (often at the end) are not rows
        for name in columns:
            cells.setdefault(name, None)
        cells["_baris"] = header_index + 2 + offset
        result.append(cells)
    return Tabel(rows=result, headers=headers)
