from django.apps import AppConfig

from tpps.roles import AGGREGATE_READERS


class RekomendasiConfig(AppConfig):
    name = "rekomendasi"
    verbose_name = "Rekomendasi provinsi dan inovasi"
    nav_items = [
        ("Rekomendasi", "rekomendasi:index", AGGREGATE_READERS),
    ]

    def load_demo_data(self, stdout):
        from rekomendasi import demo

        result = demo.load()
        if result is None:
            stdout.write("Rekomendasi: data contoh sudah ada.")
        else:
            stdout.write(f"Rekomendasi: {result['rekomendasi']} rekomendasi dan kelemahan, "
                         f"{result['tindak_lanjut']} tindak lanjut, {result['inovasi']} inovasi.")
