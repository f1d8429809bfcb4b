"""Real objects for the permission walk (tests/test_url_walk.py): the management area's pages
of a user, an assignment, a posyandu, a lokus row and an OPD."""

from tests.factories import make_posyandu, make_user
from tests.url_samples import sample
from tpps.models import Kelurahan, LokusKelurahan, Opd, Penugasan, User
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
