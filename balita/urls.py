from django.urls import path

from balita import views

app_name = "balita"
urlpatterns = [
    path("", views.index, name="index"),
]
