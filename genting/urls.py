from django.urls import path

from genting import views

app_name = "genting"
urlpatterns = [
    path("", views.index, name="index"),
]
