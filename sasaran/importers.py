"""Our spreadsheet templates for catin (Elsimil), remaja putri TTD and BKKBN's KRS data, and the
row checks that turn a file into typed rows with errors by row and column (Indonesian). Reads
only; sasaran.services writes. Elsimil's and BKKBN's own export formats are not public: these
templates are ours, with loose header matching for the spellings we have seen.

A row with any error is left out whole. Rows are keyed (catin: NIK + screening date; TTD: school
+ kelurahan + year + month; KRS: year + kelurahan + NIK of the head, else the head's name) so the
same file twice changes nothing, and the same key twice in one file is an error.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal

from tpps import impor
from tpps.models import Kelurahan
from tpps.tabel import Kolom, Tabel, header_key

# --- Templates ----------------------------------------------------------------------------------

CATIN = {
    "nik": Kolom("NIK", ("nikcatin", "noktp", "nomorinduk"), True),
    "nama": Kolom("Nama", ("namacatin", "namalengkap"), True),
    "jenis_kelamin": Kolom("Jenis Kelamin", ("jk", "lp", "kelamin"), True),
    "tanggal_lahir": Kolom("Tanggal Lahir", ("tgllahir", "tgllhr"), True),
    "alamat": Kolom("Alamat", ()),
    "kelurahan": Kolom("Kelurahan", ("desakel", "desakelurahan", "kel", "desa"), True),
    "tanggal_periksa": Kolom("Tanggal Pemeriksaan", ("tglperiksa", "tanggalperiksa", "tglpemeriksaan", "tanggalskrining",
                                                     "tglskrining", "tanggalpengisian"), True),
    "rencana_nikah": Kolom("Rencana Tanggal Menikah", ("rencananikah", "tglnikah", "tanggalnikah", "rencanamenikah")),
    "berat": Kolom("Berat Badan (kg)", ("bb", "berat", "beratbadan", "bbkg"), True),
    "tinggi": Kolom("Tinggi Badan (cm)", ("tb", "tinggi", "tinggibadan", "tbcm"), True),
    "lila": Kolom("LiLA (cm)", ("lila", "lingkarlenganatas")),
    "hb": Kolom("Hb (g/dL)", ("hb", "hemoglobin", "kadarhb", "hbgdl")),
    "terpapar_rokok": Kolom("Terpapar Asap Rokok", ("terpaparrokok", "paparanrokok", "merokok", "asaprokok",
                                                    "terpaparasaprokok", "perokok")),
    "didampingi": Kolom("Didampingi TPK", ("pendampingan", "didampingi", "pendampingantpk", "mendapatpendampingan")),
}

REMAJA = {
    "sekolah": Kolom("Sekolah", ("namasekolah", "sekolahmadrasah"), True),
    "kelurahan": Kolom("Kelurahan", ("desakel", "desakelurahan", "kel", "desa"), True),
    "tahun": Kolom("Tahun", (), True),
    "bulan": Kolom("Bulan", ("bulanke",), True),
    "jumlah_siswi": Kolom("Jumlah Remaja Putri", ("jumlahsiswi", "siswi", "jumlahrematri", "remajaputri",
                                                  "sasaranremajaputri"), True),
    "diberi_ttd": Kolom("Diberi TTD", ("mendapatttd", "dapatttd", "jumlahdiberittd", "ttddiberikan"), True),
    "minum_ttd": Kolom("Minum TTD", ("mengonsumsittd", "mengkonsumsittd", "konsumsittd", "jumlahminumttd",
                                     "minumttd"), True),
}

KRS_FLAGS = ["tanpa_air_minum_layak", "tanpa_jamban_layak", "terlalu_muda", "terlalu_tua", "terlalu_dekat",
             "terlalu_banyak", "pus", "unmet_need", "ada_baduta", "ada_balita", "ada_ibu_hamil"]
KRS = {
    "tahun": Kolom("Tahun Data", ("tahun", "tahunpendataan", "tahunverval"), True),
    "kepala_keluarga": Kolom("Nama Kepala Keluarga", ("kepalakeluarga", "namakk", "namakepala", "kk"), True),
    "nik_kepala": Kolom("NIK Kepala Keluarga", ("nikkk", "nikkepala", "nik")),
    "nama_istri": Kolom("Nama Istri", ("namaibu", "istri", "namaistriibu")),
    "nik_istri": Kolom("NIK Istri", ("nikibu", "nikistriibu")),
    "alamat": Kolom("Alamat", ()),
    "rt": Kolom("RT", ()),
    "rw": Kolom("RW", ()),
    "kelurahan": Kolom("Kelurahan", ("desakel", "desakelurahan", "kel", "desa"), True),
    "jumlah_anggota": Kolom("Jumlah Anggota Keluarga", ("jumlahanggota", "jumlahjiwa", "anggotakeluarga", "art")),
    "tanpa_air_minum_layak": Kolom("Tidak Ada Air Minum Layak", ("airminumtidaklayak", "tidakpunyaairminumlayak",
                                                                 "sumberairminumtidaklayak", "airtidaklayak")),
    "tanpa_jamban_layak": Kolom("Tidak Ada Jamban Layak", ("jambantidaklayak", "tidakpunyajambanlayak",
                                                           "tidakadajamban")),
    "terlalu_muda": Kolom("Terlalu Muda", ("terlalumudaumuristrikurang20tahun", "4tmuda")),
    "terlalu_tua": Kolom("Terlalu Tua", ("terlalutuaumuristri35tahun", "4ttua")),
    "terlalu_dekat": Kolom("Terlalu Dekat", ("terlaludekatjaraklahirkurang2tahun", "4tdekat")),
    "terlalu_banyak": Kolom("Terlalu Banyak", ("terlalubanyakanak3", "4tbanyak")),
    "pus": Kolom("PUS", ("pasanganusiasubur", "keluargapus")),
    "unmet_need": Kolom("PUS Ingin KB Tidak Terlayani", ("unmetneed", "pusinginkbtidakterlayani", "kbtidakterlayani",
                                                         "unmetneedkb")),
    "ada_baduta": Kolom("Ada Baduta", ("baduta", "punyabaduta")),
    "ada_balita": Kolom("Ada Balita", ("balita", "punyabalita")),
    "ada_ibu_hamil": Kolom("Ada Ibu Hamil", ("ibuhamil", "punyaibuhamil", "bumil")),
}

COLUMNS = {"catin": CATIN, "remaja": REMAJA, "krs": KRS}

# One example row per template (the downloadable XLSX).
EXAMPLES = {
    "catin": ["3571034101000001", "Dewi Lestari", "P", "01/01/2000", "Jl. Mawar 1", "Pesantren", "05/03/2025",
              "20/06/2025", "48", "155", "23", "11,5", "Tidak", "Ya"],
    "remaja": ["SMP Negeri 1 Kediri", "Pakelan", 2025, 3, 210, 200, 180],
    "krs": [2025, "Budi Santoso", "3571030101800001", "Siti Aminah", "3571034101850001", "Jl. Melati 5", "001", "002",
            "Betet", 4, "Tidak", "Ya", "Tidak", "Tidak", "Ya", "Tidak", "Ya", "Ya", "Ya", "Tidak", "Tidak"],
}


def template(jenis: str) -> tuple[list, list]:
    columns = COLUMNS[jenis]
    return [k.label for k in columns.values()], [EXAMPLES[jenis]]


# --- Checking -----------------------------------------------------------------------------------


@dataclass
class Checked:
    rows: list = field(default_factory=list)  # dicts of typed values, "_baris", "_kunci"
    errors: list = field(default_factory=list)  # dicts baris, kolom, nilai, pesan
    total: int = 0


class _Row:
    """Collects one row's values and errors."""

    def __init__(self, cells: dict, table: Tabel, columns: dict):
        self.cells, self.table, self.columns = cells, table, columns
        self.values, self.errors = {}, []

    def error(self, name: str, message: str):
        self.errors.append({"baris": self.cells["_baris"], "kolom": self.table.label(name, self.columns),
                            "nilai": impor.cell_text(self.cells.get(name))[:200], "pesan": message})

    def text(self, name: str, limit: int, required_message: str | None = None) -> str:
        value = impor.cell_text(self.cells.get(name))
        if required_message and not value:
            self.error(name, required_message)
        if len(value) > limit:
            self.error(name, f"Terlalu panjang (paling banyak {limit} karakter).")
        return value[:limit]

    def date(self, name: str, label: str, required: bool, today: datetime.date):
        value, bad = impor.parse_date(self.cells.get(name))
        if bad:
            self.error(name, f"{label} tidak terbaca: tulis seperti 24/05/2024 atau 2024-05-24.")
        elif value is None and required:
            self.error(name, f"{label} kosong.")
        return value

    def number(self, name: str, label: str, low: float, high: float, unit: str, required: bool, decimals: int = 1):
        value, bad = impor.parse_number(self.cells.get(name))
        if bad:
            self.error(name, f"{label} tidak terbaca sebagai angka.")
            return None
        if value is None:
            if required:
                self.error(name, f"{label} kosong.")
            return None
        if not low <= value <= high:
            self.error(name, f"{label} tidak mungkin (batas {_fmt(low)}–{_fmt(high)} {unit}).".replace(" )", ")"))
            return None
        return Decimal(str(round(value, decimals))) if decimals else int(round(value))

    def count(self, name: str, label: str, required: bool = True):
        value, bad = impor.parse_number(self.cells.get(name))
        if bad or (value is not None and (value < 0 or value != int(value))):
            self.error(name, f"{label} harus bilangan bulat 0 atau lebih.")
            return None
        if value is None and required:
            self.error(name, f"{label} kosong.")
        return None if value is None else int(value)

    def yes_no(self, name: str, label: str):
        value, bad = impor.parse_yes_no(self.cells.get(name))
        if bad:
            self.error(name, f"{label} harus Ya atau Tidak (Y/T, 1/0).")
        return value

    def nik(self, name: str, label: str, required: bool) -> str:
        value, bad = impor.parse_nik(self.cells.get(name))
        if bad:
            self.error(name, f"{label} harus 16 angka.")
        elif required and not value:
            self.error(name, f"{label} kosong.")
        return value

    def kelurahan(self, areas: dict, writable):
        name = impor.cell_text(self.cells.get("kelurahan"))
        found = areas.get(impor.area_key(name)) if name else None
        if not name:
            self.error("kelurahan", "Kelurahan kosong.")
        elif found is None:
            self.error("kelurahan", f"Kelurahan \u201c{name}\u201d tidak ada di Kota Kediri.")
        elif found[0] not in writable:
            self.error("kelurahan", f"Kelurahan {found[1]} di luar wilayah kerja Anda.")
        return found[0] if found else None


