"""GENTING tables: who gives and who is helped (people), the ledger, and the documents of money
in and help out (flows). Split by responsibility; import from `genting.models`."""

from genting.models.flows import BentukDonasi, Donasi, JenisBantuan, Penyaluran
from genting.models.ledger import Akun, Entri, JenisAkun, JenisKanal, JenisTransaksi, Kanal, Transaksi
from genting.models.people import (
    AnggotaKeluarga,
    BentukKomitmen,
    JenisOrangTuaAsuh,
    KebutuhanKeluarga,
    KeluargaRisikoStunting,
    KelompokSasaran,
    OrangTuaAsuh,
    Pendampingan,
    Sasaran,
    StatusKeluarga,
)

__all__ = [
    "Akun", "AnggotaKeluarga", "BentukDonasi", "BentukKomitmen", "Donasi", "Entri", "JenisAkun",
    "JenisBantuan", "JenisKanal", "JenisOrangTuaAsuh", "JenisTransaksi", "Kanal", "KebutuhanKeluarga",
    "KeluargaRisikoStunting", "KelompokSasaran", "OrangTuaAsuh", "Pendampingan", "Penyaluran",
    "Sasaran", "StatusKeluarga", "Transaksi",
]
