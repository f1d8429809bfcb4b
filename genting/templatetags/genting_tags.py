"""Names as the viewer may see them: private persons and families are masked for report readers
(`access.can_see_personal_data` false); codes and kelurahan stay visible."""

from django import template

register = template.Library()


@register.filter
def nama_keluarga(keluarga, access):
    if access.can_see_personal_data:
        return f"{keluarga.kode} {keluarga.kepala_keluarga}"
    return keluarga.kode


@register.filter
def nama_anggota(anggota, access):
    return anggota.nama if access.can_see_personal_data else f"{anggota.get_sasaran_display()} #{anggota.pk}"


@register.filter
def nama_ota(ota, access):
    if ota.is_personal and not access.can_see_personal_data:
        return f"{ota.get_jenis_display()} #{ota.pk}"
    return ota.nama


@register.filter
def pribadi(value, access):
    """Contact details, addresses, NIK: shown only to roles that may see personal data."""
    if not value:
        return "–"
    return value if access.can_see_personal_data else "(disembunyikan)"


@register.filter
def akun_label(akun, access):
    from genting.services import akun_label as label

    text = label(akun)
    if not access.can_see_personal_data and akun.orang_tua_asuh_id and akun.orang_tua_asuh.is_personal:
        text = text.replace(akun.orang_tua_asuh.nama, nama_ota(akun.orang_tua_asuh, access))
    if not access.can_see_personal_data and akun.pendampingan_id and akun.pendampingan.orang_tua_asuh.is_personal:
        ota = akun.pendampingan.orang_tua_asuh
        text = text.replace(ota.nama, nama_ota(ota, access))
    return text


@register.filter
def kelompok_hari_ini(anggota, today):
    from genting.models import KelompokSasaran

    code = anggota.kelompok_pada(today)
    return KelompokSasaran(code).label if code else ""
