"""The management area (/kelola/): Admin only, in Indonesian, every change audited."""

import re

import pytest
from django.urls import reverse
from pghistory.models import Events

from tests.factories import PASSWORD, kelurahan, make_posyandu, make_user
from tests.test_url_walk import all_patterns, sample_url
from tpps.models import LokusKelurahan, Opd, Penugasan, Posyandu, User
from tpps.roles import Role

NON_ADMINS = ("operator", "opd", "wilayah", "pimpinan", "outsider")
NEW_PASSWORD = "Posyandu-Betet-2025"


def kelola_urls(users):
    return [sample_url(name, arguments, users) for name, _, arguments in all_patterns() if name.startswith("kelola:")]


def events(model, obj_id, peristiwa=None):
    rows = Events.objects.filter(pgh_model=f"tpps.{model}Event", pgh_obj_id=str(obj_id))
    if peristiwa:
        rows = rows.filter(pgh_context__peristiwa=peristiwa)
    return rows


@pytest.mark.parametrize("role", NON_ADMINS)
def test_every_management_page_refuses_other_roles_with_a_clean_403(client_for, users, role):
    client = client_for(users[role])
    urls = kelola_urls(users)
    assert len(urls) >= 15
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 403, f"{role} {method} {url} -> {response.status_code}"
            assert "Akses ditolak" in response.content.decode()


def test_every_management_page_opens_for_admin(client_for, users):
    client = client_for(users["admin"])
    for url in kelola_urls(users):
        assert client.get(url).status_code in {200, 302}, url


@pytest.mark.parametrize("role", NON_ADMINS)
def test_old_loop_case_is_a_403_for_non_admins(client_for, users, role):
    client = client_for(users[role])
    for url in ("/kelola/", "/kelola/lanjutan/", "/kelola/lanjutan/login/", "/kelola/lanjutan/tpps/posyandu/"):
        response = client.get(url)
        assert response.status_code == 403, f"{url} -> {response.status_code}"
        assert "Akses ditolak" in response.content.decode()


def test_advanced_site_is_the_fallback_for_admin_in_indonesian_without_daily_noise(client_for, users):
    page = client_for(users["admin"]).get(reverse("admin:index")).content.decode()
    assert reverse("admin:index") == "/kelola/lanjutan/"
    assert "Pengelolaan lanjutan" in page
    assert "Posyandu" in page
    for hidden in ("Axes", "Access attempts", "Task results", "Tasks database", "Grup"):
        assert hidden.lower() not in page.lower(), hidden


def test_first_superuser_reaches_the_advanced_site_to_give_itself_the_admin_role(client_for, db):
    root = User.objects.create_superuser("root", password=PASSWORD)
    client = client_for(root)
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("kelola:index")).status_code == 403  # the new area follows roles only
    Penugasan.objects.create(user=root, peran=Role.ADMIN)
    assert client.get(reverse("kelola:index")).status_code == 200


def test_anonymous_goes_to_the_app_login(client, db):
    for url in ("/kelola/", "/kelola/pengguna/", "/kelola/lanjutan/"):
        final = client.get(url, follow=True).redirect_chain[-1][0]
        assert final.startswith(reverse("login")), url


def test_menu_pengelolaan_points_to_the_new_area(client_for, users):
    page = client_for(users["admin"]).get(reverse("home")).content.decode()
    assert f'href="{reverse("kelola:index")}"' in page
    assert f'href="{reverse("admin:index")}"' not in page


# --- users ----------------------------------------------------------------------------------------

