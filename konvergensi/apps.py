from django.apps import AppConfig

from tpps.roles import ALL_ROLES


class KonvergensiConfig(AppConfig):
    name = "konvergensi"
    verbose_name = "Aksi konvergensi dan indikator"
    nav_items = [
        ("Aksi konvergensi", "konvergensi:index", ALL_ROLES),
    ]
