"""Demo data: the province's 2025 recommendations and weak points for Kota Kediri (as reported),
some follow-up by the OPDs, and three innovations with pentahelix partners. The follow-up texts,
dates, partners and the third innovation are illustrative demo values."""

import datetime

from django.db import transaction

from konvergensi.models import Bukti, Indikator, RencanaKegiatan
from rekomendasi import services
from rekomendasi.models import Inovasi, Jenis, Rekomendasi
from tpps.models import Opd
from tpps.roles import SYSTEM

SUMBER = "Hasil penilaian kinerja TPPS Provinsi Jawa Timur 2025"

# jenis, judul, uraian, OPD codes, indicator codes, app measure, activity names (plan 2025)
DAFTAR = [
    (Jenis.REKOMENDASI, "Strategi berbasis data yang valid dan terintegrasi",
     "Susun strategi percepatan penurunan stunting dari data sasaran yang valid dan terintegrasi antar-OPD "
     "(e-PPGBM, pendataan keluarga, data layanan).", ["dp3ap2kb", "dinkes", "diskominfo"], ["balita-dipantau"],
     "skor_mutu_data", ["Pelatihan kader posyandu pemantauan pertumbuhan", "Publikasi data stunting per kelurahan"]),
    (Jenis.REKOMENDASI, "Konsistensi program TPPS dalam dokumen perencanaan (RPJMD/RKPD)",
     "Pastikan program dan kegiatan TPPS tercantum konsisten dalam RPJMD, RKPD dan Renja OPD.", ["bappeda"], [], "",
     ["Analisis situasi dan reviu kinerja konvergensi stunting"]),
    (Jenis.REKOMENDASI, "Penguatan tata laksana gizi (manajemen kasus)",
     "Perkuat tata laksana gizi buruk dan gizi kurang: penemuan, rujukan dan pemantauan setiap kasus sampai pulih.",
     ["dinkes"], ["gizi-buruk-tatalaksana"], "kasus_gizi_sembuh", ["Tata laksana balita gizi buruk dan gizi kurang"]),
    (Jenis.REKOMENDASI, "Perluasan sasaran intervensi",
     "Perluas sasaran intervensi ke remaja putri, calon pengantin dan ibu hamil di luar kelurahan lokus.",
     ["dp3ap2kb", "dinkes", "kemenag"], ["rematri-ttd", "catin-periksa"], "", []),
    (Jenis.REKOMENDASI, "Inovasi baru yang melibatkan masyarakat",
     "Kembangkan inovasi yang melibatkan masyarakat, dunia usaha, akademisi dan media (pentahelix).",
     ["dp3ap2kb", "bappeda"], [], "", []),
    (Jenis.KELEMAHAN, "Prevalensi stunting", "Prevalensi stunting belum turun sesuai target.", ["dinkes"],
     ["prevalensi-stunting"], "prevalensi_stunting", []),
    (Jenis.KELEMAHAN, "Cakupan ASI eksklusif", "Cakupan ASI eksklusif masih di bawah target nasional.", ["dinkes"],
     ["asi-eksklusif"], "", ["Kelas ibu hamil dan konseling ASI"]),
    (Jenis.KELEMAHAN, "Kehamilan tidak diinginkan (KTD)", "Angka kehamilan tidak diinginkan masih tinggi.", ["dp3ap2kb"],
     ["ktd"], "", ["Kampanye perencanaan kehamilan bagi PUS muda"]),
    (Jenis.KELEMAHAN, "Validitas data", "Data pengukuran balita belum sepenuhnya valid (nilai tidak wajar, cakupan).",
     ["dinkes", "dp3ap2kb"], ["balita-dipantau"], "skor_mutu_data", []),
    (Jenis.KELEMAHAN, "Konsistensi perencanaan", "Sebagian kegiatan konvergensi belum tercantum dalam RKPD.", ["bappeda"],
     [], "", []),
    (Jenis.KELEMAHAN, "Inovasi gizi", "Inovasi di bidang gizi belum terdokumentasi dan terukur hasilnya.", ["dinkes"], [], "", []),
    (Jenis.KELEMAHAN, "Kolaborasi lintas sektor", "Kolaborasi lintas sektor dan dengan mitra non-pemerintah masih terbatas.",
     ["dp3ap2kb", "bappeda"], [], "", []),
]

