from django.apps import AppConfig

from tpps.roles import ALL_ROLES


class PanduanConfig(AppConfig):
    name = "panduan"
    verbose_name = "Panduan pengguna"
    nav_position = 90  # place in the main menu (tpps.context_processors.menu_for)
    nav_items = [
        ("Panduan", "panduan:index", ALL_ROLES),
    ]
