"""Samples for the URL walk: a real role page of the guide."""

from tests.url_samples import sample


@sample("panduan:peran")
def _peran(users):
    return {"peran": "operator"}
