"""Small builders for GENTING tests: foster parents, families, channels, and money moved through
the real services (so the ledger triggers run)."""

import datetime

import pytest

from genting import services
from genting.models import JenisAkun, Kanal, KeluargaRisikoStunting, OrangTuaAsuh
from tests.factories import kelurahan
from tpps.roles import SYSTEM

HARI = datetime.date(2025, 3, 10)


def make_ota(nama="PT Sumber Rejeki", jenis="perusahaan", **extra):
    defaults = {"komitmen_bentuk": "bulanan", "komitmen_nominal": 100_000, "komitmen_bulan": 6,
                "komitmen_mulai": datetime.date(2025, 1, 1)}
    return OrangTuaAsuh.objects.create(nama=nama, jenis=jenis, **{**defaults, **extra})


def make_keluarga(kelurahan_nama="Betet", kepala="Sutrisno", **extra):
    defaults = {"alamat": "Jl. Mawar 3", "tanggal_masuk": datetime.date(2025, 1, 2)}
    return KeluargaRisikoStunting.objects.create(
        kepala_keluarga=kepala, kelurahan=kelurahan(kelurahan_nama), **{**defaults, **extra}
    )


def kanal(kode="rumah-zakat") -> Kanal:
    return Kanal.objects.get(kode=kode)


def donate(ota, jumlah, kode="rumah-zakat", tanggal=HARI, **extra):
    return services.record_donation(orang_tua_asuh=ota, kanal=kanal(kode), jumlah=jumlah, tanggal=tanggal, **extra, user=SYSTEM)


def pool(kode="rumah-zakat"):
    return services.account(JenisAkun.KAS, kanal(kode))


def disburse(keluarga, jumlah, kode="rumah-zakat", sumber=None, jenis="paket_nutrisi", tanggal=HARI, **extra):
    return services.record_disbursement(
        keluarga=keluarga, jenis=jenis, kanal=kanal(kode), akun_sumber=sumber or pool(kode), jumlah=jumlah,
        tanggal=tanggal, **extra, user=SYSTEM
    )


@pytest.fixture
def ota(db):
    return make_ota()


@pytest.fixture
def keluarga(db):
    return make_keluarga()
