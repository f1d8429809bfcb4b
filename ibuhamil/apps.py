from django.apps import AppConfig

from tpps.roles import ALL_ROLES


class IbuhamilConfig(AppConfig):
    name = "ibuhamil"
    verbose_name = "Ibu hamil"
    nav_position = 11  # place in the main menu (tpps.context_processors.menu_for)
    nav_items = [
        ("Ibu hamil", "ibuhamil:index", ALL_ROLES),
    ]

    def child_page_sections(self, user, anak):
        """balita's hook for the child's page: the mother's pregnancy and the birth that produced
        this child, as `user` may see them (a list of {"template", "context"})."""
        # The app's own modules load lazily: an AppConfig is imported before its models exist.
        from ibuhamil import selectors

        return selectors.child_page_sections(user, anak)

    def load_demo_data(self, stdout):
        from ibuhamil import demo

        demo.load(stdout)
