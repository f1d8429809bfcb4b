"""Template filters of konvergensi."""

from decimal import Decimal

from django import template

from tpps.formatting import angka

register = template.Library()


@register.filter
def nilai(value):
    """An indicator figure with only the decimals it needs: 80 → '80', 15.50 → '15,5', 4.87 → '4,87'."""
    if value is None or value == "":
        return "–"
    value = Decimal(str(value))
    for decimals in (0, 1):
        if value == round(value, decimals):
            return angka(value, decimals)
    return angka(value, 2)
