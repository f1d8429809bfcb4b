from django.urls import path

from konvergensi import views

app_name = "konvergensi"
urlpatterns = [
    path("", views.index, name="index"),
]
