import datetime
import time

from django.apps import AppConfig
from django.db import transaction

from tpps.roles import CHILD_READERS


class BalitaConfig(AppConfig):
    name = "balita"
    verbose_name = "Balita dan pengukuran"
    nav_position = 10  # place in the main menu (tpps.context_processors.menu_for)
    nav_items = [
        ("Balita", "balita:index", CHILD_READERS),
    ]
    # One line each on the Beranda's tiles (tpps.beranda.links_for).
    nav_descriptions = {
        "balita:index": "Register balita, pengukuran, register stunting, impor e-PPGBM, dan mutu data.",
    }

    def home_tiles(self, user):
        """The Beranda's tiles of this app for `user` (tpps.beranda)."""
        # The app's own modules load lazily: an AppConfig is imported before its models exist.
        from balita import home

        return home.tiles(user)

    def load_demo_data(self, stdout):
        """About 6,000 children with monthly measurements Jan 2024 – Dec 2025, through the real
        e-PPGBM import pipeline (engine z-scores, COPY; figures refreshed once at the end), audited
        in bulk (tpps.audit.first_load_recorded_in_bulk). Does nothing if children exist."""
        # The app's own modules load lazily: an AppConfig is imported before its models exist.
        from balita import demo, services
        from balita.importers import reading
        from balita.models import Anak, Pengukuran
        from tpps import audit
        from tpps.roles import SYSTEM

        if Anak.objects.exists():
            stdout.write("Balita: data contoh sudah ada.")
            return
        started = time.perf_counter()
        areas = demo.city_areas()
        kids = demo.children(6000, areas, born_from=datetime.date(2019, 2, 1), born_to=datetime.date(2025, 11, 30))
        # Some families stop coming, the short children's more often (the city's 2024 reports: of
        # 1,978 stunted toddlers 725 were never measured again), so case follow-up has work to show.
        rows = demo.eppgbm_rows(kids, start=datetime.date(2024, 1, 1), end=datetime.date(2025, 12, 31),
                                dropout_stunted=0.85, dropout_other=0.12)
        # One audit event per child and measurement, written in one statement per table (the row
        # triggers cost 30 s here: an insert event per row, then an update event per naik_bb).
        with transaction.atomic(), audit.first_load_recorded_in_bulk(Anak, Pengukuran):
            plan = services.write_sheet(reading.from_frame(rows), user=SYSTEM)
        stdout.write(
            f"Balita: {len(plan.children_new)} anak, {len(plan.measurements_new)} pengukuran "
            f"({time.perf_counter() - started:.1f} detik)."
        )
