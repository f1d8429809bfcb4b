from django.apps import AppConfig

from tpps.roles import CHILD_READERS


class GentingConfig(AppConfig):
    name = "genting"
    verbose_name = "GENTING (orang tua asuh)"
    nav_items = [
        ("GENTING", "genting:index", CHILD_READERS),
    ]

    def load_demo_data(self, stdout):
        from genting import demo

        demo.load(stdout)
