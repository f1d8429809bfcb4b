"""Demo data for konvergensi: 2024 (done, most evidence accepted) and 2025 (in progress).

Evidence files are small real documents generated here (PDF and PNG with matplotlib, XLSX with
the app's writer `tpps.xlsx`, DOCX as a minimal Office Open XML package) and go through the same upload checks as
user uploads. Targets and achievements are illustrative, not official figures. Idempotent: does
nothing once demo evidence exists.
"""

import datetime
import io
import random
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from matplotlib.figure import Figure

from konvergensi import services
from konvergensi.models import (
    AksiTahunan,
    Bukti,
    Capaian,
    Indikator,
    JenisIndikator,
    Penandatangan,
    RembukStunting,
    RencanaKegiatan,
    Sasaran,
    StatusAksi,
    StatusVerifikasi,
    TahunPenilaian,
    Unsur,
    Verifikasi,
)
from konvergensi.rules import Periode
from tpps import xlsx
from tpps.models import Kelurahan, LokusKelurahan, Opd, User
from tpps.roles import SYSTEM

TZ = timezone.get_current_timezone()

LOCAL_INDICATORS = [
    # kode, nama, opd, sumber, pembilang, penyebut, target 2024, target 2025
    ("air-minum-layak", "Persentase keluarga berisiko stunting dengan akses air minum layak", "dpupr",
     "Data SPAM dan pendataan keluarga (DPUPR)", "KRS dengan akses air minum layak", "Keluarga berisiko stunting", "92", "95"),
    ("jamban-sehat", "Persentase keluarga berisiko stunting dengan akses sanitasi (jamban) layak", "dprkp",
     "Data sanitasi (DPRKP)", "KRS dengan jamban sehat", "Keluarga berisiko stunting", "90", "93"),
    ("akta-lahir-balita", "Persentase balita yang memiliki akta kelahiran", "dispendukcapil",
     "SIAK (Dispendukcapil)", "Balita dengan akta kelahiran", "Balita terdaftar", "95", "97"),
    ("bantuan-pangan-krs", "Persentase keluarga berisiko stunting yang mendapat bantuan pangan/sosial", "dinsos",
     "DTKS dan penyaluran bansos (Dinsos)", "KRS penerima bantuan", "KRS yang memenuhi syarat", "75", "80"),
]

TARGET_2025 = {
    "asi-eksklusif": "80", "mp-asi": "80", "bumil-kek-gizi": "90", "bumil-ttd": "80", "rematri-ttd": "60",
    "gizi-buruk-tatalaksana": "90", "balita-dipantau": "90", "ktd": "15", "kb-pascapersalinan": "70",
    "catin-periksa": "90", "prevalensi-stunting": "18", "unmet-need": "7",
}

# Typed achievements: kode → {year: [t1, t2, t3, t4, th]} (None = not reported).
CAPAIAN = {
    "asi-eksklusif": {2024: ["74.2", "76.8", "78.5", "81.3", "81.3"], 2025: ["77.5", "79.1", "80.4", None, None]},
    "mp-asi": {2024: ["79.0", "81.2", "83.5", "84.1", "84.1"], 2025: ["82.0", "83.3", None, None, None]},
    "bumil-kek-gizi": {2024: ["85.0", "88.4", "91.2", "93.5", "93.5"], 2025: ["87.1", "90.6", "92.0", None, None]},
    "bumil-ttd": {2024: ["70.3", "72.8", "74.1", "75.6", "75.6"], 2025: ["71.9", "73.4", "74.0", None, None]},
    "rematri-ttd": {2024: ["48.0", "51.5", "55.2", "60.8", "60.8"], 2025: ["50.2", "53.7", None, None, None]},
    "gizi-buruk-tatalaksana": {2024: ["100", "100", "100", "100", "100"], 2025: ["100", "100", "100", None, None]},
    "balita-dipantau": {2024: ["86.1", "91.4", "88.2", "92.6", "92.6"], 2025: ["87.3", "92.8", "90.1", None, None]},
    "ktd": {2024: ["16.8", "16.2", "15.9", "15.1", "15.1"], 2025: ["15.6", "15.2", None, None, None]},
    "kb-pascapersalinan": {2024: ["52.4", "55.9", "58.3", "61.0", "61.0"], 2025: ["57.8", "60.2", "63.5", None, None]},
    "catin-periksa": {2024: ["84.0", "87.5", "90.2", "91.8", "91.8"], 2025: ["88.6", "90.4", "91.1", None, None]},
    "prevalensi-stunting": {2024: ["5.4", "5.2", "5.0", "4.9", "4.9"], 2025: ["4.8", "4.7", "4.6", None, None]},
    "air-minum-layak": {2024: [None, "90.1", None, "93.2", "93.2"], 2025: [None, "94.0", None, None, None]},
    "jamban-sehat": {2024: [None, "82.5", None, "86.7", "86.7"], 2025: [None, "88.9", None, None, None]},
    "akta-lahir-balita": {2024: ["93.1", "94.0", "95.2", "96.4", "96.4"], 2025: ["95.8", "96.5", "97.2", None, None]},
    "bantuan-pangan-krs": {2024: ["61.0", "66.4", "70.2", "72.8", "72.8"], 2025: ["68.5", None, None, None, None]},
}

