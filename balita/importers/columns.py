"""e-PPGBM column names and where the header row is: plain Python (no Django, no pandas), shared by
the import (`reading`) and the z-score tool (`balita.growth.table`), which runs without Django.
"""

from __future__ import annotations

from pathlib import Path

from tpps import tabel
from tpps.tabel import UnreadableWorkbook, header_key  # noqa: F401  (balita's names for the shared helpers)

# our name: (label as e-PPGBM writes it, other spellings seen, required)
COLUMNS = {
    "nik": ("NIK", ["nikanak", "nikbalita"], False),
    "nama": ("Nama", ["namaanak", "namabalita"], True),
    "jenis_kelamin": ("JK", ["jeniskelamin", "lp", "kelamin"], True),
    "tanggal_lahir": ("Tgl Lahir", ["tanggallahir", "tgllhr"], True),
    "berat_lahir": ("BB Lahir", ["beratlahir", "bblahirkg"], False),
    "panjang_lahir": ("TB Lahir", ["pblahir", "panjanglahir", "tinggilahir", "tblahircm"], False),
    "nama_ibu": ("Nama Ortu", ["namaibu", "namaorangtua", "namaortuibu"], False),
    "nik_ibu": ("NIK Ortu", ["nikibu", "nikorangtua"], False),
    "nama_ayah": ("Nama Ayah", [], False),
    "provinsi": ("Prov", ["provinsi"], False),
    "kab_kota": ("Kab/Kota", ["kabupatenkota", "kota", "kabkot"], False),
    "kecamatan": ("Kec", ["kecamatan"], False),
    "puskesmas": ("Pukesmas", ["puskesmas"], False),
    "kelurahan": ("Desa/Kel", ["kelurahan", "desakelurahan", "kel", "desa", "kelurahandesa"], True),
    "posyandu": ("Posyandu", ["namaposyandu"], False),
    "rt": ("RT", [], False),
    "rw": ("RW", [], False),
    "alamat": ("Alamat", [], False),
    "tanggal": ("Tanggal Pengukuran", ["tglpengukuran", "tanggalukur", "tglukur", "tanggalpenimbangan"], True),
    "berat": ("Berat", ["bb", "beratbadan", "beratkg", "bbkg"], True),
    "tinggi": ("Tinggi", ["tb", "tinggibadan", "tinggicm", "tbcm", "panjangtinggi", "pbtb", "tbpb"], True),
    "cara_ukur": ("Cara Ukur", ["caraukurtinggi", "posisiukur"], False),
    "lila": ("LiLA", ["lilacm"], False),
    "lingkar_kepala": ("Lingkar Kepala", ["lk", "lingkarkepalacm"], False),
    "asi_eksklusif": ("ASI Eksklusif", ["asi", "asiekslusif", "asieks", "asiekskl", "asieksklusifyt", "asisaja",
                                        "hanyaasi", "asi024jam", "asi06bulan", "asi0sd6bulan", "asieksklusif06bulan"], False),
}
REQUIRED = [name for name, (_, _, required) in COLUMNS.items() if required]
HEADER_LOOKUP = tabel.header_lookup(COLUMNS)


def find_header(rows: list[list]) -> int | None:
    """Index of the first row naming at least four of the required columns."""
    return tabel.find_header_row(rows, HEADER_LOOKUP, REQUIRED, 4)


def xlsx_rows(path: Path) -> list[list]:
    """The rows of an export's data sheet: the first sheet with a header row, else the first sheet."""
    return tabel.workbook_rows(path, lambda rows: find_header(rows) is not None)