def test_admin_creates_a_user_with_an_assignment(client_for, users):
    client = client_for(users["admin"])
    response = client.post(reverse("kelola:pengguna_baru"), {
        "username": "bidan.betet", "first_name": "Sri", "last_name": "Wahyuni", "email": "",
        "kata_sandi1": NEW_PASSWORD, "kata_sandi2": NEW_PASSWORD,
        "penugasan-peran": Role.WILAYAH, "penugasan-kelurahan": kelurahan("Betet").pk,
    })
    user = User.objects.get(username="bidan.betet")
    assert response.status_code == 302 and response["Location"] == reverse("kelola:pengguna_detail", args=[user.pk])
    assert user.is_active and user.check_password(NEW_PASSWORD) and user.get_full_name() == "Sri Wahyuni"
    assert [(a.peran, a.kelurahan.nama) for a in user.penugasan.all()] == [(Role.WILAYAH, "Betet")]
    created = events("User", user.pk, "tambah_pengguna").get()
    assert created.pgh_context["user"] == users["admin"].pk
    assert events("Penugasan", user.penugasan.get().pk, "tambah_pengguna").exists()
    # The new user can log in with that password.
    client.logout()
    assert client.post(reverse("login"), {"username": "bidan.betet", "password": NEW_PASSWORD}).status_code == 302


