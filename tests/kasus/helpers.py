"""Children measured to a chosen z-score, so tests script cases through every outcome: sizes are
found by bisection on balita's own engine, then stored through balita's real service (which runs
kasus' hook)."""

import datetime

from balita.growth import engine
from kasus.models import Kasus
from tests.balita.conftest import make_anak, measure

BORN = datetime.date(2024, 1, 10)


def _bisect(fn, low, high, target):
    for _ in range(60):
        mid = (low + high) / 2
        if fn(mid) < target:
            low = mid
        else:
            high = mid
    return round((low + high) / 2, 1)


def sizes(anak, tanggal, tbu=0.0, bbtb=0.0):
    """(weight kg, length/height cm) giving about these TB/U and BB/TB z-scores on `tanggal`."""
    position = "terlentang" if (tanggal - anak.tanggal_lahir).days < 731 else "berdiri"

    def z(index, berat, tinggi):
        return engine.compute_one(jenis_kelamin=anak.jenis_kelamin, tanggal_lahir=anak.tanggal_lahir, tanggal=tanggal,
                                  berat=berat, tinggi=tinggi, cara_ukur=position)[index]

    tinggi = _bisect(lambda t: z("zs_tbu", None, t), 45, 125, tbu)
    berat = round(_bisect(lambda b: z("zs_bbtb", b, tinggi), 2, 30, bbtb), 2)
    return berat, tinggi, position


def measure_z(anak, tanggal, tbu=0.0, bbtb=0.0, user=None):
    berat, tinggi, position = sizes(anak, tanggal, tbu, bbtb)
    extra = {"user": user} if user else {}
    return measure(anak, tanggal, berat=berat, tinggi=tinggi, cara_ukur=position, **extra)


def stunted_child(kelurahan="Pesantren", *, nama="Dewi Lestari", months=(datetime.date(2025, 3, 5),), tbu=-2.6,
                  born=BORN, posyandu="Melati"):
    """A girl measured stunted (TB/U about `tbu`, BB/TB normal) on each date: (anak, her stunting case)."""
    anak = make_anak(kelurahan, nama=nama, tanggal_lahir=born, posyandu=posyandu)
    for day in months:
        measure_z(anak, day, tbu=tbu)
    return anak, Kasus.objects.get(anak=anak, masalah="stunting", hasil="")