def _fmt(number: float) -> str:
    return f"{number:g}".replace(".", ",")


def name_key(value: str) -> str:
    """A person's or school's name for matching: case, spaces and punctuation ignored."""
    return re.sub(r"[^0-9a-z]+", " ", str(value or "").lower()).strip()


def area_index() -> dict:
    return {impor.area_key(k.nama): (k.id, k.nama) for k in Kelurahan.objects.all()}


def check(jenis: str, table: Tabel, *, writable, today: datetime.date) -> Checked:
    """Every row of a table typed and checked; `writable`: kelurahan ids the user may write."""
    areas = area_index()
    checker = {"catin": _catin, "remaja": _remaja, "krs": _krs}[jenis]
    result = Checked(total=len(table.rows))
    seen = {}
    for cells in table.rows:
        row = _Row(cells, table, COLUMNS[jenis])
        checker(row, areas, set(writable), today)
        if not row.errors:
            key = row.values["_kunci"]
            if key in seen:
                row.error(KEY_COLUMN[jenis], f"Data yang sama sudah ada di baris {seen[key]} berkas ini.")
            else:
                seen[key] = cells["_baris"]
        if row.errors:
            result.errors.extend(row.errors)
        else:
            row.values["_baris"] = cells["_baris"]
            result.rows.append(row.values)
    return result


