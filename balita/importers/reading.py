"""Read an e-PPGBM export (XLSX or CSV) into a DataFrame of raw cells with our column names.

Headers are matched ignoring case, spaces and punctuation ("Tgl. Lahir" = "TGL LAHIR"), the header
row may sit below a title block, extra columns are ignored (among them "Usia Saat Ukur": ages come
from the dates) and optional columns may be missing. Every row keeps its spreadsheet row number
(`_baris`) so errors can name it. The file is held to the upload limits (`tpps.uploads.periksa_tabel`:
rows, columns, cells, unpacked size) before a reader parses it: the reader allocates for every
cell between the first and the last one, whatever the file's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from django.core.exceptions import ValidationError

from balita.importers.columns import (  # noqa: F401  (read here by the import and the tests)
    COLUMNS, HEADER_LOOKUP, REQUIRED, UnreadableWorkbook, find_header, header_key, xlsx_rows,
)
from tpps import tables, uploads
from tpps.errors import UserError

XLSX_SUFFIXES = {".xlsx", ".xlsm"}


class FileError(UserError):
    """The file as a whole cannot be used (message in Bahasa Indonesia)."""

    def __init__(self, message: str, field: str | None = "berkas"):
        # Upload forms name their file input "berkas": the message goes next to it.
        super().__init__(message, field)


@dataclass
class Sheet:
    """Raw cells (object columns named as in COLUMNS, `_baris` = spreadsheet row number)."""

    frame: pd.DataFrame
    headers: dict = field(default_factory=dict)  # our name -> header text as written in the file

    def label(self, name: str) -> str:
        return self.headers.get(name) or COLUMNS[name][0]

    def has(self, name: str) -> bool:
        return name in self.headers


def read(path: Path | str, original_name: str | None = None) -> Sheet:
    return _sheet_from_rows(read_rows(path, original_name))


def read_rows(path: Path | str, original_name: str | None = None) -> list[list]:
    """Every row of the file's data sheet as a list of cells (XLSX or CSV), header included."""
    path = Path(path)
    name = Path(original_name or path.name).name
    suffix = Path(name).suffix.lower()
    if suffix in XLSX_SUFFIXES:
        _check_limits(path, name, "xlsx")
        return _xlsx_rows(path)
    if suffix == ".csv":
        _check_limits(path, name, "csv")
        return _csv_rows(path)
    raise FileError(f"Format berkas {suffix or '(tanpa ekstensi)'} tidak didukung: unggah berkas .xlsx atau .csv dari e-PPGBM.")


def from_frame(frame: pd.DataFrame) -> Sheet:
    """A table already in memory with e-PPGBM column names (demo data, tests): the same sheet as
    from a file with that header row, built column by column (the demo's 90,000 rows)."""
    positions, headers = _match_header(list(frame.columns), 0 if find_header([list(frame.columns)]) == 0 else None)
    columns = {}
    for name in COLUMNS:
        position = positions.get(name)
        columns[name] = (frame.iloc[:, position].astype(object).to_numpy() if position is not None
                         else np.full(len(frame), "", dtype=object))
    sheet = pd.DataFrame(columns, dtype=object)
    sheet["_baris"] = range(2, 2 + len(frame))
    blank = np.ones(len(frame), dtype=bool)
    for position in positions.values():
        cells = frame.iloc[:, position].astype(object)
        blank &= (cells.isna() | cells.astype(str).str.strip().eq("")).to_numpy(dtype=bool)
    return Sheet(frame=sheet[~blank].reset_index(drop=True), headers=headers)


def _check_limits(path: Path, name: str, kind: str):
    with path.open("rb") as handle:
        try:
            uploads.periksa_tabel(handle, name, kind)
        except ValidationError as error:
            raise FileError(" ".join(error.messages)) from error


def _xlsx_rows(path: Path) -> list[list]:
    try:
        return xlsx_rows(path)
    except UnreadableWorkbook as error:
        raise FileError(f"Berkas Excel tidak dapat dibaca ({error}). Simpan ulang sebagai .xlsx lalu unggah lagi.") from error


def _csv_rows(path: Path) -> list[list]:
    return tables.csv_rows(path)


def _sheet_from_rows(rows: list[list]) -> Sheet:
    header_index = find_header(rows)
    positions, headers = _match_header(rows[header_index] if header_index is not None else [], header_index)

    body = rows[header_index + 1:]
    columns = {}
    for name in COLUMNS:
        position = positions.get(name)
        if position is None:
            columns[name] = [""] * len(body)
        else:
            columns[name] = [row[position] if position < len(row) else "" for row in body]
    frame = pd.DataFrame(columns, dtype=object)
    frame["_baris"] = range(header_index + 2, header_index + 2 + len(body))
    # Blank lines (often at the end of exports) are not rows.
    used = [positions[name] for name in positions]
    blank = pd.Series([all(_is_blank(row[p]) if p < len(row) else True for p in used) for row in body], dtype=bool)
    frame = frame[~blank.to_numpy()].reset_index(drop=True)
    return Sheet(frame=frame, headers=headers)


def _match_header(header: list, header_index: int | None) -> tuple[dict, dict]:
    """(our name -> column position, our name -> header as written) of the header row."""
    if header_index is None:
        wanted = ", ".join(COLUMNS[name][0] for name in REQUIRED)
        raise FileError(f"Baris judul kolom tidak ditemukan. Berkas e-PPGBM harus memuat kolom {wanted}.")
    positions, headers = {}, {}
    for position, cell in enumerate(header):
        name = HEADER_LOOKUP.get(header_key(cell))
        if name and name not in positions:  # the first of two same-named columns wins
            positions[name] = position
            headers[name] = str(cell).strip()
    missing = [COLUMNS[name][0] for name in REQUIRED if name not in positions]
    if missing:
        raise FileError("Kolom wajib tidak ditemukan: " + ", ".join(missing) + ".")
    return positions, headers


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (isinstance(value, float) and value != value)
