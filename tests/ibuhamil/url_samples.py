"""Real objects for the ibuhamil URL patterns in the permission walk (tests/test_url_walk.py): a
pregnancy in Pesantren (inside the walk's operator wilayah area)."""

import datetime

from ibuhamil.models import Kehamilan
from tests.ibuhamil.helpers import make_kehamilan
from tests.url_samples import sample


@sample("ibuhamil:detail")
@sample("ibuhamil:ubah")
@sample("ibuhamil:kunjungan_create")
@sample("ibuhamil:pmt_create")
@sample("ibuhamil:persalinan_create")
@sample("ibuhamil:keputusan_bayi")
def kehamilan(users):
    existing = Kehamilan.objects.filter(nama="Contoh Walk").first()
    return {"pk": (existing or make_kehamilan(nama="Contoh Walk", hpht=datetime.date(2025, 2, 1))).pk}
