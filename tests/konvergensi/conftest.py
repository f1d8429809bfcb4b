"""Fixtures for konvergensi tests: private media in a temporary folder, the years' actions,
and an OPD user for Bappeda next to the shared one-user-per-role fixture (Dinkes)."""

import pytest

from konvergensi.models import AksiTahunan
from tests.factories import make_user
from tpps.roles import Role


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def aksi(db):
    """aksi(nomor, tahun=2025) -> AksiTahunan (opened by the data migration)."""

    def get(nomor, tahun=2025):
        return AksiTahunan.objects.select_related("aksi").get(aksi__nomor=nomor, tahun=tahun)

    return get


@pytest.fixture
def bappeda(db):
    return make_user("u_bappeda", (Role.OPD, {"opd": "bappeda"}))
