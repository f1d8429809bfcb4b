"""The one check for every uploaded file: size, and type by content (never by name alone).

Each use names what it accepts (`DOKUMEN` for convergence evidence: PDF, PNG, JPEG, XLSX, DOCX;
`FOTO_ATAU_PDF` for GENTING receipts and photos; `EKSPOR_EPPGBM` for the e-PPGBM import and
`TABEL_PENILAIAN` for the provincial ranking: XLSX or CSV). The type is read from the bytes with `filetype`; XLSX
and DOCX are zip containers, so for them the archive itself is opened and must be a real Office
Open XML package of the right kind (its `[Content_Types].xml` declares the workbook or document
main part, and that part exists). The file's extension must then agree with its content. Images
are decoded with Pillow, PDFs are parsed (pypdf: a real document with a page, not locked, no
JavaScript or other action that runs something) and CSV must be text (no NUL
bytes, readable as UTF-8 or Windows-1252), so truncated, corrupt or renamed files are refused too. Every refusal is a ValidationError in Bahasa Indonesia naming the file.

Small files can hold a lot: every XLSX/DOCX is bounded by its zip directory (members, unpacked
size, packing ratio), and a file the app reads as a table (`Pilihan.tabel`) is also bounded by what
it holds (rows, columns, cells; for CSV also the line length) before any reader parses it:
`periksa_tabel`, which the readers call again right before parsing a stored file. The limits are
the `BATAS_*` constants below (README, "Batas unggahan").
"""

import csv
import hashlib
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from tpps.csvfile import pemisah_csv
from tpps.formatting import angka

MB = 1024 * 1024


@dataclass(frozen=True)
class Jenis:
    kode: str
    mime: str
    label: str
    ekstensi: tuple


JENIS = {
    "pdf": Jenis("pdf", "application/pdf", "PDF", (".pdf",)),
    "png": Jenis("png", "image/png", "gambar PNG", (".png",)),
    "jpg": Jenis("jpg", "image/jpeg", "gambar JPEG", (".jpg", ".jpeg")),
    "webp": Jenis("webp", "image/webp", "gambar WebP", (".webp",)),
    "xlsx": Jenis("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)", (".xlsx",)),
    "docx": Jenis("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)", (".docx",)),
    "csv": Jenis("csv", "text/csv", "teks CSV", (".csv",)),
}


@dataclass(frozen=True)
class Pilihan:
    """A set of accepted kinds and how to name it to the user. `tabel`: the app reads the file's
    cells (an import), so what it holds is bounded too (`periksa_tabel`)."""

    jenis: tuple
    uraian: str
    tabel: bool = False

    @property
    def ekstensi(self) -> tuple:
        return tuple(ext for kode in self.jenis for ext in JENIS[kode].ekstensi)

    @property
    def accept(self) -> str:
        """For the file picker's `accept` attribute."""
        return ",".join(self.ekstensi)


DOKUMEN = Pilihan(("pdf", "png", "jpg", "xlsx", "docx"), "PDF, gambar (PNG/JPG), Excel (XLSX) atau Word (DOCX)")
FOTO_ATAU_PDF = Pilihan(("jpg", "png", "webp", "pdf"), "foto JPG, PNG, WebP, atau PDF")
EKSPOR_EPPGBM = Pilihan(("xlsx", "csv"), "berkas .xlsx atau .csv dari e-PPGBM", tabel=True)
TABEL_PENILAIAN = Pilihan(("xlsx", "csv"), "XLSX (Excel) atau CSV", tabel=True)
# sasaran's imports (catin, remaja putri TTD, KRS) in our templates.
TABEL_SASARAN = Pilihan(("xlsx", "csv"), "XLSX (Excel) atau CSV sesuai templat", tabel=True)
TEMPLAT_IBU_HAMIL = Pilihan(("xlsx", "csv"), "XLSX (Excel) atau CSV menurut templat ibu hamil", tabel=True)

