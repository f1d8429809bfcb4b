from django.apps import AppConfig

from tpps.roles import ALL_ROLES, CITY_ROLES


class LaporanConfig(AppConfig):
    name = "laporan"
    verbose_name = "Laporan dan dasbor"
    nav_position = 50  # place in the main menu (tpps.context_processors.menu_for)
    nav_items = [
        ("Dasbor", "laporan:index", ALL_ROLES),
        ("Peringkat", "laporan:peringkat", ALL_ROLES),
        ("Paket evaluasi", "laporan:paket", CITY_ROLES),
    ]
    # One line each on the Beranda's tiles (tpps.beranda.links_for).
    nav_descriptions = {
        "laporan:index": "Angka stunting, cakupan, dan tren per wilayah, dengan unduhan tabel.",
        "laporan:peringkat": "Peringkat penilaian kinerja TPPS kab/kota se-Jawa Timur.",
        "laporan:paket": "Paket evaluasi PDF untuk penilaian provinsi.",
    }

    def home_tiles(self, user):
        """The Beranda's tiles of this app for `user` (tpps.beranda)."""
        # The app's own modules load lazily: an AppConfig is imported before its models exist.
        from laporan import home

        return home.tiles(user)

    def load_demo_data(self, stdout):
        from laporan import demo

        demo.load(stdout)