KENDALA = {
    "bumil-ttd": ("Kepatuhan minum TTD rendah karena efek mual; pencatatan di buku KIA tidak lengkap.",
                  "Kunjungan rumah oleh kader TPK, TTD diminum bersama saat kelas ibu hamil, pencatatan lewat aplikasi."),
    "kb-pascapersalinan": ("Sebagian persalinan di fasilitas swasta belum melaporkan pelayanan KB pascapersalinan.",
                           "MoU pelaporan dengan rumah sakit dan klinik swasta; konseling KB sejak ANC."),
    "bantuan-pangan-krs": ("Sebagian KRS belum masuk DTKS sehingga tidak memenuhi syarat bansos.",
                           "Verifikasi dan usulan DTKS dari kelurahan lokus; bantuan GENTING untuk KRS di luar DTKS."),
    "ktd": ("Pemahaman PUS muda tentang perencanaan kehamilan masih kurang.",
            "Konseling oleh PKB dan kader di kelurahan lokus, kelas calon pengantin bersama KUA."),
    "asi-eksklusif": ("Ibu bekerja kembali sebelum bayi 6 bulan; ruang laktasi belum tersedia di semua kantor.",
                      "Pendampingan konselor ASI, penyediaan ruang laktasi di perkantoran pemerintah."),
    "rematri-ttd": ("Distribusi TTD ke sekolah swasta dan madrasah terlambat di awal tahun.",
                    "Jadwal minum TTD bersama tiap pekan dengan Dispendik dan Kemenag."),
    "bumil-kek-gizi": ("Penyaluran PMT lokal terlambat pada triwulan I.", "Pengadaan PMT lokal dipercepat melalui posyandu."),
}

AKSI_2024 = {
    # nomor: (planned start, planned end, actual start, actual end, narrative)
    1: ("2024-01-08", "2024-02-28", "2024-01-10", "2024-02-27",
        "Analisis sebaran stunting dan cakupan intervensi di 46 kelurahan; ditetapkan 10 kelurahan lokus."),
    2: ("2024-02-01", "2024-03-31", "2024-02-05", "2024-03-28",
        "Rencana kegiatan OPD disusun dan diselaraskan dengan RKPD 2025 melalui forum perangkat daerah."),
    3: ("2024-04-01", "2024-05-31", "2024-05-22", "2024-05-22",
        "Rembuk Stunting tingkat kota; komitmen ditandatangani wali kota, DPRD, kepala OPD, camat dan mitra."),
    4: ("2024-03-01", "2024-06-30", "2024-03-04", "2024-06-14",
        "Perwali tentang peran kelurahan diperbarui dan disosialisasikan kepada 46 lurah."),
    5: ("2024-02-01", "2024-11-30", "2024-02-01", "2024-11-29",
        "Pembinaan KPM di 46 kelurahan; scorecard konvergensi dipakai di rapat bulanan kelurahan."),
    6: ("2024-01-15", "2024-09-30", "2024-01-15", "2024-09-20",
        "Kesenjangan data e-PPGBM dan pendataan keluarga dipetakan; alur pembaruan data disepakati."),
    7: ("2024-02-01", "2024-09-30", "2024-02-01", "2024-09-13",
        "Pengukuran serentak Februari dan Agustus; sebaran per kelurahan dipublikasikan di laman resmi."),
    8: ("2024-11-01", "2024-12-20", "2024-11-04", "2024-12-18",
        "Reviu kinerja tahunan TPPS: realisasi kegiatan dibandingkan dengan rencana dan capaian indikator."),
}

