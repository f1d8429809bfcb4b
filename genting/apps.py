from django.apps import AppConfig

from tpps.roles import Role


class GentingConfig(AppConfig):
    name = "genting"
    verbose_name = "GENTING (orang tua asuh)"
    nav_items = [
        ("GENTING", "genting:index", {Role.ADMIN, Role.OPERATOR, Role.WILAYAH, Role.PIMPINAN}),
    ]

    def load_demo_data(self, stdout):
        from genting import demo

        demo.load(stdout)
