"""Indonesian formatting for pages, PDFs and exports: Rp 1.234.567, 24 Mei 2024, 4,9%."""

import datetime
from decimal import Decimal

from django.utils import formats, timezone, translation

BULAN = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]


def angka(value, decimals: int = 0) -> str:
    """1234567 -> '1.234.567'; 4.56 with decimals=1 -> '4,6'."""
    if value is None or value == "":
        return "–"
    if decimals:
        value = round(Decimal(str(value)), decimals)
        text = f"{value:,.{decimals}f}"
    else:
        text = f"{int(round(Decimal(str(value)))):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def nip(value) -> str:
    """A civil servant's NIP as printed under a signature: '196805121990031007' ->
    '19680512 199003 1 007' (birth date, appointment month, sex, serial); other text unchanged."""
    text = "".join((value or "").split())
    if len(text) != 18 or not text.isdigit():
        return value or ""
    return f"{text[:8]} {text[8:14]} {text[14]} {text[15:]}"


def rupiah(value) -> str:
    """Whole rupiah: 1234567 -> 'Rp 1.234.567'; negatives as '-Rp 5.000'."""
    if value is None or value == "":
        return "–"
    value = int(value)
    sign = "-" if value < 0 else ""
    return f"{sign}Rp {angka(abs(value))}"


def persen(value, decimals: int = 1) -> str:
    if value is None:
        return "–"
    return f"{angka(value, decimals)}%"


def selang(bounds, decimals: int = 2) -> str:
    """A 95 % interval in percent: (4.981, 6.314) -> '95% CI 4,98–6,31'; '' for none."""
    if not bounds:
        return ""
    low, high = bounds
    return f"95% CI {angka(low, decimals)}–{angka(high, decimals)}"


def tanggal(value) -> str:
    """A date (or datetime, in local time) as '24 Mei 2024'."""
    if value is None or value == "":
        return "–"
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return f"{value.day} {BULAN[value.month - 1]} {value.year}"


def bulan_tahun(value) -> str:
    """'Mei 2024' for any date in May 2024."""
    return f"{BULAN[value.month - 1]} {value.year}"


def waktu(value) -> str:
    """A datetime in Jakarta time: '24 Mei 2024, 14.05'."""
    if not value:
        return "–"
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    with translation.override("id"):
        return formats.date_format(value, "DATETIME_FORMAT")
