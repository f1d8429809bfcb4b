"""Full page or HTMX partial: one helper (tpps.htmx.render_page) decides, in every view."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from laporan.models import PaketEvaluasi

ROOT = Path(__file__).resolve().parents[2]
APPS = ["balita", "genting", "konvergensi", "laporan", "rekomendasi", "tpps"]
HX = {"HTTP_HX_REQUEST": "true"}


def _sources():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts and path.name != "htmx.py":
                yield path, path.read_text()


def test_no_view_chooses_its_partial_itself():
    offenders = []
    for path, text in _sources():
        if re.search(r"from django\.shortcuts import [^\n]*\brender\b", text):
            offenders.append(f"{path}: imports django's render (use tpps.htmx.render_page)")
        if re.search(r"\.html#\w+", text):
            offenders.append(f"{path}: names a partial itself (pass partial= to render_page)")
    assert offenders == []


@pytest.mark.django_db
def test_page_partial_and_polled_row(client_for, users):
    pack = PaketEvaluasi.objects.create(tahun=2025, dibuat_oleh=users["admin"])
    client = client_for(users["operator"])
    page = client.get(reverse("laporan:paket")).content.decode()
    partial = client.get(reverse("laporan:paket"), **HX).content.decode()
    assert "<html" in page and 'id="daftar-paket"' in page
    assert "<html" not in partial and 'id="daftar-paket"' in partial
    # An endpoint only HTMX polls answers with the row whoever asks.
    row = client.get(reverse("laporan:paket_status", args=[pack.pk])).content.decode()
    assert "<html" not in row and row.strip().startswith(f'<tr id="paket-{pack.pk}"')


@pytest.mark.django_db
def test_refused_form_is_422_for_htmx_and_200_for_a_plain_post(client_for, users):
    client = client_for(users["operator"])
    data = {"nama": ""}  # a foster parent without a name
    assert client.post(reverse("genting:ota_create"), data).status_code == 200
    assert client.post(reverse("genting:ota_create"), data, **HX).status_code == 422
