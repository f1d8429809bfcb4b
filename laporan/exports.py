"""Tables as XLSX (Indonesian headers, number formats) and CSV downloads.

A table is a title, a list of `Kolom` and rows; every table on the dashboard and the reports is
declared once in `laporan.tables` and written by these two functions (through the app's one
writers, `tpps.xlsx` and `tpps.csvfile`, so typed text never becomes a formula).
"""

import datetime
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Callable

from django.http import HttpResponse
from django.utils import timezone

from tpps import csvfile, xlsx


@dataclass(frozen=True)
class Kolom:
    judul: str
    nilai: Callable
    jenis: str = "teks"  # a key of tpps.xlsx.NUMBER_FORMATS
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
    """Title on row 1, a note on row 2, the frozen header on row 4."""
    widths = {
        c: kolom.lebar or max(10, min(45, len(kolom.judul) + 2,
                                      *(len(str(kolom.nilai(row) or "")) + 2 for row in tabel.baris[:200])))
        for c, kolom in enumerate(tabel.kolom)
    }
    note = tabel.keterangan or f"Diunduh {timezone.localtime():%d/%m/%Y %H.%M} dari Pantau Stunting"
    rows = ([_cell(kolom.nilai(row), kolom.jenis) for kolom in tabel.kolom] for row in tabel.baris)
    return xlsx.table_bytes([k.judul for k in tabel.kolom], rows, sheet=tabel.judul, widths=widths,
                            kinds={c: k.jenis for c, k in enumerate(tabel.kolom)}, preamble=(tabel.judul, note))


def csv_text(tabel: Tabel) -> str:
    out = io.StringIO()
    writer = csvfile.writer(out)
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
        result = HttpResponse(xlsx_bytes(tabel), content_type=xlsx.CONTENT_TYPE)
    else:
        # A byte-order mark so spreadsheet programs read UTF-8 names correctly.
        result = HttpResponse("\ufeff" + csv_text(tabel), content_type="text/csv; charset=utf-8")
    result["Content-Disposition"] = f'attachment; filename="{tabel.nama_berkas}.{fmt}"'
    return result
