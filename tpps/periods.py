"""Reporting periods (month, quarter, semester, year): the one period object of every app.

A period is named by a short code used in URLs, filters and stored rows: "b03" (Maret),
"t1" (Triwulan I), "s2" (Semester II), "th" (the whole year). konvergensi stores its capaian
under the quarter and year codes; balita's figures and laporan's pages use all of them.
"""

import calendar
import datetime
from dataclasses import dataclass

from tpps.formatting import BULAN

ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
MONTHS_PER = {"bulan": 1, "triwulan": 3, "semester": 6, "tahun": 12}
PREFIX = {"bulan": "b", "triwulan": "t", "semester": "s", "tahun": "th"}


@dataclass(frozen=True)
class Periode:
    jenis: str
    tahun: int
    nomor: int

    @property
    def kode(self) -> str:
        if self.jenis == "tahun":
            return "th"
        if self.jenis == "bulan":
            return f"b{self.nomor:02d}"
        return f"{PREFIX[self.jenis]}{self.nomor}"

    @property
    def bulan_awal(self) -> int:
        return (self.nomor - 1) * MONTHS_PER[self.jenis] + 1

    @property
    def bulan_akhir(self) -> int:
        return self.nomor * MONTHS_PER[self.jenis]

    @property
    def mulai(self) -> datetime.date:
        return datetime.date(self.tahun, self.bulan_awal, 1)

    @property
    def akhir(self) -> datetime.date:
        month = self.bulan_akhir
        return datetime.date(self.tahun, month, calendar.monthrange(self.tahun, month)[1])

    @property
    def nama(self) -> str:
        """Name within the year: 'Maret', 'Triwulan I', 'Semester II', 'Setahun'."""
        if self.jenis == "bulan":
            return BULAN[self.nomor - 1]
        if self.jenis == "tahun":
            return "Setahun"
        return f"{self.jenis.title()} {ROMAWI[self.nomor]}"

    @property
    def label(self) -> str:
        """'Maret 2024', 'Triwulan I 2024', 'Tahun 2024'."""
        if self.jenis == "tahun":
            return f"Tahun {self.tahun}"
        return f"{self.nama} {self.tahun}"

    @property
    def label_akhir(self) -> str:
        """The point in time a period stands for, as in 'turun 31 sejak Desember 2023'."""
        if self.jenis == "tahun":
            return str(self.tahun)
        return f"{BULAN[self.bulan_akhir - 1]} {self.tahun}"

    def sebelumnya(self) -> "Periode":
        if self.jenis == "tahun":
            return Periode("tahun", self.tahun - 1, 1)
        count = 12 // MONTHS_PER[self.jenis]
        if self.nomor == 1:
            return Periode(self.jenis, self.tahun - 1, count)
        return Periode(self.jenis, self.tahun, self.nomor - 1)

    def with_year(self, tahun: int) -> "Periode":
        return Periode(self.jenis, tahun, self.nomor)


def parse(kode: str, tahun: int) -> Periode | None:
    """The period for a code in a year, or None when the code is not one of ours."""
    kode = (kode or "").strip().lower()
    if kode == "th":
        return Periode("tahun", tahun, 1)
    for jenis, prefix, count in (("bulan", "b", 12), ("triwulan", "t", 4), ("semester", "s", 2)):
        if kode.startswith(prefix) and kode[1:].isdigit() and 1 <= int(kode[1:]) <= count:
            return Periode(jenis, tahun, int(kode[1:]))
    return None


def periods_of_year(tahun: int) -> list[Periode]:
    """Every reporting period of a year (19): 12 months, 4 quarters, 2 semesters, the year."""
    result = [Periode("bulan", tahun, m) for m in range(1, 13)]
    result += [Periode("triwulan", tahun, q) for q in range(1, 5)]
    result += [Periode("semester", tahun, s) for s in (1, 2)]
    result.append(Periode("tahun", tahun, 1))
    return result


def choices(tahun: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped <select> choices for the periods of `tahun` (the year shown is that year's)."""
    groups = {"bulan": "Bulan", "triwulan": "Triwulan", "semester": "Semester", "tahun": "Tahun"}
    periods = periods_of_year(tahun)
    return [
        (label, [(p.kode, p.nama if jenis != "tahun" else f"Setahun ({tahun})") for p in periods if p.jenis == jenis])
        for jenis, label in groups.items()
    ]


# The quarter and year codes: konvergensi reports indicators by these.
QUARTER_AND_YEAR = ("t1", "t2", "t3", "t4", "th")

