"""The one XLSX writer of the app (exports, error lists, templates, generated files): xlsxwriter,
row by row in constant memory.

Every sheet gets the same shape: optional title lines, a bold header row that stays frozen while
scrolling, then the rows with a number format per column kind. Text is always written as text:
a cell that starts with "=" (or looks like a link) from an imported file or a typed name never
becomes a formula or a hyperlink when someone opens the file in Excel (every string goes through
write_string; CSV has its own guard in tpps.csvfile).
"""

from __future__ import annotations

import datetime
import io
import math
from decimal import Decimal

import xlsxwriter

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Column kinds and their Excel number formats (percent values are percents already: 4.56 = 4,56 %).
NUMBER_FORMATS = {
    "teks": "@",
    "angka": "#,##0",
    "desimal": "#,##0.00",
    "persen": "0.00",
    "tanggal": "dd/mm/yyyy",
}


def _plain(value):
    """A value xlsxwriter writes as it is (None for every flavour of 'empty')."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):  # pandas' missing values
        return None
    if type(value).__module__ == "numpy":
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime()
    return value


def write_table(target, headers: list[str], rows, *, sheet: str = "Data", widths: dict | None = None,
                kinds: dict | None = None, preamble: tuple | list = ()) -> None:
    """Write one sheet to `target` (a path or a binary file object).

    `rows` are iterables of plain values; `kinds` maps a column index to a key of NUMBER_FORMATS
    (dates get dd/mm/yyyy without being asked); `widths` maps a column index to a width;
    `preamble` lines (a title, then notes) go above the header, separated by an empty row.
    """
    workbook = xlsxwriter.Workbook(target, {
        "constant_memory": True, "in_memory": False, "remove_timezone": True,
        # Never turn text into formulas, links or numbers ("=1+1", "=HYPERLINK(…)" stay text).
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })
    worksheet = workbook.add_worksheet(sheet[:31].replace("/", "-"))
    header_format = workbook.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1,
                                         "text_wrap": True, "valign": "top"})
    formats = {kind: workbook.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()}
    kinds = kinds or {}

    row_index = 0
    if preamble:
        title_format = workbook.add_format({"bold": True, "font_size": 13})
        note_format = workbook.add_format({"italic": True, "font_color": "#5B6775"})
        for number, line in enumerate(preamble):
            worksheet.write_string(row_index, 0, str(line), title_format if number == 0 else note_format)
            row_index += 1
        row_index += 1
    for column, width in (widths or {}).items():
        worksheet.set_column(column, column, width)
    for column, header in enumerate(headers):
        worksheet.write_string(row_index, column, str(header), header_format)
    worksheet.freeze_panes(row_index + 1, 0)

    for row_index, row in enumerate(rows, start=row_index + 1):
        for column, value in enumerate(row):
            value = _plain(value)
            if value is None or value == "":
                continue
            kind = kinds.get(column)
            if isinstance(value, (datetime.date, datetime.datetime)):
                worksheet.write_datetime(row_index, column, value, formats["tanggal"])
            elif isinstance(value, str):
                worksheet.write_string(row_index, column, value, formats["teks"] if kind == "teks" else None)
            elif isinstance(value, (int, float)):
                worksheet.write_number(row_index, column, value, formats.get(kind))
            else:
                worksheet.write_string(row_index, column, str(value))
    workbook.close()


def table_bytes(headers: list[str], rows, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_table(buffer, headers, rows, **kwargs)
    return buffer.getvalue()


def write_frame(target, frame, **kwargs) -> None:
    """A pandas DataFrame as one sheet (the column names are the header)."""
    write_table(target, [str(c) for c in frame.columns], frame.itertuples(index=False, name=None), **kwargs)
