"""Static files as production (and `make run`) serves them: collected under content-hashed names,
each with gzip and brotli variants next to it, served by WhiteNoise with a cache lifetime of ten
years (`immutable`), so a browser fetches the chart bundle once, compressed."""

from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client

PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
TEN_YEARS = "max-age=315360000"


def test_hashed_names_are_compressed_and_cached_for_years(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = PRODUCTION_STORAGES
    # Django's own admin files are not ours to test and cost most of the compressing time.
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin/*"])

    tag = render_to_string("plotly.html")
    url = tag.split('src="')[1].split('"')[0]
    assert url.startswith("/static/vendor/plotly/plotly-basic.min.") and url.endswith(".js") and url.count(".") == 3
    hashed = settings.STATIC_ROOT / url.removeprefix("/static/")
    assert hashed.with_name(hashed.name + ".gz").exists() and hashed.with_name(hashed.name + ".br").exists()
    assert hashed.with_name(hashed.name + ".br").stat().st_size < 400_000  # 1.2 MB as sent: ~330 KB

    client = Client()  # a new handler: WhiteNoise reads the settings above when it starts
    for accept, encoding in (("br, gzip", "br"), ("gzip", "gzip")):
        response = client.get(url, HTTP_ACCEPT_ENCODING=accept)
        assert response.status_code == 200
        assert response["Content-Encoding"] == encoding
        assert TEN_YEARS in response["Cache-Control"] and "immutable" in response["Cache-Control"]
        assert "Accept-Encoding" in response["Vary"]
    css = client.get(render_to_string("base.html").split('rel="stylesheet" href="')[1].split('"')[0],
                     HTTP_ACCEPT_ENCODING="br")
    assert css.status_code == 200 and TEN_YEARS in css["Cache-Control"] and css["Content-Encoding"] == "br"
    # An unhashed name (no page links one) may change under the same name: short lifetime.
    plain = client.get("/static/vendor/plotly/plotly-basic.min.js")
    assert plain.status_code == 200 and "immutable" not in plain["Cache-Control"]
