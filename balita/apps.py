from django.apps import AppConfig

from tpps.roles import Role


class BalitaConfig(AppConfig):
    name = "balita"
    verbose_name = "Balita dan pengukuran"
    nav_items = [
        ("Balita", "balita:index", {Role.ADMIN, Role.OPERATOR, Role.WILAYAH, Role.PIMPINAN}),
    ]
