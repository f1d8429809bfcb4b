"""Provincial assessment scores: XLSX/CSV file → rows → validated rows with errors by sheet row.

The same validation serves the entry form (rows labelled by kab/kota) and the upload (rows
labelled "Baris n", the spreadsheet row number, header = row 1).
"""

import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pandas as pd

from laporan.models import KabKota
from tpps.errors import UserError

HEADERS = {
    "kab_kota": {"kab/kota", "kabupaten/kota", "kabkota", "kab kota", "nama", "wilayah", "daerah", "kode"},
    "skor": {"skor", "nilai", "skor akhir", "nilai akhir", "total"},
    "peringkat": {"peringkat", "rank", "ranking", "urutan"},
}


class FileError(UserError):
    """The file as a whole cannot be read (message in Bahasa Indonesia)."""

    def __init__(self, message: str, field: str | None = "berkas"):
        # Upload forms name their file input "berkas": the message goes next to it.
        super().__init__(message, field)


@dataclass
class Result:
    rows: list = field(default_factory=list)      # validated: {kab_kota, skor, peringkat}
    errors: list = field(default_factory=list)    # UserError, each with its row ("Baris 5: …")
    warnings: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)


def _norm(text) -> str:
    return re.sub(r"\s+", " ", str(text or "")).strip().lower()


class KabKotaIndex:
    """Finds a kab/kota by Kemendagri code or name ('Kab. Kediri', 'Kabupaten Kediri', 'Kota
    Kediri', 'Jombang'); a bare name shared by a kabupaten and a kota is ambiguous."""

    def __init__(self, kab_kota=None):
        self.all = list(kab_kota if kab_kota is not None else KabKota.objects.all())
        self.by_kode = {k.kode.replace(".", ""): k for k in self.all}
        self.by_name = {}
        for k in self.all:
            self.by_name.setdefault(_norm(k.nama), []).append(k)

    def find(self, text) -> tuple[KabKota | None, str]:
        raw = _norm(text)
        if not raw:
            return None, "nama kab/kota kosong"
        digits = raw.replace(".", "")
        if digits.isdigit():
            found = self.by_kode.get(digits)
            return (found, "") if found else (None, f"kode '{text}' bukan kab/kota di Jawa Timur")
        jenis = None
        for prefix, value in (("kabupaten ", "kabupaten"), ("kab. ", "kabupaten"), ("kab ", "kabupaten"),
                              ("kota ", "kota"), ("pemkab ", "kabupaten"), ("pemkot ", "kota")):
            if raw.startswith(prefix):
                jenis, raw = value, raw[len(prefix):].strip()
                break
        candidates = self.by_name.get(raw, [])
        if jenis:
            candidates = [k for k in candidates if k.jenis == jenis]
        if not candidates:
            return None, f"'{text}' tidak dikenal sebagai kab/kota di Jawa Timur"
        if len(candidates) > 1:
            return None, f"'{text}' ambigu: tulis 'Kabupaten {candidates[0].nama}' atau 'Kota {candidates[0].nama}'"
        return candidates[0], ""


