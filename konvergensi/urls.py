from django.urls import path

from konvergensi.views import aksi, indikator, rencana

app_name = "konvergensi"
urlpatterns = [
    # Actions and evidence
    path("", aksi.index, name="index"),
    path("tahun/buka/", aksi.buka_tahun, name="buka_tahun"),
    path("<int:tahun>/aksi/<int:nomor>/", aksi.aksi_detail, name="aksi_detail"),
    path("<int:tahun>/aksi/<int:nomor>/ubah/", aksi.aksi_ubah, name="aksi_ubah"),
    path("<int:tahun>/aksi/<int:nomor>/unggah/", aksi.bukti_unggah, name="bukti_unggah"),
    path("<int:tahun>/penilaian/", aksi.tanggal_penilaian, name="tanggal_penilaian"),
    path("<int:tahun>/rembuk/", aksi.rembuk_simpan, name="rembuk_simpan"),
    path("<int:tahun>/rembuk/penandatangan/", aksi.penandatangan_tambah, name="penandatangan_tambah"),
    path("penandatangan/<int:pk>/hapus/", aksi.penandatangan_hapus, name="penandatangan_hapus"),
    path("bukti/<int:pk>/unduh/", aksi.bukti_unduh, name="bukti_unduh"),
    path("bukti/<int:pk>/hapus/", aksi.bukti_hapus, name="bukti_hapus"),
    path("bukti/<int:pk>/verifikasi/", aksi.bukti_verifikasi, name="bukti_verifikasi"),
    path("verifikasi/", aksi.verifikasi, name="verifikasi"),
    # Indicators and readiness
    path("indikator/", indikator.indikator, name="indikator"),
    path("indikator/<int:pk>/<int:tahun>/<str:periode>/", indikator.capaian_baris, name="capaian_baris"),
    path("indikator/<int:pk>/<int:tahun>/<str:periode>/isi/", indikator.capaian_isi, name="capaian_isi"),
    path("kesiapan/", indikator.kesiapan, name="kesiapan"),
    path("opd/", indikator.ringkasan_opd, name="ringkasan_opd"),
    path("paparan/", indikator.paparan_saya, name="paparan_saya"),
    path("paparan/<slug:kode>/", indikator.paparan, name="paparan"),
    # Action 2: activity plan
    path("rencana/", rencana.rencana, name="rencana"),
    path("rencana/tambah/", rencana.rencana_tambah, name="rencana_tambah"),
    path("rencana/<int:pk>/ubah/", rencana.rencana_ubah, name="rencana_ubah"),
    path("rencana/<int:pk>/hapus/", rencana.rencana_hapus, name="rencana_hapus"),
]