# The main part each OOXML kind must declare and contain.
OOXML_MAIN = {
    "xlsx": ("xl/workbook.xml", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "docx": ("word/document.xml", b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
}

# What an upload may unpack to and hold, checked before any reader parses it. A 100,000-row e-PPGBM
# export has 35 columns, 3.5 million cells and packs about 1:7 to 1:15 (14–30 MB packed, up to about
# 210 MB unpacked); the limits leave room above that and stop what would take the worker's memory
# or hours. README, "Batas unggahan".
BATAS_ANGGOTA_ZIP = 1_000          # members of an XLSX/DOCX (a workbook has about ten)
BATAS_ISI_ZIP = 300 * MB           # all members unpacked
BATAS_RASIO_ZIP = 100              # unpacked ÷ packed size of one member (of more than 1 MB unpacked)
BATAS_BARIS = 200_000              # rows of a table (XLSX: the last used row number)
BATAS_KOLOM = 200                  # columns of a table (XLSX: the last used column, GR)
BATAS_SEL = 8_000_000              # rows × columns of the used range: what a reader allocates
BATAS_PANJANG_BARIS = 65_536       # characters in one line of a CSV


@dataclass(frozen=True)
class BerkasDiperiksa:
    jenis: str
    mime: str
    ukuran: int
    sha256: str


def batas_bita() -> int:
    return settings.MAX_UPLOAD_MB * MB


def pesan_terlalu_besar(nama: str, ukuran: int | None) -> str:
    besar = f" ({angka(ukuran / MB, 1)} MB)" if ukuran else ""
    return f"Berkas “{nama}”{besar} terlalu besar. Ukuran maksimal {settings.MAX_UPLOAD_MB} MB."


def periksa_berkas(berkas, pilihan: Pilihan = DOKUMEN) -> BerkasDiperiksa:
    """Check an uploaded file (Django UploadedFile or File) against the accepted kinds; return
    its kind, size and SHA-256.

    Raises ValidationError with a message for the user when the file is refused.
    """
    nama = Path(berkas.name or "berkas").name
    ukuran = berkas.size
    if not ukuran:
        raise ValidationError(f"Berkas “{nama}” kosong.")
    if ukuran > batas_bita():
        raise ValidationError(pesan_terlalu_besar(nama, ukuran))
    ekstensi = Path(nama).suffix.lower()
    if ekstensi not in pilihan.ekstensi:
        raise ValidationError(f"Berkas “{nama}” tidak diterima: jenis berkas yang boleh diunggah hanya {pilihan.uraian}.")

    berkas.seek(0)
    kepala = berkas.read(8192)
    berkas.seek(0)
    jenis = _jenis_dari_isi(berkas, kepala, nama)
    if jenis not in pilihan.jenis:
        tebakan = filetype.guess(kepala)
        terdeteksi = f" (isinya terdeteksi sebagai {tebakan.mime})" if tebakan else ""
        raise ValidationError(
            f"Isi berkas “{nama}” bukan {pilihan.uraian}{terdeteksi}. "
            "Berkas yang hanya diganti ekstensinya tidak diterima."
        )
    if ekstensi not in JENIS[jenis].ekstensi:
        raise ValidationError(
            f"Nama berkas “{nama}” berakhiran {ekstensi}, tetapi isinya {JENIS[jenis].label}. "
            "Periksa kembali berkas yang dipilih."
        )
    if jenis in ("png", "jpg", "webp"):
        _periksa_gambar(berkas, nama)
    elif jenis == "pdf":
        _periksa_pdf(berkas, nama, ukuran)
    if pilihan.tabel:
        periksa_tabel(berkas, nama, jenis)

    digest = hashlib.sha256()
    berkas.seek(0)
    for chunk in berkas.chunks() if hasattr(berkas, "chunks") else iter(lambda: berkas.read(MB), b""):
        digest.update(chunk)
    berkas.seek(0)
    return BerkasDiperiksa(jenis=jenis, mime=JENIS[jenis].mime, ukuran=ukuran, sha256=digest.hexdigest())


def _jenis_dari_isi(berkas, kepala: bytes, nama: str):
    tebakan = filetype.guess(kepala)
    if tebakan is not None:
        if tebakan.mime == "application/pdf":
            return "pdf"
        if tebakan.mime == "image/png":
            return "png"
        if tebakan.mime == "image/jpeg":
            return "jpg"
        if tebakan.mime == "image/webp":
            return "webp"
    if kepala.startswith(b"PK\x03\x04"):
        return _jenis_ooxml(berkas, nama)
    if tebakan is None and _teks(kepala):
        return "csv"
    return None


def _teks(kepala: bytes) -> bool:
    """Plain text: no NUL byte, few control characters, readable as UTF-8 (a character cut at the
    end of the sample is fine) or Windows-1252 (older Excel CSV exports)."""
    if b"\x00" in kepala:
        return False
    try:
        text = kepala.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(kepala) - 3:
            text = kepala[: error.start].decode("utf-8", errors="ignore")
        else:
            try:
                text = kepala.decode("cp1252")
            except UnicodeDecodeError:
                return False
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\t\r\n\f")
    return controls <= len(text) // 100


def _jenis_ooxml(berkas, nama: str):
    """'xlsx' or 'docx' when the zip is a genuine OOXML package of that kind, else None."""
    berkas.seek(0)
    try:
        with zipfile.ZipFile(berkas) as arsip:
            entries = arsip.infolist()
            names = {entry.filename for entry in entries}
            _periksa_zip(entries, nama)
            if "[Content_Types].xml" not in names or arsip.getinfo("[Content_Types].xml").file_size > MB:
                return None
            content_types = arsip.read("[Content_Types].xml")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, KeyError, NotImplementedError, RuntimeError):
        return None
    finally:
        berkas.seek(0)
    if any(name.endswith("vbaProject.bin") for name in names):
        raise ValidationError(f"Berkas “{nama}” berisi makro. Simpan ulang sebagai .xlsx/.docx biasa tanpa makro.")
    for jenis, (part, content_type) in OOXML_MAIN.items():
        if part in names and content_type in content_types:
            return jenis
    return None


def _periksa_gambar(berkas, nama: str):
    berkas.seek(0)
    try:
        with Image.open(berkas) as gambar:
            gambar.verify()
    except Exception as error:  # Pillow raises many types for broken images
        raise ValidationError(f"Gambar “{nama}” rusak atau tidak lengkap.") from error
    finally:
        berkas.seek(0)


# Names of a PDF dictionary that run something when the file is opened or clicked: JavaScript
# (/JS, /JavaScript), launching a program (/Launch), submitting or importing form data.
PDF_TINDAKAN = frozenset({"/JS", "/JavaScript"})
PDF_JENIS_TINDAKAN = frozenset({"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE"})
# A PDF of evidence or a receipt has hundreds of objects; walking more than this is refused.
BATAS_OBJEK_PDF = 200_000


def _periksa_pdf(berkas, nama: str, ukuran: int):
    """A real PDF (parsed with pypdf: header, cross-reference table, catalog and at least one
    page), not locked, and with nothing that runs when it is opened or clicked."""
    rusak = ValidationError(f"Berkas PDF “{nama}” tidak lengkap atau rusak. Simpan ulang PDF-nya lalu unggah kembali.")
    berkas.seek(max(0, ukuran - 2048))
    ekor = berkas.read()
    berkas.seek(0)
    if b"%%EOF" not in ekor:
        raise rusak
    try:
        reader = PdfReader(berkas, strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(f"Berkas PDF “{nama}” terkunci kata sandi. Simpan tanpa kata sandi lalu unggah lagi.")
        if len(reader.pages) < 1:
            raise rusak
        if _pdf_menjalankan_sesuatu(reader, nama):
            raise ValidationError(f"Berkas PDF “{nama}” berisi skrip atau tindakan otomatis (JavaScript, membuka "
                                  "program). Cetak ulang ke PDF biasa (Simpan sebagai PDF) lalu unggah lagi.")
    except ValidationError:
        raise
    except Exception as error:  # pypdf raises many types for broken files
        raise rusak from error
    finally:
        berkas.seek(0)


def _pdf_menjalankan_sesuatu(reader, nama: str) -> bool:
    """Whether any object reachable from the trailer is an action that runs something."""
    seen = set()
    stack = [reader.trailer]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > BATAS_OBJEK_PDF:
                raise _tidak_wajar(nama, f"lebih dari {angka(BATAS_OBJEK_PDF)} objek PDF")
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            if PDF_TINDAKAN & set(obj.keys()) or obj.get("/S") in PDF_JENIS_TINDAKAN:
                return True
            stack.extend(obj.values())
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
    return False


# --- What a file holds (the BATAS_* limits) ----------------------------------------------------


def _terlalu_besar(nama: str, batas: str) -> ValidationError:
    return ValidationError(f"Berkas “{nama}” terlalu besar: lebih dari {batas}. Bagi isinya menjadi beberapa "
                           "berkas (misalnya per kecamatan atau per bulan), lalu unggah satu per satu.")


def _tidak_wajar(nama: str, alasan: str) -> ValidationError:
    return ValidationError(f"Berkas “{nama}” tidak wajar: {alasan}. Simpan ulang berkasnya dari Excel lalu unggah lagi.")


def _periksa_zip(entries, nama: str):
    """The zip directory of an XLSX/DOCX: how many members and what they unpack to, as declared
    (`periksa_tabel` unpacks the members of a table and holds each to its declared size)."""
    if len(entries) > BATAS_ANGGOTA_ZIP:
        raise _tidak_wajar(nama, f"berisi lebih dari {angka(BATAS_ANGGOTA_ZIP)} bagian")
    if sum(entry.file_size for entry in entries) > BATAS_ISI_ZIP:
        raise _terlalu_besar(nama, f"{BATAS_ISI_ZIP // MB} MB setelah dibuka")
    for entry in entries:
        if entry.file_size > MB and entry.file_size > BATAS_RASIO_ZIP * max(entry.compress_size, 1):
            raise _tidak_wajar(nama, f"bagian “{entry.filename[:80]}” terbuka menjadi lebih dari {BATAS_RASIO_ZIP} "
                                     "kali ukurannya (bom zip)")


def periksa_tabel(berkas, nama: str, jenis: str):
    """Bound what a table holds before anything parses it. `berkas`: an open binary file (an
    upload, or a stored file that a reader is about to parse); `jenis`: "xlsx" or "csv".

    XLSX: the zip directory, then every member unpacked once in a stream and held to its declared
    size and checksum, each sheet's declared dimension (`<dimension ref=…>` near its start) and the
    cells actually there: the last used row and column and rows × columns, which is what a reader
    allocates, whatever the dimension says. CSV: rows, columns and line length.
    Raises ValidationError naming the file and the limit."""
    berkas.seek(0)
    try:
        if jenis == "xlsx":
            _periksa_xlsx(berkas, nama)
        else:
            _periksa_csv(berkas, nama)
    finally:
        berkas.seek(0)


class _Ukuran:
    """The largest row and column seen so far and the number of cells, checked as they grow."""

    def __init__(self, nama: str):
        self.nama, self.baris, self.kolom, self.sel = nama, 0, 0, 0

    def tambah(self, baris: int, kolom: int, sel: int = 1):
        self.baris, self.kolom, self.sel = max(self.baris, baris), max(self.kolom, kolom), self.sel + sel
        if self.baris > BATAS_BARIS:
            raise _terlalu_besar(self.nama, f"{angka(BATAS_BARIS)} baris")
        if self.kolom > BATAS_KOLOM:
            raise _terlalu_besar(self.nama, f"{angka(BATAS_KOLOM)} kolom")
        if self.baris * self.kolom > BATAS_SEL or self.sel > BATAS_SEL:
            raise _terlalu_besar(self.nama, f"{angka(BATAS_SEL)} sel (baris × kolom)")


_RUJUKAN = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")


def _posisi(rujukan: str):
    """'XFD1048576' -> (1048576, 16384); None when it is not a cell reference."""
    cocok = _RUJUKAN.fullmatch(rujukan.strip())
    if cocok is None:
        return None
    kolom = 0
    for huruf in cocok[1].upper():
        kolom = kolom * 26 + ord(huruf) - 64
    return int(cocok[2]), kolom


# A member is read in pieces of this size; a tag cut at a piece's end is carried to the next.
_POTONGAN = 4 * MB
_KEPALA_LOKAL = struct.Struct("<IHHHHHIIIHH")
_DIMENSI = re.compile(rb'<(?:[\w.-]+:)?dimension\s[^>]*?\bref="([^"]{1,40})"')
# Cells as Excel and every common writer put them, the reference first: `<c r="B12" …>`.
_SEL_KOLOM = re.compile(rb'<c\sr="([A-Z]{1,3})[0-9]{1,7}"')
_SEL_BARIS = re.compile(rb'<c\sr="[A-Z]{1,3}([0-9]{1,7})"')
# Any other start of a cell (no reference, another spelling, a namespace prefix): the piece is
# then counted element by element (`_hitung_teliti`).
_SEL_LAIN = re.compile(rb'<c(?:>|\s(?!r="[A-Z]{1,3}[0-9]{1,7}"))')
_SEL_BERAWALAN = re.compile(rb':c[\s>]')


def _periksa_xlsx(berkas, nama: str):
    try:
        with zipfile.ZipFile(berkas) as arsip:
            entries = arsip.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, RuntimeError) as error:
        raise ValidationError(f"Berkas “{nama}” rusak: isinya tidak dapat dibuka sebagai Excel (XLSX).") from error
    _periksa_zip(entries, nama)
    for entry in entries:
        if not entry.is_dir():
            _periksa_bagian(berkas, entry, nama)


def _periksa_bagian(berkas, entry, nama: str):
    """One member: an XML part is checked for the sheet's size as it streams by (a sheet is found
    by its content, not by its name, as the workbook's relationships may name any part);
    every other part is only unpacked, to hold it to its declared size."""
    potongan = _isi_bagian(berkas, entry, nama)
    awal = b""
    for data in potongan:
        awal += data
        if awal.strip(b" \t\r\n"):
            break
    awal = awal.lstrip(b" \t\r\n")
    if awal.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _tidak_wajar(nama, f"bagian “{entry.filename[:80]}” berkode UTF-16")
    if not awal.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        for _ in potongan:
            pass
        return
    cocok = _DIMENSI.search(awal[:64 * 1024])
    if cocok:
        _periksa_dimensi(cocok[1].decode("ascii", "replace"), nama)
    if not _hitung_cepat(awal, potongan, nama):
        _hitung_teliti(_isi_bagian(berkas, entry, nama), nama, entry)


def _periksa_dimensi(ref: str, nama: str):
    """The size the sheet declares ("A1:AI100001"): refused early when over the limits (never used
    to allocate anything; the cells themselves are counted after)."""
    ujung = _posisi(ref.rpartition(":")[2])
    if ujung is not None:
        _Ukuran(nama).tambah(*ujung)


def _hitung_cepat(awal: bytes, potongan, nama: str) -> bool:
    """Count the cells written `<c r="B12"`, a piece at a time; False as soon as a cell is written
    any other way (then every cell of the part is counted by `_hitung_teliti`)."""
    ukuran, sisa = _Ukuran(nama), b""

    def hitung(data: bytes) -> bool:
        if _SEL_LAIN.search(data) or _SEL_BERAWALAN.search(data):
            return False
        kolom = _SEL_KOLOM.findall(data)
        if kolom:
            baris = max(map(int, set(_SEL_BARIS.findall(data))))
            ukuran.tambah(baris, max(_posisi(k.decode() + "1")[1] for k in set(kolom)), len(kolom))
        return True

    for data in _gabung(awal, potongan):
        data = sisa + data
        potong = data.rfind(b"<")
        if 0 < potong and len(data) - potong < MB:
            data, sisa = data[:potong], data[potong:]
        else:
            sisa = b""
        if not hitung(data):
            return False
    return hitung(sisa)


def _gabung(awal: bytes, potongan):
    yield awal
    yield from potongan


def _hitung_teliti(potongan, nama: str, entry):
    """Every element named `c` (any prefix), placed as readers place it: by its reference, else
    next to the cell before it in the row (a row without number follows the row before it)."""
    ukuran, posisi = _Ukuran(nama), {"baris": 0, "kolom": 0}

    def mulai(tag, atribut):
        lokal = tag.rpartition(":")[2]
        if lokal == "row":
            nomor = atribut.get("r", "")
            posisi["baris"] = int(nomor) if nomor.isdigit() else posisi["baris"] + 1
            posisi["kolom"] = 0
        elif lokal == "c":
            tempat = _posisi(atribut.get("r", ""))
            if tempat is None:
                tempat = (max(posisi["baris"], 1), posisi["kolom"] + 1)
            posisi["kolom"] = tempat[1]
            ukuran.tambah(*tempat)

    parser = expat.ParserCreate()
    parser.StartElementHandler = mulai
    try:
        for data in potongan:
            parser.Parse(data, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise ValidationError(f"Berkas “{nama}” rusak: bagian “{entry.filename[:80]}” bukan XML yang utuh.") from error


def _isi_bagian(berkas, entry, nama: str):
    """A member's content in pieces, unpacked here from its raw bytes so that it can never unpack
    to more than its declared size (zip readers trust the declared size, a crafted file lies)."""
    berkas.seek(entry.header_offset)
    kepala = berkas.read(_KEPALA_LOKAL.size)
    if len(kepala) < _KEPALA_LOKAL.size or _KEPALA_LOKAL.unpack(kepala)[0] != 0x04034B50:
        raise ValidationError(f"Berkas “{nama}” rusak: isinya tidak dapat dibuka sebagai Excel (XLSX).")
    *_, panjang_nama, panjang_tambahan = _KEPALA_LOKAL.unpack(kepala)
    if entry.flag_bits & 0x1:
        raise _tidak_wajar(nama, "isinya terkunci dengan kata sandi")
    if entry.compress_type == zipfile.ZIP_DEFLATED:
        pembuka = zlib.decompressobj(-zlib.MAX_WBITS)
    elif entry.compress_type != zipfile.ZIP_STORED:
        raise _tidak_wajar(nama, f"bagian “{entry.filename[:80]}” dimampatkan dengan cara yang tidak dikenal")
    else:
        pembuka = None
    letak = entry.header_offset + _KEPALA_LOKAL.size + panjang_nama + panjang_tambahan
    sisa, keluar, crc = entry.compress_size, 0, 0
    while sisa:
        berkas.seek(letak)
        mentah = berkas.read(min(sisa, _POTONGAN))
        if not mentah:
            raise ValidationError(f"Berkas “{nama}” rusak: isinya terpotong.")
        letak, sisa = letak + len(mentah), sisa - len(mentah)
        while mentah:
            if pembuka is None:
                data, mentah = mentah, b""
            else:
                data = pembuka.decompress(mentah, _POTONGAN)
                mentah = pembuka.unconsumed_tail
            keluar += len(data)
            if keluar > entry.file_size:
                raise _tidak_wajar(nama, f"bagian “{entry.filename[:80]}” lebih besar daripada yang tercatat")
            crc = zlib.crc32(data, crc)
            yield data
    if pembuka is not None:
        data = pembuka.flush()
        keluar += len(data)
        if keluar > entry.file_size:
            raise _tidak_wajar(nama, f"bagian “{entry.filename[:80]}” lebih besar daripada yang tercatat")
        crc = zlib.crc32(data, crc)
        yield data
    if keluar != entry.file_size or crc != entry.CRC:
        raise ValidationError(f"Berkas “{nama}” rusak: bagian “{entry.filename[:80]}” tidak utuh.")


def _periksa_csv(berkas, nama: str):
    """Rows (records), the widest row, line length and rows × columns. Read as Latin-1, which
    keeps every byte (the delimiters, quotes and line ends are ASCII in UTF-8 and Windows-1252
    alike), so counting never fails on the encoding."""
    pemisah = pemisah_csv(berkas.read(64 * 1024).decode("latin-1"))
    berkas.seek(0)
    teks = io.TextIOWrapper(berkas, encoding="latin-1", newline="")

    def baris_fisik():
        for baris in teks:
            if len(baris) > BATAS_PANJANG_BARIS:
                raise _tidak_wajar(nama, f"satu barisnya lebih dari {angka(BATAS_PANJANG_BARIS)} karakter")
            yield baris

    ukuran = _Ukuran(nama)
    try:
        for nomor, kolom in enumerate(csv.reader(baris_fisik(), delimiter=pemisah), start=1):
            ukuran.tambah(nomor, len(kolom), len(kolom))
    except csv.Error as error:
        raise _tidak_wajar(nama, f"isinya tidak dapat dibaca sebagai CSV ({error})") from error
    finally:
        teks.detach()  # the caller's file stays open


class BatasUkuranHandler(FileUploadHandler):
    """Stops storing an uploaded file as soon as it passes MAX_UPLOAD_MB, so an oversized upload
    never fills the disk; the view then reports it (`request.berkas_terlalu_besar`)."""

    def __init__(self, request=None):
        super().__init__(request)
        self.content_length = None
        self.diterima = 0

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self.diterima = 0
        if self.content_length and self.content_length > batas_bita() + MB:
            self._tolak(file_name, self.content_length)

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.content_length = content_length

    def receive_data_chunk(self, raw_data, start):
        self.diterima += len(raw_data)
        if self.diterima > batas_bita():
            self._tolak(self.file_name, None)
        return raw_data

    def file_complete(self, file_size):
        return None

    def _tolak(self, file_name, ukuran):
        self.request.berkas_terlalu_besar = pesan_terlalu_besar(Path(file_name or "berkas").name, ukuran)
        raise SkipFile()