def parse_decimal(value) -> Decimal | None:
    """129 / '129,5' / '129.5' / '1.234,5' -> Decimal; None when it is not a number."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return None if value != value else Decimal(str(value))
    text = str(value).strip().replace(" ", "")
    if "," in text and "." in text:
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def parse_rank(value) -> int | None:
    number = parse_decimal(value)
    if number is None or number != number.to_integral_value():
        return None
    return int(number)


def validate(raw_rows, index: KabKotaIndex | None = None) -> Result:
    """raw_rows: [(label, kab/kota text or KabKota, skor, peringkat)] -> Result."""
    index = index or KabKotaIndex()
    result = Result()
    maximum = len(index.all) or 38
    seen_kab, seen_rank = {}, {}
    for label, name, skor_raw, rank_raw in raw_rows:
        problems = []
        if isinstance(name, KabKota):
            kab_kota = name
        else:
            kab_kota, problem = index.find(name)
            if problem:
                problems.append(problem)
        skor = parse_decimal(skor_raw)
        if skor_raw in (None, "") or (isinstance(skor_raw, float) and skor_raw != skor_raw):
            problems.append("skor kosong")
        elif skor is None:
            problems.append(f"skor '{skor_raw}' bukan angka")
        elif skor < 0 or skor >= 10000:
            problems.append(f"skor {skor_raw} di luar rentang 0–9999")
        elif skor != round(skor, 2):
            problems.append("skor paling banyak dua angka di belakang koma")
        peringkat = parse_rank(rank_raw)
        if rank_raw in (None, "") or (isinstance(rank_raw, float) and rank_raw != rank_raw):
            problems.append("peringkat kosong")
        elif peringkat is None or not 1 <= peringkat <= maximum:
            problems.append(f"peringkat '{rank_raw}' harus bilangan bulat 1–{maximum}")
        if kab_kota is not None:
            if kab_kota.pk in seen_kab:
                problems.append(f"{kab_kota} sudah ada di {seen_kab[kab_kota.pk]}")
            else:
                seen_kab[kab_kota.pk] = label.lower()
        if peringkat is not None and peringkat in seen_rank and not problems:
            problems.append(f"peringkat {peringkat} sudah dipakai {seen_rank[peringkat]}")
        if problems:
            result.errors.append(UserError("; ".join(problems) + ".", row=label))
            continue
        seen_rank[peringkat] = f"{label.lower()} ({kab_kota})"
        result.rows.append({"label": label, "kab_kota": kab_kota, "skor": skor, "peringkat": peringkat})
    # A better rank may share a score (the province breaks ties) but never have a lower one.
    ordered = sorted(result.rows, key=lambda r: r["peringkat"])
    for better, worse in zip(ordered, ordered[1:]):
        if better["skor"] < worse["skor"]:
            result.errors.append(UserError(
                f"peringkat {worse['peringkat']} ({worse['kab_kota']}, skor {worse['skor']}) "
                f"lebih tinggi skornya daripada peringkat {better['peringkat']} ({better['kab_kota']}, "
                f"skor {better['skor']}); periksa skor atau peringkat.", row=worse["label"]))
    if not result.errors and result.rows and len(result.rows) < maximum:
        missing = maximum - len(result.rows)
        result.warnings.append(f"Baru {len(result.rows)} dari {maximum} kab/kota; {missing} belum diisi.")
    if not raw_rows:
        result.errors.append(UserError("Tidak ada baris data."))
    return result


def read_upload(upload) -> pd.DataFrame:
    """An uploaded XLSX or CSV as a DataFrame of raw values. The form has already passed it
    through the app's one upload check (`tpps.uploads.TABEL_PENILAIAN`: size, type by content,
    integrity), so its extension is its type."""
    data = upload.read()
    if Path(upload.name or "").suffix.lower() == ".xlsx":
        try:
            frame = pd.read_excel(io.BytesIO(data), dtype=object, engine="calamine")
        except Exception as error:  # a damaged workbook is the user's to fix
            raise FileError(f"Berkas XLSX tidak dapat dibaca: {error}") from error
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FileError("Berkas CSV harus berkode UTF-8.") from None
        separator = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, sep=separator, keep_default_na=False)
        except Exception as error:
            raise FileError(f"Berkas CSV tidak dapat dibaca: {error}") from error
    return frame


def rows_from_frame(frame: pd.DataFrame) -> list:
    """[("Baris n", kab/kota, skor, peringkat)] by header name, case- and space-insensitive."""
    columns = {}
    for column in frame.columns:
        key = _norm(column)
        for field_name, names in HEADERS.items():
            if key in names and field_name not in columns:
                columns[field_name] = column
    missing = [label for field_name, label in (("kab_kota", "Kab/Kota"), ("skor", "Skor"), ("peringkat", "Peringkat"))
               if field_name not in columns]
    if missing:
        raise FileError("Kolom tidak ditemukan: " + ", ".join(missing) + ". Baris pertama harus berisi judul kolom "
                        "Kab/Kota, Skor, Peringkat (unduh templatnya).")
    rows = []
    for number, record in enumerate(frame.to_dict("records"), start=2):
        values = [record[columns[f]] for f in ("kab_kota", "skor", "peringkat")]
        if all(v is None or (isinstance(v, float) and v != v) or str(v).strip() == "" for v in values):
            continue  # blank lines in a spreadsheet are not errors
        rows.append((f"Baris {number}", *values))
    return rows
