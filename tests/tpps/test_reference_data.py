"""The areas of Kota Kediri are complete after `migrate` (data migration, no demo needed)."""

from django.db.models import Count

from tpps.models import Kecamatan, Kelurahan, LokusKelurahan, Opd, Puskesmas


def test_three_kecamatan_and_46_kelurahan(db):
    assert list(Kecamatan.objects.values_list("kode", "nama")) == [
        ("35.71.01", "Mojoroto"),
        ("35.71.02", "Kota"),
        ("35.71.03", "Pesantren"),
    ]
    counts = dict(Kecamatan.objects.annotate(n=Count("kelurahan")).values_list("nama", "n"))
    assert counts == {"Mojoroto": 14, "Kota": 17, "Pesantren": 15}
    assert Kelurahan.objects.count() == 46


def test_kemendagri_codes_follow_the_published_order(db):
    assert Kelurahan.objects.get(nama="Bandar Lor").kode == "35.71.01.1001"
    assert Kelurahan.objects.get(nama="Tamanan").kode == "35.71.01.1014"
    assert Kelurahan.objects.get(nama="Rejomulyo").kode == "35.71.02.1017"
    assert Kelurahan.objects.get(nama="Burengan").kode == "35.71.03.1015"


def test_nine_puskesmas_cover_every_kelurahan_exactly_once(db):
    assert Puskesmas.objects.count() == 9
    served = Kelurahan.objects.annotate(n=Count("puskesmas"))
    assert sorted({k.n for k in served}) == [1]
    for puskesmas in Puskesmas.objects.prefetch_related("kelurahan"):
        assert {k.kecamatan_id for k in puskesmas.kelurahan.all()} == {puskesmas.kecamatan_id}


def test_ten_lokus_kelurahan_marked_for_2024_and_2025(db):
    for tahun in (2024, 2025):
        names = set(LokusKelurahan.objects.filter(tahun=tahun).values_list("kelurahan__nama", flat=True))
        assert names == {
            "Betet", "Banaran", "Pesantren", "Gayam", "Blabak", "Banjar Mlati", "Ngletih",
            "Rejomulyo", "Manisrenggo", "Mrican",
        }
    assert Kelurahan.objects.get(nama="Betet").is_lokus(2025)
    assert not Kelurahan.objects.get(nama="Semampir").is_lokus(2025)


def test_opd_of_the_tpps_are_loaded(db):
    assert {"dp3ap2kb", "dinkes", "bappeda", "dinsos", "dpupr", "kemenag"} <= set(Opd.objects.values_list("kode", flat=True))
