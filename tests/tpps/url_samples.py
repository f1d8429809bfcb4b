"""Real objects for the permission walk (tests/test_url_walk.py): the management area's pages
of a user, an assignment, a posyandu, a lokus row, an OPD, the areas and an indicator. Rows the
walk may delete (as Admin it posts to every URL) are throwaway samples made again on demand."""

from konvergensi.models import Indikator, TargetIndikator
from tests.factories import make_posyandu, make_user
from tests.url_samples import sample
from tpps.models import Kecamatan, Kelurahan, LokusKelurahan, Opd, Penugasan, Puskesmas, User
from tpps.roles import Role


def _user(users):
    user = User.objects.filter(username="u_sampel").first() or make_user("u_sampel", (Role.PIMPINAN, {}))
    return {"pk": user.pk}


def _assignment(users):
    user = User.objects.get(pk=_user(users)["pk"])
    return {"pk": Penugasan.objects.get_or_create(user=user, peran=Role.PIMPINAN)[0].pk}


def _posyandu(users):
    return {"pk": make_posyandu("Betet", "Sampel").pk}


def _lokus(users):
    return {"pk": LokusKelurahan.objects.get_or_create(tahun=2031, kelurahan=Kelurahan.objects.get(nama="Betet"))[0].pk}


for _name in ("pengguna_detail", "pengguna_kata_sandi", "pengguna_status", "penugasan_tambah"):
    sample(f"kelola:{_name}")(_user)
sample("kelola:penugasan_hapus")(_assignment)
sample("kelola:posyandu_ubah")(_posyandu)
sample("kelola:lokus_hapus")(_lokus)
sample("kelola:opd_ubah")(lambda users: {"pk": Opd.objects.get(kode="dinkes").pk})


def _kecamatan(users):
    return {"pk": Kecamatan.objects.get_or_create(kode="35.71.99", defaults={"nama": "Sampel"})[0].pk}


def _kelurahan(users):
    kecamatan = Kecamatan.objects.get(pk=_kecamatan(users)["pk"])
    return {"pk": Kelurahan.objects.get_or_create(kode="35.71.99.1001", defaults={"nama": "Sampel", "kecamatan": kecamatan})[0].pk}


def _puskesmas(users):
    kecamatan = Kecamatan.objects.get(pk=_kecamatan(users)["pk"])
    return {"pk": Puskesmas.objects.get_or_create(nama="Sampel", defaults={"kecamatan": kecamatan})[0].pk}


def _opd(users):
    return {"pk": Opd.objects.get_or_create(kode="opd-sampel", defaults={"singkatan": "Sampel", "nama": "OPD Sampel"})[0].pk}


def _indikator(users):
    opd = Opd.objects.get(pk=_opd(users)["pk"])
    return {"pk": Indikator.objects.get_or_create(kode="indikator-sampel", defaults={
        "nama": "Indikator sampel", "opd": opd, "sumber_data": "Sampel"})[0].pk}


def _target(users):
    indikator = Indikator.objects.get(pk=_indikator(users)["pk"])
    return {"pk": TargetIndikator.objects.get_or_create(indikator=indikator, tahun=2031, defaults={"nilai": 50})[0].pk}


for _name, _make in (("kecamatan", _kecamatan), ("kelurahan", _kelurahan), ("puskesmas", _puskesmas)):
    sample(f"kelola:{_name}_ubah")(_make)
    sample(f"kelola:{_name}_hapus")(_make)
sample("kelola:posyandu_hapus")(_posyandu)
sample("kelola:opd_hapus")(_opd)
for _name in ("ubah", "hapus", "target"):
    sample(f"kelola:indikator:{_name}")(_indikator)
sample("kelola:indikator:target_hapus")(_target)


# The picker's search: a real source (GENTING's active families), scoped per role.
sample("pilih")(lambda users: {"sumber": "keluarga"})
