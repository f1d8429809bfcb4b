"""The pregnant-women template (XLSX or CSV) → validated rows with errors by row and column → a
plan (new, changed, unchanged) → written in one transaction.

The template is ours (the national apps' formats — e-Kohort, SIMKIA, ASIK — are not public):
one row per pregnancy, columns in TEMPLATE_COLUMNS. Headers match loosely (tpps.tabel: case,
spaces and punctuation ignored; other spellings listed), extra columns are ignored, a title block
above the header is skipped. Cells are read by balita's parsers (balita.importers.cleaning: dates
as ISO, dd/mm/yyyy or Excel serials; decimals with a comma). A pregnancy is known by the mother's
name, birth date and HPHT (the table's unique key), so the same file twice changes nothing. A file
with any error is not imported at all; the newborns go to balita through ibuhamil.services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from balita.importers import cleaning
from ibuhamil import rules, services
from ibuhamil.models import KeadaanLahir, Kehamilan, KunjunganAnc, PemberianPmt
from tpps import tabel, uploads, xlsx
from tpps.errors import UserError
from tpps.models import Kelurahan, Posyandu
from tpps.roles import CHANGE, actor

VISITS = range(1, 7)
# our name: (header in the template, other spellings as header keys, required, example)
TEMPLATE_COLUMNS = {
    "nik": ("NIK Ibu", ["nik", "nikibuhamil"], False, "3571015505950001"),
    "nama": ("Nama Ibu", ["nama", "namaibuhamil", "namabumil"], True, "Siti Aminah"),
    "tanggal_lahir": ("Tgl Lahir Ibu", ["tanggallahiribu", "tgllahir", "tanggallahir"], True, "15/05/1995"),
    "alamat": ("Alamat", [], False, "Jl. Mawar 3 RT 01/RW 02"),
    "kelurahan": ("Kelurahan", ["desakel", "desakelurahan", "kel", "desa"], True, "Pesantren"),
    "posyandu": ("Posyandu", ["namaposyandu"], False, "Melati"),
    "hpht": ("HPHT", ["haripertamahaidterakhir", "tglhpht", "tanggalhpht"], True, "10/01/2025"),
    "jumlah_persalinan": ("Jumlah Persalinan Sebelumnya", ["jumlahpersalinan", "paritas", "jumlahanak"], False, 1),
    "persalinan_terakhir": ("Tgl Persalinan Terakhir", ["tanggalpersalinanterakhir", "persalinanterakhir"], False,
                            "20/03/2022"),
    **{f"k{n}": (f"Tgl K{n}", [f"k{n}", f"tanggalk{n}", f"kunjungank{n}"], False, "") for n in VISITS},
    "lila": ("LiLA (cm)", ["lila", "lilak1"], False, "24,5"),
    "hb": ("Hb (g/dL)", ["hb", "hemoglobin", "hbk1", "kadarhb"], False, "11,2"),
    "ttd": ("TTD Diminum", ["ttd", "jumlahttd", "tablettambahdarah", "ttdkumulatif"], False, 60),
    "pmt_mulai": ("PMT Mulai", ["tanggalpmt", "tglpmt", "pmtmulaitanggal"], False, ""),
    "pmt_lama": ("PMT Lama (hari)", ["pmtlama", "lamapmt", "lamapmthari"], False, ""),
    "tanggal_persalinan": ("Tgl Persalinan", ["tanggalpersalinan", "tgllahirbayi", "tanggallahirbayi"], False, ""),
    "keadaan_lahir": ("Keadaan Lahir", ["keadaanbayi", "kondisilahir"], False, ""),
    "jenis_kelamin_bayi": ("JK Bayi", ["jeniskelaminbayi", "jkbayi"], False, ""),
    "berat_lahir": ("BB Lahir (gram)", ["bblahir", "beratlahir", "beratlahirgram", "bblgram"], False, ""),
    "panjang_lahir": ("PB Lahir (cm)", ["pblahir", "panjanglahir", "panjanglahircm"], False, ""),
    "nama_bayi": ("Nama Bayi", [], False, ""),
    "nik_bayi": ("NIK Bayi", [], False, ""),
}
LOOKUP = tabel.header_lookup(TEMPLATE_COLUMNS)
REQUIRED = [name for name, spec in TEMPLATE_COLUMNS.items() if spec[2]]
KEADAAN = {"hidup": KeadaanLahir.HIDUP, "lahirhidup": KeadaanLahir.HIDUP, "h": KeadaanLahir.HIDUP,
           "mati": KeadaanLahir.MATI, "lahirmati": KeadaanLahir.MATI, "m": KeadaanLahir.MATI,
           "keguguran": KeadaanLahir.KEGUGURAN, "abortus": KeadaanLahir.KEGUGURAN}
SEX = {"l": "L", "lakilaki": "L", "p": "P", "perempuan": "P"}
PREVIEW_ROWS = 50


class FileError(UserError):
    def __init__(self, message: str):
        super().__init__(message, "berkas")


@dataclass
class Row:
    baris: int
    data: dict  # the pregnancy's typed facts (services.PREGNANCY_FIELDS)
    visits: list  # dicts ke, tanggal, lila, hb, ttd_kumulatif
    pmt: dict | None
    birth: dict | None
    existing: Kehamilan | None = None
    action: str = "baru"  # baru, ubah, sama


@dataclass
class Result:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # UserError with row and column
    warnings: list = field(default_factory=list)

    @property
    def counts(self) -> dict:
        counts = {"baru": 0, "ubah": 0, "sama": 0}
        for row in self.rows:
            counts[row.action] += 1
        counts["persalinan"] = sum(1 for row in self.rows if row.birth and not (row.existing and row.existing.tanggal_persalinan))
        return counts

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.rows)


# --- The template ------------------------------------------------------------------------------


def template_bytes() -> bytes:
    """The template to download: the header row and one example row."""
    headers = [spec[0] for spec in TEMPLATE_COLUMNS.values()]
    example = [spec[3] for spec in TEMPLATE_COLUMNS.values()]
    example[list(TEMPLATE_COLUMNS).index("k1")] = "14/02/2025"
    return xlsx.table_bytes(headers, [example], sheet="Ibu hamil",
                            preamble=["Templat data ibu hamil Pantau Stunting (satu baris per kehamilan). Kolom wajib: "
                                      + ", ".join(TEMPLATE_COLUMNS[n][0] for n in REQUIRED) + "."])


# --- Reading -----------------------------------------------------------------------------------


def read_rows(path: Path, name: str) -> list[list]:
    suffix = Path(name).suffix.lower()
    kind = {".xlsx": "xlsx", ".csv": "csv"}.get(suffix)
    if kind is None:
        raise FileError(f"Format berkas {suffix or '(tanpa ekstensi)'} tidak didukung: unggah .xlsx atau .csv.")
    with Path(path).open("rb") as handle:
        try:
            uploads.periksa_tabel(handle, name, kind)
        except ValidationError as error:
            raise FileError(" ".join(error.messages)) from error
    if kind == "csv":
        return tabel.csv_rows(path)
    try:
        return tabel.workbook_rows(path, lambda rows: _header_index(rows) is not None)
    except tabel.UnreadableWorkbook as error:
        raise FileError(f"Berkas Excel tidak dapat dibaca ({error}). Simpan ulang sebagai .xlsx lalu unggah lagi.") from error


def _header_index(rows):
    return tabel.find_header_row(rows, LOOKUP, REQUIRED, 3)


def frame_of(rows: list[list]) -> tuple[pd.DataFrame, dict]:
    index = _header_index(rows)
    if index is None:
        raise FileError("Baris judul kolom tidak ditemukan. Gunakan templat ibu hamil (kolom "
                        + ", ".join(TEMPLATE_COLUMNS[n][0] for n in REQUIRED) + ").")
    positions, written = tabel.match_header(rows[index], LOOKUP)
    missing = [TEMPLATE_COLUMNS[n][0] for n in REQUIRED if n not in positions]
    if missing:
        raise FileError("Kolom wajib tidak ditemukan: " + ", ".join(missing) + ".")
    body = rows[index + 1:]
    columns = {name: [row[p] if p < len(row) else "" for row in body] if (p := positions.get(name)) is not None
               else [""] * len(body) for name in TEMPLATE_COLUMNS}
    frame = pd.DataFrame(columns, dtype=object)
    frame["_baris"] = range(index + 2, index + 2 + len(body))
    labels = {name: written.get(name, spec[0]) for name, spec in TEMPLATE_COLUMNS.items()}
    return frame, labels


def _blank(values) -> bool:
    return all(cleaning._cell_text(v) == "" for v in values)


def validate(frame: pd.DataFrame, labels: dict, user, today=None) -> Result:
    """Every row checked; each problem an error naming the row and the column."""
    today = today or timezone.localdate()
    result = Result()
    text = {name: cleaning.text(frame[name]) for name in ("nik", "nama", "alamat", "kelurahan", "posyandu",
                                                          "keadaan_lahir", "jenis_kelamin_bayi", "nama_bayi", "nik_bayi")}
    for name in ("nik", "nik_bayi"):
        text[name] = cleaning.digits_only(text[name])
    date_names = ["tanggal_lahir", "hpht", "persalinan_terakhir", *(f"k{n}" for n in VISITS), "pmt_mulai",
                  "tanggal_persalinan"]
    parsed_dates = {name: cleaning.dates(frame[name]) for name in date_names}
    number_names = ["jumlah_persalinan", "lila", "hb", "ttd", "pmt_lama", "berat_lahir", "panjang_lahir"]
    parsed_numbers = {name: cleaning.numbers(frame[name]) for name in number_names}
    kelurahan = {cleaning.area_key(k.nama): k for k in Kelurahan.objects.all()}
    allowed = Kehamilan.objects.all().kelurahan_ids_for(user, CHANGE)  # None: every kelurahan
    writable = {k.pk for k in kelurahan.values()} if allowed is None else allowed
    posyandu = {}
    for p in Posyandu.objects.filter(aktif=True).select_related("kelurahan"):
        posyandu.setdefault((p.kelurahan_id, cleaning.posyandu_key(p.nama, p.kelurahan.nama)), p)
    seen = {}
    for i in range(len(frame)):
        baris = int(frame["_baris"].iat[i])
        if _blank(frame.iloc[i, :-1].tolist()):
            continue
        problems = []

        def problem(name, message):
            problems.append(UserError(message, row=baris, column=labels[name]))

        def date(name, required=False):
            values, bad = parsed_dates[name]
            if bad.iat[i]:
                problem(name, f"tanggal \u201c{cleaning._cell_text(frame[name].iat[i])}\u201d tidak terbaca "
                              "(tulis 31/12/2025 atau 2025-12-31).")
                return None
            value = values.iat[i]
            if pd.isna(value):
                if required:
                    problem(name, "wajib diisi.")
                return None
            value = pd.Timestamp(value).date()
            if value > today:
                problem(name, f"tanggal {value:%d/%m/%Y} melewati hari ini.")
                return None
            return value

        def number(name, low, high, whole=False, decimals=1):
            values, bad = parsed_numbers[name]
            if bad.iat[i]:
                problem(name, f"\u201c{cleaning._cell_text(frame[name].iat[i])}\u201d bukan angka.")
                return None
            value = values.iat[i]
            if pd.isna(value):
                return None
            if not low <= value <= high:
                problem(name, f"{cleaning._cell_text(frame[name].iat[i])} di luar rentang wajar {low}–{high}.")
                return None
            if whole:
                if value != int(value):
                    problem(name, "harus bilangan bulat.")
                    return None
                return int(value)
            return Decimal(str(round(value, decimals)))

        nama = text["nama"].iat[i]
        if not nama:
            problem("nama", "wajib diisi.")
        nik = text["nik"].iat[i] or None
        if nik and (len(nik) != 16 or not nik.isdigit()):
            problem("nik", "NIK harus 16 angka.")
        tanggal_lahir = date("tanggal_lahir", True)
        hpht = date("hpht", True)
        kel = None
        if text["kelurahan"].iat[i]:
            kel = kelurahan.get(cleaning.area_key(text["kelurahan"].iat[i]))
            if kel is None:
                problem("kelurahan", f"\u201c{text['kelurahan'].iat[i]}\u201d bukan kelurahan di Kota Kediri.")
            elif kel.pk not in writable:
                problem("kelurahan", f"Kelurahan {kel.nama} di luar wilayah kerja Anda.")
                kel = None
        else:
            problem("kelurahan", "wajib diisi.")
        pos = None
        if kel and text["posyandu"].iat[i]:
            pos = posyandu.get((kel.pk, cleaning.posyandu_key(text["posyandu"].iat[i], kel.nama)))
            if pos is None:
                result.warnings.append(f"Baris {baris}, kolom {labels['posyandu']}: posyandu \u201c{text['posyandu'].iat[i]}\u201d "
                                       f"tidak dikenal di Kelurahan {kel.nama}; dicatat tanpa posyandu.")
        data = {"nama": nama, "nik": nik, "tanggal_lahir": tanggal_lahir, "alamat": text["alamat"].iat[i][:255],
                "kelurahan": kel, "posyandu": pos, "hpht": hpht,
                "jumlah_persalinan": number("jumlah_persalinan", 0, 20, whole=True) or 0,
                "persalinan_terakhir": date("persalinan_terakhir")}
        if not problems:
            try:
                services.check_facts(data, today)
            except UserError as error:
                problem(error.field if error.field in labels else "hpht", error.message)
        visits = []
        lila, hb, ttd = number("lila", 10, 60), number("hb", 3, 20), number("ttd", 0, 400, whole=True)
        for n in VISITS:
            day = date(f"k{n}")
            if day and hpht and day < hpht:
                problem(f"k{n}", f"kunjungan K{n} sebelum HPHT.")
            elif day:
                visits.append({"ke": n, "tanggal": day, "lila": None, "hb": None, "ttd_kumulatif": None})
        if (lila is not None or hb is not None or ttd is not None) and not visits:
            problem("k1" if lila is not None or hb is not None else "ttd",
                    "LiLA, Hb dan TTD dicatat pada kunjungan: isi tanggal kunjungan (Tgl K1).")
        if visits:
            visits[0]["lila"], visits[0]["hb"] = lila, hb
            visits[-1]["ttd_kumulatif"] = ttd
            dates_seen = [v["tanggal"] for v in visits]
            if dates_seen != sorted(dates_seen):
                problem("k1", "tanggal kunjungan K1–K6 harus berurutan.")
        pmt = None
        pmt_mulai, pmt_lama = date("pmt_mulai"), number("pmt_lama", 1, 365, whole=True)
        if pmt_mulai:
            if hpht and pmt_mulai < hpht:
                problem("pmt_mulai", "PMT mulai sebelum HPHT.")
            elif lila is None or lila >= rules.LILA_KEK_CM:
                problem("pmt_mulai", "PMT ibu hamil dicatat untuk ibu KEK: isi LiLA di bawah 23,5 cm.")
            pmt = {"mulai": pmt_mulai, "lama_hari": pmt_lama or rules.LAMA_PMT_KEK_HARI}
        elif pmt_lama:
            problem("pmt_mulai", "isi tanggal mulai PMT (ada lama PMT).")
        birth = None
        tanggal_persalinan = date("tanggal_persalinan")
        birth_cells = ["keadaan_lahir", "jenis_kelamin_bayi", "berat_lahir", "panjang_lahir", "nama_bayi", "nik_bayi"]
        if tanggal_persalinan:
            keadaan = KEADAAN.get(tabel.header_key(text["keadaan_lahir"].iat[i]) or "hidup")
            if keadaan is None:
                problem("keadaan_lahir", f"\u201c{text['keadaan_lahir'].iat[i]}\u201d: tulis hidup, mati, atau keguguran.")
            sex = SEX.get(tabel.header_key(text["jenis_kelamin_bayi"].iat[i]), "")
            if text["jenis_kelamin_bayi"].iat[i] and not sex:
                problem("jenis_kelamin_bayi", f"\u201c{text['jenis_kelamin_bayi'].iat[i]}\u201d: tulis L atau P.")
            birth = {"tanggal_persalinan": tanggal_persalinan, "keadaan_lahir": keadaan or "", "jenis_kelamin_bayi": sex,
                     "berat_lahir": number("berat_lahir", 300, 6500, whole=True),
                     "panjang_lahir": number("panjang_lahir", 20, 65), "nama_bayi": text["nama_bayi"].iat[i][:150],
                     "nik_bayi": text["nik_bayi"].iat[i]}
            if hpht and keadaan and not problems:
                try:
                    services.check_birth(Kehamilan(hpht=hpht), birth, today)
                except UserError as error:
                    problem(error.field if error.field in labels else "tanggal_persalinan", error.message)
            if visits and tanggal_persalinan < visits[-1]["tanggal"]:
                problem("tanggal_persalinan", "persalinan sebelum kunjungan antenatal terakhir.")
        elif any(cleaning._cell_text(frame[name].iat[i]) for name in birth_cells):
            problem("tanggal_persalinan", "isi tanggal persalinan (ada data bayi).")
        if nama and tanggal_lahir and hpht:
            key = (nama.lower(), tanggal_lahir, hpht)
            if key in seen:
                problem("nama", f"kehamilan yang sama sudah ada di baris {seen[key]}.")
            seen.setdefault(key, baris)
        if problems:
            result.errors.extend(problems)
            continue
        result.rows.append(Row(baris=baris, data=data, visits=visits, pmt=pmt, birth=birth))
    if not result.rows and not result.errors:
        result.errors.append(UserError("Tidak ada baris data di bawah judul kolom."))
    _match_existing(result, user)
    return result


def _match_existing(result: Result, user):
    """Each row against the stored pregnancy with the same mother and HPHT: unchanged, changed
    (visits, PMT, birth added or differing facts), or an error when out of reach or conflicting."""
    if not result.rows:
        return
    keys = {(r.data["nama"].lower(), r.data["tanggal_lahir"], r.data["hpht"]) for r in result.rows}
    stored = {}
    names = {k[0] for k in keys}
    for row in Kehamilan.objects.annotate(nama_kecil=Lower("nama")).filter(nama_kecil__in=names):
        stored[(row.nama_kecil, row.tanggal_lahir, row.hpht)] = row
    reachable = set(Kehamilan.objects.for_user(user, CHANGE).filter(pk__in=[r.pk for r in stored.values()])
                    .values_list("pk", flat=True))
    visits = {}
    for visit in KunjunganAnc.objects.filter(kehamilan__in=list(stored.values())):
        visits.setdefault(visit.kehamilan_id, {})[visit.ke] = visit
    courses = set(PemberianPmt.objects.filter(kehamilan__in=list(stored.values())).values_list("kehamilan_id", "mulai"))
    kept = []
    for row in result.rows:
        existing = stored.get((row.data["nama"].lower(), row.data["tanggal_lahir"], row.data["hpht"]))
        if existing is None:
            kept.append(row)
            continue
        if existing.pk not in reachable:
            result.errors.append(UserError("kehamilan ini tercatat di luar wilayah kerja Anda.", row=row.baris,
                                           column=TEMPLATE_COLUMNS["nama"][0]))
            continue
        if existing.tanggal_persalinan and row.birth and (
                existing.tanggal_persalinan != row.birth["tanggal_persalinan"]
                or existing.berat_lahir != row.birth["berat_lahir"]):
            result.errors.append(UserError(f"persalinan tercatat berbeda ({existing.tanggal_persalinan:%d/%m/%Y}, "
                                           f"{existing.berat_lahir or '–'} gram); ubah di halaman kehamilannya.",
                                           row=row.baris, column=TEMPLATE_COLUMNS["tanggal_persalinan"][0]))
            continue
        row.existing = existing
        own = visits.get(existing.pk, {})
        changed = any(getattr(existing, k) != v for k, v in row.data.items() if k in services.PREGNANCY_FIELDS)
        changed |= any(_visit_differs(own.get(v["ke"]), v) for v in row.visits)
        changed |= bool(row.pmt and (existing.pk, row.pmt["mulai"]) not in courses)
        changed |= bool(row.birth and not existing.tanggal_persalinan)
        row.action = "ubah" if changed else "sama"
        kept.append(row)
    result.rows = kept


def _visit_differs(stored, wanted) -> bool:
    if stored is None:
        return True
    return any(getattr(stored, k) != wanted[k] and wanted[k] is not None for k in ("tanggal", "lila", "hb", "ttd_kumulatif"))


def check(path: Path, name: str, user) -> Result:
    frame, labels = frame_of(read_rows(path, name))
    return validate(frame, labels, user)


# --- Writing -----------------------------------------------------------------------------------


@transaction.atomic
def apply(path: Path, name: str, user) -> Result:
    """Check the file again and write it, all or nothing. Raises UserError when it has errors."""
    result = check(path, name, user)
    if result.errors:
        raise UserError(f"Berkas masih memuat {len(result.errors)} kesalahan; tidak ada data yang disimpan.")
    with pghistory.context(peristiwa="impor_ibu_hamil", berkas=Path(name).name[:100]):
        new = [r for r in result.rows if r.action == "baru"]
        created = Kehamilan.objects.bulk_create([_new_pregnancy(r, user) for r in new])
        for row, kehamilan in zip(new, created):
            row.existing = kehamilan
        changed = [r for r in result.rows if r.action == "ubah"]
        for row in changed:
            for key, value in row.data.items():
                setattr(row.existing, key, value)
        KunjunganAnc.objects.bulk_create(
            [KunjunganAnc(kehamilan=r.existing, **v) for r in new for v in r.visits])
        for row in changed:
            _merge_visits(row)
        PemberianPmt.objects.bulk_create([PemberianPmt(kehamilan=r.existing, **r.pmt) for r in new if r.pmt])
        for row in changed:
            if row.pmt and not PemberianPmt.objects.filter(kehamilan=row.existing, mulai=row.pmt["mulai"]).exists():
                PemberianPmt.objects.create(kehamilan=row.existing, **row.pmt)
            services.apply_derived(row.existing, list(KunjunganAnc.objects.filter(kehamilan=row.existing)))
            row.existing.save()
        for row in [*new, *changed]:
            if row.birth and not row.existing.tanggal_persalinan:
                _birth(row, user)
    return result


def _new_pregnancy(row: Row, user) -> Kehamilan:
    kehamilan = Kehamilan(**row.data, dicatat_oleh=actor(user))
    services.apply_derived(kehamilan, row.visits)
    return kehamilan


def _merge_visits(row: Row):
    own = {v.ke: v for v in KunjunganAnc.objects.filter(kehamilan=row.existing)}
    for wanted in row.visits:
        stored = own.get(wanted["ke"])
        if stored is None:
            KunjunganAnc.objects.create(kehamilan=row.existing, **wanted)
        elif _visit_differs(stored, wanted):
            for key in ("tanggal", "lila", "hb", "ttd_kumulatif"):
                if wanted[key] is not None:
                    setattr(stored, key, wanted[key])
            stored.save()


def _birth(row: Row, user):
    kehamilan = row.existing
    for key, value in row.birth.items():
        setattr(kehamilan, key, value)
    services.apply_derived(kehamilan, list(KunjunganAnc.objects.filter(kehamilan=kehamilan)))
    kehamilan.save()
    services.link_newborn(kehamilan, user)


def preview_rows(result: Result) -> list[Row]:
    return result.rows[:PREVIEW_ROWS]

