"""Crafted children and measurements for the data-quality tests: one posyandu whose every
problem is known by hand."""

import datetime
from decimal import Decimal

from balita.models import Anak, Pengukuran
from tests.factories import make_posyandu
from tests.laporan.helpers import make_anak, make_pengukuran, refresh_figures
from tpps.models import Kelurahan
from tpps.periods import Periode

Q1 = Periode("triwulan", 2025, 1)


def child(kel_nama, lahir, nama, *, jk="L", nik=None, ibu="", posyandu="Melati") -> Anak:
    anak = make_anak(Kelurahan.objects.get(nama=kel_nama), lahir, nama=nama, nik=nik, jk=jk)
    anak.nama_ibu = ibu
    anak.posyandu = make_posyandu(kel_nama, posyandu)
    anak.save()
    return anak


def ukur(anak, tanggal, berat, tinggi, cara="", haz=0.0, waz=0.0, whz=0.0, **flags) -> Pengukuran:
    row = make_pengukuran(anak, tanggal, haz=haz, waz=waz, whz=whz)
    row.berat = None if berat is None else Decimal(str(berat))
    row.tinggi = None if tinggi is None else Decimal(str(tinggi))
    row.cara_ukur = cara
    row.umur_hari = (tanggal - anak.tanggal_lahir).days
    for name, value in flags.items():
        setattr(row, name, value)
    row.save()
    return row


def melati_betet() -> dict:
    """Posyandu Melati, Kelurahan Betet, first quarter of 2025:
    - Adi (boy, NIK, born on the 1st): 10 Jan 80.0 cm lying 10.0 kg; 10 Mar 77.0 cm lying 10.5 kg
      → height falls 3.0 cm;
    - Bunga (girl, no NIK): 5 Mar weight missing, 75.5 cm standing at 13 months → wrong position;
    - Citra (girl, NIK): 12 Mar 95.3 cm lying at 35 months (wrong position), 14.2 kg, TB/U flagged;
    - Adi again (same name, birth date, mother; never measured) → a duplicate;
    - Dewi (girl, NIK): 20 Feb 8.0 kg → 15 Mar 12.0 kg: gains 4 kg in 23 days.
    """
    adi = child("Betet", datetime.date(2024, 1, 1), "Adi Saputra", nik="3571010101240001", ibu="Sri Wahyuni")
    bunga = child("Betet", datetime.date(2024, 2, 15), "Bunga Lestari", jk="P", ibu="Rina")
    citra = child("Betet", datetime.date(2022, 3, 20), "Citra Dewi", jk="P", nik="3571010101240003", ibu="Ani")
    dua = child("Betet", datetime.date(2024, 1, 1), "Adi  saputra", nik="3571010101240004", ibu="Sri Wahyuni")
    dewi = child("Betet", datetime.date(2024, 6, 3), "Dewi Ayu", jk="P", nik="3571010101240005", ibu="Tini")
    rows = {
        "adi1": ukur(adi, datetime.date(2025, 1, 10), 10.0, 80.0, "terlentang", haz=-1.0),
        "adi2": ukur(adi, datetime.date(2025, 3, 10), 10.5, 77.0, "terlentang", haz=-2.5),
        "bunga": ukur(bunga, datetime.date(2025, 3, 5), None, 75.5, "berdiri", haz=-0.5, waz=None, whz=None),
        "citra": ukur(citra, datetime.date(2025, 3, 12), 14.2, 95.3, "terlentang", haz=6.5, flag_tbu=True),
        "dewi1": ukur(dewi, datetime.date(2025, 2, 20), 8.0, 70.1, "terlentang", haz=0.2),
        "dewi2": ukur(dewi, datetime.date(2025, 3, 15), 12.0, 71.2, "terlentang", haz=0.4),
    }
    refresh_figures()
    return {"adi": adi, "bunga": bunga, "citra": citra, "dua": dua, "dewi": dewi, **rows}
