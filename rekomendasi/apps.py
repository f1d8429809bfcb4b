from django.apps import AppConfig

from tpps.roles import AGGREGATE_READERS


class RekomendasiConfig(AppConfig):
    name = "rekomendasi"
    verbose_name = "Rekomendasi provinsi dan inovasi"
    nav_position = 40  # place in the main menu (tpps.context_processors.menu_for)
    nav_items = [
        ("Rekomendasi", "rekomendasi:index", AGGREGATE_READERS),
    ]
    # One line each on the Beranda's tiles (tpps.beranda.links_for).
    nav_descriptions = {
        "rekomendasi:index": "Rekomendasi provinsi dan tindak lanjutnya, serta inovasi kota.",
    }

    def load_demo_data(self, stdout):
        from rekomendasi import demo

        result = demo.load()
        if result is None:
            stdout.write("Rekomendasi: data contoh sudah ada.")
        else:
            stdout.write(f"Rekomendasi: {result['rekomendasi']} rekomendasi dan kelemahan, "
                         f"{result['tindak_lanjut']} tindak lanjut, {result['inovasi']} inovasi.")
