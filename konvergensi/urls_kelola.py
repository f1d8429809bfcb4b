"""The indicator catalogue in the management area (/kelola/indikator/, namespace kelola:indikator)."""

from django.urls import path

from konvergensi.views import katalog

app_name = "indikator"
urlpatterns = [
    path("", katalog.daftar, name="daftar"),
    path("baru/", katalog.formulir, name="baru"),
    path("<int:pk>/", katalog.formulir, name="ubah"),
    path("<int:pk>/hapus/", katalog.hapus, name="hapus"),
    path("<int:pk>/target/", katalog.target, name="target"),
    path("target/<int:pk>/hapus/", katalog.target_hapus, name="target_hapus"),
]
