"""Template filters of the laporan pages."""

from decimal import Decimal

from django import template

from balita.figures import nama_indikator
from tpps import formatting

register = template.Library()


@register.filter
def skor(value):
    """A provincial score: 129 -> '129', 91.8 -> '91,8', 27.65 -> '27,65'."""
    if value is None or value == "":
        return "–"
    number = Decimal(str(value)).normalize()
    decimals = max(0, -number.as_tuple().exponent)
    return formatting.angka(number, min(decimals, 2))


@register.filter
def indikator(kode, bentuk=""):
    """{{ "wasting"|indikator }} -> the Kemenkes name; {{ "wasting"|indikator:"singkat" }} -> short."""
    return nama_indikator(kode, singkat=bentuk == "singkat")
