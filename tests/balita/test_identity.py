"""Identity safety at every entrance: a NIK that belongs to a stored child with another sex or
birth date is an error for the row; unrelated names on one NIK, and one child under two NIKs,
are held for review; the preview shows what will change; posyandu names match within the
kelurahan."""

import datetime
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from balita import selectors, services
from balita.importers import cleaning, eppgbm
from balita.models import Anak, ImporBatch, Pengukuran, TinjauanIdentitas
from tests.balita.conftest import make_anak, row
from tests.factories import kelurahan, make_posyandu
from tpps.models import Posyandu
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db

NIK = "3571034101240001"


def stored_child(**extra):
    values = dict(nama="Dewi Anggraini", nik=NIK, jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 1, 1),
                  nama_ibu="Sri Wahyuni", alamat="Jl. Kenari 9")
    values.update(extra)
    return make_anak("Pesantren", **values)


def test_nik_of_a_stored_child_with_another_sex_is_an_error_and_nothing_is_stored(eppgbm_file):
    child = stored_child()
    rows = [row(Nama="Bagus Santoso", JK="L", **{"Nama Ortu": "Rina", "Desa/Kel": "Betet", "Kec": "Pesantren"})]
    batch, _ = services.import_file(eppgbm_file(rows), user=SYSTEM)
    assert batch.baris_galat == 1 and batch.anak_cocok == 0
    child.refresh_from_db()
    assert (child.nama, child.jenis_kelamin, child.nama_ibu, child.kelurahan) == (
        "Dewi Anggraini", "P", "Sri Wahyuni", kelurahan("Pesantren"))
    assert Pengukuran.objects.count() == 0
    message = batch.galat.get().pesan
    assert "Dewi Anggraini" in message and "jenis kelamin" in message


def test_nik_of_a_stored_child_with_another_birth_date_is_an_error(eppgbm_file):
    child = stored_child(nama="Aisyah Putri")
    batch, _ = services.import_file(eppgbm_file([row(**{"Tgl Lahir": "05/03/2024"})]), user=SYSTEM)
    assert batch.baris_galat == 1
    child.refresh_from_db()
    assert child.tanggal_lahir == datetime.date(2024, 1, 1)
    assert Pengukuran.objects.count() == 0
    assert "tanggal lahir" in batch.galat.get().pesan and "01/01/2024" in batch.galat.get().pesan


def test_posyandu_melati_in_betet_is_melati_betet(eppgbm_file):
    melati = make_posyandu("Betet", "Melati Betet")
    rows = [row(**{"Desa/Kel": "Betet", "Posyandu": "POSYANDU MELATI"}),
            row(NIK="3571034101240002", Nama="Kedua", **{"Desa/Kel": "Betet", "Posyandu": "Melati"})]
    batch, _ = services.import_file(eppgbm_file(rows), user=SYSTEM)
    assert batch.posyandu_baru == []
    assert set(Anak.objects.values_list("posyandu", flat=True)) == {melati.pk}
    assert Posyandu.objects.filter(kelurahan__nama="Betet", nama__icontains="melati").count() == 1


# --- errors: scope and wording --------------------------------------------------------------------


def test_operator_wilayah_is_not_told_who_holds_a_nik_outside_its_area(eppgbm_file, users):
    other = make_anak("Betet", nama="Rahasia Betet", nik=NIK, jenis_kelamin="L", posyandu=None)
    batch, _ = services.import_file(eppgbm_file([row()]), user=users["wilayah"])
    message = batch.galat.get().pesan
    assert message.startswith("NIK ini milik anak yang terdaftar di kelurahan lain")
    assert "Rahasia" not in message and "Betet" not in message
    other.refresh_from_db()
    assert (other.nama, other.kelurahan) == ("Rahasia Betet", kelurahan("Betet"))  # never moved
    assert not Anak.objects.filter(kelurahan__nama="Pesantren").exists()


def test_operator_wilayah_is_told_who_holds_a_nik_in_its_area(eppgbm_file, users):
    stored_child(jenis_kelamin="L", nama="Bagus")
    batch, _ = services.import_file(eppgbm_file([row()]), user=users["wilayah"])
    message = batch.galat.get().pesan
    assert "Bagus (L, lahir 01/01/2024, Kel. Pesantren)" in message and "laki-laki, bukan perempuan" in message
    assert batch.galat.get().kolom == "JK"


def test_stored_children_are_described_masked_for_readers_of_aggregates(users):
    child = stored_child()
    assert eppgbm.describe_children(users["pimpinan"], [child.pk]) == {
        child.pk: "D*** A*** (P, lahir 01/01/2024, Kel. Pesantren)"}
    assert eppgbm.describe_children(users["outsider"], [child.pk]) == {}


