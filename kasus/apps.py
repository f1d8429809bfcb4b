from django.apps import AppConfig

from tpps.roles import ALL_ROLES


class KasusConfig(AppConfig):
    name = "kasus"
    verbose_name = "Tata laksana gizi"
    nav_items = [
        ("Tata laksana gizi", "kasus:index", ALL_ROLES),
    ]

    def measurements_refreshed(self, kelurahan_ids):
        """balita's hook, inside the transaction that changed measurements, after its figures:
        open, close and update the cases of the children of those kelurahan (None: all)."""
        # The app's own modules load lazily: an AppConfig is imported before its models exist.
        from kasus import derive

        derive.refresh(kelurahan_ids)

    def load_demo_data(self, stdout):
        from kasus import demo

        demo.load(stdout)
