"""The guide's structure, in one place: its sections, the page of each role, and which section
explains which screen (URL name → section). The base template's "?" link reads it through
`panduan.context_processors`; the role pages render the sections in the order given here; the
tests walk every page of the app against it (tests/panduan/)."""

from dataclasses import dataclass

from django.urls import reverse

from tpps.roles import Role

# Screenshots live here (static/panduan/<section>.webp); tests/panduan/test_gambar.py makes them.
IMAGE_DIR = "panduan"


@dataclass(frozen=True)
class Bagian:
    """A section of the guide: its title, its screenshot (if any) and the screens it explains."""

    judul: str
    layar: tuple = ()
    gambar: bool = True

    def image_path(self, anchor):
        return f"{IMAGE_DIR}/{anchor}.webp"


SECTIONS = {
    "masuk": Bagian("Masuk, keluar dan ganti kata sandi", ("password_change", "password_change_done")),
    "beranda": Bagian("Beranda dan menu", ("home",)),
    # Balita
    "balita-impor": Bagian("Impor data e-PPGBM", (
        "balita:impor", "balita:impor_detail", "balita:impor_tinjau", "balita:impor_simpan", "balita:impor_batal",
        "balita:impor_ulangi", "balita:impor_galat", "balita:impor_templat")),
    "balita-register": Bagian("Register balita", ("balita:index", "balita:anak_export", "balita:anak_baru")),
    "balita-anak": Bagian("Halaman anak", ("balita:anak_detail", "balita:anak_ubah", "balita:anak_gabung")),
    "balita-pengukuran": Bagian("Mencatat dan mengoreksi pengukuran", (
        "balita:pengukuran_baru", "balita:pengukuran_pratinjau", "balita:pengukuran_ubah",
        "balita:pengukuran_hapus")),
    "balita-stunting": Bagian("Register stunting", ("balita:stunting", "balita:stunting_export")),
    "balita-mutu": Bagian("Mutu data", (
        "balita:mutu", "balita:mutu_periksa", "balita:mutu_tabel_xlsx", "balita:mutu_temuan_xlsx")),
    "balita-asi": Bagian("ASI eksklusif", ("balita:asi",), gambar=False),
    # Ibu hamil
    "ibuhamil-daftar": Bagian("Ibu hamil: mencatat kehamilan, kunjungan, PMT dan persalinan", (
        "ibuhamil:index", "ibuhamil:ekspor", "ibuhamil:baru", "ibuhamil:detail", "ibuhamil:ubah",
        "ibuhamil:kunjungan_create", "ibuhamil:pmt_create", "ibuhamil:persalinan_create",
        "ibuhamil:keputusan_bayi"), gambar=False),
    "ibuhamil-impor": Bagian("Ibu hamil: impor templat dan ringkasan angka", (
        "ibuhamil:impor", "ibuhamil:impor_konfirmasi", "ibuhamil:templat", "ibuhamil:ringkasan"), gambar=False),
    # Sasaran hulu
    "sasaran-hulu": Bagian("Sasaran hulu: catin, TTD remaja putri, keluarga risiko stunting", (
        "sasaran:index", "sasaran:catin", "sasaran:catin_baru", "sasaran:remaja", "sasaran:remaja_baru",
        "sasaran:krs", "sasaran:impor", "sasaran:templat", "sasaran:impor_detail", "sasaran:impor_simpan",
        "sasaran:impor_batal"), gambar=False),
    # Tata laksana gizi
    "kasus-daftar": Bagian("Daftar kasus dan halaman kasus", (
        "kasus:index", "kasus:ekspor", "kasus:detail", "kasus:langkah_create", "kasus:intervensi_create")),
    "kasus-tindak-lanjut": Bagian("Tindak lanjut dan daftar kunjungan posyandu", (
        "kasus:tindak_lanjut", "kasus:kunjungan")),
    "kasus-kohort": Bagian("Kohort kasus", ("kasus:kohort",)),
    # Aksi konvergensi
    "konvergensi-aksi": Bagian("Papan aksi dan halaman aksi", (
        "konvergensi:index", "konvergensi:aksi_detail", "konvergensi:aksi_ubah", "konvergensi:buka_tahun",
        "konvergensi:rembuk_simpan", "konvergensi:penandatangan_tambah", "konvergensi:penandatangan_hapus",
        "konvergensi:tanggal_penilaian")),
    "konvergensi-bukti": Bagian("Mengunggah bukti dukung", (
        "konvergensi:bukti_unggah", "konvergensi:bukti_hapus", "konvergensi:bukti_unduh"), gambar=False),
    "konvergensi-verifikasi": Bagian("Verifikasi bukti", ("konvergensi:verifikasi", "konvergensi:bukti_verifikasi")),
    "konvergensi-indikator": Bagian("Indikator: capaian, kendala dan upaya", (
        "konvergensi:indikator", "konvergensi:capaian_isi", "konvergensi:capaian_baris")),
    "konvergensi-rencana": Bagian("Rencana kegiatan (aksi 2)", (
        "konvergensi:rencana", "konvergensi:rencana_tambah", "konvergensi:rencana_ubah",
        "konvergensi:rencana_hapus")),
    "konvergensi-kesiapan": Bagian("Kesiapan penilaian, Semua OPD dan Siap paparan", (
        "konvergensi:kesiapan", "konvergensi:ringkasan_opd", "konvergensi:paparan", "konvergensi:paparan_saya",
        "rekomendasi:kesiapan")),
    # GENTING
    "genting-dasbor": Bagian("Dasbor GENTING", ("genting:index",)),
    "genting-ota": Bagian("Orang tua asuh", (
        "genting:ota_list", "genting:ota_detail", "genting:ota_create", "genting:ota_edit", "genting:ota_statement")),
    "genting-keluarga": Bagian("Keluarga risiko stunting", (
        "genting:keluarga_list", "genting:keluarga_detail", "genting:keluarga_create", "genting:keluarga_edit",
        "genting:anggota_create", "genting:pendampingan_create")),
    "genting-donasi": Bagian("Mencatat donasi", ("genting:donasi_list", "genting:donasi_create")),
    "genting-penyaluran": Bagian("Mencatat penyaluran bantuan", (
        "genting:penyaluran_list", "genting:penyaluran_create", "genting:penyaluran_sumber",
        "genting:penyaluran_bukti", "genting:penyaluran_bukti_unggah")),
    "genting-buku-besar": Bagian("Buku besar dan koreksi", ("genting:buku_besar", "genting:transaksi_batalkan")),
    # Rekomendasi
    "rekomendasi-daftar": Bagian("Rekomendasi dan kelemahan dari provinsi", (
        "rekomendasi:index", "rekomendasi:tambah", "rekomendasi:ubah", "rekomendasi:hapus",
        "rekomendasi:dokumen_unduh")),
    "rekomendasi-tindak-lanjut": Bagian("Mencatat tindak lanjut rekomendasi", (
        "rekomendasi:detail", "rekomendasi:tindak_lanjut", "rekomendasi:tindak_lanjut_hapus",
        "rekomendasi:tindak_lanjut_unduh")),
    "inovasi": Bagian("Inovasi daerah", (
        "rekomendasi:inovasi", "rekomendasi:inovasi_detail", "rekomendasi:inovasi_tambah",
        "rekomendasi:inovasi_ubah", "rekomendasi:inovasi_hapus", "rekomendasi:inovasi_unduh",
        "rekomendasi:mitra_tambah", "rekomendasi:mitra_hapus")),
    # Laporan
    "dasbor": Bagian("Dasbor", ("laporan:index", "laporan:ekspor")),
    "dasbor-kelurahan": Bagian("Halaman kelurahan", ("laporan:kelurahan", "laporan:ekspor_anak")),
    "survei": Bagian("Survei dan register", ("laporan:survei", "laporan:survei_hapus")),
    "peringkat": Bagian("Peringkat kab/kota", (
        "laporan:peringkat", "laporan:peringkat_ekspor", "laporan:peringkat_isi", "laporan:peringkat_unggah",
        "laporan:peringkat_templat")),
    "paket": Bagian("Paket evaluasi (PDF)", (
        "laporan:paket", "laporan:paket_status", "laporan:paket_unduh", "laporan:paket_batal",
        "laporan:paket_ulangi", "laporan:narasi", "laporan:narasi_simpan", "laporan:narasi_kembalikan",
        "kelola:pejabat")),
    # Pengelolaan (Admin)
    "kelola-pengguna": Bagian("Pengguna dan penugasan", (
        "kelola:index", "kelola:pengguna_list", "kelola:pengguna_baru", "kelola:pengguna_detail",
        "kelola:pengguna_kata_sandi", "kelola:pengguna_status", "kelola:penugasan_tambah",
        "kelola:penugasan_hapus")),
    "kelola-wilayah": Bagian("Wilayah, posyandu, lokus dan OPD", (
        "kelola:kecamatan_list", "kelola:kecamatan_baru", "kelola:kecamatan_ubah", "kelola:kecamatan_hapus",
        "kelola:kelurahan_list", "kelola:kelurahan_baru", "kelola:kelurahan_ubah", "kelola:kelurahan_hapus",
        "kelola:puskesmas_list", "kelola:puskesmas_baru", "kelola:puskesmas_ubah", "kelola:puskesmas_hapus",
        "kelola:posyandu_list", "kelola:posyandu_baru", "kelola:posyandu_ubah", "kelola:posyandu_hapus",
        "kelola:lokus", "kelola:lokus_salin", "kelola:lokus_hapus",
        "kelola:opd_list", "kelola:opd_baru", "kelola:opd_ubah", "kelola:opd_hapus")),
    "kelola-indikator": Bagian("Katalog indikator", (
        "kelola:indikator:daftar", "kelola:indikator:baru", "kelola:indikator:ubah", "kelola:indikator:hapus",
        "kelola:indikator:target", "kelola:indikator:target_hapus")),
    "kelola-kunci": Bagian("Kunci masuk", ("kelola:kunci_list", "kelola:kunci_buka")),
    "audit": Bagian("Jejak audit", ("audit_log",)),
}

