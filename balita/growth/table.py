"""A file of measurements in, the same file with WHO z-scores out: `python -m balita.growth IN OUT`
and `manage.py zscore`. No Django, no pandas: CSV is read and written by pyarrow, XLSX read by
python-calamine and written by tpps.xlsx; cells are parsed column-wise (pyarrow compute on the
distinct values of a column, numpy for the dates), so a 200,000-row file takes a fraction of a
second and every unreadable cell is still reported by spreadsheet row and column.

Every row and column of the input is kept as it is, in order, and Umur (hari), ZS TB/U, TB/U,
ZS BB/U, BB/U, ZS BB/TB, BB/TB, ZS IMT/U, IMT/U and Flag are appended. Input columns that already
carry one of those names (e-PPGBM exports have BB/U, ZS BB/U, …) are kept as "… (asal)".
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from balita.growth import categories, who
from balita.importers.columns import UnreadableWorkbook, find_header, header_key, xlsx_rows
from tpps import xlsx
from tpps import csvfile
from tpps.csvfile import FORMULA_START, PLAIN_NUMBER, pemisah_csv

# Our field: the column's name in e-PPGBM exports (matched ignoring case, spaces and punctuation).
REQUIRED = {
    "jenis_kelamin": "JK",
    "tanggal_lahir": "Tgl Lahir",
    "tanggal": "Tanggal Pengukuran",
    "berat": "Berat",
    "tinggi": "Tinggi",
}
OPTIONAL = {"cara_ukur": "Cara Ukur"}
ADDED = ["Umur (hari)", "ZS TB/U", "TB/U", "ZS BB/U", "BB/U", "ZS BB/TB", "BB/TB", "ZS IMT/U", "IMT/U", "Flag"]
FLAG_NAMES = {"tbu": "TB/U", "bbu": "BB/U", "bbtb": "BB/TB", "imtu": "IMT/U"}
MAX_MESSAGES = 50
XLSX_SUFFIXES = {".xlsx", ".xlsm"}

EMPTY_MARKERS = ["", "-", "--", "nan", "none", "null", "#n/a"]
DATE_HINT = "tanggal tidak terbaca (gunakan 2024-05-24, 24/05/2024 atau tanggal Excel)"
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")
EXCEL_SERIALS = (18264, 73050)  # 1 Jan 1950 .. 31 Dec 2099; other numbers in a date column are typos
NUMBER = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
DMY = r"^(?P<d>[0-9]{1,2})[/.-](?P<m>[0-9]{1,2})[/.-](?P<y>[0-9]{4})$"
ISO = r"^(?P<y>[0-9]{4})-(?P<m>[0-9]{2})-(?P<d>[0-9]{2})"
SERIAL = r"^[0-9]{4,5}(\.[0-9]+)?$"
EMPTY = pa.scalar("", pa.string())  # explicit: pyarrow converts a bare "" only with pandas loaded


class InputError(Exception):
    """The file cannot be used; `details` are the messages by row and column (Bahasa Indonesia)."""

    def __init__(self, message: str, details: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or []


@dataclass
class Sheet:
    """The file's columns in order: headers as written, cells as read (a pyarrow string array from
    CSV, a list of Python values from XLSX), and each row's spreadsheet row number."""

    headers: list[str]
    columns: list
    rows: np.ndarray
    from_xlsx: bool = False


def run(source: Path, target: Path) -> int:
    """Read `source`, compute, write `target`; the number of rows written. Raises InputError."""
    source, target = Path(source), Path(target)
    if not source.exists():
        raise InputError(f"Berkas {source} tidak ditemukan.")
    if target.suffix.lower() not in {".csv", ".xlsx"}:
        raise InputError("Berkas keluaran harus berakhiran .csv atau .xlsx.")
    sheet = read(source)
    fields = match_columns(sheet)
    measurements = parse(sheet, fields)
    result = who.finish(who.compute_arrays(*measurements))
    write(sheet, measurements[1], result, target)
    return len(sheet.rows)


# Reading ------------------------------------------------------------------------------------------

def read(path: Path) -> Sheet:
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return _sheet(_xlsx_rows(path), from_xlsx=True)
    if suffix == ".csv":
        return _read_csv(path)
    raise InputError(f"Format berkas {suffix or '(tanpa ekstensi)'} tidak didukung: gunakan berkas .xlsx atau .csv.")


def _xlsx_rows(path: Path) -> list[list]:
    try:
        return xlsx_rows(path)
    except UnreadableWorkbook as error:
        raise InputError(f"Berkas Excel tidak dapat dibaca ({error}). Simpan ulang sebagai .xlsx lalu coba lagi.") from error


