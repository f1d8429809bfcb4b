"""Business events of balita: a measurement on the form, the weight trend (N/T), children
entered and corrected, merging duplicates."""

import datetime
from decimal import Decimal

import pytest

from balita import bulk, services
from balita.growth import engine
from balita.models import Anak, Pengukuran
from tests.balita.conftest import make_anak, measure
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db


def test_record_measurement_stores_the_engines_values(users):
    child = make_anak(jenis_kelamin="L", tanggal_lahir=datetime.date(2023, 5, 2))
    measurement = measure(child, datetime.date(2025, 3, 4), berat=10.2, tinggi=83.4, cara_ukur="berdiri",
                          user=users["operator"])
    expected = engine.compute_one(jenis_kelamin="L", tanggal_lahir=datetime.date(2023, 5, 2),
                                  tanggal=datetime.date(2025, 3, 4), berat=10.2, tinggi=83.4, cara_ukur="berdiri")
    for key in ("zs_tbu", "zs_bbu", "zs_bbtb", "zs_imtu"):
        assert float(getattr(measurement, key)) == expected[key]
    for key in ("umur_hari", "umur_bulan", "kategori_tbu", "kategori_bbu", "flag_tbu"):
        assert getattr(measurement, key) == expected[key]
    assert measurement.kelurahan == child.kelurahan and measurement.posyandu == child.posyandu
    assert measurement.dicatat_oleh == users["operator"] and measurement.sumber == Pengukuran.Sumber.FORM


def test_record_measurement_refuses_impossible_dates():
    child = make_anak(tanggal_lahir=datetime.date(2024, 6, 1))
    with pytest.raises(services.BalitaError, match="sebelum tanggal lahir"):
        measure(child, datetime.date(2024, 5, 1), berat=5)
    with pytest.raises(services.BalitaError, match="masa depan"):
        measure(child, datetime.date.today() + datetime.timedelta(days=1), berat=5)
    measure(child, datetime.date(2024, 9, 1), berat=7.5)
    with pytest.raises(services.BalitaError, match="sudah punya pengukuran"):
        measure(child, datetime.date(2024, 9, 1), berat=7.6)
    assert child.pengukuran.count() == 1


