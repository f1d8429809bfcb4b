"""Template filters for Indonesian figures (loaded as a builtin in every template)."""

from django import template

from tpps import formatting

register = template.Library()

register.filter("rupiah", formatting.rupiah)
register.filter("tanggal", formatting.tanggal)
register.filter("bulan_tahun", formatting.bulan_tahun)
register.filter("waktu", formatting.waktu)
register.filter("nip", formatting.nip)


@register.filter
def angka(value, decimals=0):
    return formatting.angka(value, int(decimals))


@register.filter
def persen(value, decimals=1):
    return formatting.persen(value, int(decimals))


@register.filter
def selang(bounds, decimals=2):
    return formatting.selang(bounds, int(decimals))