def _read_csv(path: Path) -> Sheet:
    """pyarrow reads the body; the first lines (title block, header) go through the csv module so
    the header is found exactly as the import finds it. UTF-8 (with or without BOM), else
    Windows-1252 as Excel writes it. A row with another number of cells than the header sends the
    whole file through the csv module (same result, slower)."""
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    encoding = "utf8"
    try:
        head = data[:256 * 1024].decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start < 256 * 1024 - 4:  # not merely a character cut at the end of the sample
            encoding = "cp1252"
        head = data[:error.start].decode("utf-8") if encoding == "utf8" else data[:256 * 1024].decode("cp1252")
    if not head.strip():
        raise InputError(f"Berkas {path} kosong.")
    delimiter = pemisah_csv(head[:64 * 1024])
    # The csv module reads the first records, line by line, so that we know where each one ends:
    # pyarrow starts at the first record after the header (its skip_rows counts lines, not
    # records: an empty line or a line break inside quotes in a title block would shift the rows).
    lines = io.StringIO(head, newline="")
    consumed = [0]

    def counted():
        for line in lines:
            consumed[-1] += len(line)
            yield line

    first, ends = [], []
    for record in csv.reader(counted(), delimiter=delimiter):
        first.append(record)
        ends.append(consumed[-1])
        if len(first) > 30:
            break
    header_index = find_header(first) or 0
    width = len(first[header_index]) if header_index < len(first) else 0
    if width == 0:
        raise InputError(f"Berkas {path} kosong.")
    body = data[len(head[:ends[header_index]].encode("utf-8" if encoding == "utf8" else "cp1252")):]
    table = _arrow_csv(body, width, delimiter, encoding)
    if table is None and encoding == "utf8":  # a byte that is not UTF-8 further down
        encoding = "cp1252"
        table = _arrow_csv(body, width, delimiter, encoding)
    if table is None:  # rows of another width: the csv module pads and cuts them like the import does
        text = data.decode("utf-8" if encoding == "utf8" else "cp1252")
        return _sheet(list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))
    sheet = Sheet(
        headers=_header_names(first[header_index]),
        columns=[table.column(i).combine_chunks() for i in range(width)],
        rows=np.arange(header_index + 2, header_index + 2 + table.num_rows),
    )
    return _drop_blank(sheet)


def _arrow_csv(data: bytes, width: int, delimiter: str, encoding: str) -> pa.Table | None:
    """Every cell as text, empty lines kept as empty rows (row numbers stay right); None when a
    row has another number of cells or the text is not in `encoding`."""
    names = [f"c{i}" for i in range(width)]
    ragged = []

    def invalid_row(row):
        ragged.append(row)
        return "skip"

    try:
        table = pa_csv.read_csv(
            pa.BufferReader(data),
            read_options=pa_csv.ReadOptions(column_names=names, encoding=encoding),
            parse_options=pa_csv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                              newlines_in_values=True, invalid_row_handler=invalid_row),
            convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                  strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid:
        return None
    return None if ragged else table


def _header_names(cells) -> list[str]:
    return [str(cell).strip() if cell not in (None, "") else f"Kolom {i + 1}" for i, cell in enumerate(cells)]


def _sheet(rows: list[list], from_xlsx: bool = False) -> Sheet:
    """A sheet from rows of cells (XLSX, or a CSV of uneven rows): short rows padded, long rows cut."""
    if not rows:
        raise InputError("Berkas kosong.")
    header_index = find_header(rows) or 0
    headers = _header_names(rows[header_index])
    width = len(headers)
    body = rows[header_index + 1:]
    columns = [[row[i] if i < len(row) else "" for row in body] for i in range(width)]
    if not from_xlsx:
        columns = [pa.array(column, type=pa.string()) for column in columns]
    sheet = Sheet(headers=headers, columns=columns, rows=np.arange(header_index + 2, header_index + 2 + len(body)),
                  from_xlsx=from_xlsx)
    return _drop_blank(sheet)