@pytest.mark.parametrize("months_old, gain_grams, expected", [
    (4, 600, "N"),   # KBM 600 g at 4 months
    (4, 590, "T"),
    (13, 200, "N"),  # 200 g from 11 months on
    (13, 100, "T"),
    (13, -300, "T"),
])
def test_weight_trend_uses_the_minimum_gain_for_the_age(months_old, gain_grams, expected):
    born = datetime.date(2024, 1, 15)
    child = make_anak(tanggal_lahir=born)
    first_day = datetime.date(2024 + (months_old - 1) // 12, (months_old - 1) % 12 + 1, 20)
    second_day = datetime.date(2024 + months_old // 12, months_old % 12 + 1, 20)
    measure(child, first_day, berat=8.0)
    second = measure(child, second_day, berat=8.0 + gain_grams / 1000)
    assert second.umur_bulan == months_old
    assert second.naik_bb == expected


def test_weight_trend_needs_a_weighing_in_the_previous_month():
    child = make_anak(tanggal_lahir=datetime.date(2024, 1, 15))
    measure(child, datetime.date(2025, 1, 10), berat=9.0)
    skipped = measure(child, datetime.date(2025, 3, 10), berat=9.8)
    assert skipped.naik_bb == ""
    # Entering the missing February weighing later fills both trends.
    february = measure(child, datetime.date(2025, 2, 10), berat=9.1)
    skipped.refresh_from_db()
    assert february.naik_bb == "T"  # +100 g < 200 g
    assert skipped.naik_bb == "N"  # +700 g


def test_sql_and_bulk_weight_trend_agree_after_an_import(eppgbm_file):
    from tests.balita.conftest import row

    weights = [8.5, 8.8, 8.9, 9.2, 9.25, 9.6]
    rows = [row(**{"Tanggal Pengukuran": f"2025-{m:02d}-05", "Berat": w}) for m, w in enumerate(weights, start=1)]
    services.import_file(eppgbm_file(rows), user=SYSTEM)
    assert bulk.refresh_weight_trend(None) == 0  # the import left nothing to correct
    stored = list(Pengukuran.objects.order_by("tanggal").values_list("naik_bb", "umur_bulan"))
    trend = [naik for naik, _ in stored]
    gains = [round((b - a) * 1000) for a, b in zip(weights, weights[1:])]
    expected = ["N" if gain >= bulk.KBM_GRAMS.get(age, bulk.KBM_DEFAULT) else "T"
                for gain, (_, age) in zip(gains, stored[1:])]
    assert trend[0] == "" and "N" in expected and "T" in expected
    assert trend[1:] == expected


def test_register_child_refuses_duplicates_and_other_areas(users):
    from tpps.models import Kelurahan

    data = {"nama": "Bima Saputra", "jenis_kelamin": "L", "tanggal_lahir": datetime.date(2024, 2, 2),
            "nama_ibu": "Dwi Lestari", "kelurahan": Kelurahan.objects.get(nama="Pesantren"), "nik": "3571030202240001"}
    child = services.register_child(data, users["wilayah"])
    assert child.pk
    with pytest.raises(services.BalitaError, match="NIK ini sudah terdaftar"):
        services.register_child({**data, "nama": "Lain"}, users["wilayah"])
    with pytest.raises(services.BalitaError, match="nama, tanggal lahir, dan nama ibu"):
        services.register_child({**data, "nik": None, "nama": "bima saputra"}, users["wilayah"])
    with pytest.raises(services.BalitaError, match="di luar wilayah kerja"):
        services.register_child({**data, "nik": None, "nama": "X", "kelurahan": Kelurahan.objects.get(nama="Betet")},
                                users["wilayah"])


def test_changing_the_birth_date_recomputes_the_stored_z_scores(users):
    child = make_anak(tanggal_lahir=datetime.date(2024, 1, 10))
    measurement = measure(child, datetime.date(2025, 1, 10), berat=9.0, tinggi=74.0)
    data = {field: getattr(child, field) for field in services.IDENTITY_FORM_FIELDS}
    data["tanggal_lahir"] = datetime.date(2024, 3, 10)
    services.update_child(Anak.objects.get(pk=child.pk), data, users["operator"])
    measurement.refresh_from_db()
    expected = engine.compute_one(jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 3, 10),
                                  tanggal=datetime.date(2025, 1, 10), berat=9.0, tinggi=74.0)
    assert measurement.umur_hari == expected["umur_hari"]
    assert float(measurement.zs_tbu) == expected["zs_tbu"]


def test_merge_moves_measurements_fills_gaps_and_deletes_the_duplicate(users):
    keep = make_anak(nama="Aisyah Putri", nik=None, nama_ibu="")
    other = make_anak(nama="AISYAH PUTRI", nik="3571035001240001", nama_ibu="Siti Rahayu", alamat="Jl. Mawar 1")
    measure(keep, datetime.date(2025, 1, 5), berat=8.9, tinggi=73.5)
    measure(other, datetime.date(2025, 1, 5), berat=9.9, tinggi=70.0)  # same date: keep's measurement stays
    measure(other, datetime.date(2025, 2, 5), berat=9.2, tinggi=74.6)

    merged = services.merge_children(keep, other, users["operator"])

    assert not Anak.objects.filter(pk=other.pk).exists()
    assert merged.nik == "3571035001240001" and merged.nama_ibu == "Siti Rahayu" and merged.alamat == "Jl. Mawar 1"
    weights = dict(merged.pengukuran.values_list("tanggal", "berat"))
    assert weights == {datetime.date(2025, 1, 5): Decimal("8.90"), datetime.date(2025, 2, 5): Decimal("9.20")}
    february = merged.pengukuran.get(tanggal=datetime.date(2025, 2, 5))
    assert february.naik_bb == "N"  # 8.9 -> 9.2 kg, recomputed for the merged history


def test_merge_is_refused_outside_the_area_and_across_sexes(users):
    keep = make_anak("Pesantren")
    elsewhere = make_anak("Betet", nama="Aisyah P")
    with pytest.raises(services.BalitaError, match="wilayah kerja"):
        services.merge_children(keep, elsewhere, users["wilayah"])
    boy = make_anak("Pesantren", nama="Aisyah", jenis_kelamin="L")
    with pytest.raises(services.BalitaError, match="Jenis kelamin"):
        services.merge_children(keep, boy, users["operator"])
    assert Anak.objects.count() == 3
