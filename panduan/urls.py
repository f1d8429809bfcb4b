from django.urls import path

from panduan import views

app_name = "panduan"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:peran>/", views.peran, name="peran"),
]
