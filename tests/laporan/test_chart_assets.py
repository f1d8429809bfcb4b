"""What chart pages send: the vendored partial plotly bundle (never the plotly package's 4.8 MB
file, never a CDN), only on pages that draw a chart, and only trace types the bundle holds."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from balita.charts import age_window, growth_chart
from laporan import demo
from tests.balita.conftest import make_anak, measure
from tests.factories import kelurahan
from tests.laporan.helpers import random_city, refresh_figures

BUNDLE = "vendor/plotly/plotly-basic.min.js"
BUNDLE_FILE = Path(settings.BASE_DIR) / "static" / BUNDLE
# Registered in the basic bundle (checked below against the file itself).
BUNDLE_TRACES = {"scatter", "bar", "pie"}
JSON_BLOCK = re.compile(r'<script[^>]*type="application/json"[^>]*>(.*?)</script>', re.S)


def figures(html: str) -> list[dict]:
    blocks = (json.loads(block) for block in JSON_BLOCK.findall(html))
    return [b for b in blocks if isinstance(b, dict) and "data" in b and "layout" in b]


def plotly_scripts(html: str) -> list[str]:
    return re.findall(r'<script src="([^"]*plotly[^"]*)"', html)


def test_the_vendored_bundle_is_the_partial_build_with_its_licence():
    head = BUNDLE_FILE.read_text()[:200]
    assert "plotly.js (basic - minified) v4.1.1" in head
    assert BUNDLE_FILE.stat().st_size < 1_300_000  # the full plotly.min.js: 4.8 MB
    assert "MIT License" in (BUNDLE_FILE.parent / "LICENSE").read_text()
    registered = set(re.findall(r'moduleType:"trace",name:"(\w+)"', BUNDLE_FILE.read_text()))
    assert registered == BUNDLE_TRACES and {"scatter", "bar"} <= registered
    assert "plotly.js-basic-dist-min@4.1.1" in (BUNDLE_FILE.parent.parent / "README.md").read_text()


@pytest.mark.django_db
def test_chart_pages_load_the_bundle_and_other_pages_do_not(client_for, users):
    random_city(seed=3, children=25)
    refresh_figures()
    demo.load_ranking()
    child = make_anak("Betet", nama="Citra Lestari", tanggal_lahir=datetime.date(2024, 1, 10))
    measure(child, datetime.date(2025, 3, 1), berat=9.0, tinggi=74.0, cara_ukur="terlentang")
    unmeasured = make_anak("Betet", nama="Belum Diukur", tanggal_lahir=datetime.date(2024, 6, 1))
    client = client_for(users["operator"])

    chart_pages = {
        "dasbor": reverse("laporan:index") + "?tahun=2025&periode=th",
        "kelurahan": reverse("laporan:kelurahan", args=[kelurahan("Betet").pk]) + "?tahun=2025&periode=th",
        "peringkat": reverse("laporan:peringkat"),
        "register stunting": reverse("balita:stunting") + "?tahun=2025&periode=th",
        "anak": reverse("balita:anak_detail", args=[child.pk]),
    }
    for name, url in chart_pages.items():
        html = client.get(url).content.decode()
        assert plotly_scripts(html) == [static(BUNDLE)], name
        assert f'<script src="{static(BUNDLE)}" defer>' in html, name
        assert "plotly.min.js" not in html, name
        assert all(src.startswith("/static/") for src in re.findall(r'<script src="([^"]+)"', html)), name  # no CDN
        drawn = figures(html)
        assert drawn, name
        used = {trace.get("type", "scatter") for figure in drawn for trace in figure["data"]}
        assert used <= BUNDLE_TRACES, (name, used)

    other_pages = [
        reverse("home"), reverse("balita:index"), reverse("balita:anak_detail", args=[unmeasured.pk]),
        reverse("laporan:kelurahan", args=[kelurahan("Ketami").pk]),  # no child measured there: no chart
        reverse("genting:index"), reverse("konvergensi:index"),
    ]
    for url in other_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert not plotly_scripts(response.content.decode()), url


def test_growth_charts_show_the_childs_own_ages():
    assert age_window([13.2, 14.1, 15.6]) == (11, 18)
    assert age_window([0.3]) == (0, 6)
    assert age_window([59.5]) == (54, 60)
    assert age_window([]) == (0, 60)

    class Row:
        def __init__(self, days, tinggi):
            self.umur_hari, self.tinggi, self.berat = days, tinggi, None
            self.tanggal = datetime.date(2024, 1, 1) + datetime.timedelta(days=days)

    figure = growth_chart("tbu", "L", [Row(400, 74.0), Row(460, 76.5)], "TB/U", "cm")
    low, high = figure["layout"]["xaxis"]["range"]
    assert (low, high) == (11, 18)
    for line in figure["data"][:-1]:  # the WHO lines stay within the window, so y fits what is shown
        assert low - 0.25 <= min(line["x"]) and max(line["x"]) <= high + 0.25
        assert min(line["x"]) <= low + 0.25 and max(line["x"]) >= high - 0.25
