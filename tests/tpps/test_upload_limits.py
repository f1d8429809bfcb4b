"""What an uploaded table may hold (tpps.uploads.BATAS_*), on real files built here: a cell at
XFD1048576, dimensions that lie, cells written without references or with a namespace prefix, zip
bombs (declared and undeclared), and CSV rows, columns and line length."""

import io
import struct
import zipfile
import zlib

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tpps import uploads

HEADER = ["Nama", "JK", "Tgl Lahir", "Desa/Kel", "Tanggal Pengukuran", "Berat", "Tinggi"]
SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def workbook_bytes(far_cell: str | None = None) -> bytes:
    """A real workbook written by openpyxl: the header row, optionally one cell far away."""
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    if far_cell:
        workbook.active[far_cell] = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_members(content: bytes, members: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """`content` (a workbook) with some members replaced or added."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w", compression) as target:
        for entry in source.infolist():
            if entry.filename not in members:
                target.writestr(entry.filename, source.read(entry.filename))
        for name, data in members.items():
            target.writestr(name, data)
    return buffer.getvalue()


def sheet_xml(rows: str, dimension: str | None = None, prefix: str = "") -> str:
    start = SHEET_START if not prefix else SHEET_START.replace("<worksheet xmlns=", f"<{prefix}:worksheet xmlns:{prefix}=")
    end = f"</{prefix}:worksheet>" if prefix else "</worksheet>"
    p = f"{prefix}:" if prefix else ""
    dim = f'<{p}dimension ref="{dimension}"/>' if dimension else ""
    header = "".join(f'<{p}c r="{chr(65 + i)}1" t="inlineStr"><{p}is><{p}t>{text}</{p}t></{p}is></{p}c>'
                     for i, text in enumerate(HEADER))
    return f'{start}{dim}<{p}sheetData><{p}row r="1">{header}</{p}row>{rows}</{p}sheetData>{end}'


def check(name: str, content: bytes, pilihan=uploads.EKSPOR_EPPGBM):
    return uploads.periksa_berkas(SimpleUploadedFile(name, content), pilihan)


def refused(name: str, content: bytes, pilihan=uploads.EKSPOR_EPPGBM) -> str:
    with pytest.raises(ValidationError) as error:
        check(name, content, pilihan)
    message = " ".join(error.value.messages)
    assert f"“{name}”" in message
    return message


def test_a_cell_at_xfd1048576_is_refused_before_any_reader():
    content = workbook_bytes("XFD1048576")
    assert len(content) < 10_000  # a tiny file ...
    message = refused("probe.xlsx", content)  # ... that declares 17 billion cells
    assert "terlalu besar: lebih dari 200.000 baris" in message


@pytest.mark.parametrize("rows, dimension, prefix, limit", [
    # The dimension says two rows; the cell is at the last row and column anyway.
    ('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>', "A1:G2", "", "200.000 baris"),
    # No dimension at all, one cell far to the right.
    ('<row r="2"><c r="XFD2"><v>1</v></c></row>', None, "", "200 kolom"),
    # Cells without a reference are placed by their row's number and their order.
    ('<row r="1048576"><c><v>1</v></c></row>', "A1:G1", "", "200.000 baris"),
    ("<row>" + "<c><v>1</v></c>" * 300 + "</row>", None, "", "200 kolom"),
    # A namespace prefix, as some writers use.
    ('<x:row r="1048576"><x:c r="A1048576"><x:v>1</x:v></x:c></x:row>', None, "x", "200.000 baris"),
    # Rows × columns: 50,000 rows and column GR (200) is ten million cells.
    ('<row r="50000"><c r="A50000"><v>1</v></c><c r="GR50000"><v>1</v></c></row>', None, "",
     "8.000.000 sel"),
])
def test_cells_are_counted_where_they_are_not_where_the_dimension_says(rows, dimension, prefix, limit):
    content = with_members(workbook_bytes(), {SHEET: sheet_xml(rows, dimension, prefix)})
    assert f"terlalu besar: lebih dari {limit}" in refused("eppgbm.xlsx", content)


def test_too_many_rows_are_refused_and_the_limit_itself_is_accepted():
    def sheet(last_row):
        rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, last_row + 1))
        return with_members(workbook_bytes(), {SHEET: sheet_xml(rows)})

    assert "lebih dari 200.000 baris" in refused("panjang.xlsx", sheet(200_001))
    assert check("pas.xlsx", sheet(200_000)).jenis == "xlsx"


def test_zip_bomb_is_refused_by_its_packing_ratio():
    bomb = with_members(workbook_bytes(), {SHEET: sheet_xml("") + " " * (60 * uploads.MB)})
    assert len(bomb) < uploads.MB
    message = refused("bom.xlsx", bomb)
    assert "tidak wajar" in message and "bom zip" in message


def test_unpacked_size_is_bounded(monkeypatch):
    monkeypatch.setattr(uploads, "BATAS_ISI_ZIP", uploads.MB)
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n * 7919 % 100003}</v></c></row>' for n in range(2, 40_000))
    content = with_members(workbook_bytes(), {SHEET: sheet_xml(rows)})
    assert "terlalu besar: lebih dari 1 MB setelah dibuka" in refused("besar.xlsx", content)


def test_a_member_unpacking_to_more_than_declared_is_refused():
    """Zip readers stop at the declared size; a crafted file declares 1 KB and unpacks to 50 MB
    (with the checksum of its first kilobyte), which a reader that trusts the stream would read."""
    body = sheet_xml("") + " " * (50 * uploads.MB)
    content = bytearray(with_members(workbook_bytes(), {SHEET: body}))
    declared = 1024
    crc = zlib.crc32(body.encode()[:declared])
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        entry = archive.getinfo(SHEET)
    struct.pack_into("<I", content, entry.header_offset + 14, crc)
    struct.pack_into("<I", content, entry.header_offset + 22, declared)
    central = bytes(content).index(b"PK\x01\x02")
    while True:  # the central directory record of the sheet
        name_length = struct.unpack_from("<H", content, central + 28)[0]
        if bytes(content[central + 46:central + 46 + name_length]) == SHEET.encode():
            break
        central = bytes(content).index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", content, central + 16, crc)
    struct.pack_into("<I", content, central + 24, declared)
    with zipfile.ZipFile(io.BytesIO(bytes(content))) as archive:
        assert len(archive.read(SHEET)) == declared  # Python's reader is fooled
    assert "lebih besar daripada yang tercatat" in refused("licik.xlsx", bytes(content))


def test_evidence_workbooks_are_bounded_by_their_zip_only():
    """Convergence evidence is stored, not read: its cells are not counted, its zip is."""
    assert check("rekap.xlsx", workbook_bytes("XFD1048576"), uploads.DOKUMEN).jenis == "xlsx"
    bomb = with_members(workbook_bytes(), {SHEET: sheet_xml("") + " " * (60 * uploads.MB)})
    assert "bom zip" in refused("bom.xlsx", bomb, uploads.DOKUMEN)


def csv_bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.parametrize("lines, limit", [
    ([",".join(HEADER)] + ["a,P,01/01/2024"] * 200_000, "terlalu besar: lebih dari 200.000 baris"),
    ([",".join(HEADER + [f"x{i}" for i in range(200)])], "terlalu besar: lebih dari 200 kolom"),
    ([",".join(HEADER), "a" * 70_000], "satu barisnya lebih dari 65.536 karakter"),
    ([";".join(HEADER + ["x"] * 50)] + [";" * 56] * 160_000, "terlalu besar: lebih dari 8.000.000 sel"),
])
def test_csv_rows_columns_cells_and_line_length_are_bounded(lines, limit):
    assert limit in refused("eppgbm.csv", csv_bytes(lines))


def test_an_ordinary_export_passes():
    rows = [HEADER] + [[f"Anak {n}", "P", "01/01/2024", "Pesantren", "05/01/2025", 8.9, 73.5] for n in range(500)]
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert check("eppgbm.xlsx", buffer.getvalue()).jenis == "xlsx"
    assert check("eppgbm.csv", csv_bytes([",".join(map(str, row)) for row in rows])).jenis == "csv"