KEY_COLUMN = {"catin": "nik", "remaja": "sekolah", "krs": "kepala_keluarga"}


def _catin(row: _Row, areas, writable, today):
    v = row.values
    v["nik"] = row.nik("nik", "NIK", required=True)
    v["nama"] = row.text("nama", 150, "Nama kosong.")
    sex = impor.cell_text(row.cells.get("jenis_kelamin")).upper()[:1]
    if sex not in ("L", "P"):
        row.error("jenis_kelamin", "Jenis kelamin harus L (laki-laki) atau P (perempuan).")
    v["jenis_kelamin"] = sex
    v["tanggal_lahir"] = row.date("tanggal_lahir", "Tanggal lahir", True, today)
    v["alamat"] = row.text("alamat", 255)
    v["kelurahan_id"] = row.kelurahan(areas, writable)
    v["tanggal_periksa"] = row.date("tanggal_periksa", "Tanggal pemeriksaan", True, today)
    if v["tanggal_periksa"] and v["tanggal_periksa"] > today:
        row.error("tanggal_periksa", "Tanggal pemeriksaan di masa depan.")
    if v["tanggal_lahir"] and v["tanggal_periksa"]:
        years = (v["tanggal_periksa"] - v["tanggal_lahir"]).days / 365.25
        if not 10 <= years <= 80:
            row.error("tanggal_lahir", "Umur saat pemeriksaan tidak wajar untuk calon pengantin (10–80 tahun).")
    v["rencana_nikah"] = row.date("rencana_nikah", "Rencana tanggal menikah", False, today)
    v["berat"] = row.number("berat", "Berat badan", 25, 200, "kg", True)
    v["tinggi"] = row.number("tinggi", "Tinggi badan", 100, 220, "cm", True)
    v["lila"] = row.number("lila", "LiLA", 10, 60, "cm", False)
    v["hb"] = row.number("hb", "Hb", 3, 25, "g/dL", False)
    v["terpapar_rokok"] = row.yes_no("terpapar_rokok", "Terpapar asap rokok")
    v["didampingi"] = bool(row.yes_no("didampingi", "Didampingi TPK"))
    v["_kunci"] = (v["nik"], v["tanggal_periksa"])


