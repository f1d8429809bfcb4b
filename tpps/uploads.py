"""The one check for every uploaded file: size, and type by content (never by name alone).

Each use names what it accepts (`DOKUMEN` for convergence evidence: PDF, PNG, JPEG, XLSX, DOCX;
`FOTO_ATAU_PDF` for GENTING receipts and photos; `EKSPOR_EPPGBM` for the e-PPGBM import and
`TABEL_PENILAIAN` for the provincial ranking: XLSX or CSV). The type is read from the bytes with `filetype`; XLSX
and DOCX are zip containers, so for them the archive itself is opened and must be a real Office
Open XML package of the right kind (its `[Content_Types].xml` declares the workbook or document
main part, and that part exists). The file's extension must then agree with its content. Images
are decoded with Pillow, PDFs must end with the `%%EOF` marker and CSV must be text (no NUL
bytes, readable as UTF-8 or Windows-1252), so truncated, corrupt or renamed files are refused too. Every refusal is a ValidationError in Bahasa Indonesia naming the file.
"""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from PIL import Image

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
    """A set of accepted kinds and how to name it to the user."""

    jenis: tuple
    uraian: str

    @property
    def ekstensi(self) -> tuple:
        return tuple(ext for kode in self.jenis for ext in JENIS[kode].ekstensi)

    @property
    def accept(self) -> str:
        """For the file picker's `accept` attribute."""
        return ",".join(self.ekstensi)


DOKUMEN = Pilihan(("pdf", "png", "jpg", "xlsx", "docx"), "PDF, gambar (PNG/JPG), Excel (XLSX) atau Word (DOCX)")
FOTO_ATAU_PDF = Pilihan(("jpg", "png", "webp", "pdf"), "foto JPG, PNG, WebP, atau PDF")
EKSPOR_EPPGBM = Pilihan(("xlsx", "csv"), "berkas .xlsx atau .csv dari e-PPGBM")
TABEL_PENILAIAN = Pilihan(("xlsx", "csv"), "XLSX (Excel) atau CSV")

# The main part each OOXML kind must declare and contain.
OOXML_MAIN = {
    "xlsx": ("xl/workbook.xml", b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"),
    "docx": ("word/document.xml", b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"),
}
# An office file unpacks to a few times its size; far more is a zip bomb.
OOXML_MAX_RATIO = 100


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
            if sum(entry.file_size for entry in entries) > OOXML_MAX_RATIO * max(berkas.size, MB):
                raise ValidationError(f"Berkas “{nama}” tidak wajar: isinya jauh lebih besar daripada berkasnya.")
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


def _periksa_pdf(berkas, nama: str, ukuran: int):
    berkas.seek(max(0, ukuran - 2048))
    ekor = berkas.read()
    berkas.seek(0)
    if b"%%EOF" not in ekor:
        raise ValidationError(f"Berkas PDF “{nama}” tidak lengkap atau rusak. Simpan ulang PDF-nya lalu unggah kembali.")


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
