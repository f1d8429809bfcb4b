from django.urls import path

from genting import views

app_name = "genting"
urlpatterns = [
    path("", views.index, name="index"),
    path("orang-tua-asuh/", views.ota_list, name="ota_list"),
    path("orang-tua-asuh/baru/", views.ota_form, name="ota_create"),
    path("orang-tua-asuh/<int:pk>/", views.ota_detail, name="ota_detail"),
    path("orang-tua-asuh/<int:pk>/ubah/", views.ota_form, name="ota_edit"),
    path("orang-tua-asuh/<int:pk>/pendampingan/", views.pendampingan_create, name="pendampingan_create"),
    path("orang-tua-asuh/<int:pk>/laporan.pdf", views.ota_statement, name="ota_statement"),
    path("keluarga/", views.keluarga_list, name="keluarga_list"),
    path("keluarga/baru/", views.keluarga_form, name="keluarga_create"),
    path("keluarga/<int:pk>/", views.keluarga_detail, name="keluarga_detail"),
    path("keluarga/<int:pk>/ubah/", views.keluarga_form, name="keluarga_edit"),
    path("keluarga/<int:pk>/anggota/", views.anggota_create, name="anggota_create"),
    path("donasi/", views.donasi_list, name="donasi_list"),
    path("donasi/baru/", views.donasi_create, name="donasi_create"),
    path("penyaluran/", views.penyaluran_list, name="penyaluran_list"),
    path("penyaluran/baru/", views.penyaluran_create, name="penyaluran_create"),
    path("penyaluran/sumber-dana/", views.penyaluran_sumber, name="penyaluran_sumber"),
    path("penyaluran/<int:pk>/bukti/", views.penyaluran_bukti, name="penyaluran_bukti"),
    path("penyaluran/<int:pk>/bukti/unggah/", views.penyaluran_bukti_unggah, name="penyaluran_bukti_unggah"),
    path("buku-besar/", views.buku_besar, name="buku_besar"),
    path("transaksi/<int:pk>/batalkan/", views.transaksi_batalkan, name="transaksi_batalkan"),
]