def _drop_blank(sheet: Sheet) -> Sheet:
    """Blank lines (often at the end of exports) are not rows. Rows are checked column by column,
    only those still blank so far (usually none after the first column)."""
    candidates = np.arange(len(sheet.rows))
    for column in sheet.columns:
        if not candidates.size:
            return sheet
        if isinstance(column, pa.Array):
            cells = pc.utf8_trim_whitespace(column.take(pa.array(candidates)))
            blank = pc.equal(cells, EMPTY).to_numpy(zero_copy_only=False)
        else:
            blank = np.array([column[i] is None or (isinstance(column[i], str) and not column[i].strip())
                              for i in candidates], dtype=bool)
        candidates = candidates[blank]
    if not candidates.size:
        return sheet
    keep = np.setdiff1d(np.arange(len(sheet.rows)), candidates)
    columns = [column.take(pa.array(keep)) if isinstance(column, pa.Array) else [column[i] for i in keep]
               for column in sheet.columns]
    return Sheet(sheet.headers, columns, sheet.rows[keep], sheet.from_xlsx)


def match_columns(sheet: Sheet) -> dict[str, int]:
    """Our field -> column position; the last of two same-named columns wins, as it always has."""
    by_key = {header_key(name): position for position, name in enumerate(sheet.headers)}
    found, missing = {}, []
    for field, header in {**REQUIRED, **OPTIONAL}.items():
        if header_key(header) in by_key:
            found[field] = by_key[header_key(header)]
        elif field in REQUIRED:
            missing.append(header)
    if missing:
        raise InputError("Kolom wajib tidak ditemukan: " + ", ".join(missing) + ". Kolom yang ada: "
                         + ", ".join(sheet.headers))
    return found


# Parsing ------------------------------------------------------------------------------------------

@dataclass
class Cells:
    """One column ready to parse, as its distinct cleaned texts (`distinct`, pyarrow) and each row's
    position among them (`indices`): parsing runs on the few distinct values and is spread back.
    From XLSX also the numbers and dates Excel stored as such (NaN elsewhere)."""

    raw: object
    distinct: pa.Array
    indices: np.ndarray
    numbers: np.ndarray | None = None
    days: np.ndarray | None = None

    def value(self, i: int):
        """The cell as read, for messages."""
        return self.raw[i].as_py() if isinstance(self.raw, pa.Array) else self.raw[i]

    def spread(self, values: np.ndarray) -> np.ndarray:
        return values[self.indices]


def _clean(distinct: pa.Array) -> pa.Array:
    """Trimmed text with single spaces; '-', 'null' and similar placeholders as ''."""
    distinct = pc.utf8_trim_whitespace(pc.replace_substring_regex(distinct, r"[\s\x{a0}]+", " "))
    return pc.if_else(pc.is_in(pc.utf8_lower(distinct), pa.array(EMPTY_MARKERS)), EMPTY, distinct)


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()[:10]
    return str(value)


def _cells(column) -> Cells:
    if isinstance(column, pa.Array):
        encoded = pc.dictionary_encode(column)
        return Cells(column, _clean(encoded.dictionary), encoded.indices.to_numpy(zero_copy_only=False))
    positions = {}
    indices = np.array([positions.setdefault(_cell_text(v), len(positions)) for v in column], dtype=np.int64)
    numbers = np.array([float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else np.nan for v in column])
    days = np.array([_day_number(v) for v in column], dtype=float)
    return Cells(column, _clean(pa.array(list(positions), type=pa.string())), indices, numbers, days)


def _day_number(value) -> float:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return float((np.datetime64(value, "D") - np.datetime64(0, "D")).astype(int))
    return np.nan


def _not_empty(text: pa.Array) -> np.ndarray:
    return pc.not_equal(text, EMPTY).to_numpy(zero_copy_only=False)


def numbers(cells: Cells) -> tuple[np.ndarray, np.ndarray]:
    """(values, unreadable): decimal point or comma ('12,5'), units allowed ('9,5 kg')."""
    text = pc.utf8_lower(cells.distinct)
    text = pc.replace_substring(pc.replace_substring_regex(text, r"\s*(kg|cm|gr|g)$", ""), ",", ".")
    readable = pc.match_substring_regex(text, NUMBER)
    values = pc.cast(pc.if_else(readable, text, pa.scalar(None, pa.string())), pa.float64())
    values = cells.spread(values.to_numpy(zero_copy_only=False))
    unreadable = cells.spread(~readable.to_numpy(zero_copy_only=False) & _not_empty(cells.distinct))
    if cells.numbers is not None:
        stored = ~np.isnan(cells.numbers)
        values = np.where(stored, cells.numbers, values)
        unreadable &= ~stored
    return values, unreadable


