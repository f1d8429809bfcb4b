from django.urls import include, path

from tpps.kelola.views import acuan, kunci, pengguna, wilayah

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
    path("kecamatan/", wilayah.kecamatan_list, name="kecamatan_list"),
    path("kecamatan/baru/", wilayah.kecamatan_form, name="kecamatan_baru"),
    path("kecamatan/<int:pk>/", wilayah.kecamatan_form, name="kecamatan_ubah"),
    path("kecamatan/<int:pk>/hapus/", wilayah.kecamatan_hapus, name="kecamatan_hapus"),
    path("kelurahan/", wilayah.kelurahan_list, name="kelurahan_list"),
    path("kelurahan/baru/", wilayah.kelurahan_form, name="kelurahan_baru"),
    path("kelurahan/<int:pk>/", wilayah.kelurahan_form, name="kelurahan_ubah"),
    path("kelurahan/<int:pk>/hapus/", wilayah.kelurahan_hapus, name="kelurahan_hapus"),
    path("puskesmas/", wilayah.puskesmas_list, name="puskesmas_list"),
    path("puskesmas/baru/", wilayah.puskesmas_form, name="puskesmas_baru"),
    path("puskesmas/<int:pk>/", wilayah.puskesmas_form, name="puskesmas_ubah"),
    path("puskesmas/<int:pk>/hapus/", wilayah.puskesmas_hapus, name="puskesmas_hapus"),
    path("posyandu/", acuan.posyandu_list, name="posyandu_list"),
    path("posyandu/baru/", acuan.posyandu_baru, name="posyandu_baru"),
    path("posyandu/<int:pk>/", acuan.posyandu_ubah, name="posyandu_ubah"),
    path("posyandu/<int:pk>/hapus/", acuan.posyandu_hapus, name="posyandu_hapus"),
    path("lokus/", acuan.lokus, name="lokus"),
    path("lokus/salin/", acuan.lokus_salin, name="lokus_salin"),
    path("lokus/<int:pk>/hapus/", acuan.lokus_hapus, name="lokus_hapus"),
    path("pejabat/", acuan.pejabat, name="pejabat"),
    path("opd/", acuan.opd_list, name="opd_list"),
    path("opd/baru/", acuan.opd_form, name="opd_baru"),
    path("opd/<int:pk>/", acuan.opd_form, name="opd_ubah"),
    path("opd/<int:pk>/hapus/", acuan.opd_hapus, name="opd_hapus"),
    # The indicator catalogue is konvergensi's data: its pages and rules live there, shown here.
    path("indikator/", include("konvergensi.urls_kelola")),
    path("kunci-masuk/", kunci.kunci_list, name="kunci_list"),
    path("kunci-masuk/buka/", kunci.kunci_buka, name="kunci_buka"),
]
