from django.apps import AppConfig

from tpps.roles import AGGREGATE_READERS


class KonvergensiConfig(AppConfig):
    name = "konvergensi"
    verbose_name = "Aksi konvergensi dan indikator"
    nav_position = 20  # place in the main menu (tpps.context_processors.menu_for)
    nav_items = [
        # One entry: the app's own pages are reached through its tab bar (_tabs.html).
        ("Aksi konvergensi", "konvergensi:index", AGGREGATE_READERS),
    ]
    # One line each on the Beranda's tiles (tpps.beranda.links_for).
    nav_descriptions = {
        "konvergensi:index": "Delapan aksi konvergensi, bukti dukung, indikator, dan kesiapan penilaian.",
    }

    def home_tiles(self, user):
        """The Beranda's tiles of this app for `user` (tpps.beranda)."""
        # The app's own modules load lazily: an AppConfig is imported before its models exist.
        from konvergensi import home

        return home.tiles(user)

    def load_demo_data(self, stdout):
        from konvergensi import demo

        result = demo.load()
        if result is None:
            stdout.write("Konvergensi: data contoh sudah ada.")
        else:
            stdout.write(
                f"Konvergensi: {result['bukti']} bukti dukung, {result['capaian']} capaian indikator, "
                f"{result['kegiatan']} rencana kegiatan."
            )
