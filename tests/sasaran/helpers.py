"""Small factories and files for sasaran's tests: real rows through the real services, real XLSX
files written with the app's own XLSX writer."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from sasaran import services
from tpps import xlsx
from tpps.models import Kelurahan
from tpps.roles import SYSTEM


def kelurahan(nama):
    return Kelurahan.objects.get(nama=nama)


def catin(nama_kelurahan="Pesantren", *, nik="3571030101000001", nama="Dewi Lestari", jenis_kelamin="P",
          tanggal_lahir=datetime.date(2000, 1, 1), tanggal_periksa=datetime.date(2025, 3, 5), berat="52", tinggi="155",
          lila="25", hb="12.5", terpapar_rokok=False, didampingi=False, user=SYSTEM):
    data = {"nik": nik, "nama": nama, "jenis_kelamin": jenis_kelamin, "tanggal_lahir": tanggal_lahir, "alamat": "",
            "kelurahan": kelurahan(nama_kelurahan), "tanggal_periksa": tanggal_periksa, "rencana_nikah": None,
            "berat": Decimal(berat), "tinggi": Decimal(tinggi), "lila": None if lila is None else Decimal(lila),
            "hb": None if hb is None else Decimal(hb), "terpapar_rokok": terpapar_rokok, "didampingi": didampingi}
    return services.record_catin(data, user)


def ttd(nama_kelurahan="Pesantren", *, sekolah="SMP Negeri 1", tahun=2025, bulan=3, jumlah=100, diberi=90, minum=70,
        user=SYSTEM):
    return services.record_ttd({"sekolah": sekolah, "kelurahan": kelurahan(nama_kelurahan), "tahun": tahun, "bulan": bulan,
                                "jumlah_siswi": jumlah, "diberi_ttd": diberi, "minum_ttd": minum}, user)


def xlsx_upload(headers, rows, name="data.xlsx", preamble=()):
    content = xlsx.table_bytes(headers, rows, preamble=list(preamble))
    return SimpleUploadedFile(name, content, content_type=xlsx.CONTENT_TYPE)


def csv_upload(lines, name="data.csv"):
    return SimpleUploadedFile(name, ("\n".join(lines) + "\n").encode("utf-8"), content_type="text/csv")
