"""Pages of ibu hamil as each role: who sees which pregnancies, masked names, who may enter, the
child's page in balita showing the mother's pregnancy, errors in Indonesian."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from balita.models import Anak
from ibuhamil.models import Kehamilan, KunjunganAnc
from tests.balita.conftest import make_anak
from tests.ibuhamil.helpers import birth, make_kehamilan, visit
from tests.factories import kelurahan, make_user
from tpps.roles import Role

pytestmark = pytest.mark.django_db
HPHT = datetime.date(2025, 1, 10)


@pytest.fixture
def two():
    inside = make_kehamilan("Pesantren", nama="Siti Pesantren", nik="3571035505950001", hpht=HPHT)
    outside = make_kehamilan("Betet", nama="Rina Betet", hpht=HPHT)
    return inside, outside


@pytest.mark.parametrize("role, sees, masked", [
    ("admin", {"Siti Pesantren", "Rina Betet"}, False),
    ("operator", {"Siti Pesantren", "Rina Betet"}, False),
    ("wilayah", {"Siti Pesantren"}, False),
    ("opd", {"Siti Pesantren", "Rina Betet"}, True),
    ("pimpinan", {"Siti Pesantren", "Rina Betet"}, True),
])
def test_the_list_shows_each_role_its_rows_names_masked_for_readers(users, client_for, two, role, sees, masked):
    page = client_for(users[role]).get(reverse("ibuhamil:index")).content.decode()
    for name in ("Siti Pesantren", "Rina Betet"):
        plain = name in page
        hidden = " ".join(f"{w[0]}***" for w in name.split()) in page
        if name in sees:
            assert (hidden and not plain) if masked else plain, (role, name)
        else:
            assert not plain and not hidden, (role, name)
    # The detail page: NIK masked for readers.
    detail = client_for(users[role]).get(reverse("ibuhamil:detail", args=[two[0].pk])).content.decode()
    assert ("3571 •••• •••• ••••" in detail) == masked and ("3571035505950001" in detail) == (not masked)


def test_outsiders_and_other_areas_are_refused(users, client_for, two):
    assert client_for(users["outsider"]).get(reverse("ibuhamil:index")).status_code == 403
    wilayah = client_for(users["wilayah"])
    assert wilayah.get(reverse("ibuhamil:detail", args=[two[1].pk])).status_code == 404
    response = wilayah.post(reverse("ibuhamil:kunjungan_create", args=[two[1].pk]),
                            {"kunjungan-tanggal": "2025-03-01"})
    assert response.status_code == 404 and not KunjunganAnc.objects.exists()
    bappeda = make_user("u_bappeda", (Role.OPD, {"opd": "bappeda"}))
    for user in (bappeda, users["pimpinan"]):
        response = client_for(user).post(reverse("ibuhamil:kunjungan_create", args=[two[0].pk]),
                                         {"kunjungan-tanggal": "2025-03-01"})
        assert response.status_code == 403
    assert not KunjunganAnc.objects.exists()
    # An OPD other than the health office records no pregnancy: the pages to enter one are refused.
    for name in ("ibuhamil:baru", "ibuhamil:impor", "ibuhamil:templat"):
        assert client_for(bappeda).get(reverse(name)).status_code == 403, name


def test_filters_by_kelurahan_and_risk(users, client_for, two):
    visit(two[0], datetime.date(2025, 3, 1), lila=22)
    client = client_for(users["admin"])
    page = client.get(reverse("ibuhamil:index"), {"risiko": "kek"}).content.decode()
    assert "Siti Pesantren" in page and "Rina Betet" not in page
    page = client.get(reverse("ibuhamil:index"), {"kelurahan": kelurahan("Betet").pk}).content.decode()
    assert "Rina Betet" in page and "Siti Pesantren" not in page
    page = client.get(reverse("ibuhamil:index"), {"q": "rina"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Rina Betet" in page and "<h1>" not in page  # the HTMX partial


def test_the_wilayah_operator_records_a_pregnancy_and_a_visit(users, client_for):
    client = client_for(users["wilayah"])
    form = client.get(reverse("ibuhamil:baru")).context["form"]
    token = form["kiriman"].value()
    response = client.post(reverse("ibuhamil:baru"), {
        "kiriman": token, "nama": "Ani Wijaya", "nik": "", "tanggal_lahir": "2008-02-01", "alamat": "Jl. Melati",
        "kelurahan": kelurahan("Pesantren").pk, "hpht": "2025-02-01", "jumlah_persalinan": "0"})
    kehamilan = Kehamilan.objects.get(nama="Ani Wijaya")
    assert response.status_code == 302 and kehamilan.risiko == ["muda"] and kehamilan.hpl == datetime.date(2025, 11, 8)
    # Outside the area: the form refuses, in Indonesian, and stores nothing.
    response = client.post(reverse("ibuhamil:baru"), {
        "nama": "Bu Betet", "tanggal_lahir": "1990-01-01", "kelurahan": kelurahan("Betet").pk, "hpht": "2025-02-01",
        "jumlah_persalinan": "0"})
    assert "Pilihan ini tidak tersedia bagi Anda" in response.content.decode()
    assert not Kehamilan.objects.filter(nama="Bu Betet").exists()
    detail = reverse("ibuhamil:detail", args=[kehamilan.pk])
    page = client.get(detail)
    token = page.context["kunjungan_form"]["kiriman"].value()
    response = client.post(reverse("ibuhamil:kunjungan_create", args=[kehamilan.pk]),
                           {"kunjungan-kiriman": token, "kunjungan-tanggal": "2025-01-15", "kunjungan-lila": "22,5"})
    assert "sebelum HPHT" in response.content.decode() and not KunjunganAnc.objects.exists()
    response = client.post(reverse("ibuhamil:kunjungan_create", args=[kehamilan.pk]),
                           {"kunjungan-kiriman": token, "kunjungan-tanggal": "2025-03-15", "kunjungan-lila": "22,5",
                            "kunjungan-hb": "10,5", "kunjungan-ttd_kumulatif": "30"})
    assert response.status_code == 302
    kehamilan.refresh_from_db()
    assert kehamilan.kek and kehamilan.anemia and kehamilan.ttd == 30
    # The same post again stores nothing twice.
    client.post(reverse("ibuhamil:kunjungan_create", args=[kehamilan.pk]),
                {"kunjungan-kiriman": token, "kunjungan-tanggal": "2025-03-15", "kunjungan-lila": "22,5"})
    assert KunjunganAnc.objects.count() == 1


def test_the_childs_page_shows_the_mothers_pregnancy(users, client_for):
    k = make_kehamilan(nama="Dewi Lestari", hpht=HPHT)
    visit(k, datetime.date(2025, 3, 1), lila=23, hb=10.8, ttd=95)
    k = birth(k, datetime.date(2025, 10, 12), berat=2300, panjang=46, sex="L", nama="Bima")
    page = client_for(users["wilayah"]).get(reverse("balita:anak_detail", args=[k.anak_id])).content.decode()
    assert 'id="kehamilan-ibu"' in page and "Dewi Lestari" in page and "BBLR" in page and "PBLR" in page
    page = client_for(users["pimpinan"]).get(reverse("balita:anak_detail", args=[k.anak_id])).content.decode()
    assert 'id="kehamilan-ibu"' in page and "Dewi Lestari" not in page and "D*** L***" in page


def test_overview_and_dashboard_card(users, client_for):
    k = make_kehamilan(hpht=HPHT)
    visit(k, datetime.date(2025, 3, 1), lila=22, ttd=95)
    birth(k, datetime.date(2025, 10, 12), berat=2300, sex="L")
    page = client_for(users["pimpinan"]).get(reverse("ibuhamil:ringkasan"), {"tahun": 2025}).content.decode()
    assert 'id="indikator-bumil"' in page and "Ibu hamil yang mengonsumsi minimal 90 tablet TTD" in page
    dash = client_for(users["pimpinan"]).get(reverse("laporan:index"), {"tahun": 2025}).content.decode()
    assert 'id="ringkas-ibuhamil"' in dash


def test_a_newborn_held_for_review_is_decided_on_the_page(users, client_for):
    stored = make_anak("Pesantren", nama="Raka", jenis_kelamin="L", tanggal_lahir=datetime.date(2025, 10, 12),
                       nama_ibu="Dewi Lestari", berat_lahir=Decimal("3.20"))
    k = birth(make_kehamilan(nama="Dewi Lestari", hpht=HPHT), datetime.date(2025, 10, 12), berat=3100, sex="L")
    assert k.tautan == "tinjau"
    client = client_for(users["wilayah"])
    page = client.get(reverse("ibuhamil:detail", args=[k.pk])).content.decode()
    assert 'id="tinjau-bayi"' in page and "Raka" in page and "berat lahir" in page
    # "Same" without choosing a child: an Indonesian error, nothing linked.
    response = client.post(reverse("ibuhamil:keputusan_bayi", args=[k.pk]), {"keputusan": "sama"})
    assert "Pilih data balita" in response.content.decode()
    k.refresh_from_db()
    assert k.anak_id is None
    client.post(reverse("ibuhamil:keputusan_bayi", args=[k.pk]), {"keputusan": "sama", "anak": stored.pk})
    k.refresh_from_db()
    stored.refresh_from_db()
    assert k.anak_id == stored.pk and k.tautan == "tertaut" and stored.berat_lahir == Decimal("3.20")
    assert Anak.objects.count() == 1


def test_correcting_a_pregnancy_recomputes_hpl_and_risk(users, client_for):
    k = make_kehamilan(hpht=HPHT)
    client = client_for(users["wilayah"])
    response = client.post(reverse("ibuhamil:ubah", args=[k.pk]), {
        "nama": k.nama, "tanggal_lahir": "1985-01-01", "kelurahan": k.kelurahan_id, "hpht": "2025-02-01",
        "jumlah_persalinan": "4"})
    assert response.status_code == 302
    k.refresh_from_db()
    assert k.hpl == datetime.date(2025, 11, 8) and k.risiko == ["tua", "banyak"]
    assert client_for(users["pimpinan"]).get(reverse("ibuhamil:ubah", args=[k.pk])).status_code == 403


def test_the_health_office_records_pregnancies_city_wide_and_the_area_registers_the_baby(users, client_for):
    """OPD Dinkes enters pregnancies in any kelurahan (names masked for it, as for every reader of
    reports); the baby it records waits for balita's own editors, who link or register it."""
    dinkes = client_for(users["opd"])
    page = dinkes.get(reverse("ibuhamil:index")).content.decode()
    assert reverse("ibuhamil:baru") in page  # the entry link is offered
    token = dinkes.get(reverse("ibuhamil:baru")).context["form"]["kiriman"].value()
    response = dinkes.post(reverse("ibuhamil:baru"), {
        "kiriman": token, "nama": "Dewi Betet", "tanggal_lahir": "1995-05-01", "kelurahan": kelurahan("Betet").pk,
        "hpht": HPHT.isoformat(), "jumlah_persalinan": "1", "persalinan_terakhir": "2020-01-01"})
    kehamilan = Kehamilan.objects.get(nama="Dewi Betet")
    assert response.status_code == 302 and kehamilan.kelurahan == kelurahan("Betet")
    # Outside the wilayah operator's area (Pesantren I) but within the health office's city.
    assert client_for(users["wilayah"]).get(reverse("ibuhamil:detail", args=[kehamilan.pk])).status_code == 404
    birth(kehamilan, datetime.date(2025, 10, 10), berat=2400, user=users["opd"])
    kehamilan.refresh_from_db()
    assert kehamilan.tautan == "tinjau" and kehamilan.anak is None and "operator wilayah" in kehamilan.catatan_tautan
    assert not Anak.objects.filter(tanggal_lahir=datetime.date(2025, 10, 10)).exists()
    # The secretariat registers the baby in balita: it appears with its mother.
    response = client_for(users["operator"]).post(reverse("ibuhamil:keputusan_bayi", args=[kehamilan.pk]),
                                                  {"keputusan": "baru"})
    assert response.status_code == 302
    kehamilan.refresh_from_db()
    assert kehamilan.tautan == "tertaut" and kehamilan.anak.nama_ibu == "Dewi Betet"
    assert kehamilan.anak.berat_lahir == Decimal("2.40")