def test_rows_of_a_conflicting_child_are_all_errors_and_other_rows_import(eppgbm_file):
    stored_child(nama="Aisyah Putri")
    rows = [row(**{"Tgl Lahir": "05/03/2024"}),
            row(**{"Tgl Lahir": "05/03/2024", "Tanggal Pengukuran": "2025-02-05", "Berat": 9.3, "Tinggi": 75}),
            row(NIK="3571034101240002", Nama="Lain Lagi")]
    batch, _ = services.import_file(eppgbm_file(rows), user=SYSTEM)
    assert sorted(batch.galat.values_list("baris", flat=True)) == [2, 3]
    assert set(batch.galat.values_list("kolom", flat=True)) == {"Tgl Lahir"}
    assert list(Pengukuran.objects.values_list("anak__nama", flat=True)) == ["Lain Lagi"]


# --- review -----------------------------------------------------------------------------------


def checked_batch(eppgbm_file, rows, user):
    upload = SimpleUploadedFile("eppgbm.xlsx", eppgbm_file(rows).read_bytes())
    return services.check_import(services.start_import(upload, user))


def import_batch(batch, user, **confirm):
    services.confirm_import(batch, user, **confirm)
    return services.run_import(ImporBatch.objects.get(pk=batch.pk))


def test_nik_with_an_unrelated_name_is_held_for_review_and_blocks_the_import(eppgbm_file, users):
    child = stored_child()
    batch = checked_batch(eppgbm_file, [row(Nama="Bagus Santoso")], users["operator"])
    review = batch.tinjauan.get()
    assert (review.jenis, review.anak, review.nama, review.baris, review.keputusan) == (
        TinjauanIdentitas.Jenis.NIK_NAMA, child, "Bagus Santoso", "2", "")
    assert (batch.baris_galat, batch.anak_cocok, batch.pengukuran_baru) == (0, 0, 0)
    with pytest.raises(services.BalitaError, match="menunggu tinjauan identitas"):
        services.confirm_import(batch, users["operator"])
    with pytest.raises(services.BalitaError):
        services.decide_identity(review, "mungkin", users["operator"])


def test_review_decided_same_child_updates_the_stored_child(eppgbm_file, users):
    child = stored_child()
    batch = checked_batch(eppgbm_file, [row(Nama="Bagus Santoso")], users["operator"])
    services.decide_identity(batch.tinjauan.get(), "sama", users["operator"])
    batch = import_batch(batch, users["operator"])
    assert batch.status == ImporBatch.Status.SELESAI and batch.baris_galat == 0
    child.refresh_from_db()
    assert child.nama == "Bagus Santoso" and child.pengukuran.count() == 1
    review = batch.tinjauan.get()
    assert review.diputuskan_oleh == users["operator"] and review.diputuskan is not None
    assert review.events.last().pgh_context.metadata["peristiwa"] == "tinjau_identitas"


def test_review_decided_different_child_rejects_the_rows(eppgbm_file, users):
    child = stored_child()
    batch = checked_batch(eppgbm_file, [row(Nama="Bagus Santoso"), row(NIK="3571034101240002", Nama="Lain")],
                          users["operator"])
    services.decide_identity(batch.tinjauan.get(), "beda", users["operator"])
    batch = import_batch(batch, users["operator"])
    assert batch.baris_galat == 1
    assert batch.galat.get().pesan.startswith("Ditolak saat peninjauan: bukan anak yang sama dengan Dewi Anggraini")
    child.refresh_from_db()
    assert child.nama == "Dewi Anggraini" and not child.pengukuran.exists()
    assert list(Anak.objects.order_by("nama").values_list("nama", flat=True)) == ["Dewi Anggraini", "Lain"]


def test_same_name_birth_date_and_mother_with_another_nik_is_held_then_same_child(eppgbm_file, users):
    child = stored_child(nama="Aisyah Putri", nama_ibu="Siti Rahayu", nik="3571034101249999")
    batch = checked_batch(eppgbm_file, [row()], users["operator"])
    review = batch.tinjauan.get()
    assert review.jenis == TinjauanIdentitas.Jenis.NAMA_NIK and review.anak == child
    services.decide_identity(review, "sama", users["operator"])
    import_batch(batch, users["operator"])
    child.refresh_from_db()
    assert child.nik == NIK and Anak.objects.count() == 1 and child.pengukuran.count() == 1


