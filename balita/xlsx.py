"""Writing XLSX tables (exports, error lists, generated e-PPGBM files) with xlsxwriter, row by row
in constant memory."""

from __future__ import annotations

import datetime
import io
import math

import pandas as pd
import xlsxwriter


def _plain(value):
    if value is None:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or (hasattr(value, "__class__") and value.__class__.__name__ == "NAType"):
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def write_table(target, headers: list[str], rows, *, sheet: str = "Data", widths: dict | None = None) -> None:
    """Write one sheet: a bold header row, then `rows` (iterables of plain values; dates shown
    dd/mm/yyyy). `target` is a path or a binary file object."""
    # Text from imported files is never turned into formulas or links ("=HYPERLINK(…)" stays text).
    workbook = xlsxwriter.Workbook(target, {"constant_memory": True, "in_memory": False,
                                            "strings_to_formulas": False, "strings_to_urls": False})
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#EEF2F7", "border": 1})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    worksheet.write_row(0, 0, headers, bold)
    worksheet.freeze_panes(1, 0)
    for column, width in (widths or {}).items():
        worksheet.set_column(column, column, width)
    for index, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            value = _plain(value)
            if value is None or value == "":
                continue
            if isinstance(value, (datetime.date, datetime.datetime)):
                worksheet.write_datetime(index, column, value, date_format)
            else:
                worksheet.write(index, column, value)
    workbook.close()


def table_bytes(headers: list[str], rows, **kwargs) -> bytes:
    buffer = io.BytesIO()
    write_table(buffer, headers, rows, **kwargs)
    return buffer.getvalue()


def write_frame(target, frame: pd.DataFrame, **kwargs) -> None:
    write_table(target, [str(c) for c in frame.columns], frame.itertuples(index=False, name=None), **kwargs)
