"""Reference data: the eight convergence actions, the years 2024 and 2025 opened with each
action's responsible OPDs and expected documents, and the indicator catalogue.

Indicators: the RAN PASTI / Perpres 72/2021 set with the 2024 targets (ASI eksklusif 80 %,
MP-ASI 80 %, ibu hamil KEK mendapat tambahan gizi 90 %, ibu hamil TTD ≥ 90 tablet 80 %,
remaja putri TTD 58 %, tata laksana gizi buruk 90 %, balita dipantau 90 %, KTD ≤ 15,5 %,
KB pascapersalinan 70 %, pemeriksaan kesehatan catin 90 %) plus the city's stunting prevalence
from e-PPGBM-style measurements (national target 14 % for 2024). Both "balita dipantau" and the
prevalence are computed from the balita app when it has measurements.
"""

from decimal import Decimal

from django.db import migrations

AKSI = [
    (1, "Analisis Situasi", "Lokasi prioritas (lokus) dan program prioritas, dari data per kelurahan"),
    (2, "Rencana Kegiatan", "Rencana kegiatan yang masuk ke RKPD/APBD"),
    (3, "Rembuk Stunting", "Komitmen yang ditandatangani wali kota, DPRD, kepala OPD, lurah dan mitra"),
    (4, "Perwali Peran Kelurahan", "Peraturan wali kota tentang peran dan kewenangan kelurahan"),
    (5, "Pembinaan KPM dan Pelaku Kelurahan", "Cakupan rumah tangga 1000 HPK yang mendapat intervensi lengkap"),
    (6, "Sistem Manajemen Data", "Perbaikan kesenjangan data"),
    (7, "Pengukuran dan Publikasi Stunting", "Data hasil pengukuran dan publikasi sebaran per kelurahan"),
    (8, "Reviu Kinerja Tahunan", "Reviu rencana terhadap hasil"),
]

# Responsible OPDs per action (Kota Kediri's TPPS split; the secretariat can change it per year).
OPD_AKSI = {
    1: ["bappeda", "dinkes", "dp3ap2kb"],
    2: ["bappeda"],
    3: ["bappeda", "dp3ap2kb"],
    4: ["dp3ap2kb", "kec-mojoroto", "kec-kota", "kec-pesantren"],
    5: ["dp3ap2kb", "dinkes", "kec-mojoroto", "kec-kota", "kec-pesantren"],
    6: ["diskominfo", "dinkes", "dp3ap2kb"],
    7: ["dinkes", "diskominfo"],
    8: ["bappeda", "dp3ap2kb"],
}

# Documents the province asks for per action (Bangda's guidance); editable by Admin per year.
KELUARAN = {
    1: [
        "Dokumen hasil analisis situasi (sebaran prevalensi dan cakupan intervensi per kelurahan)",
        "Keputusan penetapan kelurahan lokus prioritas",
        "Notulen dan daftar hadir rapat analisis situasi",
    ],
    2: [
        "Matriks rencana kegiatan konvergensi per OPD",
        "Kutipan RKPD/Renja OPD yang memuat kegiatan penurunan stunting",
    ],
    3: [
        "Berita acara Rembuk Stunting",
        "Dokumen komitmen yang ditandatangani",
        "Daftar hadir dan dokumentasi foto Rembuk Stunting",
    ],
    4: [
        "Peraturan Wali Kota tentang peran kelurahan dalam penurunan stunting",
        "Bukti sosialisasi Perwali kepada kelurahan",
    ],
    5: [
        "Keputusan penetapan Kader Pembangunan Manusia (KPM) per kelurahan",
        "Laporan pembinaan dan peningkatan kapasitas KPM",
        "Rekap cakupan layanan 1000 HPK (scorecard konvergensi kelurahan)",
    ],
    6: [
        "Dokumen sistem manajemen data stunting",
        "Laporan analisis dan perbaikan kesenjangan data",
    ],
    7: [
        "Rekap hasil pengukuran balita per kelurahan",
        "Bukti publikasi data stunting per kelurahan",
    ],
    8: [
        "Laporan reviu kinerja tahunan (rencana terhadap realisasi)",
        "Notulen rapat reviu kinerja",
    ],
}

TAHUN = [2024, 2025]

