from django.urls import path

from balita import views

app_name = "balita"
urlpatterns = [
    path("", views.index, name="index"),
    path("ekspor.xlsx", views.anak_export, name="anak_export"),
    path("anak/baru/", views.anak_baru, name="anak_baru"),
    path("anak/<int:pk>/", views.anak_detail, name="anak_detail"),
    path("anak/<int:pk>/ubah/", views.anak_ubah, name="anak_ubah"),
    path("anak/<int:pk>/gabung/", views.anak_gabung, name="anak_gabung"),
    path("anak/<int:pk>/ukur/", views.pengukuran_baru, name="pengukuran_baru"),
    path("anak/<int:pk>/ukur/pratinjau/", views.pengukuran_pratinjau, name="pengukuran_pratinjau"),
    path("pengukuran/<int:pk>/koreksi/", views.pengukuran_ubah, name="pengukuran_ubah"),
    path("pengukuran/<int:pk>/hapus/", views.pengukuran_hapus, name="pengukuran_hapus"),
    path("stunting/", views.stunting, name="stunting"),
    path("stunting/ekspor.xlsx", views.stunting_export, name="stunting_export"),
    path("asi/", views.asi_eksklusif, name="asi"),
    path("mutu/", views.mutu, name="mutu"),
    path("mutu/periksa/", views.mutu_periksa, name="mutu_periksa"),
    path("mutu/tabel.xlsx", views.mutu_tabel_xlsx, name="mutu_tabel_xlsx"),
    path("mutu/temuan.xlsx", views.mutu_temuan_xlsx, name="mutu_temuan_xlsx"),
    path("impor/", views.impor, name="impor"),
    path("impor/templat.xlsx", views.impor_templat, name="impor_templat"),
    path("impor/<int:pk>/", views.impor_detail, name="impor_detail"),
    path("impor/<int:pk>/tinjau/<int:tinjauan>/", views.impor_tinjau, name="impor_tinjau"),
    path("impor/<int:pk>/simpan/", views.impor_simpan, name="impor_simpan"),
    path("impor/<int:pk>/batal/", views.impor_batal, name="impor_batal"),
    path("impor/<int:pk>/ulangi/", views.impor_ulangi, name="impor_ulangi"),
    path("impor/<int:pk>/galat.xlsx", views.impor_galat, name="impor_galat"),
]
