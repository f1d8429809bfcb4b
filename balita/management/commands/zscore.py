"""`manage.py zscore INPUT -o OUTPUT`: add WHO z-scores and categories to an e-PPGBM-style file.

For analysts and for checking e-PPGBM's own figures: reads CSV or XLSX, keeps every row and
column as it is, and appends Umur (hari), ZS TB/U, TB/U, ZS BB/U, BB/U, ZS BB/TB, BB/TB,
ZS IMT/U, IMT/U and Flag. Input columns that already carry one of those names (e-PPGBM exports
have BB/U, ZS BB/U, …) are kept, renamed with the suffix " (asal)".
"""

import re
from pathlib import Path

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from balita.growth import categories, engine

REQUIRED = {
    "jenis_kelamin": "JK",
    "tanggal_lahir": "Tgl Lahir",
    "tanggal": "Tanggal Pengukuran",
    "berat": "Berat",
    "tinggi": "Tinggi",
}
OPTIONAL = {"cara_ukur": "Cara Ukur"}
ADDED = [
    ("Umur (hari)", "umur_hari"),
    ("ZS TB/U", "zs_tbu"), ("TB/U", "kategori_tbu"),
    ("ZS BB/U", "zs_bbu"), ("BB/U", "kategori_bbu"),
    ("ZS BB/TB", "zs_bbtb"), ("BB/TB", "kategori_bbtb"),
    ("ZS IMT/U", "zs_imtu"), ("IMT/U", "kategori_imtu"),
]
FLAG_NAMES = [("flag_tbu", "TB/U"), ("flag_bbu", "BB/U"), ("flag_bbtb", "BB/TB"), ("flag_imtu", "IMT/U")]
EXCEL_EPOCH = pd.Timestamp("1899-12-30")


def header_key(text) -> str:
    """'Tgl. Lahir ' -> 'tgllahir': headers match ignoring case, spaces and punctuation."""
    return re.sub(r"[^0-9a-z]", "", str(text).lower())


def read_table(path: Path) -> pd.DataFrame:
    if path.suffix.lower() in {".xlsx", ".xlsm"}:
        return pd.read_excel(path, dtype=object)
    if path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig") as handle:
            sample = handle.read(4096)
        separator = ";" if sample.count(";") > sample.count(",") else ","
        return pd.read_csv(path, dtype=str, sep=separator, keep_default_na=False, encoding="utf-8-sig")
    raise CommandError(f"Format berkas {path.suffix or '(tanpa ekstensi)'} tidak didukung: gunakan .csv atau .xlsx.")


def parse_dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO (2024-05-24), dd/mm/yyyy (24/05/2024 or 24-05-2024), Excel serial numbers or date cells.
    Returns (dates, unreadable mask); empty cells are neither dates nor errors."""
    text = values.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else v)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    is_stamp = text.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or hasattr(v, "year"))
    result[is_stamp] = pd.to_datetime(text[is_stamp].astype(object), errors="coerce")
    rest = text[~is_stamp].astype(str).str.strip()
    iso = pd.to_datetime(rest.where(rest.str.match(r"^\d{4}-\d{2}-\d{2}")).str[:10], format="%Y-%m-%d", errors="coerce")
    dmy = pd.to_datetime(rest.str.replace("-", "/", regex=False).str.replace(".", "/", regex=False), format="%d/%m/%Y", errors="coerce")
    serial = pd.to_numeric(rest.where(rest.str.fullmatch(r"\d{4,5}(\.0+)?")), errors="coerce")
    from_serial = EXCEL_EPOCH + pd.to_timedelta(serial, unit="D")
    result[~is_stamp] = iso.fillna(dmy).fillna(from_serial)
    blank = text.map(lambda v: isinstance(v, str) and not v.strip())
    return result, result.isna() & ~blank


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers with a decimal point or comma ('12,5'); returns (floats, unreadable mask)."""
    text = values.astype(object).map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
    numbers = pd.to_numeric(text.str.replace(",", ".", regex=False), errors="coerce")
    return numbers, numbers.isna() & text.ne("")


