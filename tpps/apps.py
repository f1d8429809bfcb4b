from django.apps import AppConfig
from django.db.models.signals import post_migrate

from tpps import audit


class TppsConfig(AppConfig):
    name = "tpps"
    verbose_name = "TPPS (wilayah, pengguna, audit)"
    # Menu entries: (label, url name, roles that see it). Each app declares its own the same way;
    # the home page and the navigation collect them from every app config.
    nav_items = []

    def ready(self):
        # After every migrate (and test database set-up): each pghistory event table feeds the
        # audit trail's index, including tables of models audited later.
        post_migrate.connect(audit.install_index_triggers, sender=self)
