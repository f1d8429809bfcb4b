"""Sample URL arguments for the permission walk (tests/test_url_walk.py).

The walk visits every URL pattern. Where a pattern takes arguments, it looks here first:
`BY_NAME` maps a namespaced URL name to a function `(users) -> kwargs` that creates real objects
(so detail pages are really rendered and scope really checked); `BY_KWARG` gives plain values by
argument name. Apps add their entries here as they add views.
"""

import importlib
import uuid

from django.contrib.contenttypes.models import ContentType

BY_NAME = {}

BY_KWARG = {
    "app_label": "tpps",
    "object_id": "1",
    # The "view on site" shortcut of the management site: a real content type.
    "content_type_id": lambda users: ContentType.objects.get(app_label="tpps", model="kelurahan").pk,
    "url": "tidak-ada/",
}

BY_CONVERTER = {
    "IntConverter": 1,
    "StringConverter": "contoh",
    "SlugConverter": "contoh",
    "PathConverter": "contoh/berkas",
    "UUIDConverter": uuid.UUID("00000000-0000-0000-0000-000000000001"),
}


def sample(name):
    """Register a sample-kwargs function for a URL name: @sample("balita:anak_detail")."""

    def register(func):
        BY_NAME[name] = func
        return func

    return register


def load_app_samples():
    """Import tests/<app>/url_samples.py of every app that has one (they register on import)."""
    for app in ("tpps", "balita", "konvergensi", "genting", "rekomendasi", "laporan", "kasus", "panduan", "sasaran", "ibuhamil"):
        module = f"tests.{app}.url_samples"
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as error:
            if error.name != module:
                raise