def test_a_command_line_import_never_applies_an_undecided_review(eppgbm_file):
    stored_child()
    batch, _ = services.import_file(eppgbm_file([row(Nama="Bagus Santoso")]), user=SYSTEM)
    assert batch.galat.get().pesan.startswith("Ditahan untuk ditinjau: NIK sama, tetapi nama tidak mirip")
    assert Anak.objects.get().nama == "Dewi Anggraini" and not Pengukuran.objects.exists()


def test_decisions_are_checked_again_at_import_time(eppgbm_file, users):
    child = stored_child()
    batch = checked_batch(eppgbm_file, [row(Nama="Bagus Santoso")], users["operator"])
    services.decide_identity(batch.tinjauan.get(), "sama", users["operator"])
    Anak.objects.filter(pk=child.pk).update(jenis_kelamin="L")  # corrected meanwhile
    batch = import_batch(batch, users["operator"])
    assert batch.baris_galat == 1 and "jenis kelamin laki-laki, bukan perempuan" in batch.galat.get().pesan
    child.refresh_from_db()
    assert child.nama == "Dewi Anggraini" and not Pengukuran.objects.exists()


def test_reviews_are_decided_only_by_the_batch_owner_while_it_waits(eppgbm_file, users):
    stored_child()
    batch = checked_batch(eppgbm_file, [row(Nama="Bagus Santoso")], users["operator"])
    with pytest.raises(services.BalitaError, match="bukan milik Anda"):
        services.decide_identity(batch.tinjauan.get(), "sama", users["wilayah"])
    services.cancel_import(batch, users["operator"])
    with pytest.raises(services.BalitaError, match="tidak sedang menunggu"):
        services.decide_identity(batch.tinjauan.get(), "sama", users["operator"])


# --- change preview -----------------------------------------------------------------------------


def test_preview_lists_old_and_new_values_per_matched_child(eppgbm_file, users):
    child = stored_child(nama="Aisyah Putri")
    rows = [row(Nama="Aisyah Putri Rahma", **{"Nama Ortu": "Siti Aminah", "Desa/Kel": "Banaran",
                                             "Posyandu": "Kenanga Baru", "Alamat": "Jl. Melon 2"})]
    batch = checked_batch(eppgbm_file, rows, users["operator"])
    assert batch.anak_berubah == 1
    [change] = selectors.change_preview(batch, users["operator"])
    assert (change["anak_id"], change["baris"], change["nama"]) == (child.pk, 2, "Aisyah Putri")
    assert dict((label, (old, new)) for label, old, new in change["perubahan"]) == {
        "Nama": ("Aisyah Putri", "Aisyah Putri Rahma"),
        "Nama ibu": ("Sri Wahyuni", "Siti Aminah"),
        "Alamat": ("Jl. Kenari 9", "Jl. Melon 2"),
        "RT": ("(kosong)", "001"), "RW": ("(kosong)", "002"),
        "Kelurahan": ("Pesantren", "Banaran"),
        "Posyandu": ("Melati", "Kenanga Baru (baru)"),
    }
    masked = selectors.change_preview(batch, users["pimpinan"])[0]
    assert masked["nama"] == "A*** P***" and ("Nama", "A*** P***", "A*** P*** R***") in masked["perubahan"]
    page = client_page(batch, users["operator"])
    assert "Aisyah Putri Rahma" in page and "Kenanga Baru (baru)" in page and 'id="tabel-perubahan"' in page


def client_page(batch, user):
    client = Client()
    client.force_login(user)
    return client.get(reverse("balita:impor_detail", args=[batch.pk])).content.decode()


# --- posyandu -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name, kelurahan_name, key", [
    ("POSYANDU MELATI", "Betet", "melati"),
    ("Melati Betet", "Betet", "melati"),
    ("Psy. Melati", "Betet", "melati"),
    ("Pos Mawar 2", "Betet", "mawar2"),
    ("Posyandu Betet", "Betet", "betet"),
    ("Banjar Mlati Indah", "Banjar Mlati", "indah"),
    ("BANJARMLATI Indah", "Banjar Mlati", "indah"),
    ("Melati Indah", "Pesantren", "melatiindah"),
])
def test_posyandu_key_within_the_kelurahan(name, kelurahan_name, key):
    assert cleaning.posyandu_key(name, kelurahan_name) == key


def test_an_exact_name_wins_when_two_stored_posyandu_share_a_key(eppgbm_file):
    melati = make_posyandu("Betet", "Melati")
    make_posyandu("Betet", "Melati Betet")
    services.import_file(eppgbm_file([row(**{"Desa/Kel": "Betet", "Posyandu": "POSYANDU MELATI"})]), user=SYSTEM)
    assert Anak.objects.get().posyandu == melati


