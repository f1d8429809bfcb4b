"""Tables as XLSX (Indonesian headers, number formats) and CSV downloads.

A table is a title, a list of `Kolom` and rows; every table on the dashboard and the reports is
declared once in `laporan.tables` and written by these two functions.
"""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMATS = {
    "teks": "@",
    "angka": "#,##0",
    "desimal": "#,##0.00",
    "persen": "0.00",  # values are percents already (4.56 = 4,56%)
    "tanggal": "DD/MM/YYYY",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Kolom:
    judul: str
    nilai: Callable
    jenis: str = "teks"
    lebar: int | None = None


@dataclass
class Tabel:
    judul: str
    nama_berkas: str
    kolom: list
    baris: list
    keterangan: str = ""


def _cell(value, jenis):
    if value is None:
        return None
    if jenis in ("angka", "desimal", "persen") and isinstance(value, (Decimal, int, float)):
        return float(value) if isinstance(value, Decimal) else value
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value


def xlsx_bytes(tabel: Tabel) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = tabel.judul[:31].replace("/", "-")
    ws.append([tabel.judul])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([tabel.keterangan or f"Diunduh {timezone.localtime():%d/%m/%Y %H.%M} dari Pantau Stunting"])
    ws["A2"].font = Font(italic=True, color="5B6775")
    header_row = 4
    for i, kolom in enumerate(tabel.kolom, start=1):
        cell = ws.cell(row=header_row, column=i, value=kolom.judul)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF2F7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for r, row in enumerate(tabel.baris, start=header_row + 1):
        for c, kolom in enumerate(tabel.kolom, start=1):
            cell = ws.cell(row=r, column=c, value=_cell(kolom.nilai(row), kolom.jenis))
            cell.number_format = FORMATS.get(kolom.jenis, "General")
    for c, kolom in enumerate(tabel.kolom, start=1):
        width = kolom.lebar or max(10, min(45, len(kolom.judul) + 2,
                                             *(len(str(kolom.nilai(row) or "")) + 2 for row in tabel.baris[:200])))
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def csv_text(tabel: Tabel) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([k.judul for k in tabel.kolom])
    for row in tabel.baris:
        values = []
        for kolom in tabel.kolom:
            value = _cell(kolom.nilai(row), kolom.jenis)
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = value.isoformat()
            values.append("" if value is None else value)
        writer.writerow(values)
    return out.getvalue()


def response(tabel: Tabel, fmt: str) -> HttpResponse:
    if fmt == "xlsx":
        result = HttpResponse(xlsx_bytes(tabel), content_type=XLSX_TYPE)
    else:
        # A byte-order mark so spreadsheet programs read UTF-8 names correctly.
        result = HttpResponse("\ufeff" + csv_text(tabel), content_type="text/csv; charset=utf-8")
    result["Content-Disposition"] = f'attachment; filename="{tabel.nama_berkas}.{fmt}"'
    return result
