from django.apps import AppConfig

from tpps.roles import ALL_ROLES


class KasusConfig(AppConfig):
    name = "kasus"
    verbose_name = "Tata laksana gizi"
    nav_position = 13  # place in the main menu (tpps.context_processors.menu_for)
    nav_items = [
        ("Tata laksana gizi", "kasus:index", ALL_ROLES),
    ]
    # One line each on the Beranda's tiles (tpps.beranda.links_for).
    nav_descriptions = {
        "kasus:index": "Kasus gizi dari temuan sampai keluar: langkah, intervensi, tindak lanjut, kohort.",
    }

    def home_tiles(self, user):
        """The Beranda's tiles of this app for `user` (tpps.beranda)."""
        # The app's own modules load lazily: an AppConfig is imported before its models exist.
        from kasus import home

        return home.tiles(user)

    def measurements_refreshed(self, kelurahan_ids):
        """balita's hook, inside the transaction that changed measurements, after its figures:
        open, close and update the cases of the children of those kelurahan (None: all)."""
        # The app's own modules load lazily: an AppConfig is imported before its models exist.
        from kasus import derive

        derive.refresh(kelurahan_ids)

    def children_merging(self, keep_id, remove_id):
        """balita's hook when two records of one child become one: their open cases of the same
        problem become one (the earlier keeps the other's steps and interventions)."""
        from kasus import derive

        derive.merge_open_cases(keep_id, remove_id)

    def load_demo_data(self, stdout):
        from kasus import demo

        demo.load(stdout)
