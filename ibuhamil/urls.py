from django.urls import path

from ibuhamil import views

app_name = "ibuhamil"
urlpatterns = [
    path("", views.index, name="index"),
    path("ringkasan/", views.ringkasan, name="ringkasan"),
    path("ekspor.xlsx", views.export, name="ekspor"),
    path("baru/", views.baru, name="baru"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ubah/", views.ubah, name="ubah"),
    path("<int:pk>/kunjungan/", views.kunjungan_create, name="kunjungan_create"),
    path("<int:pk>/pmt/", views.pmt_create, name="pmt_create"),
    path("<int:pk>/persalinan/", views.persalinan_create, name="persalinan_create"),
    path("<int:pk>/bayi/", views.keputusan_bayi, name="keputusan_bayi"),
    path("impor/", views.impor, name="impor"),
    path("impor/konfirmasi/", views.impor_konfirmasi, name="impor_konfirmasi"),
    path("impor/templat.xlsx", views.templat, name="templat"),
]
