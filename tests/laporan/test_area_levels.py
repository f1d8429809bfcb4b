"""Area tables and charts show only whole areas of the user's scope: a kelurahan operator gets no
'Per kecamatan' bar named 'Pesantren' that holds only its kelurahan, nor a partial puskesmas."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.laporan.helpers import expected, random_city, refresh_figures
from tpps import formatting
from tpps.models import Kelurahan, Puskesmas
from tpps.periods import Periode
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


@pytest.mark.django_db
def test_puskesmas_rows_open_the_dashboard_of_their_working_area(client_for, users, city):
    pesantren_i = Puskesmas.objects.get(nama="Pesantren I")
    area = set(pesantren_i.kelurahan.values_list("id", flat=True))
    client = client_for(users["pimpinan"])
    params = {"tahun": 2025, "periode": "th"}
    city_html = client.get(reverse("laporan:index"), params).content.decode()
    assert re.search(rf'<a href="\?tahun=2025&(amp;)?periode=[a-z0-9]+&(amp;)?puskesmas={pesantren_i.pk}"', city_html)
    html = client.get(reverse("laporan:index"), {**params, "puskesmas": pesantren_i.pk}).content.decode()
    year = Periode("tahun", 2025, 1)
    want = expected(year.mulai, year.akhir, area)
    assert re.search(r'data-angka="stunting">([^<]*)<', html).group(1).strip() == formatting.angka(want["stunting"])
    assert "Dasbor stunting — Puskesmas Pesantren I" in html
    # Its kelurahan only, no kecamatan or puskesmas table; the export follows the page.
    assert 'id="tabel-kelurahan"' in html and 'id="tabel-kecamatan"' not in html and 'id="tabel-puskesmas"' not in html
    names = set(Kelurahan.objects.filter(id__in=area).values_list("nama", flat=True))
    csv = client.get(reverse("laporan:ekspor", args=["kelurahan", "csv"]),
                     {**params, "puskesmas": pesantren_i.pk}).content.decode("utf-8-sig")
    listed = {line.split(",")[0].strip('"') for line in csv.splitlines()}
    assert names <= listed and "Betet" not in listed and "Bandar Lor" not in listed
    # An HTMX swap of the filters keeps the puskesmas.
    swap = client.get(reverse("laporan:index"), {**params, "puskesmas": pesantren_i.pk},
                      headers={"HX-Request": "true"}).content.decode()
    assert f'name="puskesmas" value="{pesantren_i.pk}"' in swap
