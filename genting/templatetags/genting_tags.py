"""GENTING's people as the viewer may see them. Masking itself is `tpps.masking` (the same
"S*** A***" as balita and laporan); these filters only know which names are a private person's:
a family's head, a member, a foster parent who is a person (organisations keep their names)."""

from django import template

from genting.models import KelompokSasaran
from genting.services import akun_label as label
from tpps.masking import name_for, sees_personal_data

register = template.Library()


@register.filter
def nama_keluarga(keluarga, access):
    return f"{keluarga.kode} {name_for(access, keluarga.kepala_keluarga)}".strip()


@register.filter
def nama_anggota(anggota, access):
    return name_for(access, anggota.nama) or "–"


@register.filter
def nama_ota(ota, access):
    return name_for(access, ota.nama) if ota.is_personal else ota.nama


@register.filter
def akun_label(akun, access):
    text = label(akun)
    if not sees_personal_data(access) and akun.orang_tua_asuh_id and akun.orang_tua_asuh.is_personal:
        text = text.replace(akun.orang_tua_asuh.nama, nama_ota(akun.orang_tua_asuh, access))
    if not sees_personal_data(access) and akun.pendampingan_id and akun.pendampingan.orang_tua_asuh.is_personal:
        ota = akun.pendampingan.orang_tua_asuh
        text = text.replace(ota.nama, nama_ota(ota, access))
    return text


@register.filter
def kelompok_hari_ini(anggota, today):
    code = anggota.kelompok_pada(today)
    return KelompokSasaran(code).label if code else ""
