"""Fixtures of the laporan tests."""

from importlib import import_module

import pytest


@pytest.fixture
def reference_data(transactional_db):
    """The migrations' reference data (areas, OPD, kab/kota) in a transactional test.

    `serialized_rollback` normally restores it, but once Playwright has started, Django's
    connection handler hands this thread a fresh connection wrapper without the serialized
    contents (pytest-playwright's greenlet runs in its own context), so a transactional test
    after the first browser test would start from an empty database.
    """
    from django.apps import apps

    from laporan.models import KabKota
    from tpps.models import Kelurahan

    if not Kelurahan.objects.exists():
        import_module("tpps.migrations.0002_wilayah_kota_kediri").load(apps, None)
    if not KabKota.objects.exists():
        import_module("laporan.migrations.0002_kab_kota_jawa_timur").load(apps, None)
