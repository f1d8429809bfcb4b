"""The searchable picker's server side (tpps/pilih.py): the search answers only rows the user may
see through the one scope verb, masks names for report readers (and does not let them search by
name), stops at BATAS, and the field refuses an id outside the user's rows as a ModelChoiceField
does; the chosen label is drawn again after a refused post."""

import datetime
import re

import pytest
from django.urls import reverse

from balita.forms import AnakForm
from genting.forms import DonasiForm, KeluargaForm
from genting.models import KeluargaRisikoStunting
from tests.factories import make_posyandu
from tests.genting.conftest import make_keluarga, make_ota
from tpps.masking import mask_name
from tpps.models import Kelurahan
from tpps.pilih import BATAS, TIDAK_TERSEDIA

pytestmark = pytest.mark.django_db

# Puskesmas Pesantren I (the wilayah user) serves Pesantren, Banaran, Burengan, Pakunden,
# Singonegaran and Tinalan; Betet is someone else's.


def options(response):
    """{id: label} of the options in a search answer."""
    html = response.content.decode()
    return {int(pk): label for pk, label in re.findall(r'data-value="(\d+)"[^>]*>([^<]*)</li>', html)}


def search(client, sumber, q="", **params):
    return client.get(reverse("pilih", args=[sumber]), {"q": q, **params}, HTTP_HX_REQUEST="true")


def test_search_answers_only_the_users_rows(client_for, users):
    own = [make_keluarga("Pesantren", kepala=f"Sutrisno {i}") for i in range(3)]
    make_keluarga("Betet", kepala="Sutrisno Betet")
    make_keluarga("Banaran", kepala="Sutrisno Selesai", status="selesai", tanggal_selesai=datetime.date(2025, 3, 1))  # not active: not offered
    found = options(search(client_for(users["wilayah"]), "keluarga", "sutrisno"))
    assert set(found) == {k.pk for k in own}
    # The operator sees the whole city's active families.
    found = options(search(client_for(users["operator"]), "keluarga", "sutrisno"))
    expected = KeluargaRisikoStunting.objects.filter(kepala_keluarga__startswith="Sutrisno", status="aktif")
    assert set(found) == set(expected.values_list("pk", flat=True)) and len(found) == 4
    # The ledger's families (disbursement) are the secretariat's only.
    assert options(search(client_for(users["wilayah"]), "keluarga-penyaluran")) == {}


def test_every_word_narrows_and_codes_are_found(client_for, users):
    wanted = make_keluarga("Pesantren", kepala="Siti Aminah")
    make_keluarga("Pesantren", kepala="Siti Rahayu")
    client = client_for(users["operator"])
    assert set(options(search(client, "keluarga", "siti ami"))) == {wanted.pk}
    assert set(options(search(client, "keluarga", wanted.kode))) == {wanted.pk}
    assert set(options(search(client, "keluarga", "pesantren"))) == {wanted.pk, wanted.pk + 1}


def test_names_are_masked_and_not_searchable_for_report_readers(client_for, users):
    keluarga = make_keluarga("Pesantren", kepala="Sutrisno Hadi")
    client = client_for(users["pimpinan"])
    assert options(search(client, "keluarga", "Sutrisno")) == {}  # no probing by name
    found = options(search(client, "keluarga", keluarga.kode))
    assert "Sutrisno" not in found[keluarga.pk] and mask_name("Sutrisno Hadi") in found[keluarga.pk]
    # The operator may see the name.
    assert "Sutrisno Hadi" in options(search(client_for(users["operator"]), "keluarga", keluarga.kode))[keluarga.pk]


def test_at_most_batas_options_then_a_note_and_nothing_found_said(client_for, users):
    for i in range(BATAS + 5):
        make_keluarga("Pesantren", kepala=f"Warga {i:02d}")
    client = client_for(users["operator"])
    response = search(client, "keluarga", "warga")
    assert len(options(response)) == BATAS and "pilih-lagi" in response.content.decode()
    response = search(client, "keluarga", "tidak-ada-nama-ini")
    assert options(response) == {} and "Tidak ditemukan" in response.content.decode()


