import datetime
from decimal import Decimal

from django.template import Context, Template

from tpps.formatting import angka, bulan_tahun, persen, rupiah, tanggal, waktu


def test_rupiah_and_numbers():
    assert rupiah(1234567) == "Rp 1.234.567"
    assert rupiah(0) == "Rp 0"
    assert rupiah(-5000) == "-Rp 5.000"
    assert rupiah(Decimal("15000")) == "Rp 15.000"
    assert angka(740) == "740"
    assert angka(1000000) == "1.000.000"
    assert angka(4.56, 1) == "4,6"
    assert persen(4.9) == "4,9%"
    assert angka(None) == "–"


def test_indonesian_dates():
    assert tanggal(datetime.date(2024, 5, 24)) == "24 Mei 2024"
    assert tanggal(datetime.date(2023, 12, 1)) == "1 Desember 2023"
    assert bulan_tahun(datetime.date(2024, 8, 17)) == "Agustus 2024"


def test_filters_and_django_formats_in_templates(settings):
    rendered = Template("{{ n|rupiah }} {{ d|tanggal }} {{ d }} {{ big }}").render(
        Context({"n": 1234567, "d": datetime.date(2024, 5, 24), "big": 1234567})
    )
    assert rendered == "Rp 1.234.567 24 Mei 2024 24 Mei 2024 1.234.567"


def test_times_are_shown_in_jakarta_time():
    noon_utc = datetime.datetime(2024, 5, 24, 12, 5, tzinfo=datetime.timezone.utc)
    assert waktu(noon_utc) == "24 Mei 2024, 19.05"
    assert tanggal(datetime.datetime(2024, 5, 24, 20, 0, tzinfo=datetime.timezone.utc)) == "25 Mei 2024"


def test_nip_is_printed_in_its_groups():
    from tpps.formatting import nip

    assert nip("196805121990031007") == "19680512 199003 1 007"
    assert nip("19680512 199003 1 007") == "19680512 199003 1 007"
    assert nip("12345") == "12345"  # not a NIP: unchanged
    assert nip("") == ""
