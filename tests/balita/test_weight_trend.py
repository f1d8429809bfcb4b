"""The weight trend computed before COPY (bulk.weight_trend) is the one the SQL rule stores
(bulk.refresh_weight_trend): compared on the same measurements, boundaries included."""

import datetime
from decimal import Decimal

import pandas as pd

from balita import bulk
from balita.models import Anak, Pengukuran
from tests.factories import kelurahan

# (days after birth, weight): same month twice, a skipped month, Dec -> Jan, exactly the minimum
# gain (200 g from 11 months: 8.2 - 8.0, which floats get wrong), a loss, a missing weight.
VISITS = [
    [(400, "8.00"), (430, "8.20"), (460, "8.30"), (470, "8.90"), (530, "9.10")],
    [(20, "3.40"), (45, "4.30"), (75, None), (105, "5.60"), (140, "5.40"), (170, "6.00")],
]
BIRTHS = [datetime.date(2023, 1, 3), datetime.date(2024, 11, 20)]


def test_python_trend_is_the_sql_trend(db):
    betet = kelurahan("Betet")
    rows = []
    for born, visits in zip(BIRTHS, VISITS):
        anak = Anak.objects.create(nama="Anak", jenis_kelamin="L", tanggal_lahir=born, kelurahan=betet)
        for days, weight in visits:
            day = born + datetime.timedelta(days=days)
            umur_bulan = int(days // (365.25 / 12))
            Pengukuran.objects.create(anak=anak, tanggal=day, berat=None if weight is None else Decimal(weight),
                                      kelurahan=betet, umur_hari=days, umur_bulan=umur_bulan)
            rows.append({"anak_id": anak.id, "tanggal": pd.Timestamp(day), "berat": None if weight is None else float(weight),
                         "umur_bulan": umur_bulan})
    frame = pd.DataFrame(rows).sample(frac=1, random_state=3)  # any order in, the frame's order out
    python = bulk.weight_trend(frame)
    bulk.refresh_weight_trend()
    sql = [dict(Pengukuran.objects.filter(anak_id=a).values_list("tanggal", "naik_bb"))[t.date()]
           for a, t in zip(frame["anak_id"], frame["tanggal"])]
    assert python.tolist() == sql
    assert {"N", "T", ""} <= set(sql)  # every outcome is exercised