def test_new_user_errors_are_in_indonesian(client_for, users):
    client = client_for(users["admin"])
    response = client.post(reverse("kelola:pengguna_baru"), {
        "username": "u_operator", "first_name": "", "kata_sandi1": "pendek", "kata_sandi2": "pendek",
        "penugasan-peran": Role.OPD,
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "Periksa isian yang ditandai merah" in page
    assert "tidak boleh kosong" in page  # first name required (Django's Indonesian message)
    assert "terlalu pendek" in page  # Django's password validators, in Indonesian
    assert User.objects.filter(username__startswith="u_operator").count() == 1

    # Valid account, but a role without the detail it needs: the model's rule, on the right field.
    response = client.post(reverse("kelola:pengguna_baru"), {
        "username": "U_OPERATOR", "first_name": "Budi", "kata_sandi1": NEW_PASSWORD, "kata_sandi2": NEW_PASSWORD,
    })
    assert "Nama pengguna “U_OPERATOR” sudah dipakai." in response.content.decode()
    response = client.post(reverse("kelola:pengguna_baru"), {
        "username": "budi", "first_name": "Budi", "kata_sandi1": NEW_PASSWORD, "kata_sandi2": NEW_PASSWORD,
        "penugasan-peran": Role.OPD,
    })
    assert "Peran OPD harus memilih OPD." in response.content.decode()
    assert not User.objects.filter(username="budi").exists()  # nothing half-created


def test_list_searches_by_name_and_filters_by_role(client_for, users):
    make_user("bu.ani", (Role.WILAYAH, {"kelurahan": "Betet"}))
    client = client_for(users["admin"])
    page = client.get(reverse("kelola:pengguna_list"), {"q": "ani"}).content.decode()
    assert "bu.ani" in page and "u_operator" not in page
    rows = client.get(reverse("kelola:pengguna_list"), {"peran": Role.OPD}, headers={"HX-Request": "true"})
    body = rows.content.decode()
    assert "<html" not in body and "u_dinkes" in body and "bu.ani" not in body
    assert "u_outsider" in client.get(reverse("kelola:pengguna_list"), {"peran": "tanpa"}).content.decode()


def test_admin_edits_a_user_and_sets_a_password(client_for, users):
    target = users["pimpinan"]
    client = client_for(users["admin"])
    response = client.post(reverse("kelola:pengguna_detail", args=[target.pk]),
                           {"username": "sekda", "first_name": "Pak", "last_name": "Sekda", "email": "sekda@contoh.id"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.username, target.get_full_name()) == ("sekda", "Pak Sekda")
    assert events("User", target.pk, "ubah_pengguna").exists()

    mismatch = client.post(reverse("kelola:pengguna_kata_sandi", args=[target.pk]),
                           {"kata_sandi1": NEW_PASSWORD, "kata_sandi2": NEW_PASSWORD + "x"})
    assert "Kedua kata sandi tidak sama." in mismatch.content.decode()
    similar = client.post(reverse("kelola:pengguna_kata_sandi", args=[target.pk]),
                          {"kata_sandi1": "sekda@contoh.id", "kata_sandi2": "sekda@contoh.id"})
    assert "terlalu mirip dengan alamat email" in similar.content.decode()  # UserAttributeSimilarityValidator, in Indonesian
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    done = client.post(reverse("kelola:pengguna_kata_sandi", args=[target.pk]),
                       {"kata_sandi1": NEW_PASSWORD, "kata_sandi2": NEW_PASSWORD})
    assert done.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    reset = events("User", target.pk, "atur_kata_sandi").get()
    assert reset.pgh_label == "kata_sandi_diatur" and "password" not in reset.pgh_data
    assert reset.pgh_context["user"] == users["admin"].pk


def test_assignments_are_added_and_removed_inline(client_for, users):
    target = users["pimpinan"]
    client = client_for(users["admin"])
    url = reverse("kelola:penugasan_tambah", args=[target.pk])
    htmx = {"HX-Request": "true"}
    response = client.post(url, {"penugasan-peran": Role.OPD, "penugasan-opd": Opd.objects.get(kode="dinkes").pk}, headers=htmx)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "Dinas Kesehatan" in body
    added = target.penugasan.get(peran=Role.OPD)
    assert events("Penugasan", added.pk, "tambah_penugasan").exists()

    refused = client.post(url, {"penugasan-peran": Role.WILAYAH}, headers=htmx)
    assert refused.status_code == 422
    assert "Operator wilayah memilih satu puskesmas atau satu kelurahan." in refused.content.decode()
    twice = client.post(url, {"penugasan-peran": Role.OPD, "penugasan-opd": added.opd_id}, headers=htmx)
    assert twice.status_code == 422 and "sudah memiliki penugasan" in twice.content.decode()

    removed = client.post(reverse("kelola:penugasan_hapus", args=[added.pk]), headers=htmx)
    # The assignments table (the add form's OPD picker still offers Dinkes, without JavaScript).
    table = re.search(r"<table.*?</table>|$", removed.content.decode(), re.S).group(0)
    assert removed.status_code == 200 and "Dinas Kesehatan" not in table
    assert not Penugasan.objects.filter(pk=added.pk).exists()
    assert events("Penugasan", added.pk, "hapus_penugasan").exists()


def test_deactivate_instead_of_delete_and_the_account_cannot_log_in(client, client_for, users):
    target = users["operator"]
    admin = client_for(users["admin"])
    response = admin.post(reverse("kelola:pengguna_status", args=[target.pk]), {"aktif": "0"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_active and User.objects.filter(pk=target.pk).exists()
    event = events("User", target.pk, "nonaktifkan_pengguna").get()
    assert event.pgh_diff["is_active"] == [True, False]
    admin.post(reverse("kelola:pengguna_status", args=[target.pk]), {"aktif": "1"})
    target.refresh_from_db()
    assert target.is_active


def test_admin_cannot_lock_themselves_or_the_city_out(client_for, users):
    admin_user = users["admin"]
    client = client_for(admin_user)
    page = client.post(reverse("kelola:pengguna_status", args=[admin_user.pk]), {"aktif": "0"}, follow=True)
    assert "tidak dapat menonaktifkan akun Anda sendiri" in page.content.decode()
    own_admin = admin_user.penugasan.get(peran=Role.ADMIN)
    refused = client.post(reverse("kelola:penugasan_hapus", args=[own_admin.pk]), headers={"HX-Request": "true"})
    assert "tidak dapat mencabut peran Admin Anda sendiri" in refused.content.decode()
    admin_user.refresh_from_db()
    assert admin_user.is_active and admin_user.penugasan.filter(peran=Role.ADMIN).exists()


# --- reference data ---------------------------------------------------------------------------

def test_posyandu_add_rename_and_deactivate(client_for, users):
    client = client_for(users["admin"])
    betet = kelurahan("Betet")
    response = client.post(reverse("kelola:posyandu_baru"), {"kelurahan": betet.pk, "nama": "  Kenanga   Baru "})
    assert response.status_code == 302
    posyandu = Posyandu.objects.get(kelurahan=betet, nama="Kenanga Baru")
    assert events("Posyandu", posyandu.pk, "tambah_posyandu").exists()

    listed = client.get(reverse("kelola:posyandu_list"), {"kelurahan": betet.pk}, headers={"HX-Request": "true"})
    assert "Kenanga Baru" in listed.content.decode()

    response = client.post(reverse("kelola:posyandu_ubah", args=[posyandu.pk]), {"nama": "Kenanga 2", "aktif": "on"})
    assert response.status_code == 302
    posyandu.refresh_from_db()
    assert posyandu.nama == "Kenanga 2" and posyandu.aktif
    assert events("Posyandu", posyandu.pk, "ubah_posyandu").get().pgh_diff["nama"] == ["Kenanga Baru", "Kenanga 2"]

    client.post(reverse("kelola:posyandu_ubah", args=[posyandu.pk]), {"nama": "Kenanga 2"})
    posyandu.refresh_from_db()
    assert not posyandu.aktif
    assert events("Posyandu", posyandu.pk, "nonaktifkan_posyandu").exists()


def test_posyandu_duplicate_name_is_refused_in_indonesian(client_for, users):
    make_posyandu("Betet", "Melati")
    other = make_posyandu("Betet", "Mawar")
    client = client_for(users["admin"])
    response = client.post(reverse("kelola:posyandu_baru"), {"kelurahan": kelurahan("Betet").pk, "nama": "melati"})
    assert "Posyandu melati sudah ada di Kelurahan Betet." in response.content.decode()
    response = client.post(reverse("kelola:posyandu_ubah", args=[other.pk]), {"nama": "Melati", "aktif": "on"})
    assert "sudah ada di Kelurahan Betet" in response.content.decode()
    empty = client.post(reverse("kelola:posyandu_baru"), {"nama": ""}).content.decode()
    assert "tidak boleh kosong" in empty
    # Another kelurahan may have a posyandu of the same name.
    client.post(reverse("kelola:posyandu_baru"), {"kelurahan": kelurahan("Pesantren").pk, "nama": "Melati"})
    assert Posyandu.objects.filter(nama="Melati").count() == 2


def test_lokus_add_copy_and_remove(client_for, users):
    client = client_for(users["admin"])
    betet = kelurahan("Betet")
    client.post(reverse("kelola:lokus"), {"tahun": 2030, "kelurahan": betet.pk})
    row = LokusKelurahan.objects.get(tahun=2030, kelurahan=betet)
    assert events("LokusKelurahan", row.pk, "tambah_lokus").exists()
    again = client.post(reverse("kelola:lokus"), {"tahun": 2030, "kelurahan": betet.pk})
    assert "Kelurahan Betet sudah menjadi lokus tahun 2030." in again.content.decode()
    client.post(reverse("kelola:lokus_salin"), {"tahun": 2031})
    assert list(LokusKelurahan.objects.filter(tahun=2031).values_list("kelurahan__nama", flat=True)) == ["Betet"]
    client.post(reverse("kelola:lokus_hapus", args=[row.pk]))
    assert not LokusKelurahan.objects.filter(pk=row.pk).exists()
    assert events("LokusKelurahan", row.pk, "hapus_lokus").exists()
    page = client.get(reverse("kelola:lokus"), {"tahun": 2031}).content.decode()
    assert "Kelurahan lokus 2031" in page and "Betet" in page


def test_opd_add_and_edit(client_for, users):
    client = client_for(users["admin"])
    response = client.post(reverse("kelola:opd_baru"), {"singkatan": "Disperkim", "nama": "Dinas Perumahan dan Kawasan Permukiman", "kode": "disperkim"})
    assert response.status_code == 302
    opd = Opd.objects.get(kode="disperkim")
    assert events("Opd", opd.pk, "tambah_opd").exists()
    taken = client.post(reverse("kelola:opd_baru"), {"singkatan": "X", "nama": "X", "kode": "dinkes"})
    assert "Kode dinkes sudah dipakai OPD lain." in taken.content.decode()
    client.post(reverse("kelola:opd_ubah", args=[opd.pk]), {"singkatan": "Perkim", "nama": opd.nama, "kode": "lain"})
    opd.refresh_from_db()
    assert (opd.singkatan, opd.kode) == ("Perkim", "disperkim")  # the code stays
    assert "Perkim" in client.get(reverse("kelola:opd_list")).content.decode()