STATUS_2025 = {1: StatusAksi.SELESAI, 2: StatusAksi.SELESAI, 3: StatusAksi.SELESAI, 4: StatusAksi.BERJALAN,
               5: StatusAksi.BERJALAN, 6: StatusAksi.BERJALAN, 7: StatusAksi.BERJALAN, 8: StatusAksi.BELUM_MULAI}

# 2025 evidence: action → how many of its outputs have evidence, and the state of each.
BUKTI_2025 = {
    1: ["diterima", "diterima", "diterima"],
    2: ["diterima", "menunggu"],
    3: ["diterima", "diterima", "menunggu"],
    4: ["perlu_revisi"],
    5: ["diterima", "menunggu"],
    6: ["menunggu"],
    7: ["diterima"],
    8: [],
}

KEGIATAN = [
    # opd, name, program, kegiatan, sasaran, pagu 2024, real% 2024, indicators, lokus?
    ("dinkes", "Pemberian makanan tambahan lokal bagi ibu hamil KEK", "1.02.02", "1.02.02.2.02", Sasaran.IBU_HAMIL, 1_250_000_000, 96, ["bumil-kek-gizi"], True),
    ("dinkes", "Distribusi dan pemantauan tablet tambah darah remaja putri", "1.02.02", "1.02.02.2.02", Sasaran.REMAJA_PUTRI, 185_000_000, 92, ["rematri-ttd"], False),
    ("dinkes", "Pelatihan kader posyandu pemantauan pertumbuhan", "1.02.02", "1.02.02.2.02", Sasaran.BALITA, 320_000_000, 88, ["balita-dipantau", "prevalensi-stunting"], True),
    ("dinkes", "Tata laksana balita gizi buruk dan gizi kurang", "1.02.02", "1.02.02.2.02", Sasaran.BALITA, 410_000_000, 94, ["gizi-buruk-tatalaksana", "prevalensi-stunting"], True),
    ("dinkes", "Kelas ibu hamil dan konseling ASI", "1.02.02", "1.02.02.2.02", Sasaran.IBU_HAMIL, 150_000_000, 90, ["asi-eksklusif", "bumil-ttd"], False),
    ("dp3ap2kb", "Pendampingan keluarga berisiko stunting oleh Tim Pendamping Keluarga", "2.14.02", "2.14.02.2.02", Sasaran.KELUARGA_BERISIKO, 640_000_000, 91, ["prevalensi-stunting"], True),
    ("dp3ap2kb", "Pelayanan KB pascapersalinan", "2.14.03", "2.14.03.2.01", Sasaran.IBU_MENYUSUI, 95_000_000, 85, ["kb-pascapersalinan"], False),
    ("dp3ap2kb", "Kampanye perencanaan kehamilan bagi PUS muda", "", "", Sasaran.UMUM, 0, 0, ["ktd"], False),
    ("bappeda", "Analisis situasi dan reviu kinerja konvergensi stunting", "5.01.02", "5.01.02.2.01", Sasaran.UMUM, 120_000_000, 97, [], False),
    ("dinsos", "Bantuan pangan bagi keluarga berisiko stunting", "1.06.04", "1.06.04.2.01", Sasaran.KELUARGA_BERISIKO, 880_000_000, 93, ["bantuan-pangan-krs"], True),
    ("dpupr", "Perluasan jaringan SPAM di kelurahan lokus", "1.03.03", "1.03.03.2.01", Sasaran.KELUARGA_BERISIKO, 2_150_000_000, 87, ["air-minum-layak"], True),
    ("dprkp", "Pembangunan jamban sehat keluarga", "1.04.02", "1.04.02.2.01", Sasaran.KELUARGA_BERISIKO, 560_000_000, 89, ["jamban-sehat"], True),
    ("kemenag", "Bimbingan perkawinan dan pemeriksaan kesehatan calon pengantin", "", "", Sasaran.CATIN, 60_000_000, 100, ["catin-periksa"], False),
    ("diskominfo", "Publikasi data stunting per kelurahan", "2.16.02", "2.16.02.2.01", Sasaran.UMUM, 45_000_000, 98, [], False),
    ("dispendukcapil", "Jemput bola akta kelahiran balita di posyandu", "2.12.02", "2.12.02.2.01", Sasaran.BALITA, 70_000_000, 95, ["akta-lahir-balita"], True),
]

