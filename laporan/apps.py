from django.apps import AppConfig

from tpps.roles import ALL_ROLES, CITY_ROLES


class LaporanConfig(AppConfig):
    name = "laporan"
    verbose_name = "Laporan dan dasbor"
    nav_items = [
        ("Dasbor", "laporan:index", ALL_ROLES),
        ("Peringkat", "laporan:peringkat", ALL_ROLES),
        ("Paket evaluasi", "laporan:paket", CITY_ROLES),
    ]

    def load_demo_data(self, stdout):
        from laporan import demo

        demo.load(stdout)