# judul, OPD, tanggal, uraian, hasil, tuntas
TINDAK_LANJUT = [
    ("Konsistensi program TPPS dalam dokumen perencanaan (RPJMD/RKPD)", "bappeda", datetime.date(2025, 9, 15),
     "Reviu RKPD 2026: seluruh kegiatan konvergensi OPD dipetakan ke kode program dan kegiatan.",
     "14 dari 15 kegiatan konvergensi 2026 tercantum dalam RKPD dengan kodenya.", True),
    ("Penguatan tata laksana gizi (manajemen kasus)", "dinkes", datetime.date(2025, 8, 1),
     "Dokter spesialis anak dijadwalkan praktik bergilir di setiap puskesmas untuk rujukan kasus gizi.", "", False),
    ("Strategi berbasis data yang valid dan terintegrasi", "dinkes", datetime.date(2025, 10, 6),
     "Pelatihan ulang pengukuran bagi kader posyandu di 46 kelurahan; pemeriksaan mutu data bulanan.", "", False),
    ("Cakupan ASI eksklusif", "dinkes", datetime.date(2025, 7, 20),
     "Konselor ASI di setiap puskesmas; kelas ibu hamil menambah sesi menyusui.", "", False),
]

# nama, OPD, mulai, sasaran, anggaran, uraian, perubahan, indikator, [(mitra, unsur, peran)]
INOVASI = [
    ("Dokter spesialis anak di setiap puskesmas", "dinkes", datetime.date(2024, 7, 1), "balita", "apbd",
     "Dokter spesialis anak praktik terjadwal di sembilan puskesmas untuk menangani rujukan balita gizi kurang, "
     "gizi buruk dan stunting tanpa menunggu rujukan ke rumah sakit.",
     "Balita bermasalah gizi ditangani dokter spesialis di puskesmas terdekat; waktu tunggu rujukan berkurang.",
     "gizi-buruk-tatalaksana",
     [("IDAI Cabang Kediri", "masyarakat", "Penugasan dokter spesialis anak"),
      ("Fakultas Kedokteran universitas mitra", "akademisi", "Pendampingan protokol tata laksana")]),
    ("Catatan intervensi per anak", "dp3ap2kb", datetime.date(2025, 1, 15), "balita", "apbd",
     "Setiap balita stunting dan berisiko punya catatan intervensi sendiri (PMT, kunjungan TPK, rujukan) yang "
     "dipantau bersama puskesmas dan kelurahan.",
     "Intervensi dapat ditelusuri per anak, bukan hanya per kegiatan.", "prevalensi-stunting",
     [("Universitas mitra (program studi gizi)", "akademisi", "Analisis data intervensi"),
      ("TP PKK dan kader posyandu", "masyarakat", "Kunjungan rumah"),
      ("Radio dan media lokal Kediri", "media", "Kampanye gizi balita")]),
    ("Pojok ASI di tempat kerja", "dinkes", datetime.date(2025, 3, 1), "ibu_menyusui", "csr",
     "Ruang laktasi dan konselor ASI di perusahaan dan pasar besar kota.", "", "asi-eksklusif",
     [("Perusahaan mitra (CSR)", "usaha", "Menyediakan ruang laktasi")]),
]


@transaction.atomic
def load():
    if Rekomendasi.objects.exists():
        return None
    opd = {o.kode: o for o in Opd.objects.all()}
    indikator = {i.kode: i for i in Indikator.objects.all()}
    kegiatan = {k.nama: k for k in RencanaKegiatan.objects.filter(tahun=2025)}
    # Evidence already uploaded for action 2 (the plan) and 6 (data) answers two recommendations.
    bukti = {nomor: list(Bukti.objects.filter(aksi_tahunan__tahun=2025, aksi_tahunan__aksi__nomor=nomor)[:1]) for nomor in (2, 6)}
    saved = {}
    for urutan, (jenis, judul, uraian, opds, indicators, ukuran, activities) in enumerate(DAFTAR, start=1):
        saved[judul] = services.save_recommendation(
            Rekomendasi(tahun=2025, jenis=jenis, judul=judul, uraian=uraian, sumber=SUMBER, angka_aplikasi=ukuran, urutan=urutan),
            opd=[opd[k] for k in opds], indikator=[indikator[k] for k in indicators if k in indikator],
            kegiatan=[kegiatan[n] for n in activities if n in kegiatan],
            bukti=bukti[2] if "RPJMD" in judul else bukti[6] if judul.startswith("Strategi") else [],
            user=SYSTEM,
        )
    for judul, opd_kode, tanggal, uraian, hasil, tuntas in TINDAK_LANJUT:
        services.record_follow_up(saved[judul], opd[opd_kode], {"uraian": uraian, "tanggal": tanggal, "hasil": hasil, "tuntas": tuntas},
                                  user=SYSTEM)
    for nama, opd_kode, mulai, sasaran, anggaran, uraian, perubahan, indikator_kode, mitra in INOVASI:
        item = services.save_innovation(Inovasi(nama=nama, opd=opd[opd_kode], mulai=mulai, sasaran=sasaran, sumber_anggaran=anggaran,
                                                uraian=uraian, perubahan=perubahan, indikator=indikator.get(indikator_kode)), user=SYSTEM)
        for partner, unsur, peran in mitra:
            services.add_partner(item, partner, unsur, peran, user=SYSTEM)
    return {"rekomendasi": len(saved), "tindak_lanjut": len(TINDAK_LANJUT), "inovasi": len(INOVASI)}
