from django.urls import path

from rekomendasi import views

app_name = "rekomendasi"
urlpatterns = [
    path("", views.index, name="index"),
    path("tambah/", views.tambah, name="tambah"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.ubah, name="ubah"),
    path("<int:pk>/hapus/", views.hapus, name="hapus"),
    path("<int:pk>/dokumen/", views.dokumen_unduh, name="dokumen_unduh"),
    path("<int:pk>/tindak-lanjut/", views.tindak_lanjut, name="tindak_lanjut"),
    path("tindak-lanjut/<int:pk>/hapus/", views.tindak_lanjut_hapus, name="tindak_lanjut_hapus"),
    path("tindak-lanjut/<int:pk>/unduh/", views.tindak_lanjut_unduh, name="tindak_lanjut_unduh"),
    path("kesiapan/", views.kesiapan, name="kesiapan"),
    path("inovasi/", views.inovasi, name="inovasi"),
    path("inovasi/tambah/", views.inovasi_tambah, name="inovasi_tambah"),
    path("inovasi/<int:pk>/", views.inovasi_detail, name="inovasi_detail"),
    path("inovasi/<int:pk>/ubah/", views.inovasi_ubah, name="inovasi_ubah"),
    path("inovasi/<int:pk>/hapus/", views.inovasi_hapus, name="inovasi_hapus"),
    path("inovasi/<int:pk>/unduh/", views.inovasi_unduh, name="inovasi_unduh"),
    path("inovasi/<int:pk>/mitra/", views.mitra_tambah, name="mitra_tambah"),
    path("mitra/<int:pk>/hapus/", views.mitra_hapus, name="mitra_hapus"),
]
