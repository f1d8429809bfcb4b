"""Reference data: the 38 kab/kota of Jawa Timur (29 kabupaten, 9 kota) with Kemendagri codes."""

from django.db import migrations

KABUPATEN = [
    "Pacitan", "Ponorogo", "Trenggalek", "Tulungagung", "Blitar", "Kediri", "Malang", "Lumajang",
    "Jember", "Banyuwangi", "Bondowoso", "Situbondo", "Probolinggo", "Pasuruan", "Sidoarjo",
    "Mojokerto", "Jombang", "Nganjuk", "Madiun", "Magetan", "Ngawi", "Bojonegoro", "Tuban",
    "Lamongan", "Gresik", "Bangkalan", "Sampang", "Pamekasan", "Sumenep",
]  # 35.01 … 35.29
KOTA = ["Kediri", "Blitar", "Malang", "Probolinggo", "Pasuruan", "Mojokerto", "Madiun", "Surabaya", "Batu"]
# 35.71 … 35.79


def load(apps, schema_editor):
    KabKota = apps.get_model("laporan", "KabKota")
    rows = [KabKota(kode=f"35.{i:02d}", jenis="kabupaten", nama=nama) for i, nama in enumerate(KABUPATEN, start=1)]
    rows += [KabKota(kode=f"35.{70 + i}", jenis="kota", nama=nama) for i, nama in enumerate(KOTA, start=1)]
    KabKota.objects.bulk_create(rows)


def unload(apps, schema_editor):
    apps.get_model("laporan", "KabKota").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("laporan", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