def test_endpoint_refuses_strangers_and_unknown_sources(client, client_for, users):
    assert client.get(reverse("pilih", args=["keluarga"])).status_code == 302  # to login
    assert search(client_for(users["outsider"]), "keluarga").status_code == 403
    assert search(client_for(users["operator"]), "tidak-ada").status_code == 404


def test_posyandu_narrowed_by_kelurahan_never_widened(client_for, users):
    own = make_posyandu("Pesantren", "Melati 1")
    other = make_posyandu("Betet", "Melati 2")
    client = client_for(users["wilayah"])
    assert set(options(search(client, "posyandu", "melati"))) == {own.pk}
    betet = Kelurahan.objects.get(nama="Betet")
    assert options(search(client, "posyandu", "melati", kelurahan=betet.pk)) == {}  # outside stays outside
    assert set(options(search(client_for(users["operator"]), "posyandu", "melati", kelurahan=betet.pk))) == {other.pk}


def test_form_refuses_an_id_outside_the_users_rows(users):
    inside = Kelurahan.objects.get(nama="Pesantren")
    outside = Kelurahan.objects.get(nama="Betet")
    data = {"kepala_keluarga": "Marni", "alamat": "Jl. Kawi", "status": "aktif", "tanggal_masuk": "2025-02-01"}
    form = KeluargaForm({**data, "kelurahan": outside.pk}, user=users["wilayah"])
    assert not form.is_valid() and form.errors["kelurahan"] == [TIDAK_TERSEDIA]
    form = KeluargaForm({**data, "kelurahan": inside.pk}, user=users["wilayah"])
    assert form.is_valid(), form.errors
    posyandu = make_posyandu("Betet", "Mawar")
    form = AnakForm({"nama": "Ani", "jenis_kelamin": "P", "tanggal_lahir": "2024-01-01", "kelurahan": inside.pk,
                     "posyandu": posyandu.pk}, user=users["wilayah"])
    assert not form.is_valid() and form.errors["posyandu"] == [TIDAK_TERSEDIA]


def test_typed_but_not_picked_is_refused_not_stored_as_no_choice(users):
    ota = make_ota()
    data = {"orang_tua_asuh": ota.pk, "bentuk": "uang", "kanal": 1, "jumlah": "100.000", "tanggal": "2025-01-05",
            "untuk_keluarga": "", "untuk_keluarga_cari": "Sutrisno"}
    form = DonasiForm(data, user=users["operator"])
    assert not form.is_valid() and "Ketikan belum dipilih" in form.errors["untuk_keluarga"][0]


def test_chosen_label_redrawn_after_a_refused_post_and_a_plain_select_without_javascript(client_for, users):
    ota = make_ota(nama="PT Sinar Brantas")
    keluarga = make_keluarga("Pesantren", kepala="Sutrisno Hadi")
    client = client_for(users["operator"])
    page = client.post(reverse("genting:donasi_create"), {"orang_tua_asuh": ota.pk, "untuk_keluarga": keluarga.pk,
                                                          "bentuk": "uang", "jumlah": ""}).content.decode()
    assert re.search(rf'name="untuk_keluarga" value="{keluarga.pk}"', page)
    assert re.search(rf'name="untuk_keluarga_cari" value="{keluarga.kode} Sutrisno Hadi', page)
    assert 'value="PT Sinar Brantas"' in page
    # Without JavaScript: a <noscript> select of the same rows, the chosen one selected.
    noscript = re.search(r'<noscript><select name="untuk_keluarga".*?</select></noscript>', page, re.S).group(0)
    assert f'<option value="{keluarga.pk}" selected>' in noscript
    assert not re.search(r"<label[^>]*>[^<]*:</label>", page)


def test_a_masked_user_typing_a_name_finds_nothing_where_only_names_are_searchable(client_for, users):
    make_ota(nama="Bapak Sutrisno", jenis="perorangan")
    client = client_for(users["pimpinan"])
    assert options(search(client, "orang-tua-asuh", "Sutrisno")) == {}
    assert options(search(client, "orang-tua-asuh", "zzz")) == {}
    assert len(options(search(client_for(users["operator"]), "orang-tua-asuh", "Sutrisno"))) == 1
