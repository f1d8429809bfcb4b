"""Real objects for the permission walk (tests/test_url_walk.py): a child in the operator
wilayah's area (Pesantren) with one measurement, and an import batch of the operator."""

import datetime

from django.core.files.base import ContentFile

from balita.models import Anak, ImporBatch, TinjauanIdentitas
from tests.balita.conftest import make_anak, measure
from tests.url_samples import sample


def _child(users):
    child = Anak.objects.filter(nik="3571034101240009").first()
    if child is None:
        child = make_anak("Pesantren", nik="3571034101240009")
        measure(child, datetime.date(2025, 1, 5), berat=8.9, tinggi=73.5)
    return {"pk": child.pk}


def _measurement(users):
    _child(users)
    return {"pk": Anak.objects.get(nik="3571034101240009").pengukuran.first().pk}


def _batch(users):
    batch = ImporBatch(nama_berkas="contoh.csv", diunggah_oleh=users["operator"], status=ImporBatch.Status.MENUNGGU)
    batch.berkas.save("contoh.csv", ContentFile(b"Nama,JK\n"), save=False)
    batch.save()
    return {"pk": batch.pk}


for _name in ("anak_detail", "anak_ubah", "anak_gabung", "pengukuran_baru", "pengukuran_pratinjau"):
    sample(f"balita:{_name}")(_child)
for _name in ("pengukuran_ubah", "pengukuran_hapus"):
    sample(f"balita:{_name}")(_measurement)
for _name in ("impor_detail", "impor_simpan", "impor_batal", "impor_ulangi", "impor_galat"):
    sample(f"balita:{_name}")(_batch)


@sample("balita:impor_tinjau")
def _review(users):
    batch = ImporBatch.objects.get(pk=_batch(users)["pk"])
    child = Anak.objects.get(pk=_child(users)["pk"])
    review = TinjauanIdentitas.objects.create(
        batch=batch, kunci="n:3571034101240009", jenis=TinjauanIdentitas.Jenis.NIK_NAMA, anak=child, baris="2",
        baris_pertama=2, nik=child.nik, nama="Nama Lain", jenis_kelamin=child.jenis_kelamin,
        tanggal_lahir=child.tanggal_lahir, kelurahan=child.kelurahan)
    return {"pk": batch.pk, "tinjauan": review.pk}
