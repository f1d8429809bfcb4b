"""Template face of `tpps.masking`: `{{ anak.nama|nama_untuk:access }}`, `{{ nik|nik_untuk:access }}`,
`{{ alamat|pribadi:access }}` ("–" when empty). `access` comes from the context processor."""

from django import template

from tpps import masking

register = template.Library()


@register.filter
def nama_untuk(nama, access):
    return masking.name_for(access, nama) or "–"


@register.filter
def nik_untuk(nik, access):
    return masking.nik_for(access, nik) or "–"


@register.filter
def pribadi(value, access):
    return masking.private_for(access, value) or "–"
