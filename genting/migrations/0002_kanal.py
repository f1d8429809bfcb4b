"""Reference data: the channels GENTING donations go through in Kota Kediri."""

from django.db import migrations

KANAL = [
    # kode, nama, jenis, urutan
    ("rumah-zakat", "Rumah Zakat", "uang", 1),
    ("baznas", "BAZNAS Kota Kediri", "uang", 2),
    ("pemkot", "Kas Pemerintah Kota Kediri", "uang", 3),
    ("natura", "Barang dan kegiatan (natura)", "natura", 9),
]


def load(apps, schema_editor):
    Kanal = apps.get_model("genting", "Kanal")
    for kode, nama, jenis, urutan in KANAL:
        Kanal.objects.update_or_create(kode=kode, defaults={"nama": nama, "jenis": jenis, "urutan": urutan})


def unload(apps, schema_editor):
    apps.get_model("genting", "Kanal").objects.filter(kode__in=[k[0] for k in KANAL], akun__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("genting", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
