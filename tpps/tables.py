"""Reading a spreadsheet someone uploaded (XLSX or CSV) into rows of cells, and matching its
header row loosely: the shared part of every import (balita's e-PPGBM import and z-score tool,
ibuhamil's template). Plain Python (no Django, no pandas): balita's z-score tool runs without
Django. Each import keeps its own columns and words its own messages.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Callable

import python_calamine

from tpps.csvfile import pemisah_csv

HEADER_SCAN_ROWS = 30


def header_key(text) -> str:
    """'Tgl. Lahir ' -> 'tgllahir': headers compare ignoring case, spaces and punctuation."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def header_lookup(columns: dict) -> dict:
    """{header key: our name} from {our name: (label, [other spellings as keys], …)}."""
    lookup = {}
    for name, spec in columns.items():
        for key in [header_key(spec[0]), *spec[1]]:
            lookup[key] = name
    return lookup


def find_header(rows: list[list], lookup: dict, required, at_least: int) -> int | None:
    """Index of the first row (of the first HEADER_SCAN_ROWS) naming `at_least` required columns."""
    wanted = set(required)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        names = {lookup.get(header_key(cell)) for cell in row}
        if len(names & wanted) >= at_least:
            return index
    return None


def match_header(header: list, lookup: dict) -> tuple[dict, dict]:
    """(our name -> column position, our name -> header as written); the first of two same-named
    columns wins, unknown columns are ignored."""
    positions, written = {}, {}
    for position, cell in enumerate(header):
        name = lookup.get(header_key(cell))
        if name and name not in positions:
            positions[name] = position
            written[name] = str(cell).strip()
    return positions, written


class UnreadableWorkbook(Exception):
    """calamine could not read the workbook; each caller words the message for its users."""


def xlsx_rows(path: Path, has_header: Callable[[list[list]], bool]) -> list[list]:
    """The rows of a workbook's data sheet: the first sheet `has_header` accepts, else the first."""
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = [workbook.get_sheet_by_index(i) for i in range(len(workbook.sheet_names))]
        for sheet in sheets:
            rows = sheet.to_python(skip_empty_area=False)
            if has_header(rows):
                return rows
        return sheets[0].to_python(skip_empty_area=False) if sheets else []
    except python_calamine.CalamineError as error:
        raise UnreadableWorkbook(str(error)) from error


def csv_rows(path: Path) -> list[list]:
    """A CSV's rows: UTF-8 (with or without BOM) or Windows-1252, delimiter guessed (pemisah_csv)."""
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