def test_new_posyandu_need_a_confirmation(eppgbm_file, users):
    batch = checked_batch(eppgbm_file, [row(Posyandu="Kenanga Baru")], users["operator"])
    assert batch.posyandu_baru == ["Kenanga Baru (Pesantren)"]
    page = client_page(batch, users["operator"])
    assert 'name="posyandu_dikonfirmasi"' in page
    with pytest.raises(services.BalitaError, match="konfirmasi posyandu baru"):
        services.confirm_import(batch, users["operator"])
    batch = import_batch(batch, users["operator"], posyandu_dikonfirmasi=True)
    assert Posyandu.objects.filter(nama="Kenanga Baru", kelurahan__nama="Pesantren").exists()


def test_the_import_creates_no_posyandu_that_was_not_confirmed(eppgbm_file, users):
    batch = checked_batch(eppgbm_file, [row(Posyandu="Kenanga Baru")], users["operator"])
    ImporBatch.objects.filter(pk=batch.pk).update(posyandu_baru=[])  # as if the preview listed none
    batch = import_batch(ImporBatch.objects.get(pk=batch.pk), users["operator"])
    assert batch.status == ImporBatch.Status.GAGAL and "belum dikonfirmasi" in batch.pesan_galat
    assert not Posyandu.objects.filter(nama="Kenanga Baru").exists() and not Anak.objects.exists()


# --- child form and merge ---------------------------------------------------------------------------


def form_data(**values):
    data = {"nik": NIK, "nama": "Bagus Santoso", "jenis_kelamin": "L", "tanggal_lahir": datetime.date(2024, 1, 1),
            "nama_ibu": "Rina", "kelurahan": kelurahan("Pesantren")}
    data.update(values)
    return data


def test_child_form_refuses_a_nik_of_a_child_with_another_sex_naming_it(users):
    stored_child()
    with pytest.raises(services.BalitaError) as error:
        services.register_child(form_data(), users["operator"])
    assert error.value.field == "nik"
    assert "Dewi Anggraini (P, lahir 01/01/2024, Kel. Pesantren)" in str(error.value)
    assert "jenis kelamin perempuan, bukan laki-laki" in str(error.value)
    assert Anak.objects.count() == 1


def test_child_form_outside_the_area_only_says_another_kelurahan(users):
    make_anak("Betet", nama="Rahasia Betet", nik=NIK, posyandu=None)
    with pytest.raises(services.BalitaError) as error:
        services.register_child(form_data(), users["wilayah"])
    assert str(error.value).startswith("NIK ini milik anak yang terdaftar di kelurahan lain")
    assert "Rahasia" not in str(error.value)


def test_editing_a_child_to_another_childs_nik_and_birth_date_is_refused(users):
    stored_child()
    other = make_anak("Pesantren", nama="Bagus Santoso", jenis_kelamin="L", nik=None, posyandu=None)
    with pytest.raises(services.BalitaError, match="tanggal lahir 01/01/2024, bukan 10/01/2024"):
        services.update_child(other, form_data(jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 1, 10)),
                              users["operator"])
    other.refresh_from_db()
    assert other.nik is None


def test_same_name_birth_date_and_mother_needs_the_another_child_tick(users):
    stored_child()
    data = form_data(nik=None, nama="Dewi Anggraini", jenis_kelamin="P", nama_ibu="Sri Wahyuni")
    with pytest.raises(services.BalitaError, match="centang"):
        services.register_child(data, users["operator"])
    services.register_child({**data, "anak_berbeda": True}, users["operator"])
    assert Anak.objects.filter(nama="Dewi Anggraini").count() == 2


def test_child_form_view_shows_the_collision_next_to_the_nik(client_for, users):
    stored_child()
    response = client_for(users["operator"]).post(reverse("balita:anak_baru"), {
        "nik": NIK, "nama": "Bagus Santoso", "jenis_kelamin": "L", "tanggal_lahir": "2024-01-01",
        "kelurahan": kelurahan("Pesantren").pk})
    page = response.content.decode()
    assert "sudah terdaftar untuk Dewi Anggraini" in page and Anak.objects.count() == 1


def test_merge_refuses_two_different_niks(users):
    keep = stored_child()
    remove = make_anak("Pesantren", nama="Dewi A", nik="3571034101240002", posyandu=None)
    with pytest.raises(services.BalitaError, match="NIK berbeda"):
        services.merge_children(keep, remove, users["operator"])
    assert Anak.objects.count() == 2