SIGNATORIES = [
    ("Hj. Sri Rahayu Ningsih", "Wali Kota Kediri", Unsur.WALI_KOTA),
    ("H. Gatot Prasetyo", "Ketua DPRD Kota Kediri", Unsur.DPRD),
    ("Drs. Heru Wicaksono, M.Si.", "Sekretaris Daerah / Ketua TPPS", Unsur.OPD),
    ("dr. Bambang Sutrisno", "Kepala Dinas Kesehatan", Unsur.OPD),
    ("Dra. Endah Purwanti", "Kepala DP3AP2KB", Unsur.OPD),
    ("Rina Kartika, S.T., M.T.", "Kepala Bappeda", Unsur.OPD),
    ("Arif Hidayat, S.STP.", "Camat Pesantren", Unsur.WILAYAH),
    ("Dewi Lestari, S.Sos.", "Lurah Betet", Unsur.WILAYAH),
    ("Prof. Dr. Suharno", "Rektor Universitas mitra", Unsur.MITRA),
]

KEGIATAN_DISEPAKATI = """Pemberian makanan tambahan lokal bagi ibu hamil KEK dan balita gizi kurang di kelurahan lokus
Pendampingan keluarga berisiko stunting oleh Tim Pendamping Keluarga
Perluasan akses air minum layak dan jamban sehat di kelurahan lokus
Gerakan Orang Tua Asuh Cegah Stunting (GENTING) bersama dunia usaha
Pengukuran serentak balita pada bulan Februari dan Agustus"""


def _aware(day: str, hour: int = 10) -> datetime.datetime:
    date = datetime.date.fromisoformat(day)
    return datetime.datetime(date.year, date.month, date.day, hour, tzinfo=TZ)


# --- small real documents ---------------------------------------------------------------------

def _figure_bytes(title: str, lines: list[str], fmt: str) -> bytes:
    figure = Figure(figsize=(8.27, 11.69) if fmt == "pdf" else (6, 4), dpi=72 if fmt == "pdf" else 80)
    figure.text(0.08, 0.93 if fmt == "pdf" else 0.88, title, fontsize=13, weight="bold")
    if fmt == "png":
        axes = figure.add_axes([0.1, 0.15, 0.85, 0.6])
        values = [random.Random(title).randint(40, 100) for _ in lines]
        axes.bar(range(len(lines)), values, color="#0b5394")
        axes.set_xticks(range(len(lines)), [line[:10] for line in lines], rotation=30, fontsize=7)
    else:
        for i, line in enumerate(lines):
            figure.text(0.08, 0.86 - i * 0.03, line, fontsize=10)
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, metadata={"Title": title} if fmt == "pdf" else None)
    return buffer.getvalue()


def _xlsx_bytes(title: str, rows: list[tuple]) -> bytes:
    """A title line, then `rows` (the first is the header)."""
    return xlsx.table_bytes(list(rows[0]), rows[1:], sheet="Rekap", preamble=(title,))


def docx_bytes(paragraphs: list[str]) -> bytes:
    """A minimal but genuine Word document (Office Open XML)."""
    body = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _document_for(keluaran_nama: str, tahun: int, nomor: int) -> tuple[str, bytes]:
    """(file name, bytes) of a fitting small document for an expected output."""
    name = keluaran_nama.lower()
    slug = f"aksi{nomor}-{tahun}"
    lokus = [lk.kelurahan.nama for lk in LokusKelurahan.objects.filter(tahun=tahun).select_related("kelurahan")]
    if "foto" in name or "publikasi" in name:
        return f"{slug}-dokumentasi.png", _figure_bytes(f"{keluaran_nama} {tahun}", lokus or ["Kota Kediri"], "png")
    if "rekap" in name or "matriks" in name or "scorecard" in name:
        rows = [("Kelurahan", "Sasaran", "Terlayani")] + [(k, 100 + i * 7, 90 + i * 6) for i, k in enumerate(lokus)]
        return f"{slug}-rekap.xlsx", _xlsx_bytes(f"{keluaran_nama} {tahun}", rows)
    if "peraturan" in name:
        return f"{slug}-perwali.docx", docx_bytes([f"{keluaran_nama}", f"Tahun {tahun}", "Pasal 1 …"])
    lines = [f"Kota Kediri — tahun {tahun}", "Tim Percepatan Penurunan Stunting", "", *[f"• {k}" for k in lokus[:8]]]
    return f"{slug}-dokumen.pdf", _figure_bytes(f"{keluaran_nama}", lines, "pdf")


# --- loading ----------------------------------------------------------------------------------