def _ymd_days(parts: pa.StructArray) -> tuple[np.ndarray, np.ndarray]:
    """Day numbers (days since 1970-01-01) of year/month/day text fields, and which are real dates."""
    year, month, day = (pc.cast(parts.field(k), pa.int64()).to_numpy(zero_copy_only=False) for k in ("y", "m", "d"))
    month_ok = (month >= 1) & (month <= 12) & (year >= 1)
    start = (year - 1970) * 12 + np.where(month_ok, month, 1) - 1
    first = start.astype("datetime64[M]").astype("datetime64[D]")
    length = ((start + 1).astype("datetime64[M]").astype("datetime64[D]") - first).astype(int)
    ok = month_ok & (day >= 1) & (day <= length)
    return (first.astype(int) + day - 1).astype(float), ok


def dates(cells: Cells) -> tuple[np.ndarray, np.ndarray]:
    """(day numbers, unreadable): ISO (2024-05-24…), dd/mm/yyyy (also with '-' or '.'), Excel serial
    numbers or date cells. Parsed on the column's distinct values, then spread back."""
    text = cells.distinct
    size = len(text)
    days = np.full(size, np.nan)
    unreadable = _not_empty(text).copy()
    for pattern in (DMY, ISO):
        hit = pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False) & np.isnan(days) & unreadable
        if hit.any():
            where = np.flatnonzero(hit)
            parsed, ok = _ymd_days(pc.extract_regex(text.take(pa.array(where)), pattern))
            days[where[ok]] = parsed[ok]
            unreadable[where[ok]] = False
    serial = pc.match_substring_regex(text, SERIAL).to_numpy(zero_copy_only=False) & np.isnan(days) & unreadable
    if serial.any():
        where = np.flatnonzero(serial)
        days[where], unreadable[where] = _serial_days(pc.cast(text.take(pa.array(where)), pa.float64()).to_numpy())
    days, unreadable = cells.spread(days), cells.spread(unreadable)
    if cells.numbers is not None:  # XLSX: cells Excel stored as numbers or dates
        number = ~np.isnan(cells.numbers)
        days[number], unreadable[number] = _serial_days(cells.numbers[number])
        date = ~np.isnan(cells.days)
        days[date], unreadable[date] = cells.days[date], False
    return days, unreadable


