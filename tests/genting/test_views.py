"""GENTING pages as each role: who may open what, what is masked, and entry through HTMX."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from balita.models import Anak, Pengukuran
from genting.models import AnggotaKeluarga, Donasi, Pendampingan, Penyaluran
from tests.genting.conftest import disburse, donate, kanal, make_keluarga, make_ota, pool
from tests.genting.url_samples import PNG
from tests.konvergensi.files import pdf_bytes

HX = {"HTTP_HX_REQUEST": "true"}
TODAY = datetime.date.today()


@pytest.fixture
def world(db):
    """A family in the wilayah's area (Pesantren), one outside it (Betet), a foster parent who
    helps both, money in and help out."""
    ota = make_ota(nama="Ibu Rahayu Dermawan", jenis="perorangan", telepon="081234567890")
    inside = make_keluarga("Pesantren", kepala="Slamet Riyadi", nik_kepala="3571031234567890")
    outside = make_keluarga("Betet", kepala="Joko Lelono")
    for family in (inside, outside):
        Pendampingan.objects.create(orang_tua_asuh=ota, keluarga=family, mulai=datetime.date(2025, 1, 1))
    donate(ota, 1_000_000, tanggal=datetime.date(2025, 3, 1))
    disburse(inside, 450_000, tanggal=datetime.date(2025, 3, 5))
    disburse(outside, 300_000, tanggal=datetime.date(2025, 3, 6), jenis="air_bersih")
    return {"ota": ota, "inside": inside, "outside": outside}


PAGES = {
    # name: (kwargs key in world or None, roles allowed)
    "genting:index": (None, {"admin", "operator", "wilayah", "pimpinan"}),
    "genting:ota_list": (None, {"admin", "operator", "wilayah", "pimpinan"}),
    "genting:ota_detail": ("ota", {"admin", "operator", "wilayah", "pimpinan"}),
    "genting:ota_create": (None, {"admin", "operator"}),
    "genting:ota_statement": ("ota", {"admin", "operator", "pimpinan"}),
    "genting:keluarga_list": (None, {"admin", "operator", "wilayah", "pimpinan"}),
    "genting:keluarga_detail": ("inside", {"admin", "operator", "wilayah", "pimpinan"}),
    "genting:keluarga_create": (None, {"admin", "operator", "wilayah"}),
    "genting:donasi_list": (None, {"admin", "operator", "pimpinan"}),
    "genting:donasi_create": (None, {"admin", "operator"}),
    "genting:penyaluran_list": (None, {"admin", "operator", "wilayah", "pimpinan"}),
    "genting:penyaluran_create": (None, {"admin", "operator"}),
    "genting:buku_besar": (None, {"admin", "operator", "pimpinan"}),
}


@pytest.mark.parametrize("role", ["admin", "operator", "opd", "wilayah", "pimpinan", "outsider"])
def test_each_role_opens_exactly_its_pages(client_for, users, world, role):
    client = client_for(users[role])
    for name, (key, allowed) in PAGES.items():
        url = reverse(name, kwargs={"pk": world[key].pk} if key else None)
        response = client.get(url)
        expected = 200 if role in allowed else 403
        assert response.status_code == expected, f"{role} {name}: {response.status_code}"


def test_operator_wilayah_sees_only_the_families_of_the_area(client_for, users, world):
    client = client_for(users["wilayah"])
    page = client.get(reverse("genting:keluarga_list")).content.decode()
    assert "Slamet Riyadi" in page and "Joko Lelono" not in page
    assert client.get(reverse("genting:keluarga_detail", kwargs={"pk": world["outside"].pk})).status_code == 404
    assert client.get(reverse("genting:keluarga_edit", kwargs={"pk": world["outside"].pk})).status_code == 404
    # The foster parent's page shows the area's family, and the other one only by kelurahan.
    detail = client.get(reverse("genting:ota_detail", kwargs={"pk": world["ota"].pk})).content.decode()
    assert world["inside"].kode in detail and world["outside"].kode not in detail
    assert "keluarga di Betet" in detail
    # Disbursements list: area only.
    listing = client.get(reverse("genting:penyaluran_list")).content.decode()
    assert "Slamet Riyadi" in listing and "Joko Lelono" not in listing


def test_personal_data_is_masked_for_pimpinan(client_for, users, world):
    client = client_for(users["pimpinan"])
    detail = client.get(reverse("genting:keluarga_detail", kwargs={"pk": world["inside"].pk})).content.decode()
    assert world["inside"].kode in detail
    assert "Slamet Riyadi" not in detail and "3571031234567890" not in detail and "Jl. Mawar" not in detail
    ota_page = client.get(reverse("genting:ota_detail", kwargs={"pk": world["ota"].pk})).content.decode()
    assert "Ibu Rahayu Dermawan" not in ota_page and "081234567890" not in ota_page
    assert "I*** R*** D***" in ota_page  # tpps.masking, as on balita and laporan pages
    # Searching by name would reveal names: the search is ignored for roles that cannot see them.
    found = client.get(reverse("genting:keluarga_list"), {"q": "Slamet"}).content.decode()
    assert world["outside"].kode in found
    operator = client_for(users["operator"]).get(reverse("genting:keluarga_detail", kwargs={"pk": world["inside"].pk}))
    assert "Slamet Riyadi" in operator.content.decode() and "3571031234567890" in operator.content.decode()


def test_pimpinan_and_wilayah_cannot_write(client_for, users, world):
    for role in ("pimpinan", "wilayah"):
        client = client_for(users[role])
        response = client.post(reverse("genting:donasi_create"), {"orang_tua_asuh": world["ota"].pk, "jumlah": "5000"})
        assert response.status_code == 403
        response = client.post(reverse("genting:transaksi_batalkan", kwargs={"pk": Donasi.objects.first().transaksi_id}),
                               {"alasan": "Coba-coba"})
        assert response.status_code == 403
    assert Donasi.objects.count() == 1


def _donation_data(ota, **extra):
    return {"orang_tua_asuh": ota.pk, "bentuk": "uang", "kanal": kanal().pk, "jumlah": "Rp 1.250.000",
            "tanggal": "2025-04-01", "referensi": "RZ-2025-0401", "uraian": "", **extra}


def test_donation_entry_with_htmx(client_for, users, world):
    client = client_for(users["operator"])
    response = client.post(reverse("genting:donasi_create"), _donation_data(world["ota"]), **HX)
    assert response.status_code == 200
    page = response.content.decode()
    assert "sebesar Rp 1.250.000" in page and "tersimpan" in page
    donation = Donasi.objects.get(referensi="RZ-2025-0401")
    assert donation.jumlah == 1_250_000 and donation.dicatat_oleh == users["operator"]
    # The balances under the form already include it: 1.000.000 + 1.250.000 − 750.000 disbursed.
    assert 'data-saldo>Rp 1.500.000' in page.replace("\n", "")
    assert "<html" not in page  # the partial, not the whole page


def test_donation_errors_are_indonesian_and_keep_the_input(client_for, users, world):
    client = client_for(users["operator"])
    data = _donation_data(world["ota"], jumlah="12,5", referensi="RZ-XYZ")
    response = client.post(reverse("genting:donasi_create"), data, **HX)
    assert response.status_code == 422
    page = response.content.decode()
    assert "tanpa sen" in page and 'value="RZ-XYZ"' in page and 'value="12,5"' in page
    assert f'value="{world["ota"].pk}" selected' in page
    # A duplicate transfer reference is caught with the channel named.
    client.post(reverse("genting:donasi_create"), _donation_data(world["ota"]), **HX)
    again = client.post(reverse("genting:donasi_create"), _donation_data(world["ota"]), **HX)
    assert again.status_code == 422 and "RZ-2025-0401 sudah tercatat di Rumah Zakat" in again.content.decode()
    # Goods through a money channel: the form says where they belong.
    goods = client.post(reverse("genting:donasi_create"), _donation_data(world["ota"], bentuk="barang", referensi=""), **HX)
    assert goods.status_code == 422 and "kanal natura" in goods.content.decode()
    assert Donasi.objects.count() == 2


def test_donation_without_htmx_redirects_to_the_foster_parent(client_for, users, world):
    response = client_for(users["admin"]).post(reverse("genting:donasi_create"), _donation_data(world["ota"], jumlah="250000"))
    assert response.status_code == 302
    assert response.url == reverse("genting:ota_detail", kwargs={"pk": world["ota"].pk})


def _disbursement_data(keluarga, **extra):
    return {"keluarga": keluarga.pk, "kanal": kanal().pk, "akun_sumber": pool().pk, "jenis": "paket_nutrisi",
            "lama_bulan": "1", "jumlah": "200.000", "tanggal": "2025-04-02", "uraian": "Telur dan susu", **extra}


def test_disbursement_entry_and_overdraft_message(client_for, users, world):
    client = client_for(users["operator"])
    too_much = client.post(reverse("genting:penyaluran_create"), _disbursement_data(world["inside"], jumlah="Rp 300.000"), **HX)
    assert too_much.status_code == 422
    assert "Saldo dana umum Rumah Zakat hanya Rp 250.000, tidak cukup untuk Rp 300.000" in too_much.content.decode()
    ok = client.post(reverse("genting:penyaluran_create"), _disbursement_data(world["inside"]), **HX)
    assert ok.status_code == 200 and "tersimpan" in ok.content.decode()
    assert Penyaluran.objects.filter(keluarga=world["inside"]).count() == 2
    assert pool().saldo == 50_000


def test_evidence_upload_is_checked_by_content_and_size(client_for, users, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(users["operator"])
    url = reverse("genting:penyaluran_create")
    fake = io.BytesIO(b"bukan gambar, hanya teks"); fake.name = "kuitansi.jpg"
    response = client.post(url, {**_disbursement_data(world["inside"]), "bukti": fake}, **HX)
    assert response.status_code == 422 and "bukan foto JPG, PNG, WebP, atau PDF" in response.content.decode()
    settings.MAX_UPLOAD_MB = 1
    big = io.BytesIO(PNG + b"\0" * (1024 * 1024)); big.name = "besar.png"
    response = client.post(url, {**_disbursement_data(world["inside"]), "bukti": big}, **HX)
    assert response.status_code == 422 and "terlalu besar" in response.content.decode()
    photo = io.BytesIO(PNG); photo.name = "foto.png"
    response = client.post(url, {**_disbursement_data(world["inside"]), "bukti": photo}, **HX)
    assert response.status_code == 200
    saved = Penyaluran.objects.exclude(bukti="").get()
    assert saved.bukti_tipe == "image/png"
    served = client.get(reverse("genting:penyaluran_bukti", kwargs={"pk": saved.pk}))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == PNG
    # Outside the area: the wilayah of Betet's puskesmas does not get Pesantren's evidence.
    from tests.factories import make_user
    from tpps.roles import Role

    betet = make_user("op_betet", (Role.WILAYAH, {"kelurahan": "Betet"}))
    assert client_for(betet).get(reverse("genting:penyaluran_bukti", kwargs={"pk": saved.pk})).status_code == 404


def test_source_choices_follow_family_and_channel(client_for, users, world):
    donate(world["ota"], 80_000, untuk_keluarga=world["inside"])
    client = client_for(users["operator"])
    html = client.get(reverse("genting:penyaluran_sumber"), {"keluarga": world["inside"].pk, "kanal": kanal().pk}, **HX)
    text = html.content.decode()
    assert "peruntukan keluarga " + world["inside"].kode in text and "Rp 80.000" in text
    assert "dana umum Rumah Zakat" in text and "Rp 250.000" in text
    other = client.get(reverse("genting:penyaluran_sumber"), {"keluarga": world["outside"].pk, "kanal": kanal().pk}, **HX)
    assert "peruntukan" not in other.content.decode()


def test_reversal_through_the_page(client_for, users, world):
    client = client_for(users["operator"])
    penyaluran = Penyaluran.objects.get(keluarga=world["outside"])
    url = reverse("genting:transaksi_batalkan", kwargs={"pk": penyaluran.transaksi_id})
    empty = client.post(url, {"alasan": " "})
    assert empty.status_code == 200 and "tidak boleh kosong" in empty.content.decode()
    response = client.post(url, {"alasan": "Salah keluarga penerima"})
    assert response.status_code == 302
    assert response.url == reverse("genting:keluarga_detail", kwargs={"pk": world["outside"].pk})
    assert Penyaluran.objects.get(pk=penyaluran.pk).dibatalkan
    assert "sudah dibalik" in client.get(url).content.decode()
    detail = client.get(response.url).content.decode()
    assert "dibatalkan" in detail and 'data-figure="diterima">Rp 0' in detail


def test_family_detail_shows_children_growth_while_helped(client_for, users, world):
    family = world["inside"]
    anak = Anak.objects.create(nama="Raka Riyadi", jenis_kelamin="L", tanggal_lahir=datetime.date(2023, 6, 1),
                               kelurahan=family.kelurahan)
    for day, z, category in [(datetime.date(2025, 2, 10), "-2.50", "pendek"), (datetime.date(2025, 5, 10), "-2.10", "pendek"),
                             (datetime.date(2025, 8, 10), "-1.80", "normal")]:
        Pengukuran.objects.create(anak=anak, tanggal=day, kelurahan=family.kelurahan, umur_hari=(day - anak.tanggal_lahir).days,
                                  umur_bulan=(day - anak.tanggal_lahir).days // 30, zs_tbu=z, kategori_tbu=category)
    client = client_for(users["operator"])
    response = client.post(reverse("genting:anggota_create", kwargs={"pk": family.pk}),
                           {"nama": "", "sasaran": "anak", "anak": anak.pk}, **HX)
    assert response.status_code == 200 and "Raka Riyadi" in response.content.decode()
    member = AnggotaKeluarga.objects.get(anak=anak)
    assert member.tanggal_lahir == anak.tanggal_lahir
    page = client.get(reverse("genting:keluarga_detail", kwargs={"pk": family.pk})).content.decode()
    growth = page[page.index('id="pertumbuhan"'):page.index('id="penyaluran"')]
    # Baseline: last measurement before the first help (5 March 2025) = −2,50; latest −1,80.
    assert "Normal" in growth and "-1,80" in growth and "-2,50 pada 10 Februari 2025" in growth
    assert "+0,70" in growth and "Membaik" in growth


def test_linking_an_ibu_to_a_child_record_is_refused(client_for, users, world):
    anak = Anak.objects.create(nama="Nayla", jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 1, 1),
                               kelurahan=world["inside"].kelurahan)
    response = client_for(users["operator"]).post(
        reverse("genting:anggota_create", kwargs={"pk": world["inside"].pk}),
        {"nama": "Bu Ani", "sasaran": "ibu_hamil", "anak": anak.pk}, **HX)
    assert response.status_code == 422 and "hanya dihubungkan ke anggota dengan sasaran anak" in response.content.decode()


def test_wilayah_registers_families_only_in_the_area(client_for, users):
    client = client_for(users["wilayah"])
    from tpps.models import Kelurahan

    betet = Kelurahan.objects.get(nama="Betet")
    data = {"kepala_keluarga": "Sumarni", "alamat": "Jl. Kawi 2", "kelurahan": betet.pk, "status": "aktif",
            "tanggal_masuk": "2025-02-01", "kebutuhan": ["nutrisi", "jamban"], "nik_kepala": "12345"}
    response = client.post(reverse("genting:keluarga_create"), data)
    page = response.content.decode()
    assert response.status_code == 200 and "NIK terdiri dari 16 angka" in page and "Pilihan ini tidak tersedia bagi Anda" in page
    data.update(kelurahan=Kelurahan.objects.get(nama="Banaran").pk, nik_kepala="")
    response = client.post(reverse("genting:keluarga_create"), data)
    assert response.status_code == 302
    from genting.models import KeluargaRisikoStunting

    created = KeluargaRisikoStunting.objects.get(kepala_keluarga="Sumarni")
    assert created.kebutuhan == ["nutrisi", "jamban"] and created.kelurahan.nama == "Banaran"


def test_donor_statement_pdf_says_what_came_in_and_where_it_went(client_for, users, world):
    response = client_for(users["operator"]).get(reverse("genting:ota_statement", kwargs={"pk": world["ota"].pk}))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert "Laporan Donatur GENTING" in text and "Ibu Rahayu Dermawan" in text
    assert "Total diberikan Rp 1.000.000" in text
    assert "Sudah tersalur ke keluarga Rp 750.000" in text and "Rp 250.000" in text
    assert world["inside"].kode in text and world["outside"].kode in text and "Pesantren" in text
    # Family names never leave the office in the statement.
    assert "Slamet" not in text and "Joko" not in text
    pimpinan = client_for(users["pimpinan"]).get(reverse("genting:ota_statement", kwargs={"pk": world["ota"].pk}))
    masked = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pimpinan.content)).pages)
    assert "Ibu Rahayu Dermawan" not in masked and "I*** R*** D***" in masked


def test_ledger_page_lists_legs_and_balances(client_for, users, world):
    page = client_for(users["pimpinan"]).get(reverse("genting:buku_besar")).content.decode()
    assert page.count("<tr") >= 4 and "Rp -1.000.000" not in page
    assert "-Rp 1.000.000" in page and "Rp 450.000" in page
    # Pimpinan reads the ledger but gets no correction links.
    assert "Koreksi</a>" not in page


def test_evidence_attached_afterwards_once(client_for, users, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    penyaluran = Penyaluran.objects.get(keluarga=world["inside"])
    url = reverse("genting:penyaluran_bukti_unggah", kwargs={"pk": penyaluran.pk})
    client = client_for(users["operator"])
    fake = io.BytesIO(b"%!PS-Adobe-3.0 bukan pdf"); fake.name = "kuitansi.pdf"
    client.post(url, {"bukti": fake})
    assert not Penyaluran.objects.get(pk=penyaluran.pk).bukti
    receipt = io.BytesIO(pdf_bytes("Kuitansi")); receipt.name = "kuitansi.pdf"
    response = client.post(url, {"bukti": receipt}, follow=True)
    assert "tersimpan" in response.content.decode()
    saved = Penyaluran.objects.get(pk=penyaluran.pk)
    assert saved.bukti_tipe == "application/pdf" and saved.jumlah == penyaluran.jumlah
    other = io.BytesIO(PNG); other.name = "foto.png"
    response = client.post(url, {"bukti": other}, follow=True)
    assert "sudah punya bukti" in response.content.decode()
    assert Penyaluran.objects.get(pk=penyaluran.pk).bukti_tipe == "application/pdf"
    assert client_for(users["wilayah"]).post(url, {"bukti": other}).status_code == 403
