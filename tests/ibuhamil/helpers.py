"""Small factories for ibu hamil tests: pregnancies through the services (so derived fields are
the services' own)."""

import datetime
from decimal import Decimal

from ibuhamil import services
from tests.factories import kelurahan
from tpps.roles import SYSTEM


def make_kehamilan(kelurahan_nama="Pesantren", *, nama="Siti Aminah", nik=None, tanggal_lahir=datetime.date(1995, 5, 15),
                   hpht=datetime.date(2025, 1, 10), user=SYSTEM, **extra):
    data = {"nama": nama, "nik": nik, "tanggal_lahir": tanggal_lahir, "alamat": "Jl. Mawar 3",
            "kelurahan": kelurahan(kelurahan_nama), "posyandu": None, "hpht": hpht, "jumlah_persalinan": 0,
            "persalinan_terakhir": None, **extra}
    return services.register_pregnancy(data, user)


def visit(kehamilan, tanggal, *, lila=None, hb=None, ttd=None, user=SYSTEM, ke=None):
    return services.record_visit(kehamilan, tanggal=tanggal, ke=ke, lila=None if lila is None else Decimal(str(lila)),
                                 hb=None if hb is None else Decimal(str(hb)), ttd_kumulatif=ttd, user=user)


def birth(kehamilan, tanggal, *, berat=3100, panjang=49, sex="P", nama="", nik="", keadaan="hidup", user=SYSTEM):
    return services.record_birth(kehamilan, {
        "tanggal_persalinan": tanggal, "keadaan_lahir": keadaan, "berat_lahir": berat,
        "panjang_lahir": None if panjang is None else Decimal(str(panjang)), "jenis_kelamin_bayi": sex,
        "nama_bayi": nama, "nik_bayi": nik}, user)
