"""Reference data of Kota Kediri (35.71): kecamatan, kelurahan, puskesmas, lokus, OPD.

Kelurahan codes follow Kemendagri: 35.71.<kecamatan>.<1001…>. The puskesmas working areas are
the office's current split and can be changed by an Admin on the management site.
"""

from django.db import migrations

KECAMATAN = [
    ("35.71.01", "Mojoroto", [
        "Bandar Lor", "Bandar Kidul", "Banjar Mlati", "Pojok", "Sukorame", "Bujel", "Gayam",
        "Mrican", "Dermo", "Ngampel", "Mojoroto", "Campurejo", "Lirboyo", "Tamanan",
    ]),
    ("35.71.02", "Kota", [
        "Semampir", "Balowerti", "Dandangan", "Ngadirejo", "Kampung Dalem", "Setonopande",
        "Ringinanom", "Pakelan", "Setonogedong", "Kemasan", "Jagalan", "Banjaran", "Kaliombo",
        "Ngronggo", "Manisrenggo", "Pocanan", "Rejomulyo",
    ]),
    ("35.71.03", "Pesantren", [
        "Bangsal", "Pakunden", "Tosaren", "Jamsaren", "Singonegaran", "Blabak", "Betet",
        "Tinalan", "Bawang", "Ngletih", "Tempurejo", "Ketami", "Pesantren", "Banaran", "Burengan",
    ]),
]

PUSKESMAS = [
    ("Campurejo", "Mojoroto", ["Campurejo", "Bandar Lor", "Bandar Kidul", "Banjar Mlati", "Lirboyo"]),
    ("Mrican", "Mojoroto", ["Mrican", "Gayam", "Dermo", "Ngampel", "Mojoroto"]),
    ("Sukorame", "Mojoroto", ["Sukorame", "Pojok", "Bujel", "Tamanan"]),
    ("Balowerti", "Kota", ["Balowerti", "Semampir", "Dandangan", "Kampung Dalem", "Pocanan"]),
    ("Kota Wilayah Utara", "Kota", ["Ngadirejo", "Setonopande", "Ringinanom", "Pakelan", "Setonogedong", "Kemasan"]),
    ("Kota Wilayah Selatan", "Kota", ["Jagalan", "Banjaran", "Kaliombo", "Ngronggo", "Manisrenggo", "Rejomulyo"]),
    ("Pesantren I", "Pesantren", ["Pesantren", "Banaran", "Burengan", "Pakunden", "Singonegaran", "Tinalan"]),
    ("Pesantren II", "Pesantren", ["Bangsal", "Tosaren", "Jamsaren", "Betet", "Blabak"]),
    ("Ngletih", "Pesantren", ["Ngletih", "Tempurejo", "Ketami", "Bawang"]),
]

LOKUS_2024_2025 = [
    "Betet", "Banaran", "Pesantren", "Gayam", "Blabak", "Banjar Mlati", "Ngletih", "Rejomulyo",
    "Manisrenggo", "Mrican",
]

OPD = [
    ("dp3ap2kb", "DP3AP2KB", "Dinas Pengendalian Penduduk, Keluarga Berencana, Pemberdayaan Perempuan dan Perlindungan Anak"),
    ("dinkes", "Dinkes", "Dinas Kesehatan"),
    ("bappeda", "Bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("dinsos", "Dinsos", "Dinas Sosial"),
    ("dpupr", "DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("dprkp", "DPRKP", "Dinas Perumahan Rakyat dan Kawasan Permukiman"),
    ("kemenag", "Kemenag", "Kantor Kementerian Agama Kota Kediri"),
    ("dispendik", "Dispendik", "Dinas Pendidikan"),
    ("dkpp", "DKPP", "Dinas Ketahanan Pangan dan Pertanian"),
    ("diskominfo", "Diskominfo", "Dinas Komunikasi dan Informatika"),
    ("dispendukcapil", "Dispendukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("dlhkp", "DLHKP", "Dinas Lingkungan Hidup, Kebersihan dan Pertamanan"),
    ("kec-mojoroto", "Kec. Mojoroto", "Kecamatan Mojoroto"),
    ("kec-kota", "Kec. Kota", "Kecamatan Kota"),
    ("kec-pesantren", "Kec. Pesantren", "Kecamatan Pesantren"),
]


def load(apps, schema_editor):
    Kecamatan = apps.get_model("tpps", "Kecamatan")
    Kelurahan = apps.get_model("tpps", "Kelurahan")
    Puskesmas = apps.get_model("tpps", "Puskesmas")
    LokusKelurahan = apps.get_model("tpps", "LokusKelurahan")
    Opd = apps.get_model("tpps", "Opd")

    for kode, nama, kelurahan in KECAMATAN:
        kecamatan = Kecamatan.objects.create(kode=kode, nama=nama)
        for i, nama_kel in enumerate(kelurahan, start=1):
            Kelurahan.objects.create(kode=f"{kode}.{1000 + i}", nama=nama_kel, kecamatan=kecamatan)

    for nama, kecamatan, wilayah in PUSKESMAS:
        puskesmas = Puskesmas.objects.create(nama=nama, kecamatan=Kecamatan.objects.get(nama=kecamatan))
        puskesmas.kelurahan.set(Kelurahan.objects.filter(nama__in=wilayah))

    for tahun in (2024, 2025):
        for nama in LOKUS_2024_2025:
            LokusKelurahan.objects.create(tahun=tahun, kelurahan=Kelurahan.objects.get(nama=nama))

    for kode, singkatan, nama in OPD:
        Opd.objects.create(kode=kode, singkatan=singkatan, nama=nama)


def unload(apps, schema_editor):
    for model in ("LokusKelurahan", "Puskesmas", "Kelurahan", "Kecamatan", "Opd"):
        apps.get_model("tpps", model).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("tpps", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
