"""Every figure read (dashboard, stunting register, indicator card) costs the same number of SQL
queries whatever the number of children."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse


from tests.factories import kelurahan
from tests.laporan.helpers import random_city, refresh_figures

# The dashboard's budget: its figures, the cards of konvergensi, GENTING, kasus, rekomendasi, ibu hamil
# and sasaran hulu (ASI, catin, TTD, KRS), each a fixed number of queries whatever the data.
MAX_QUERIES = 50


def count_queries(client, url, params, **headers):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params, **headers)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_data(client_for, users, django_assert_max_num_queries):
    client = client_for(users["pimpinan"])
    url = reverse("laporan:index")
    params = {"tahun": 2025, "periode": "t3"}
    register, card = reverse("balita:stunting"), {**params, "bagian": "indikator"}
    random_city(seed=51, children=5, kelurahan_names=["Betet"])
    refresh_figures()
    client.get(url, params)  # warm caches (content types, sessions)
    small = count_queries(client, url, params)
    small_htmx = count_queries(client, url, params, HTTP_HX_REQUEST="true")
    small_reads = [count_queries(client, register, params), count_queries(client, url, card, HTTP_HX_REQUEST="true")]

    random_city(seed=52, children=120, kelurahan_names=["Betet", "Semampir", "Mrican", "Bangsal", "Dermo", "Pocanan"])
    refresh_figures()
    large = count_queries(client, url, params)
    large_htmx = count_queries(client, url, params, HTTP_HX_REQUEST="true")
    assert (small, small_htmx) == (large, large_htmx)
    large_reads = [count_queries(client, register, params), count_queries(client, url, card, HTTP_HX_REQUEST="true")]
    assert small_reads == large_reads
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url, params)
    kelurahan_page = reverse("laporan:kelurahan", args=[kelurahan("Betet").pk])
    with django_assert_max_num_queries(20):
        client.get(kelurahan_page, params)