PERSEN = "%"
# kode, nama, arah, opd, sumber data, pembilang, penyebut, hitung otomatis, target 2024, jenis
INDIKATOR = [
    ("asi-eksklusif", "Persentase bayi usia kurang dari 6 bulan mendapat ASI eksklusif", "naik", "dinkes",
     "Laporan gizi puskesmas (Dinkes)", "Bayi < 6 bulan yang mendapat ASI eksklusif", "Bayi < 6 bulan yang di-recall", "", "80", "nasional"),
    ("mp-asi", "Persentase anak usia 6–23 bulan yang mendapat Makanan Pendamping ASI (MP-ASI)", "naik", "dinkes",
     "Laporan gizi puskesmas (Dinkes)", "Anak 6–23 bulan yang mendapat MP-ASI sesuai standar", "Anak 6–23 bulan yang di-recall", "", "80", "nasional"),
    ("bumil-kek-gizi", "Persentase ibu hamil Kurang Energi Kronik (KEK) yang mendapatkan tambahan asupan gizi", "naik", "dinkes",
     "Laporan KIA dan gizi puskesmas (Dinkes)", "Ibu hamil KEK yang mendapat makanan tambahan", "Ibu hamil KEK", "", "90", "nasional"),
    ("bumil-ttd", "Persentase ibu hamil yang mengonsumsi Tablet Tambah Darah (TTD) minimal 90 tablet selama masa kehamilan", "naik", "dinkes",
     "Laporan KIA puskesmas (Dinkes)", "Ibu hamil yang mengonsumsi ≥ 90 TTD", "Ibu hamil", "", "80", "nasional"),
    ("rematri-ttd", "Persentase remaja putri yang mengonsumsi Tablet Tambah Darah (TTD)", "naik", "dinkes",
     "Laporan TTD remaja putri di sekolah (Dinkes, Dispendik, Kemenag)", "Remaja putri yang mengonsumsi TTD", "Remaja putri sasaran", "", "58", "nasional"),
    ("gizi-buruk-tatalaksana", "Persentase balita gizi buruk yang mendapat pelayanan tata laksana gizi buruk", "naik", "dinkes",
     "Laporan tata laksana gizi buruk (Dinkes)", "Balita gizi buruk yang ditangani sesuai tata laksana", "Balita gizi buruk yang ditemukan", "", "90", "nasional"),
    ("balita-dipantau", "Persentase balita yang dipantau pertumbuhan dan perkembangannya", "naik", "dinkes",
     "Data pengukuran balita (aplikasi ini / e-PPGBM)", "Balita yang diukur dalam periode", "Balita terdaftar (umur 0–59 bulan)", "balita_dipantau", "90", "nasional"),
    ("ktd", "Persentase kehamilan yang tidak diinginkan (KTD)", "turun", "dp3ap2kb",
     "Pendataan Keluarga / SIGA BKKBN (DP3AP2KB)", "Kehamilan yang tidak diinginkan", "Kehamilan pada PUS", "", "15.5", "nasional"),
    ("kb-pascapersalinan", "Cakupan pelayanan Keluarga Berencana (KB) pascapersalinan", "naik", "dp3ap2kb",
     "SIGA BKKBN / laporan pelayanan KB (DP3AP2KB)", "Ibu bersalin yang mendapat pelayanan KB pascapersalinan", "Ibu bersalin", "", "70", "nasional"),
    ("catin-periksa", "Persentase calon Pasangan Usia Subur (PUS) yang memperoleh pemeriksaan kesehatan sebagai bagian dari pelayanan nikah", "naik", "kemenag",
     "Elsimil dan laporan KUA (Kemenag)", "Calon PUS yang diperiksa kesehatannya", "Calon PUS yang mendaftar nikah", "", "90", "nasional"),
    ("prevalensi-stunting", "Prevalensi balita stunting (seluruh balita yang diukur, e-PPGBM)", "turun", "dinkes",
     "Data pengukuran balita (aplikasi ini / e-PPGBM)", "Balita stunting (TB/U < −2 SD)", "Balita diukur dengan TB/U sah", "prevalensi_stunting", "14", "lokal"),
]


def load(apps, schema_editor):
    Aksi = apps.get_model("konvergensi", "Aksi")
    AksiTahunan = apps.get_model("konvergensi", "AksiTahunan")
    PenanggungJawabAksi = apps.get_model("konvergensi", "PenanggungJawabAksi")
    KeluaranAksi = apps.get_model("konvergensi", "KeluaranAksi")
    TahunPenilaian = apps.get_model("konvergensi", "TahunPenilaian")
    Indikator = apps.get_model("konvergensi", "Indikator")
    TargetIndikator = apps.get_model("konvergensi", "TargetIndikator")
    Opd = apps.get_model("tpps", "Opd")
    opd = {o.kode: o for o in Opd.objects.all()}

    for nomor, nama, keluaran in AKSI:
        aksi = Aksi.objects.create(nomor=nomor, nama=nama, keluaran=keluaran)
        for tahun in TAHUN:
            tahunan = AksiTahunan.objects.create(aksi=aksi, tahun=tahun)
            for kode in OPD_AKSI[nomor]:
                PenanggungJawabAksi.objects.create(aksi_tahunan=tahunan, opd=opd[kode])
            for urutan, dokumen in enumerate(KELUARAN[nomor], start=1):
                KeluaranAksi.objects.create(aksi_tahunan=tahunan, nama=dokumen, urutan=urutan)
    for tahun in TAHUN:
        TahunPenilaian.objects.create(tahun=tahun)

    for urutan, (kode, nama, arah, opd_kode, sumber, pembilang, penyebut, otomatis, target, jenis) in enumerate(INDIKATOR, start=1):
        indikator = Indikator.objects.create(
            kode=kode, nama=nama, satuan=PERSEN, arah=arah, jenis=jenis, sumber_data=sumber, opd=opd[opd_kode],
            definisi_pembilang=pembilang, definisi_penyebut=penyebut, hitung_otomatis=otomatis, urutan=urutan,
        )
        TargetIndikator.objects.create(indikator=indikator, tahun=2024, nilai=Decimal(target))


def unload(apps, schema_editor):
    for model in ("TargetIndikator", "Indikator", "KeluaranAksi", "PenanggungJawabAksi", "AksiTahunan", "TahunPenilaian", "Aksi"):
        apps.get_model("konvergensi", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("konvergensi", "0001_initial"),
        ("tpps", "0002_wilayah_kota_kediri"),
    ]

    operations = [migrations.RunPython(load, unload)]
