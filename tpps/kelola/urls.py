from django.urls import path

from tpps.kelola.views import acuan, pengguna

app_name = "kelola"
urlpatterns = [
    path("", pengguna.index, name="index"),
    path("pengguna/", pengguna.pengguna_list, name="pengguna_list"),
    path("pengguna/baru/", pengguna.pengguna_baru, name="pengguna_baru"),
    path("pengguna/<int:pk>/", pengguna.pengguna_detail, name="pengguna_detail"),
    path("pengguna/<int:pk>/kata-sandi/", pengguna.pengguna_kata_sandi, name="pengguna_kata_sandi"),
    path("pengguna/<int:pk>/status/", pengguna.pengguna_status, name="pengguna_status"),
    path("pengguna/<int:pk>/penugasan/", pengguna.penugasan_tambah, name="penugasan_tambah"),
    path("penugasan/<int:pk>/hapus/", pengguna.penugasan_hapus, name="penugasan_hapus"),
    path("posyandu/", acuan.posyandu_list, name="posyandu_list"),
    path("posyandu/baru/", acuan.posyandu_baru, name="posyandu_baru"),
    path("posyandu/<int:pk>/", acuan.posyandu_ubah, name="posyandu_ubah"),
    path("lokus/", acuan.lokus, name="lokus"),
    path("lokus/salin/", acuan.lokus_salin, name="lokus_salin"),
    path("lokus/<int:pk>/hapus/", acuan.lokus_hapus, name="lokus_hapus"),
    path("opd/", acuan.opd_list, name="opd_list"),
    path("opd/baru/", acuan.opd_form, name="opd_baru"),
    path("opd/<int:pk>/", acuan.opd_form, name="opd_ubah"),
]
