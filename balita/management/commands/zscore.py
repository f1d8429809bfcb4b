"""`manage.py zscore INPUT -o OUTPUT`: add WHO z-scores and categories to an e-PPGBM-style file.

For analysts and for checking e-PPGBM's own figures: reads CSV or XLSX, keeps every row and
column as it is, and appends Umur (hari), ZS TB/U, TB/U, ZS BB/U, BB/U, ZS BB/TB, BB/TB,
ZS IMT/U, IMT/U and Flag. Input columns that already carry one of those names (e-PPGBM exports
have BB/U, ZS BB/U, …) are kept, renamed with the suffix " (asal)".
"""

from pathlib import Path

import numpy as np
import pandas as pd
from django.core.management.base import BaseCommand, CommandError

from balita.growth import categories, engine
from balita.importers import cleaning, reading
from balita.importers.reading import header_key
from tpps import xlsx
from tpps.errors import UserError, command_error

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


def read_table(path: Path) -> pd.DataFrame:
    """Every column of the file as it is (cells as read), in file order; the header row may sit
    below a title block, as in e-PPGBM exports."""
    try:
        rows = reading.read_rows(path)
    except UserError as error:
        raise command_error(error) from error
    if not rows:
        raise CommandError(f"Berkas {path} kosong.")
    header_index = reading.find_header(rows) or 0
    header = [str(cell).strip() if cell not in (None, "") else f"Kolom {i + 1}" for i, cell in enumerate(rows[header_index])]
    body = [row + [""] * (len(header) - len(row)) for row in rows[header_index + 1:]]
    frame = pd.DataFrame([row[: len(header)] for row in body], columns=header, dtype=object)
    frame.index = pd.RangeIndex(header_index + 2, header_index + 2 + len(frame))  # spreadsheet row numbers
    blank = frame.map(lambda v: v is None or (isinstance(v, str) and not v.strip())).all(axis=1)
    return frame[~blank]


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

        def report(mask, header, message):
            for n, value in zip(frame.index[mask], frame.loc[mask, header]):  # index = spreadsheet row
                errors.append((n, f"Baris {n}, kolom {header}: {message} ({value!r})."))

        data = {}
        for field in ("tanggal_lahir", "tanggal"):
            data[field], bad = cleaning.dates(frame[columns[field]])
            report(bad.to_numpy(), columns[field], "tanggal tidak terbaca (gunakan 2024-05-24, 24/05/2024 atau tanggal Excel)")
        for field in ("berat", "tinggi"):
            data[field], bad = cleaning.numbers(frame[columns[field]])
            report(bad.to_numpy(), columns[field], "bukan angka")
        sex = cleaning.text(frame[columns["jenis_kelamin"]]).str.upper()
        report(~sex.isin(["L", "P"]).to_numpy(), columns["jenis_kelamin"], "jenis kelamin harus L atau P")
        data["jenis_kelamin"] = sex
        data["cara_ukur"] = cleaning.text(frame[columns["cara_ukur"]]).str.lower() if "cara_ukur" in columns else ""
        if "cara_ukur" in columns:
            wrong = ~data["cara_ukur"].isin(["", "terlentang", "berdiri"])
            report(wrong.to_numpy(), columns["cara_ukur"], "cara ukur harus Terlentang atau Berdiri")
        errors.sort(key=lambda error: error[0])
        return pd.DataFrame(data, index=frame.index), [message for _, message in errors]

    def write(self, frame, result, output: Path):
        out = frame.reset_index(drop=True)
        result = result.reset_index(drop=True)
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
            xlsx.write_frame(output, out, sheet="Z-score")