def _uploader(tahunan, users):
    codes = [opd.kode for opd in tahunan.opd.all()]
    for code in ("dinkes", "bappeda"):
        if code in codes and users.get(code):
            return users[code], Opd.objects.get(kode=code)
    return users.get("operator") or SYSTEM, tahunan.opd.order_by("singkatan").first()


def _add_evidence(tahunan, keluaran, state, users, uploaded_at):
    filename, content = _document_for(keluaran.nama, tahunan.tahun, tahunan.aksi.nomor)
    user, opd = _uploader(tahunan, users)
    bukti = services.upload_evidence(tahunan, ContentFile(content, name=filename), judul=keluaran.nama, user=user, keluaran=keluaran, opd=opd)
    Bukti.objects.filter(pk=bukti.pk).update(diunggah_pada=uploaded_at)
    verifier = users.get("operator") or SYSTEM
    if state == "perlu_revisi_lalu_diterima":
        services.verify_evidence(bukti, StatusVerifikasi.PERLU_REVISI, "Lampirkan halaman tanda tangan yang lengkap.", verifier)
        services.verify_evidence(bukti, StatusVerifikasi.DITERIMA, "Sudah lengkap.", verifier)
    elif state == "perlu_revisi":
        services.verify_evidence(
            bukti, StatusVerifikasi.PERLU_REVISI,
            "Dokumen masih draf: unggah Perwali yang sudah diundangkan (bernomor dan bertanggal).", verifier,
        )
    elif state == "diterima":
        services.verify_evidence(bukti, StatusVerifikasi.DITERIMA, "", verifier)
    # Decisions a few days after the upload, two days apart.
    decisions = list(Verifikasi.objects.filter(bukti=bukti).order_by("id"))
    for i, decision in enumerate(decisions):
        Verifikasi.objects.filter(pk=decision.pk).update(pada=uploaded_at + datetime.timedelta(days=3 + 2 * i))
    if decisions:
        Bukti.objects.filter(pk=bukti.pk).update(diverifikasi_pada=uploaded_at + datetime.timedelta(days=3 + 2 * (len(decisions) - 1)))
    return bukti


def _shift(day: str) -> datetime.date:
    return datetime.date.fromisoformat(day).replace(year=2025)


def _load_actions(users, today):
    TahunPenilaian.objects.filter(tahun=2024).update(tanggal_penilaian=datetime.date(2025, 6, 17))
    # Keep the countdown meaningful whenever the demo is loaded.
    TahunPenilaian.objects.filter(tahun=2025).update(tanggal_penilaian=today + datetime.timedelta(days=45))
    count = 0
    for tahunan in AksiTahunan.objects.filter(tahun=2024).select_related("aksi"):
        start, end, real_start, real_end, narasi = AKSI_2024[tahunan.aksi.nomor]
        for i, keluaran in enumerate(tahunan.keluaran.all()):
            state = "diterima"
            if tahunan.aksi.nomor == 3 and i == 1:
                state = "perlu_revisi_lalu_diterima"
            if tahunan.aksi.nomor == 6 and i == 1:
                state = "menunggu"  # the one item DP3AP2KB has not checked yet
            _add_evidence(tahunan, keluaran, state, users, _aware(real_end) - datetime.timedelta(days=7 - i))
            count += 1
        services.update_action(tahunan, {
            "status": StatusAksi.SELESAI,
            "rencana_mulai": datetime.date.fromisoformat(start), "rencana_selesai": datetime.date.fromisoformat(end),
            "realisasi_mulai": datetime.date.fromisoformat(real_start), "realisasi_selesai": datetime.date.fromisoformat(real_end),
            "narasi": narasi,
        }, user=SYSTEM)
    for tahunan in AksiTahunan.objects.filter(tahun=2025).select_related("aksi"):
        nomor = tahunan.aksi.nomor
        start, end, real_start, real_end, narasi = AKSI_2024[nomor]
        for i, (keluaran, state) in enumerate(zip(tahunan.keluaran.all(), BUKTI_2025[nomor])):
            _add_evidence(tahunan, keluaran, state, users, _aware(real_start.replace("2024", "2025")) + datetime.timedelta(days=20 + 9 * i))
            count += 1
        status = STATUS_2025[nomor]
        services.update_action(tahunan, {
            "status": status,
            "rencana_mulai": _shift(start), "rencana_selesai": _shift(end),
            "realisasi_mulai": _shift(real_start) if status != StatusAksi.BELUM_MULAI else None,
            "realisasi_selesai": _shift(real_end) if status == StatusAksi.SELESAI else None,
            "narasi": narasi.replace("2025", "2026") if status == StatusAksi.SELESAI else ("" if status == StatusAksi.BELUM_MULAI else "Sedang berjalan: " + narasi[0].lower() + narasi[1:]),
        }, user=SYSTEM)
    return count


