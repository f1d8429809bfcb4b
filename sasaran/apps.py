from django.apps import AppConfig

from tpps.roles import ALL_ROLES


class SasaranConfig(AppConfig):
    name = "sasaran"
    verbose_name = "Sasaran hulu"
    nav_position = 12  # place in the main menu (tpps.context_processors.menu_for)
    nav_items = [
        ("Sasaran hulu", "sasaran:index", ALL_ROLES),
    ]

    def load_demo_data(self, stdout):
        # The app's own modules load lazily: an AppConfig is imported before its models exist.
        from sasaran import demo

        demo.load(stdout)
