"""Home page, audit trail and error pages, for each role."""

import re

from django.urls import reverse

from tests.factories import make_posyandu
from tpps.models import Posyandu


def test_home_shows_role_and_area(client_for, users):
    page = client_for(users["wilayah"]).get(reverse("home")).content.decode()
    assert "Operator wilayah" in page
    assert "Puskesmas Pesantren I" in page
    # Links only to what the role may open: no management for a wilayah operator.
    assert reverse("balita:index") in page
    assert reverse("kelola:index") not in page


def test_home_for_admin_links_management_and_audit(client_for, users):
    page = client_for(users["admin"]).get(reverse("home")).content.decode()
    assert "seluruh Kota Kediri" in page
    assert reverse("kelola:index") in page and reverse("audit_log") in page


def test_home_for_user_without_role_explains_what_to_do(client_for, users):
    page = client_for(users["outsider"]).get(reverse("home")).content.decode()
    assert "belum mendapat peran" in page
    assert reverse("balita:index") not in page


def test_opd_user_menu_has_no_children_register(client_for, users):
    page = client_for(users["opd"]).get(reverse("home")).content.decode()
    assert "Dinas Kesehatan" in page
    assert reverse("konvergensi:index") in page
    assert reverse("balita:index") not in page


def test_main_menu_groups_the_1000_day_chain_and_ends_with_the_guide(client_for, users):
    page = client_for(users["operator"]).get(reverse("home")).content.decode()
    nav = re.search(r'<nav class="mainnav"[^>]*>(.*?)</nav>', page, re.S).group(1)
    labels = [re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r"<a [^>]*>(.*?)</a>", nav, re.S)]
    chain = ["Balita", "Ibu hamil", "Sasaran hulu", "Tata laksana gizi"]
    assert labels[0] == "Beranda" and labels[1:5] == chain, labels
    assert labels[-1] == "Panduan" and labels.index("Aksi konvergensi") > labels.index("Tata laksana gizi")


def test_audit_trail_records_who_changed_what(client_for, users):
    admin = client_for(users["admin"])
    posyandu = make_posyandu("Betet", "Melati")
    # A change through the advanced management site is attributed to the admin who made it.
    response = admin.post(
        reverse("admin:tpps_posyandu_change", args=[posyandu.pk]),
        {"nama": "Melati Baru", "kelurahan": posyandu.kelurahan_id, "aktif": "on"},
    )
    assert response.status_code == 302
    assert Posyandu.objects.get(pk=posyandu.pk).nama == "Melati Baru"

    page = admin.get(reverse("audit_log"), {"model": "tpps.Posyandu"}).content.decode()
    assert "Melati Baru" in page
    assert str(users["admin"]) in page
    assert "Ubah" in page and "Posyandu" in page


def test_audit_trail_htmx_filter_returns_the_rows_partial(client_for, users):
    make_posyandu("Betet", "Mawar")
    response = client_for(users["admin"]).get(reverse("audit_log"), {"model": "tpps.Posyandu"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body and "Mawar" in body


def test_audit_trail_is_for_admin_only(client_for, users):
    for role in ("operator", "opd", "wilayah", "pimpinan", "outsider"):
        assert client_for(users[role]).get(reverse("audit_log")).status_code == 403, role


def test_error_pages_are_in_indonesian(client_for, users):
    client = client_for(users["opd"])
    forbidden = client.get(reverse("audit_log"))
    assert "Akses ditolak" in forbidden.content.decode()
    missing = client.get("/tidak-ada-halaman-ini/")
    assert missing.status_code == 404 and "tidak ditemukan" in missing.content.decode()


def test_admin_can_add_a_posyandu_on_the_advanced_management_site(client_for, users):
    from tests.factories import kelurahan

    response = client_for(users["admin"]).post(
        reverse("admin:tpps_posyandu_add"), {"nama": "Kenanga Baru", "kelurahan": kelurahan("Betet").pk, "aktif": "on"}
    )
    assert response.status_code == 302
    assert Posyandu.objects.filter(nama="Kenanga Baru", kelurahan__nama="Betet").exists()
