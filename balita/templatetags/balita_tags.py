"""Template helpers of balita: masking personal data, ages, z-scores and category badges."""

import datetime

from django import template
from django.utils import timezone

from balita.growth import categories
from tpps import formatting

register = template.Library()

BADGE = {
    "sangat_pendek": "red", "sangat_kurang": "red", "gizi_buruk": "red",
    "pendek": "amber", "kurang": "amber", "gizi_kurang": "amber",
    "normal": "green", "gizi_baik": "green",
    "tinggi": "blue", "risiko_lebih": "blue", "berisiko_gizi_lebih": "blue", "gizi_lebih": "amber", "obesitas": "red",
}


def inisial(nama: str) -> str:
    """'Budi Santoso' -> 'B. S.' (names are personal data: readers of reports see initials)."""
    return " ".join(f"{part[0].upper()}." for part in (nama or "").split() if part[:1].isalpha()) or "–"


def nik_samar(nik) -> str:
    """'3571012345678901' -> '3571 •••• •••• ••••' (the region code only)."""
    return f"{nik[:4]} •••• •••• ••••" if nik else "–"


@register.simple_tag(takes_context=True)
def nama_anak(context, nama):
    access = context.get("access")
    return nama if access is not None and access.can_see_personal_data else inisial(nama)


@register.simple_tag(takes_context=True)
def nik_anak(context, nik):
    access = context.get("access")
    if not nik:
        return "–"
    return nik if access is not None and access.can_see_personal_data else nik_samar(nik)


def umur_teks(born: datetime.date, on: datetime.date | None = None) -> str:
    """Age in years and months, '2 th 3 bl' (or '5 bl', '12 hari')."""
    if not born:
        return "–"
    on = on or timezone.localdate()
    if on < born:
        return "–"
    months = (on.year - born.year) * 12 + on.month - born.month - (1 if on.day < born.day else 0)
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
