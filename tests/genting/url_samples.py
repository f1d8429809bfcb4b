"""Real objects for the GENTING URL patterns in the permission walk (tests/test_url_walk.py).

The family lives in Pesantren, inside the walk's operator wilayah area (Puskesmas Pesantren I),
so detail pages really render for every role that may open them.
"""

import datetime

from django.core.files.base import ContentFile

from genting import services
from genting.models import JenisAkun, Kanal, KeluargaRisikoStunting, OrangTuaAsuh, Pendampingan, Penyaluran
from tests.factories import kelurahan
from tests.url_samples import sample
from tpps.roles import SYSTEM

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _world():
    """One foster parent paired with one family, a donation and a disbursement with evidence."""
    existing = Penyaluran.objects.filter(keluarga__kepala_keluarga="Contoh Walk").first()
    if existing:
        return existing
    day = datetime.date(2025, 4, 1)
    ota = OrangTuaAsuh.objects.create(nama="PT Contoh Walk", jenis="perusahaan", komitmen_bentuk="sekali",
                                      komitmen_nominal=1_000_000)
    keluarga = KeluargaRisikoStunting.objects.create(kepala_keluarga="Contoh Walk", alamat="Jl. Contoh 1",
                                                     kelurahan=kelurahan("Pesantren"), tanggal_masuk=day)
    Pendampingan.objects.create(orang_tua_asuh=ota, keluarga=keluarga, mulai=day)
    kanal = Kanal.objects.get(kode="rumah-zakat")
    services.record_donation(orang_tua_asuh=ota, kanal=kanal, jumlah=500_000, tanggal=day, user=SYSTEM)
    return services.record_disbursement(
        keluarga=keluarga, jenis="paket_nutrisi", kanal=kanal, akun_sumber=services.account(JenisAkun.KAS, kanal),
        jumlah=200_000, tanggal=day, bukti=ContentFile(PNG, name="bukti.png"), bukti_tipe="image/png", user=SYSTEM
    )


@sample("genting:ota_detail")
@sample("genting:ota_edit")
@sample("genting:ota_statement")
@sample("genting:pendampingan_create")
def ota(users):
    return {"pk": Pendampingan.objects.get(keluarga=_world().keluarga).orang_tua_asuh_id}


@sample("genting:keluarga_detail")
@sample("genting:keluarga_edit")
@sample("genting:anggota_create")
def keluarga(users):
    return {"pk": _world().keluarga_id}


@sample("genting:penyaluran_bukti")
def penyaluran(users):
    return {"pk": _world().pk}


@sample("genting:transaksi_batalkan")
def transaksi(users):
    return {"pk": _world().transaksi_id}


@sample("genting:penyaluran_bukti_unggah")
def penyaluran_tanpa_bukti(users):
    world = _world()
    kanal = Kanal.objects.get(kode="rumah-zakat")
    later = services.record_disbursement(
        keluarga=world.keluarga, jenis="edukasi", kanal=kanal, akun_sumber=services.account(JenisAkun.KAS, kanal),
        jumlah=10_000, tanggal=datetime.date(2025, 4, 2), user=SYSTEM
    )
    return {"pk": later.pk}
