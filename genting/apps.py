from django.apps import AppConfig

from tpps.roles import CHILD_READERS


class GentingConfig(AppConfig):
    name = "genting"
    verbose_name = "GENTING (orang tua asuh)"
    nav_position = 30  # place in the main menu (tpps.context_processors.menu_for)
    nav_items = [
        ("GENTING", "genting:index", CHILD_READERS),
    ]
    # One line each on the Beranda's tiles (tpps.beranda.links_for).
    nav_descriptions = {
        "genting:index": "Orang tua asuh, keluarga berisiko, donasi, penyaluran, dan buku kas.",
    }

    def load_demo_data(self, stdout):
        from genting import demo

        demo.load(stdout)