def _load_indicators():
    opd = {o.kode: o for o in Opd.objects.all()}
    start = Indikator.objects.count()
    for i, (kode, nama, opd_kode, sumber, pembilang, penyebut, t2024, t2025) in enumerate(LOCAL_INDICATORS, start=start + 1):
        indikator, _ = Indikator.objects.get_or_create(kode=kode, defaults={
            "nama": nama, "opd": opd[opd_kode], "sumber_data": sumber, "definisi_pembilang": pembilang,
            "definisi_penyebut": penyebut, "jenis": JenisIndikator.LOKAL, "urutan": i,
        })
        services.set_target(indikator, 2024, Decimal(t2024), user=SYSTEM)
        services.set_target(indikator, 2025, Decimal(t2025), user=SYSTEM)
    for kode, nilai in TARGET_2025.items():
        services.set_target(Indikator.objects.get(kode=kode), 2025, Decimal(nilai), user=SYSTEM)
    periods = [Periode.T1, Periode.T2, Periode.T3, Periode.T4, Periode.TAHUN]
    count = 0
    for kode, years in CAPAIAN.items():
        indikator = Indikator.objects.get(kode=kode)
        for tahun, values in years.items():
            for periode, value in zip(periods, values):
                if value is None:
                    continue
                kendala, upaya = KENDALA.get(kode, ("", ""))
                Capaian.objects.update_or_create(
                    indikator=indikator, tahun=tahun, periode=periode,
                    defaults={"nilai": Decimal(value), "kendala": kendala, "upaya": upaya},
                )
                count += 1
    return count


def _load_plan():
    indikator = {i.kode: i for i in Indikator.objects.all()}
    opd = {o.kode: o for o in Opd.objects.all()}
    count = 0
    for tahun in (2024, 2025):
        lokus = list(Kelurahan.objects.filter(lokus__tahun=tahun))
        rng = random.Random(tahun)
        for opd_kode, nama, program, kode, sasaran, pagu, persen, indicators, at_lokus in KEGIATAN:
            pagu_tahun = pagu if tahun == 2024 else int(pagu * 1.08) // 1000 * 1000
            # 2025 is under way: about two thirds spent so far.
            real = pagu_tahun * persen // 100 if tahun == 2024 else pagu_tahun * (persen - rng.randint(25, 40)) // 100
            kegiatan = RencanaKegiatan(
                tahun=tahun, opd=opd[opd_kode], nama=nama, kode_program=program, kode_kegiatan=kode,
                pagu=pagu_tahun, realisasi=max(real, 0), sasaran=sasaran,
            )
            services.save_kegiatan(kegiatan, lokus if at_lokus else [], [indikator[k] for k in indicators], user=SYSTEM)
            count += 1
    return count


def _load_rembuk():
    for tahun, tanggal, peserta in ((2024, datetime.date(2024, 5, 22), 134), (2025, datetime.date(2025, 5, 14), 142)):
        rembuk = services.save_rembuk(RembukStunting(
            tahun=tahun, tanggal=tanggal, tempat="Ruang Joyoboyo, Balai Kota Kediri", jumlah_peserta=peserta,
            peserta="Wali Kota, DPRD, kepala OPD anggota TPPS, camat, lurah, TP PKK, perguruan tinggi, dunia usaha, Rumah Zakat",
            kegiatan_disepakati=KEGIATAN_DISEPAKATI,
        ), user=SYSTEM)
        for nama, jabatan, unsur in SIGNATORIES:
            services.add_signatory(rembuk, nama, jabatan, unsur, user=SYSTEM)


@transaction.atomic
def load(today: datetime.date | None = None) -> dict | None:
    """Load the demo; None when it is already there."""
    if Bukti.objects.exists() or RencanaKegiatan.objects.exists() or Penandatangan.objects.exists():
        return None
    today = today or timezone.localdate()
    users = {u.username: u for u in User.objects.filter(username__in=["operator", "dinkes", "bappeda", "admin"])}
    bukti = _load_actions(users, today)
    capaian = _load_indicators()
    kegiatan = _load_plan()
    _load_rembuk()
    return {"bukti": bukti, "capaian": capaian, "kegiatan": kegiatan}
