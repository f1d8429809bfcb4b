"""Create forms are stored once (issue 13, item 5): the same form posted twice (same hidden token)
stores one row and the second post answers like the first; a unique constraint hit by a racing
request is the form's Indonesian error, not a 500."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from balita.models import Anak, Pengukuran
from genting.models import (
    AnggotaKeluarga,
    Donasi,
    JenisTransaksi,
    KeluargaRisikoStunting,
    OrangTuaAsuh,
    Pendampingan,
    Penyaluran,
    Transaksi,
)
from konvergensi.models import Bukti, Indikator, Penandatangan, RembukStunting, RencanaKegiatan
from laporan.models import SurveiPrevalensi
from tests.factories import kelurahan, make_user
from tests.genting.conftest import donate, kanal, make_keluarga, make_ota, pool
from tests.konvergensi.files import pdf_bytes
from tests.tpps.test_kelola import NEW_PASSWORD
from tpps.models import Kecamatan, Kelurahan, Kiriman, LokusKelurahan, Opd, Penugasan, Posyandu, Puskesmas, User

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


# --- Every create form: posted twice with one token, stored once ------------------------------------

def _genting_world():
    ota = make_ota(nama="Ibu Dermawan")
    family = make_keluarga("Pesantren", kepala="Sumarni")
    donate(ota, 500_000)
    return ota, family


def _rembuk():
    return RembukStunting.objects.get_or_create(tahun=2025, defaults={"tanggal": datetime.date(2025, 5, 14)})[0]


def _lokus_2025():
    return LokusKelurahan.objects.filter(tahun=2025).first().kelurahan


# name: (role, set-up -> context, page url, post url, data(context, token), rows counted, token field)
CASES = {
    "orang tua asuh": ("operator", lambda: {}, lambda c: reverse("genting:ota_create"),
                       lambda c: reverse("genting:ota_create"),
                       lambda c, t: {"nama": "Bu Kembar", "jenis": "perorangan", "komitmen_bentuk": "sekali",
                                     "komitmen_nominal": "100.000", "komitmen_bulan": "1", "aktif": "on", "kiriman": t},
                       lambda: OrangTuaAsuh.objects.filter(nama="Bu Kembar").count()),
    "keluarga": ("operator", lambda: {}, lambda c: reverse("genting:keluarga_create"),
                 lambda c: reverse("genting:keluarga_create"),
                 lambda c, t: {"kepala_keluarga": "Pak Kembar", "alamat": "Jl. Kawi 2", "kelurahan": kelurahan("Betet").pk,
                               "status": "aktif", "tanggal_masuk": "2025-02-01", "kiriman": t},
                 lambda: KeluargaRisikoStunting.objects.filter(kepala_keluarga="Pak Kembar").count()),
    "anggota keluarga": ("operator", lambda: {"family": make_keluarga("Betet")},
                         lambda c: reverse("genting:keluarga_detail", args=[c["family"].pk]),
                         lambda c: reverse("genting:anggota_create", args=[c["family"].pk]),
                         lambda c, t: {"nama": "Bu Hamil", "sasaran": "ibu_hamil", "kiriman": t},
                         lambda: AnggotaKeluarga.objects.filter(nama="Bu Hamil").count()),
    "pendampingan": ("operator", lambda: dict(zip(("ota", "family"), _genting_world())),
                     lambda c: reverse("genting:ota_detail", args=[c["ota"].pk]),
                     lambda c: reverse("genting:pendampingan_create", args=[c["ota"].pk]),
                     lambda c, t: {"keluarga": c["family"].pk, "mulai": "2025-03-01", "kiriman": t},
                     lambda: Pendampingan.objects.count()),
    "penyaluran": ("operator", lambda: dict(zip(("ota", "family"), _genting_world())),
                   lambda c: reverse("genting:penyaluran_create"), lambda c: reverse("genting:penyaluran_create"),
                   lambda c, t: {"keluarga": c["family"].pk, "kanal": kanal().pk, "akun_sumber": pool().pk,
                                 "jenis": "paket_nutrisi", "lama_bulan": "1", "jumlah": "200.000",
                                 "tanggal": "2025-04-02", "uraian": "Telur", "kiriman": t},
                   lambda: Penyaluran.objects.count()),
    "rencana kegiatan": ("opd", lambda: {}, lambda c: reverse("konvergensi:rencana_tambah") + "?tahun=2025",
                         lambda c: reverse("konvergensi:rencana_tambah") + "?tahun=2025",
                         lambda c, t: {"opd": Opd.objects.get(kode="dinkes").pk, "nama": "PMT kembar", "pagu": "1.000",
                                       "sasaran": "umum", "lokus": [_lokus_2025().pk], "kiriman": t},
                         lambda: RencanaKegiatan.objects.filter(nama="PMT kembar").count()),
    "penandatangan": ("operator", lambda: {"rembuk": _rembuk()},
                      lambda c: reverse("konvergensi:aksi_detail", kwargs={"tahun": 2025, "nomor": 3}),
                      lambda c: reverse("konvergensi:penandatangan_tambah", kwargs={"tahun": 2025}),
                      lambda c, t: {"nama": "Sri Rahayu", "jabatan": "Wali Kota", "unsur": "wali_kota", "kiriman": t},
                      lambda: Penandatangan.objects.filter(nama="Sri Rahayu").count()),
    "bukti dukung": ("opd", lambda: {},
                     lambda c: reverse("konvergensi:aksi_detail", kwargs={"tahun": 2025, "nomor": 7}),
                     lambda c: reverse("konvergensi:bukti_unggah", kwargs={"tahun": 2025, "nomor": 7}),
                     lambda c, t: {"berkas": SimpleUploadedFile("rekap.pdf", pdf_bytes()), "judul": "Rekap",
                                   "keluaran": "", "kiriman": t},
                     lambda: Bukti.objects.filter(judul="Rekap").count()),
    "angka survei": ("operator", lambda: {}, lambda c: reverse("laporan:survei"), lambda c: reverse("laporan:survei"),
                     lambda c, t: {"tahun": "2024", "sumber": "Survei Kembar", "prevalensi": "17,6", "kiriman": t},
                     lambda: SurveiPrevalensi.objects.filter(sumber="Survei Kembar").count()),
    "pengguna": ("admin", lambda: {}, lambda c: reverse("kelola:pengguna_baru"), lambda c: reverse("kelola:pengguna_baru"),
                 lambda c, t: {"username": "kembar", "first_name": "Kembar", "kata_sandi1": NEW_PASSWORD,
                               "kata_sandi2": NEW_PASSWORD, "kiriman": t},
                 lambda: User.objects.filter(username="kembar").count()),
    "penugasan": ("admin", lambda: {"user": make_user("calon")},
                  lambda c: reverse("kelola:pengguna_detail", args=[c["user"].pk]),
                  lambda c: reverse("kelola:penugasan_tambah", args=[c["user"].pk]),
                  lambda c, t: {"penugasan-peran": "pimpinan", "penugasan-kiriman": t},
                  lambda: Penugasan.objects.filter(user__username="calon").count(), "penugasan-kiriman"),
    "posyandu": ("admin", lambda: {}, lambda c: reverse("kelola:posyandu_baru"), lambda c: reverse("kelola:posyandu_baru"),
                 lambda c, t: {"kelurahan": kelurahan("Betet").pk, "nama": "Kembar 1", "kiriman": t},
                 lambda: Posyandu.objects.filter(nama="Kembar 1").count()),
    "lokus": ("admin", lambda: {}, lambda c: reverse("kelola:lokus") + "?tahun=2031", lambda c: reverse("kelola:lokus"),
              lambda c, t: {"tahun": "2031", "kelurahan": kelurahan("Betet").pk, "kiriman": t},
              lambda: LokusKelurahan.objects.filter(tahun=2031).count()),
    "OPD": ("admin", lambda: {}, lambda c: reverse("kelola:opd_baru"), lambda c: reverse("kelola:opd_baru"),
            lambda c, t: {"singkatan": "Kembar", "nama": "Dinas Kembar", "kode": "kembar", "kiriman": t},
            lambda: Opd.objects.filter(kode="kembar").count()),
    "kecamatan": ("admin", lambda: {}, lambda c: reverse("kelola:kecamatan_baru"), lambda c: reverse("kelola:kecamatan_baru"),
                  lambda c, t: {"kode": "35.71.04", "nama": "Kembar", "kiriman": t},
                  lambda: Kecamatan.objects.filter(kode="35.71.04").count()),
    "kelurahan": ("admin", lambda: {}, lambda c: reverse("kelola:kelurahan_baru"), lambda c: reverse("kelola:kelurahan_baru"),
                  lambda c, t: {"kecamatan": Kecamatan.objects.get(nama="Pesantren").pk, "kode": "35.71.03.1016",
                                "nama": "Kembar", "kiriman": t},
                  lambda: Kelurahan.objects.filter(kode="35.71.03.1016").count()),
    "puskesmas": ("admin", lambda: {"kelurahan": Kelurahan.objects.create(
                      kode="35.71.03.1016", nama="Kembar", kecamatan=Kecamatan.objects.get(nama="Pesantren"))},
                  lambda c: reverse("kelola:puskesmas_baru"), lambda c: reverse("kelola:puskesmas_baru"),
                  lambda c, t: {"nama": "Kembar", "kecamatan": c["kelurahan"].kecamatan_id,
                                "kelurahan": [c["kelurahan"].pk], "kiriman": t},
                  lambda: Puskesmas.objects.filter(nama="Kembar").count()),
    "indikator": ("admin", lambda: {}, lambda c: reverse("kelola:indikator:baru"), lambda c: reverse("kelola:indikator:baru"),
                  lambda c, t: {"kode": "kembar", "nama": "Indikator kembar", "opd": Opd.objects.get(kode="dinkes").pk,
                                "jenis": "lokal", "satuan": "%", "arah": "naik", "sumber_data": "Dinkes", "urutan": "99",
                                "aktif": "on", "kiriman": t},
                  lambda: Indikator.objects.filter(kode="kembar").count()),
}


@pytest.mark.parametrize("name", CASES)
def test_every_create_form_posted_twice_with_one_token_stores_once(client_for, users, media, name):
    role, setup, page, post, data, rows, *field = CASES[name]
    context = setup()
    client = client_for(users[role])
    before = rows()
    form_page = client.get(page(context))
    assert form_page.status_code == 200
    token = re.search(rf'name="{field[0] if field else "kiriman"}" value="([0-9a-f-]{{36}})"',
                      form_page.content.decode()).group(1)
    first = client.post(post(context), data(context, token))
    assert first.status_code == 302
    second = client.post(post(context), data(context, token))
    assert rows() == before + 1
    assert second.status_code == 302 and second["Location"] == first["Location"]
    assert "sudah terkirim sebelumnya" in client.get(second["Location"]).content.decode()
    assert Kiriman.objects.filter(token=token).count() == 1


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_a_racing_lokus_of_the_same_year_is_a_form_error(client_for, users, monkeypatch):
    client = client_for(users["admin"])
    token = token_of(client.get(reverse("kelola:lokus") + "?tahun=2031"))
    betet = kelurahan("Betet")
    insert_before(monkeypatch, LokusKelurahan.objects, lambda create: create(tahun=2031, kelurahan=betet))
    response = client.post(reverse("kelola:lokus"), {"tahun": "2031", "kelurahan": betet.pk, "kiriman": token})
    assert response.status_code == 200
    assert "Kelurahan ini baru saja ditambahkan sebagai lokus tahun itu" in response.content.decode()
    assert LokusKelurahan.objects.filter(tahun=2031).count() == 0  # the racing row went with the rollback
    assert not Kiriman.objects.filter(token=token).exists()
