"""Area tables and charts show only whole areas of the user's scope: a kelurahan operator gets no
'Per kecamatan' bar named 'Pesantren' that holds only its kelurahan, nor a partial puskesmas."""

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.laporan.helpers import random_city, refresh_figures
from tpps.roles import Role


@pytest.fixture
def city(db):
    random_city(seed=33, children=40, kelurahan_names=["Betet", "Pesantren", "Banaran", "Bandar Lor"])
    refresh_figures()


@pytest.mark.django_db
def test_kelurahan_operator_sees_only_its_kelurahan_table(client_for, city):
    betet = make_user("u_betet", (Role.WILAYAH, {"kelurahan": "Betet"}))
    html = client_for(betet).get(reverse("laporan:index"), {"tahun": 2025, "periode": "th"}).content.decode()
    assert 'id="judul-kelurahan"' in html
    assert 'id="judul-kecamatan"' not in html and 'id="tabel-kecamatan"' not in html
    assert 'id="judul-puskesmas"' not in html  # Betet's puskesmas serves other kelurahan too
    for level in ("kecamatan", "puskesmas"):
        response = client_for(betet).get(reverse("laporan:ekspor", args=[level, "csv"]), {"tahun": 2025, "periode": "th"})
        assert response.status_code == 404
        htmx = client_for(betet).get(reverse("laporan:index"), {"tahun": 2025, "periode": "th", "level": level},
                                     headers={"HX-Request": "true"}).content.decode()
        assert f'id="tabel-{level}"' not in htmx


@pytest.mark.django_db
def test_puskesmas_operator_sees_its_whole_puskesmas_but_no_kecamatan(client_for, users, city):
    html = client_for(users["wilayah"]).get(reverse("laporan:index"), {"tahun": 2025, "periode": "th"}).content.decode()
    assert 'id="tabel-puskesmas"' in html and "Puskesmas Pesantren I" in html
    assert 'id="tabel-kecamatan"' not in html
    # The city sees every level, and a kecamatan filter cuts no puskesmas out.
    city_html = client_for(users["pimpinan"]).get(reverse("laporan:index"), {"tahun": 2025, "periode": "th"}).content.decode()
    assert all(f'id="tabel-{level}"' in city_html for level in ("kecamatan", "kelurahan", "puskesmas"))