# Screens (URL names) that have a page but no section, and why.
WITHOUT_SECTION = {
    "login": "the login page is seen before logging in; the guide's first section explains it",
    "panduan:index": "the guide itself",
    "panduan:peran": "the guide itself",
}


@dataclass(frozen=True)
class Halaman:
    """The guide page of one role: its title and its sections in reading order."""

    judul: str
    bagian: tuple


ROLE_PAGES = {
    Role.OPERATOR: Halaman("Operator DP3AP2KB", (
        "masuk", "beranda", "balita-impor", "balita-register", "balita-anak", "balita-pengukuran",
        "balita-mutu", "balita-stunting", "balita-asi", "ibuhamil-daftar", "ibuhamil-impor", "sasaran-hulu",
        "kasus-daftar", "kasus-tindak-lanjut", "kasus-kohort", "konvergensi-aksi", "konvergensi-verifikasi", "konvergensi-bukti", "konvergensi-indikator",
        "konvergensi-rencana", "konvergensi-kesiapan", "genting-dasbor", "genting-ota", "genting-keluarga",
        "genting-donasi", "genting-penyaluran", "genting-buku-besar", "rekomendasi-daftar",
        "rekomendasi-tindak-lanjut", "inovasi", "dasbor", "dasbor-kelurahan", "survei", "peringkat", "paket")),
    Role.WILAYAH: Halaman("Operator wilayah (puskesmas dan kelurahan)", (
        "masuk", "beranda", "balita-register", "balita-anak", "balita-pengukuran", "balita-impor",
        "balita-mutu", "balita-stunting", "balita-asi", "ibuhamil-daftar", "ibuhamil-impor", "sasaran-hulu",
        "kasus-daftar", "kasus-tindak-lanjut", "genting-dasbor", "genting-keluarga", "dasbor", "dasbor-kelurahan")),
    Role.OPD: Halaman("OPD (Dinkes, Bappeda, Dinsos, dan lainnya)", (
        "masuk", "beranda", "konvergensi-aksi", "konvergensi-bukti", "konvergensi-indikator",
        "konvergensi-rencana", "konvergensi-kesiapan", "rekomendasi-tindak-lanjut", "inovasi",
        "kasus-daftar", "dasbor")),
    Role.PIMPINAN: Halaman("Pimpinan (Sekda, kepala OPD)", (
        "masuk", "beranda", "dasbor", "dasbor-kelurahan", "balita-stunting", "kasus-kohort",
        "konvergensi-kesiapan", "rekomendasi-daftar", "genting-dasbor", "peringkat", "paket")),
    Role.ADMIN: Halaman("Admin", (
        "masuk", "beranda", "kelola-pengguna", "kelola-wilayah", "kelola-indikator", "kelola-kunci", "audit")),
}

# url name → section anchor, derived once from SECTIONS.
SCREEN_SECTION = {name: anchor for anchor, bagian in SECTIONS.items() for name in bagian.layar}


def pages_with(anchor):
    """Role pages (in ROLE_PAGES order) that hold a section."""
    return [role for role, halaman in ROLE_PAGES.items() if anchor in halaman.bagian]


def guide_url(url_name, roles):
    """The guide part for a screen: on the page of one of the user's roles when that page holds the
    section, else on the first page that does. None for a screen without a section."""
    anchor = SCREEN_SECTION.get(url_name)
    if anchor is None:
        return None
    pages = pages_with(anchor)
    role = next((role for role in pages if role in roles), pages[0])
    return f"{reverse('panduan:peran', args=[role])}#{anchor}"
