"""Identity safety at every entrance: a NIK that belongs to a stored child with another sex or
birth date is an error for the row; unrelated names on one NIK, and one child under two NIKs,
are held for review; the preview shows what will change; posyandu names match within the
kelurahan."""

import datetime

import pytest

from balita import services
from balita.models import Anak, ImporBatch, Pengukuran
from tests.balita.conftest import make_anak, row
from tests.factories import kelurahan, make_posyandu
from tpps.models import Posyandu
from tpps.roles import SYSTEM

pytestmark = pytest.mark.django_db

NIK = "3571034101240001"


def stored_child(**extra):
    values = dict(nama="Dewi Anggraini", nik=NIK, jenis_kelamin="P", tanggal_lahir=datetime.date(2024, 1, 1),
                  nama_ibu="Sri Wahyuni", alamat="Jl. Kenari 9")
    values.update(extra)
    return make_anak("Pesantren", **values)


def test_nik_of_a_stored_child_with_another_sex_is_an_error_and_nothing_is_stored(eppgbm_file):
    child = stored_child()
    rows = [row(Nama="Bagus Santoso", JK="L", **{"Nama Ortu": "Rina", "Desa/Kel": "Betet", "Kec": "Pesantren"})]
    batch, _ = services.import_file(eppgbm_file(rows), user=SYSTEM)
    assert batch.baris_galat == 1 and batch.anak_cocok == 0
    child.refresh_from_db()
    assert (child.nama, child.jenis_kelamin, child.nama_ibu, child.kelurahan) == (
        "Dewi Anggraini", "P", "Sri Wahyuni", kelurahan("Pesantren"))
    assert Pengukuran.objects.count() == 0
    message = batch.galat.get().pesan
    assert "Dewi Anggraini" in message and "jenis kelamin" in message


def test_nik_of_a_stored_child_with_another_birth_date_is_an_error(eppgbm_file):
    child = stored_child(nama="Aisyah Putri")
    batch, _ = services.import_file(eppgbm_file([row(**{"Tgl Lahir": "05/03/2024"})]), user=SYSTEM)
    assert batch.baris_galat == 1
    child.refresh_from_db()
    assert child.tanggal_lahir == datetime.date(2024, 1, 1)
    assert Pengukuran.objects.count() == 0
    assert "tanggal lahir" in batch.galat.get().pesan and "01/01/2024" in batch.galat.get().pesan


def test_posyandu_melati_in_betet_is_melati_betet(eppgbm_file):
    melati = make_posyandu("Betet", "Melati Betet")
    rows = [row(**{"Desa/Kel": "Betet", "Posyandu": "POSYANDU MELATI"}),
            row(NIK="3571034101240002", Nama="Kedua", **{"Desa/Kel": "Betet", "Posyandu": "Melati"})]
    batch, _ = services.import_file(eppgbm_file(rows), user=SYSTEM)
    assert batch.posyandu_baru == []
    assert set(Anak.objects.values_list("posyandu", flat=True)) == {melati.pk}
    assert Posyandu.objects.filter(kelurahan__nama="Betet", nama__icontains="melati").count() == 1
