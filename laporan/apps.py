from django.apps import AppConfig

from tpps.roles import ALL_ROLES


class LaporanConfig(AppConfig):
    name = "laporan"
    verbose_name = "Laporan dan dasbor"
    nav_items = [
        ("Dasbor", "laporan:index", ALL_ROLES),
    ]