def test_merge_refuses_a_nik_moving_to_another_birth_date(users):
    keep = stored_child(nik=None)
    remove = make_anak("Pesantren", nama="Dewi A", nik=NIK, jenis_kelamin="P",
                       tanggal_lahir=datetime.date(2024, 2, 2), posyandu=None)
    with pytest.raises(services.BalitaError, match="tanggal lahir 02/02/2024, bukan 01/01/2024"):
        services.merge_children(keep, remove, users["operator"])
    assert Anak.objects.count() == 2
    # Without a NIK on the removed record the merge goes ahead (its birth date was a typo).
    Anak.objects.filter(pk=remove.pk).update(nik=None)
    services.merge_children(keep, Anak.objects.get(pk=remove.pk), users["operator"])
    assert Anak.objects.count() == 1


# --- screens ---------------------------------------------------------------------------------------


def test_review_decision_over_htmx_returns_the_review_section(eppgbm_file, client_for, users):
    stored_child()
    batch = checked_batch(eppgbm_file, [row(Nama="Bagus Santoso")], users["operator"])
    review = batch.tinjauan.get()
    client = client_for(users["operator"])
    page = client.get(reverse("balita:impor_detail", args=[batch.pk])).content.decode()
    assert 'id="tabel-tinjauan"' in page and "Bagus Santoso" in page and "Dewi Anggraini" in page
    assert re.search(r'id="tombol-impor"[^>]*disabled', page)
    # The preview's counts leave the held child out, and say so.
    assert 'id="catatan-tinjauan"' in page and "belum memuat 1 anak yang ditahan" in page
    url = reverse("balita:impor_tinjau", args=[batch.pk, review.pk])
    response = client.post(url, {"keputusan": "sama"}, HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert response.status_code == 200 and fragment.lstrip().startswith('<div id="tinjauan-impor">')
    assert 'value="sama" class="primary" aria-pressed="true"' in fragment
    assert not re.search(r'id="tombol-impor"[^>]*disabled', fragment)
    review.refresh_from_db()
    assert review.keputusan == "sama"
    # Without HTMX the decision redirects back to the batch page.
    assert client.post(url, {"keputusan": "beda"})["Location"] == reverse("balita:impor_detail", args=[batch.pk])


@pytest.mark.parametrize("role, status", [("wilayah", 404), ("pimpinan", 403), ("opd", 403)])
def test_reviews_of_another_users_batch_cannot_be_decided(eppgbm_file, client_for, users, role, status):
    stored_child()
    batch = checked_batch(eppgbm_file, [row(Nama="Bagus Santoso")], users["operator"])
    url = reverse("balita:impor_tinjau", args=[batch.pk, batch.tinjauan.get().pk])
    assert client_for(users[role]).post(url, {"keputusan": "sama"}).status_code == status
    assert batch.tinjauan.get().keputusan == ""


def test_wilayah_sees_a_review_without_the_stored_child_outside_its_area(eppgbm_file, users):
    # A child of Betet with the same name, birth date and mother is never offered to a Pesantren operator.
    make_anak("Betet", nama="Aisyah Putri", nik="3571034101249999", tanggal_lahir=datetime.date(2024, 1, 1),
              nama_ibu="Siti Rahayu", posyandu=None)
    batch = checked_batch(eppgbm_file, [row()], users["wilayah"])
    assert not batch.tinjauan.exists() and batch.anak_baru == 1


def test_import_template_download(client_for, users, tmp_path):
    response = client_for(users["wilayah"]).get(reverse("balita:impor_templat"))
    assert response.status_code == 200 and "templat-impor-eppgbm.xlsx" in response["Content-Disposition"]
    path = tmp_path / "templat.xlsx"
    path.write_bytes(response.content)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert list(rows[0]) == eppgbm.TEMPLATE_HEADERS and len(rows) == 2
    assert rows[1][1] == "3571034101240001"
    plan = services.import_file(path, dry_run=True, user=users["wilayah"])[1]
    assert (plan.rows, len(plan.errors), len(plan.children_new)) == (1, 0, 1)
    assert client_for(users["pimpinan"]).get(reverse("balita:impor_templat")).status_code == 403
    assert "Unduh templat" in client_for(users["operator"]).get(reverse("balita:impor")).content.decode()


def test_errors_xlsx_names_the_child_for_editors(eppgbm_file, client_for, users, tmp_path):
    stored_child(jenis_kelamin="L")
    batch, _ = services.import_file(eppgbm_file([row()]), user=users["operator"])
    response = client_for(users["operator"]).get(reverse("balita:impor_galat", args=[batch.pk]))
    path = tmp_path / "galat.xlsx"
    path.write_bytes(response.content)
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Baris", "NIK", "Nama anak")
    assert rows[1][:4] == (2, NIK, "Aisyah Putri", "JK")
