from django.urls import path

from laporan import views, views_narasi, views_paket, views_peringkat, views_survei

app_name = "laporan"
urlpatterns = [
    path("", views.index, name="index"),
    path("ekspor/<slug:tabel>.<slug:fmt>", views.export, name="ekspor"),
    path("kelurahan/<int:pk>/", views.kelurahan, name="kelurahan"),
    path("kelurahan/<int:pk>/anak.<slug:fmt>", views.export_children, name="ekspor_anak"),
    path("peringkat/", views_peringkat.index, name="peringkat"),
    path("peringkat/isi/", views_peringkat.entry, name="peringkat_isi"),
    path("peringkat/unggah/", views_peringkat.upload, name="peringkat_unggah"),
    path("peringkat/templat.xlsx", views_peringkat.template, name="peringkat_templat"),
    path("peringkat/ekspor/<slug:tabel>.<slug:fmt>", views_peringkat.export, name="peringkat_ekspor"),
    path("survei/", views_survei.index, name="survei"),
    path("survei/<int:pk>/hapus/", views_survei.delete, name="survei_hapus"),
    path("paket/", views_paket.index, name="paket"),
    path("paket/narasi/", views_narasi.index, name="narasi"),
    path("paket/narasi/<int:tahun>/<slug:kunci>/", views_narasi.save, name="narasi_simpan"),
    path("paket/narasi/<int:tahun>/<slug:kunci>/kembalikan/", views_narasi.revert, name="narasi_kembalikan"),
    path("paket/<int:pk>/", views_paket.status, name="paket_status"),
    path("paket/<int:pk>/unduh/", views_paket.download, name="paket_unduh"),
    path("paket/<int:pk>/ulangi/", views_paket.retry, name="paket_ulangi"),
    path("paket/<int:pk>/batalkan/", views_paket.cancel, name="paket_batal"),
]
