"""Small factory functions for tests (plain functions, no factory library needed)."""

from urllib.parse import quote

from django.db import connection

from tpps.models import Kelurahan, Opd, Penugasan, Posyandu, Puskesmas, User
from tpps.roles import Role

PASSWORD = "uji-kata-sandi-2025"


def make_user(username: str, *assignments, password: str = PASSWORD) -> User:
    """A user with role assignments given as (role, detail dict) pairs, e.g.
    (Role.OPD, {"opd": "dinkes"}) or (Role.WILAYAH, {"kelurahan": "Betet"})."""
    user = User.objects.create_user(username=username, password=password, first_name=username.title())
    for role, detail in assignments:
        Penugasan.objects.create(
            user=user,
            peran=role,
            opd=Opd.objects.get(kode=detail["opd"]) if "opd" in detail else None,
            puskesmas=Puskesmas.objects.get(nama=detail["puskesmas"]) if "puskesmas" in detail else None,
            kelurahan=Kelurahan.objects.get(nama=detail["kelurahan"]) if "kelurahan" in detail else None,
        )
    return user


def kelurahan(nama: str) -> Kelurahan:
    return Kelurahan.objects.get(nama=nama)


def make_posyandu(kelurahan_nama: str, nama: str = "Melati") -> Posyandu:
    return Posyandu.objects.get_or_create(nama=nama, kelurahan=kelurahan(kelurahan_nama))[0]


ROLE_USERS = {
    # key: (username, assignments)
    "admin": ("u_admin", [(Role.ADMIN, {})]),
    "operator": ("u_operator", [(Role.OPERATOR, {})]),
    "opd": ("u_dinkes", [(Role.OPD, {"opd": "dinkes"})]),
    # Puskesmas Pesantren I serves Pesantren, Banaran, Burengan, Pakunden, Singonegaran, Tinalan.
    "wilayah": ("u_puskesmas", [(Role.WILAYAH, {"puskesmas": "Pesantren I"})]),
    "pimpinan": ("u_sekda", [(Role.PIMPINAN, {})]),
    "outsider": ("u_outsider", []),
}


def database_url(name: str | None = None) -> str:
    """A DATABASE_URL for the test database (or `name` on the same server), for commands run in a
    subprocess; works for TCP hosts and for the embedded server's Unix socket folder."""
    db = connection.settings_dict
    host = quote(db["HOST"] or "localhost", safe="")  # a socket folder is percent-encoded
    password = quote(db["PASSWORD"] or "", safe="")
    return f"postgres://{quote(db['USER'], safe='')}:{password}@{host}:{db['PORT'] or 5432}/{name or db['NAME']}"