class Command(BaseCommand):
    help = "Hitung z-skor WHO (TB/U, BB/U, BB/TB, IMT/U) untuk berkas CSV/XLSX berkolom e-PPGBM."

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path)
        parser.add_argument("-o", "--output", type=Path, required=True)

    def handle(self, *args, input: Path, output: Path, **options):
        if not input.exists():
            raise CommandError(f"Berkas {input} tidak ditemukan.")
        if output.suffix.lower() not in {".csv", ".xlsx"}:
            raise CommandError("Berkas keluaran harus berakhiran .csv atau .xlsx.")
        frame = read_table(input)
        columns = self.match_columns(frame)
        measurements, errors = self.parse(frame, columns)
        if errors:
            for message in errors[:50]:
                self.stderr.write(message)
            more = f" (dan {len(errors) - 50} lainnya)" if len(errors) > 50 else ""
            raise CommandError(f"{len(errors)} kesalahan pada berkas masukan{more}; tidak ada keluaran ditulis.")
        result = engine.compute(measurements)
        self.write(frame, result, output)
        self.stdout.write(f"{len(frame)} baris ditulis ke {output}")

    def match_columns(self, frame) -> dict:
        by_key = {header_key(c): c for c in frame.columns}
        found, missing = {}, []
        for field, header in {**REQUIRED, **OPTIONAL}.items():
            if header_key(header) in by_key:
                found[field] = by_key[header_key(header)]
            elif field in REQUIRED:
                missing.append(header)
        if missing:
            raise CommandError("Kolom wajib tidak ditemukan: " + ", ".join(missing) + ". Kolom yang ada: " + ", ".join(map(str, frame.columns)))
        return found

    def parse(self, frame, columns):
        errors = []
        # Spreadsheet row numbers: the header is row 1.
        row_number = pd.Series(np.arange(len(frame)) + 2, index=frame.index)

        def report(mask, header, message):
            for n, value in zip(row_number[mask], frame.loc[mask, header]):
                errors.append(f"Baris {n}, kolom {header}: {message} ({value!r}).")

        data = {}
        for field in ("tanggal_lahir", "tanggal"):
            data[field], bad = parse_dates(frame[columns[field]])
            report(bad, columns[field], "tanggal tidak terbaca (gunakan 2024-05-24, 24/05/2024 atau tanggal Excel)")
        for field in ("berat", "tinggi"):
            data[field], bad = parse_numbers(frame[columns[field]])
            report(bad, columns[field], "bukan angka")
        sex = frame[columns["jenis_kelamin"]].astype(str).str.strip().str.upper()
        report(~sex.isin(["L", "P"]), columns["jenis_kelamin"], "jenis kelamin harus L atau P")
        data["jenis_kelamin"] = sex
        data["cara_ukur"] = frame[columns["cara_ukur"]].astype(str) if "cara_ukur" in columns else ""
        if "cara_ukur" in columns:
            position = frame[columns["cara_ukur"]].fillna("").astype(str).str.strip().str.lower()
            report(~position.isin(["", "terlentang", "berdiri"]), columns["cara_ukur"], "cara ukur harus Terlentang atau Berdiri")
        errors.sort(key=lambda message: int(re.search(r"\d+", message).group()))
        return pd.DataFrame(data, index=frame.index), errors

    def write(self, frame, result, output: Path):
        out = frame.copy()
        added_names = {name for name, _ in ADDED} | {"Flag"}
        out.columns = [f"{c} (asal)" if c in added_names else c for c in out.columns]
        for name, column in ADDED:
            values = result[column]
            if column.startswith("kategori_"):
                index = column.removeprefix("kategori_")
                values = values.astype(str).map(lambda code, index=index: categories.label(index, code))
            out[name] = values
        flags = np.full(len(out), "", dtype=object)
        for column, label in FLAG_NAMES:
            hit = result[column].to_numpy()
            flags = np.where(hit, np.where(flags == "", label, flags + ", " + label), flags)
        out["Flag"] = flags
        if output.suffix.lower() == ".csv":
            out.to_csv(output, index=False)
        else:
            out.to_excel(output, index=False)
