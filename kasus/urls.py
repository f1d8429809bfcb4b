from django.urls import path

from kasus import views

app_name = "kasus"
urlpatterns = [
    path("", views.index, name="index"),
    path("ekspor.xlsx", views.export, name="ekspor"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/langkah/", views.langkah_create, name="langkah_create"),
    path("<int:pk>/intervensi/", views.intervensi_create, name="intervensi_create"),
    path("tindak-lanjut/", views.tindak_lanjut, name="tindak_lanjut"),
    path("kunjungan/<int:pk>/", views.kunjungan, name="kunjungan"),
    path("kohort/", views.kohort, name="kohort"),
]
