from django.apps import AppConfig


class TppsConfig(AppConfig):
    name = "tpps"
    verbose_name = "TPPS (wilayah, pengguna, audit)"
    # Menu entries: (label, url name, roles that see it). Each app declares its own the same way;
    # the home page and the navigation collect them from every app config.
    nav_items = []

