from django.urls import path

from sasaran import views

app_name = "sasaran"
urlpatterns = [
    path("", views.index, name="index"),
    path("catin/", views.catin, name="catin"),
    path("catin/baru/", views.catin_baru, name="catin_baru"),
    path("remaja-putri/", views.remaja, name="remaja"),
    path("remaja-putri/baru/", views.remaja_baru, name="remaja_baru"),
    path("krs/", views.krs, name="krs"),
    path("impor/<str:jenis>/", views.impor, name="impor"),
    path("impor/<str:jenis>/templat.xlsx", views.templat, name="templat"),
    path("berkas/<int:pk>/", views.impor_detail, name="impor_detail"),
    path("berkas/<int:pk>/simpan/", views.impor_simpan, name="impor_simpan"),
    path("berkas/<int:pk>/batal/", views.impor_batal, name="impor_batal"),
]
