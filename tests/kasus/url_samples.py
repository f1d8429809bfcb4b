"""Real objects for the kasus URL patterns in the permission walk (tests/test_url_walk.py): a
stunted girl in Pesantren (inside the walk's operator wilayah area) with an open case."""

import datetime

from kasus.models import Kasus
from tests.kasus.helpers import stunted_child
from tests.url_samples import sample


def _case():
    existing = Kasus.objects.filter(anak__nama="Contoh Kasus Walk").first()
    return existing or stunted_child("Pesantren", nama="Contoh Kasus Walk", months=[datetime.date(2025, 5, 5)])[1]


@sample("kasus:detail")
@sample("kasus:langkah_create")
@sample("kasus:intervensi_create")
def kasus(users):
    return {"pk": _case().pk}


@sample("kasus:kunjungan")
def posyandu(users):
    return {"pk": _case().anak.posyandu_id}
