"""Thin views of balita: parse the request, call a selector or a service, render (HTMX requests
get the page's named partial)."""

from balita.views.asi import asi_eksklusif
from balita.views.anak import anak_baru, anak_detail, anak_export, anak_gabung, anak_ubah, index
from balita.views.impor import impor, impor_batal, impor_detail, impor_galat, impor_simpan, impor_templat, impor_tinjau, impor_ulangi
from balita.views.mutu import mutu, mutu_periksa, mutu_tabel_xlsx, mutu_temuan_xlsx
from balita.views.pengukuran import pengukuran_baru, pengukuran_hapus, pengukuran_pratinjau, pengukuran_ubah
from balita.views.stunting import stunting, stunting_export

__all__ = [
    "asi_eksklusif",
    "index", "anak_export", "anak_baru", "anak_detail", "anak_ubah", "anak_gabung",
    "pengukuran_baru", "pengukuran_pratinjau", "pengukuran_ubah", "pengukuran_hapus", "stunting", "stunting_export",
    "mutu", "mutu_periksa", "mutu_tabel_xlsx", "mutu_temuan_xlsx",
    "impor", "impor_detail", "impor_simpan", "impor_batal", "impor_galat", "impor_templat", "impor_tinjau", "impor_ulangi",
]