def _remaja(row: _Row, areas, writable, today):
    v = row.values
    v["sekolah"] = row.text("sekolah", 150, "Nama sekolah kosong.")
    v["kunci_sekolah"] = name_key(v["sekolah"])
    v["kelurahan_id"] = row.kelurahan(areas, writable)
    v["tahun"] = row.number("tahun", "Tahun", 2015, today.year, "", True, decimals=0)
    bulan = impor.cell_text(row.cells.get("bulan")).lower()
    v["bulan"] = MONTHS.get(bulan) or MONTHS.get(bulan[:3])
    if v["bulan"] is None:
        row.error("bulan", "Bulan harus 1–12 atau nama bulan (Januari … Desember).")
    elif v["tahun"] and (v["tahun"], v["bulan"]) > (today.year, today.month):
        row.error("bulan", "Bulan laporan di masa depan.")
    v["jumlah_siswi"] = row.count("jumlah_siswi", "Jumlah remaja putri")
    v["diberi_ttd"] = row.count("diberi_ttd", "Diberi TTD")
    v["minum_ttd"] = row.count("minum_ttd", "Minum TTD")
    if None not in (v["jumlah_siswi"], v["diberi_ttd"]) and v["diberi_ttd"] > v["jumlah_siswi"]:
        row.error("diberi_ttd", "Remaja putri diberi TTD lebih banyak dari jumlah remaja putri.")
    if None not in (v["diberi_ttd"], v["minum_ttd"]) and v["minum_ttd"] > v["diberi_ttd"]:
        row.error("minum_ttd", "Remaja putri minum TTD lebih banyak dari yang diberi TTD.")
    v["_kunci"] = (v["kunci_sekolah"], v["kelurahan_id"], v["tahun"], v["bulan"])


MONTHS = {str(i): i for i in range(1, 13)} | {f"{i:02d}": i for i in range(1, 10)} | {
    name: i for i, name in enumerate(["jan", "feb", "mar", "apr", "mei", "jun", "jul", "agu", "sep", "okt", "nov", "des"], 1)
} | {"agt": 8, "ags": 8, "may": 5, "aug": 8, "oct": 10, "dec": 12}
MONTHS |= {name: i for i, name in enumerate(["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus",
                                             "september", "oktober", "november", "desember"], 1)}


def _krs(row: _Row, areas, writable, today):
    v = row.values
    v["tahun"] = row.number("tahun", "Tahun data", 2015, today.year, "", True, decimals=0)
    v["kepala_keluarga"] = row.text("kepala_keluarga", 150, "Nama kepala keluarga kosong.")
    v["nik_kepala"] = row.nik("nik_kepala", "NIK kepala keluarga", required=False)
    v["nama_istri"] = row.text("nama_istri", 150)
    v["nik_istri"] = row.nik("nik_istri", "NIK istri", required=False)
    v["alamat"] = row.text("alamat", 255)
    v["rt"] = row.text("rt", 3)
    v["rw"] = row.text("rw", 3)
    v["kelurahan_id"] = row.kelurahan(areas, writable)
    v["jumlah_anggota"] = row.count("jumlah_anggota", "Jumlah anggota keluarga", required=False)
    if v["jumlah_anggota"] is not None and not 1 <= v["jumlah_anggota"] <= 30:
        row.error("jumlah_anggota", "Jumlah anggota keluarga harus 1–30.")
    for name in KRS_FLAGS:
        v[name] = bool(row.yes_no(name, KRS[name].label))
    if v["unmet_need"] and not v["pus"]:
        if impor.cell_text(row.cells.get("pus")):
            row.error("unmet_need", "Unmet need hanya untuk keluarga PUS, tetapi kolom PUS berisi Tidak.")
        else:
            v["pus"] = True  # a family with unmet need is a PUS family when the file leaves PUS empty
    v["kunci"] = v["nik_kepala"] or "nama:" + name_key(v["kepala_keluarga"])[:150]
    v["_kunci"] = (v["tahun"], v["kelurahan_id"], v["kunci"])


def label_of(jenis: str, name: str) -> str:
    return COLUMNS[jenis][name].label


def header_names(jenis: str) -> set:
    return {header_key(k.label) for k in COLUMNS[jenis].values()}
