"""Create forms are stored once (issue 13, item 5): the same form posted twice (same hidden token)
stores one row and the second post answers like the first; a unique constraint hit by a racing
request is the form's Indonesian error, not a 500."""

import re

import pytest
from django.urls import reverse

from balita.models import Anak, Pengukuran
from genting.models import Donasi, JenisTransaksi, Transaksi
from tests.factories import kelurahan
from tests.genting.conftest import kanal, make_ota
from tpps.models import Kiriman

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def token_of(page) -> str:
    return re.search(r'name="kiriman" value="([0-9a-f-]{36})"', page.content.decode()).group(1)


def child_data(token, **extra):
    return {"nama": "Bayi Kembar", "jenis_kelamin": "L", "tanggal_lahir": "2025-01-02", "nama_ibu": "Rina",
            "kelurahan": kelurahan("Pesantren").pk, "nik": "", "kiriman": token, **extra}


def donation_data(ota, token, **extra):
    return {"orang_tua_asuh": ota.pk, "bentuk": "uang", "kanal": kanal().pk, "jumlah": "Rp 250.000",
            "tanggal": "2025-04-01", "referensi": "", "uraian": "", "kiriman": token, **extra}


def test_the_child_form_posted_twice_stores_one_child(client_for, users):
    client = client_for(users["operator"])
    token = token_of(client.get(reverse("balita:anak_baru")))
    first = client.post(reverse("balita:anak_baru"), child_data(token))
    second = client.post(reverse("balita:anak_baru"), child_data(token))
    assert Anak.objects.filter(nama="Bayi Kembar").count() == 1
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    assert "sudah terkirim sebelumnya" in client.get(second["Location"]).content.decode()
    # A new page is a new token: the user may still register a second child on purpose.
    assert token_of(client.get(reverse("balita:anak_baru"))) != token


def test_a_refused_post_keeps_its_token_and_the_corrected_one_stores(client_for, users):
    client = client_for(users["operator"])
    token = token_of(client.get(reverse("balita:anak_baru")))
    refused = client.post(reverse("balita:anak_baru"), child_data(token, nama=""))
    assert refused.status_code == 200 and token_of(refused) == token
    assert client.post(reverse("balita:anak_baru"), child_data(token)).status_code == 302
    assert Anak.objects.filter(nama="Bayi Kembar").count() == 1


def test_a_donation_without_reference_posted_twice_is_stored_once(client_for, users):
    ota = make_ota(nama="Ibu Dermawan")
    client = client_for(users["operator"])
    token = token_of(client.get(reverse("genting:donasi_create")))
    first = client.post(reverse("genting:donasi_create"), donation_data(ota, token))
    second = client.post(reverse("genting:donasi_create"), donation_data(ota, token))
    assert Donasi.objects.count() == 1 and Kiriman.objects.count() == 1
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    # The HTMX entry form: the fresh form carries a new token; a repeat goes where the first went.
    entry = client.post(reverse("genting:donasi_create"), donation_data(ota, "1b4e28ba-2fa1-11d2-883f-0016d3cca427"), **HX)
    assert entry.status_code == 200 and token_of(entry) != "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    repeat = client.post(reverse("genting:donasi_create"), donation_data(ota, "1b4e28ba-2fa1-11d2-883f-0016d3cca427"), **HX)
    assert repeat.status_code == 204 and repeat["HX-Redirect"] == first["Location"]
    assert Donasi.objects.count() == 2


def test_a_post_without_token_still_works(client_for, users):
    client = client_for(users["operator"])
    assert client.post(reverse("balita:anak_baru"), child_data("")).status_code == 302


def insert_before(monkeypatch, manager, insert):
    """The race, simply: another request stores the conflicting row after this request's checks
    passed and before its own insert (the checks ran, found nothing, the insert hits the index)."""
    original = manager.create
    done = []

    def racing(*args, **kwargs):
        if not done:
            done.append(True)
            insert(original)
        return original(*args, **kwargs)

    monkeypatch.setattr(manager, "create", racing)


def test_a_racing_child_with_the_same_nik_is_a_form_error(client_for, users, monkeypatch):
    nik = "3571034101250001"
    client = client_for(users["operator"])
    token = token_of(client.get(reverse("balita:anak_baru")))
    insert_before(monkeypatch, Anak.objects, lambda create: create(
        nama="Anak Lain", nik=nik, jenis_kelamin="P", tanggal_lahir="2025-01-01", kelurahan=kelurahan("Pesantren")))
    response = client.post(reverse("balita:anak_baru"), child_data(token, nik=nik))
    assert response.status_code == 200
    assert "NIK ini baru saja didaftarkan untuk anak lain" in response.content.decode()
    assert not Kiriman.objects.filter(token=token).exists()  # the corrected post may still be sent


def test_a_racing_donation_with_the_same_reference_is_a_form_error(client_for, users, monkeypatch):
    ota = make_ota(nama="Ibu Dermawan")
    client = client_for(users["operator"])
    token = token_of(client.get(reverse("genting:donasi_create")))
    other = {"orang_tua_asuh": ota, "bentuk": "uang", "kanal": kanal(), "tanggal": "2025-04-01", "jumlah": 5000,
             "referensi": "TRF-01", "transaksi": None}
    insert_before(monkeypatch, Donasi.objects, lambda create: create(**{**other, "transaksi": _transaksi()}))
    response = client.post(reverse("genting:donasi_create"), donation_data(ota, token, referensi="TRF-01"))
    assert response.status_code == 200
    assert "Referensi ini baru saja dicatat untuk donasi lain" in response.content.decode()
    assert Donasi.objects.count() == 0  # the whole post was rolled back, ledger entries included


def _transaksi():
    return Transaksi.objects.create(jenis=JenisTransaksi.DONASI, kanal=kanal(), tanggal="2025-04-01")


def measurement_data(token, **extra):
    return {"tanggal": "2025-03-04", "berat": "9,5", "tinggi": "75,0", "cara_ukur": "terlentang", "kiriman": token,
            **extra}


def test_a_measurement_posted_twice_is_stored_once(client_for, users):
    child = Anak.objects.create(nama="Citra", jenis_kelamin="P", tanggal_lahir="2024-01-10",
                                kelurahan=kelurahan("Pesantren"))
    client = client_for(users["operator"])
    url = reverse("balita:pengukuran_baru", args=[child.pk])
    token = token_of(client.get(url))
    first = client.post(url, measurement_data(token))
    second = client.post(url, measurement_data(token))
    assert Pengukuran.objects.filter(anak=child).count() == 1
    assert first.status_code == second.status_code == 302 and second["Location"] == first["Location"]
    assert "sudah terkirim sebelumnya" in client.get(second["Location"]).content.decode()


def test_a_racing_measurement_of_the_same_day_is_a_form_error(client_for, users, monkeypatch):
    child = Anak.objects.create(nama="Citra", jenis_kelamin="P", tanggal_lahir="2024-01-10",
                                kelurahan=kelurahan("Pesantren"))
    client = client_for(users["operator"])
    url = reverse("balita:pengukuran_baru", args=[child.pk])
    token = token_of(client.get(url))
    insert_before(monkeypatch, Pengukuran.objects, lambda create: create(
        anak=child, tanggal="2025-03-04", berat="9.4", tinggi="74.8", umur_hari=419, umur_bulan=13, kelurahan=child.kelurahan))
    response = client.post(url, measurement_data(token))
    assert response.status_code == 422
    assert "baru saja dicatat pengukurannya pada tanggal itu" in response.content.decode()
    assert not Kiriman.objects.filter(token=token).exists()