def _serial_days(numbers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    inside = (numbers >= EXCEL_SERIALS[0]) & (numbers <= EXCEL_SERIALS[1])
    epoch = float((EXCEL_EPOCH - np.datetime64(0, "D")).astype(int))
    return np.where(inside, np.trunc(numbers) + epoch, np.nan), ~inside


def _codes(cells: Cells, mapping: dict, case) -> tuple[np.ndarray, np.ndarray]:
    """(code per row, not in mapping) for a column of few distinct words."""
    lookup = np.array([mapping.get(word, -1) for word in case(cells.distinct).to_pylist()], dtype=np.int8)
    codes = cells.spread(lookup)
    return np.where(codes < 0, 0, codes), codes < 0


def parse(sheet: Sheet, fields: dict[str, int]):
    """(sex, age in days, weight, height, position) arrays for who.compute_arrays; raises
    InputError with one message per unreadable cell (row and column named), sorted by row."""
    errors = []  # (row positions, order, column, message)
    cells = {field: _cells(sheet.columns[position]) for field, position in fields.items()}
    parsed = {}
    for order, field in enumerate(("tanggal_lahir", "tanggal")):
        parsed[field], bad = dates(cells[field])
        errors.append((np.flatnonzero(bad), order, field, DATE_HINT))
    for order, field in enumerate(("berat", "tinggi"), start=2):
        parsed[field], bad = numbers(cells[field])
        errors.append((np.flatnonzero(bad), order, field, "bukan angka"))
    sex, bad = _codes(cells["jenis_kelamin"], {"L": 1, "P": 2}, pc.utf8_upper)
    errors.append((np.flatnonzero(bad), 4, "jenis_kelamin", "jenis kelamin harus L atau P"))
    if "cara_ukur" in cells:
        position, bad = _codes(cells["cara_ukur"], {"": 0, "terlentang": 1, "berdiri": 2}, pc.utf8_lower)
        errors.append((np.flatnonzero(bad), 5, "cara_ukur", "cara ukur harus Terlentang atau Berdiri"))
    else:
        position = np.zeros(len(sheet.rows), dtype=np.int8)
    total = sum(len(where) for where, *_ in errors)
    if total:
        raise InputError(f"{total} kesalahan pada berkas masukan"
                         + (f" (dan {total - MAX_MESSAGES} lainnya)" if total > MAX_MESSAGES else "")
                         + "; tidak ada keluaran ditulis.", _messages(sheet, fields, cells, errors))
    age = parsed["tanggal"] - parsed["tanggal_lahir"]
    return sex, age, parsed["berat"], parsed["tinggi"], position


def _messages(sheet, fields, cells, errors) -> list[str]:
    """The first MAX_MESSAGES errors by row, in column order within a row."""
    positions = np.concatenate([where for where, *_ in errors])
    orders = np.concatenate([np.full(len(where), order) for where, order, *_ in errors])
    first = np.lexsort((orders, positions))[:MAX_MESSAGES]
    by_order = {order: (field, message) for _, order, field, message in errors}
    out = []
    for k in first:
        field, message = by_order[orders[k]]
        i = positions[k]
        out.append(f"Baris {sheet.rows[i]}, kolom {sheet.headers[fields[field]]}: {message} ({cells[field].value(i)!r}).")
    return out


# Writing ------------------------------------------------------------------------------------------

def write(sheet: Sheet, age: np.ndarray, result: dict, target: Path) -> None:
    names = [f"{name} (asal)" if name in ADDED else name for name in sheet.headers]
    known_age = ~np.isnan(age) & (age >= 0)
    ages = pa.array(np.where(known_age, age, 0).astype(np.int64), mask=~known_age)
    labels = {index: pa.array([categories.label(index, code) for code in who.CODES[index]], type=pa.string())
              .take(pa.array(result[f"kode_{index}"])) for index in who.INDICES}
    if target.suffix.lower() == ".csv":
        added = [ages]
        for index in who.INDICES:
            added += [_decimals(result[f"zs_{index}"]), labels[index]]
        columns = [_formula_safe(pa.array([_cell_text(v) for v in c], type=pa.string()) if isinstance(c, list) else c)
                   for c in sheet.columns] + added + [_flags(result)]
        _write_csv(target, names + ADDED, pa.Table.from_arrays(columns, names=[f"c{i}" for i in range(len(columns))]))
    else:  # XLSX keeps numbers as numbers
        values = [c if isinstance(c, list) else c.to_pylist() for c in sheet.columns] + [ages.to_pylist()]
        for index in who.INDICES:
            z = result[f"zs_{index}"]
            values += [[None if v != v else v for v in z.tolist()], labels[index].to_pylist()]
        values.append(_flags(result).to_pylist())
        xlsx.write_table(target, names + ADDED, zip(*values), sheet="Z-score")


def _decimals(z: np.ndarray) -> pa.Array:
    """Rounded z-scores as text, written as Python writes a float ("-3.31", "1.0"; empty for none):
    formatted once per distinct value (pyarrow's own float formatting is the slowest part of
    writing)."""
    known = ~np.isnan(z)
    centi = np.rint(np.where(known, z, 0) * 100).astype(np.int64)
    distinct, inverse = np.unique(centi, return_inverse=True)
    texts = pa.array([repr(round(c / 100, 2)) for c in distinct.tolist()], type=pa.string())
    return texts.take(pa.array(inverse.astype(np.int32), mask=~known))


def _formula_safe(column: pa.Array) -> pa.Array:
    """tpps.csvfile's rule, vectorised: text that a spreadsheet would run as a formula (a leading
    = + - @ tab or CR, unless it is just a number) gets a single quote in front."""
    if not pa.types.is_string(column.type):
        return column
    starts = pc.match_substring_regex(column, "^[" + re.escape("".join(FORMULA_START)) + "]")
    number = pc.match_substring_regex(column, "^(?:" + PLAIN_NUMBER.pattern + ")$")
    risky = pc.and_kleene(starts, pc.invert(number))
    return pc.if_else(pc.fill_null(risky, False), pc.binary_join_element_wise("'", column, ""), column)


def _write_csv(target: Path, headers: list[str], table: pa.Table) -> None:
    """The header line through tpps.csvfile (names quoted only when needed), the body through
    pyarrow, which quotes every text cell (valid CSV; spreadsheets and pandas read "-3.31" as a
    number)."""
    line = io.StringIO()
    csvfile.writer(line, lineterminator="\n").writerow(headers)
    with target.open("wb") as handle:
        handle.write(line.getvalue().encode("utf-8"))
        pa_csv.write_csv(table, handle, write_options=pa_csv.WriteOptions(include_header=False))


def _flags(result: dict) -> pa.Array:
    """"TB/U, IMT/U": the indices whose value WHO deems implausible, in index order."""
    bits = np.zeros(len(result["flag_tbu"]), dtype=np.int8)
    for bit, index in enumerate(who.INDICES):
        bits |= result[f"flag_{index}"].astype(np.int8) << bit
    words = [", ".join(FLAG_NAMES[index] for bit, index in enumerate(who.INDICES) if combination >> bit & 1)
             for combination in range(16)]
    return pa.array(words).take(pa.array(bits))
