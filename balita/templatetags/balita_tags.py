"""Template helpers of balita: ages, z-scores and category badges (names and NIK are masked by
`tpps_masking`)."""

import datetime

from django import template
from django.utils import timezone

from balita.growth import categories
from tpps import formatting
from tpps.ages import age_in_months

register = template.Library()

BADGE = {
    "sangat_pendek": "red", "sangat_kurang": "red", "gizi_buruk": "red",
    "pendek": "amber", "kurang": "amber", "gizi_kurang": "amber",
    "normal": "green", "gizi_baik": "green",
    "tinggi": "blue", "risiko_lebih": "blue", "berisiko_gizi_lebih": "blue", "gizi_lebih": "amber", "obesitas": "red",
}


def umur_teks(born: datetime.date, on: datetime.date | None = None) -> str:
    """Age in years and WHO months (`tpps.ages`), '2 th 3 bl' (or '5 bl', '12 hari')."""
    if not born:
        return "–"
    on = on or timezone.localdate()
    if on < born:
        return "–"
    months = age_in_months(born, on)
    if months == 0:
        return f"{(on - born).days} hari"
    years, months = divmod(months, 12)
    if not years:
        return f"{months} bl"
    return f"{years} th {months} bl" if months else f"{years} th"


@register.filter
def umur(born, on=None):
    return umur_teks(born, on)


@register.filter
def zs(value):
    """A z-score as '−1,23' / '+0,45' ('–' when none)."""
    if value is None or value == "":
        return "–"
    value = float(value)
    sign = "−" if value < 0 else "+" if value > 0 else ""
    return sign + formatting.angka(abs(value), 2)


@register.filter
def kategori(code, index="tbu"):
    return categories.label(index, code) or "–"


@register.filter
def badge(code):
    return BADGE.get(code, "")


@register.filter
def desimal(value, decimals=1):
    if value is None or value == "":
        return "–"
    return formatting.angka(value, int(decimals))
