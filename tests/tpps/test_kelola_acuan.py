"""The management area's areas, puskesmas working areas, indicator catalogue, deletes of
reference data and login lockouts: Indonesian pages, searchable lists, clear refusals, audited."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from balita.models import Anak
from konvergensi import services as konvergensi_services
from konvergensi.models import Capaian, Indikator, TargetIndikator
from tests.factories import PASSWORD, kelurahan, make_posyandu
from tests.tpps.test_kelola import events
from tpps.models import Kecamatan, Kelurahan, Opd, PembukaanKunci, Posyandu, Puskesmas
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client_for, users):
    return client_for(users["admin"])


def text(response):
    return response.content.decode()


# --- Areas ------------------------------------------------------------------------------------------

def test_kelurahan_list_is_searchable_and_filtered_by_kecamatan(admin):
    page = text(admin.get(reverse("kelola:kelurahan_list"), {"q": "bet"}))
    assert "Betet" in page and "Banaran" not in page and "Pesantren II" in page  # its puskesmas
    pesantren = Kecamatan.objects.get(nama="Pesantren")
    rows = text(admin.get(reverse("kelola:kelurahan_list"), {"kecamatan": pesantren.pk}, HTTP_HX_REQUEST="true"))
    assert "<html" not in rows and rows.count("<tr>") - 1 == Kelurahan.objects.filter(kecamatan=pesantren).count()
    assert "Mojoroto" not in rows
    assert "Tidak ada kecamatan yang cocok" in text(admin.get(reverse("kelola:kecamatan_list"), {"q": "zzz"}))


def test_a_new_kelurahan_is_checked_in_indonesian_and_audited(admin):
    pesantren = Kecamatan.objects.get(nama="Pesantren")
    url = reverse("kelola:kelurahan_baru")
    wrong_code = admin.post(url, {"kecamatan": pesantren.pk, "kode": "35.71.01.1099", "nama": "Baru"})
    assert wrong_code.status_code == 200 and "diawali 35.71.03." in text(wrong_code)
    twice = admin.post(url, {"kecamatan": pesantren.pk, "kode": "35.71.03.1099", "nama": "betet"})
    assert "Kelurahan betet sudah ada di Kecamatan Pesantren" in text(twice)
    taken = admin.post(url, {"kecamatan": pesantren.pk, "kode": kelurahan("Betet").kode, "nama": "Baru"})
    assert f"Kode “{kelurahan('Betet').kode}” sudah dipakai Betet" in text(taken)
    done = admin.post(url, {"kecamatan": pesantren.pk, "kode": "35.71.03.1099", "nama": "  Kampung   Baru "})
    assert done.status_code == 302
    baru = Kelurahan.objects.get(kode="35.71.03.1099")
    assert baru.nama == "Kampung Baru"
    assert events("Kelurahan", baru.pk, "tambah_kelurahan").count() == 1


def test_puskesmas_working_area_cannot_overlap_and_its_change_is_audited(admin):
    pesantren = Kecamatan.objects.get(nama="Pesantren")
    baru = Kelurahan.objects.create(kode="35.71.03.1099", nama="Kampung Baru", kecamatan=pesantren)
    url = reverse("kelola:puskesmas_baru")
    overlap = admin.post(url, {"nama": "Pesantren III", "kecamatan": pesantren.pk, "kelurahan": [baru.pk, kelurahan("Betet").pk]})
    assert overlap.status_code == 200
    assert "sudah masuk wilayah kerja puskesmas lain: Betet (Puskesmas Pesantren II)" in text(overlap)
    empty = admin.post(url, {"nama": "Pesantren III", "kecamatan": pesantren.pk})
    assert "Pilih minimal satu kelurahan wilayah kerja" in text(empty)
    assert admin.post(url, {"nama": "Pesantren III", "kecamatan": pesantren.pk, "kelurahan": [baru.pk]}).status_code == 302
    puskesmas = Puskesmas.objects.get(nama="Pesantren III")
    assert list(puskesmas.kelurahan.all()) == [baru]
    assert Events.objects.filter(pgh_model="tpps.PuskesmasEvent", pgh_obj_id=str(puskesmas.pk),
                                 pgh_context__peristiwa="ubah_wilayah_kerja").exists()
    page = text(admin.get(reverse("kelola:puskesmas_list"), {"q": "kampung"}))
    assert "Pesantren III" in page and "Pesantren I<" not in page


@pytest.mark.parametrize("name, url, expected", [
    ("kelurahan", "kelola:kelurahan_hapus", "masih dipakai oleh"),
    ("kecamatan", "kelola:kecamatan_hapus", "kelurahan"),
    ("puskesmas", "kelola:puskesmas_hapus", "penugasan"),
    ("opd", "kelola:opd_hapus", "indikator"),
])
def test_deleting_reference_data_in_use_is_refused_in_indonesian(admin, users, name, url, expected):
    row = {"kelurahan": lambda: kelurahan("Betet"), "kecamatan": lambda: Kecamatan.objects.get(nama="Pesantren"),
           "puskesmas": lambda: Puskesmas.objects.get(nama="Pesantren I"),
           "opd": lambda: Opd.objects.get(kode="dinkes")}[name]()
    response = admin.post(reverse(url, args=[row.pk]), follow=True)
    assert response.status_code == 200
    page = text(response)
    assert "tidak dapat dihapus karena masih dipakai oleh" in page and expected in page
    assert type(row).objects.filter(pk=row.pk).exists()


def test_a_posyandu_with_children_is_refused_and_an_unused_one_is_deleted(admin, users):
    used = make_posyandu("Betet", "Terpakai")
    Anak.objects.create(nama="Citra", jenis_kelamin="P", tanggal_lahir="2024-01-10", kelurahan=used.kelurahan, posyandu=used)
    refused = text(admin.post(reverse("kelola:posyandu_hapus", args=[used.pk]), follow=True))
    assert "Posyandu Terpakai tidak dapat dihapus karena masih dipakai oleh 1 anak" in refused
    typo = make_posyandu("Betet", "Salah Ketik")
    assert admin.post(reverse("kelola:posyandu_hapus", args=[typo.pk])).status_code == 302
    assert not Posyandu.objects.filter(pk=typo.pk).exists()
    assert events("Posyandu", typo.pk, "hapus_posyandu").filter(pgh_label="delete").count() == 1


def test_unused_areas_are_deleted(admin):
    kecamatan = Kecamatan.objects.create(kode="35.71.09", nama="Coba")
    baru = Kelurahan.objects.create(kode="35.71.09.1001", nama="Coba", kecamatan=kecamatan)
    puskesmas = Puskesmas.objects.create(nama="Coba", kecamatan=kecamatan)
    puskesmas.kelurahan.set([baru])
    refused = text(admin.post(reverse("kelola:kelurahan_hapus", args=[baru.pk]), follow=True))
    assert "masih dipakai oleh 1 puskesmas" in refused
    for url, row in (("kelola:puskesmas_hapus", puskesmas), ("kelola:kelurahan_hapus", baru),
                     ("kelola:kecamatan_hapus", kecamatan)):
        assert admin.post(reverse(url, args=[row.pk])).status_code == 302
        assert not type(row).objects.filter(pk=row.pk).exists()


# --- Indicator catalogue --------------------------------------------------------------------------------

def test_indicator_catalogue_create_targets_and_search(admin):
    dinkes = Opd.objects.get(kode="dinkes")
    data = {"kode": "asi-eksklusif", "nama": "Uji", "opd": dinkes.pk, "jenis": "lokal", "satuan": "%", "arah": "naik",
            "sumber_data": "Dinkes", "urutan": "99", "aktif": "on"}
    taken = admin.post(reverse("kelola:indikator:baru"), data)
    assert "Kode asi-eksklusif sudah dipakai indikator lain" in text(taken)
    assert admin.post(reverse("kelola:indikator:baru"), {**data, "kode": "uji-baru"}).status_code == 302
    indikator = Indikator.objects.get(kode="uji-baru")
    target_url = reverse("kelola:indikator:target", args=[indikator.pk])
    too_big = admin.post(target_url, {"tahun": "2026", "nilai": "120"})
    assert too_big.status_code == 200 and "Target persentase paling besar 100" in text(too_big)
    assert admin.post(target_url, {"tahun": "2026", "nilai": "82,5"}).status_code == 302
    assert str(TargetIndikator.objects.get(indikator=indikator, tahun=2026).nilai) == "82.50"
    page = text(admin.get(reverse("kelola:indikator:daftar"), {"q": "uji"}))
    assert "uji-baru" in page and "2026: 82,5" in page and "asi-eksklusif" not in page
    # Edited: the code stays what it was.
    admin.post(reverse("kelola:indikator:ubah", args=[indikator.pk]), {**data, "kode": "lain", "nama": "Uji diubah"})
    indikator.refresh_from_db()
    assert (indikator.kode, indikator.nama) == ("uji-baru", "Uji diubah")


def test_an_indicator_with_achievements_is_not_deleted_one_with_only_targets_is(admin):
    used = Indikator.objects.get(kode="asi-eksklusif")
    konvergensi_services.save_capaian(used, 2025, "t1", {"nilai": 70}, SYSTEM)
    refused = text(admin.post(reverse("kelola:indikator:hapus", args=[used.pk]), follow=True))
    assert "tidak dapat dihapus karena masih dipakai oleh 1 capaian indikator" in refused
    assert Indikator.objects.filter(pk=used.pk).exists() and Capaian.objects.filter(indikator=used).exists()
    fresh = Indikator.objects.create(kode="sementara", nama="Sementara", opd=used.opd, sumber_data="-")
    TargetIndikator.objects.create(indikator=fresh, tahun=2026, nilai=10)
    assert admin.post(reverse("kelola:indikator:hapus", args=[fresh.pk])).status_code == 302
    assert not Indikator.objects.filter(pk=fresh.pk).exists()


# --- Login lockouts -------------------------------------------------------------------------------------

def _attempt(username, ip, failures, minutes_ago=1):
    row = AccessAttempt.objects.create(username=username, ip_address=ip, failures_since_start=failures,
                                       user_agent="uji", http_accept="*/*", path_info="/masuk/", get_data="", post_data="")
    AccessAttempt.objects.filter(pk=row.pk).update(attempt_time=timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return row


def test_lockouts_are_listed_and_an_admin_unlocks_one_audited(admin, users, settings):
    browser = Client(REMOTE_ADDR="10.0.0.5")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        browser.post(reverse("login"), {"username": "u_operator", "password": "tebak-tebakan"})
    assert browser.post(reverse("login"), {"username": "u_operator", "password": PASSWORD}).status_code == 429
    _attempt("u_sekda", "10.0.0.6", 2)
    page = text(admin.get(reverse("kelola:kunci_list")))
    assert "u_operator" in page and "10.0.0.5" in page and "terkunci sampai" in page and "belum terkunci" in page
    bulan = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")[timezone.localtime().month - 1]
    assert bulan in page
    response = admin.post(reverse("kelola:kunci_buka"), {"username": "u_operator", "alamat": "10.0.0.5"}, follow=True)
    assert "Kunci masuk dibuka untuk nama pengguna “u_operator” dari alamat 10.0.0.5" in text(response)
    assert not AccessAttempt.objects.filter(username="u_operator").exists()
    assert AccessAttempt.objects.filter(username="u_sekda").exists()
    assert browser.post(reverse("login"), {"username": "u_operator", "password": PASSWORD}).status_code == 302
    record = PembukaanKunci.objects.get()
    assert (record.oleh, record.nama_pengguna, record.alamat) == (users["admin"], "u_operator", "10.0.0.5")
    assert record.gagal >= settings.AXES_FAILURE_LIMIT  # the refused login counts too
    assert Events.objects.filter(pgh_model="tpps.PembukaanKunciEvent", pgh_context__peristiwa="buka_kunci_masuk",
                                 pgh_context__user=users["admin"].pk).exists()
    again = admin.post(reverse("kelola:kunci_buka"), {"username": "u_operator", "alamat": "10.0.0.5"}, follow=True)
    assert "Kunci ini sudah tidak ada" in text(again)


def test_an_address_locked_across_usernames_is_listed_and_unlocked(admin, settings):
    for number in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        _attempt(f"tebakan{number}", "10.0.0.9", 1)
    page = text(admin.get(reverse("kelola:kunci_list")))
    assert "Alamat yang ditolak" in page and "Buka kunci alamat" in page
    admin.post(reverse("kelola:kunci_buka"), {"alamat": "10.0.0.9"})
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.9").exists()
    assert PembukaanKunci.objects.get().gagal == settings.AXES_ADDRESS_FAILURE_LIMIT


def test_unlocking_needs_a_post(admin):
    _attempt("operator", "10.0.0.5", 5)
    assert admin.get(reverse("kelola:kunci_buka") + "?username=operator&alamat=10.0.0.5").status_code == 302
    assert AccessAttempt.objects.exists()


def test_an_unlock_of_a_made_up_address_is_a_message(admin):
    response = admin.post(reverse("kelola:kunci_buka"), {"alamat": "bukan-alamat"}, follow=True)
    assert response.status_code == 200 and "“bukan-alamat” bukan alamat IP." in text(response)
