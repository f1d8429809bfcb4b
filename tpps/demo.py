"""Demo data for the core: posyandu in every kelurahan and one user per role."""

import random

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tpps.models import Kelurahan, Opd, PejabatTpps, Penugasan, Posyandu, Puskesmas, User
from tpps.roles import Role

DEMO_PASSWORD = "kediri-demo-2025"

POSYANDU_NAMES = [
    "Melati", "Mawar", "Anggrek", "Kenanga", "Dahlia", "Flamboyan", "Cempaka", "Teratai",
    "Seruni", "Bougenville", "Kamboja", "Tulip", "Sakura", "Nusa Indah", "Asoka",
]

# username, full name, role, assignment detail
DEMO_USERS = [
    ("admin", "Admin Sistem", Role.ADMIN, {}),
    ("operator", "Sri Wahyuni (DP3AP2KB)", Role.OPERATOR, {}),
    ("dinkes", "dr. Bambang Sutrisno (Dinkes)", Role.OPD, {"opd": "dinkes"}),
    ("bappeda", "Rina Kartika (Bappeda)", Role.OPD, {"opd": "bappeda"}),
    ("puskesmas", "Endang Lestari (Puskesmas Pesantren I)", Role.WILAYAH, {"puskesmas": "Pesantren I"}),
    ("kelurahan", "Agus Santoso (Kelurahan Betet)", Role.WILAYAH, {"kelurahan": "Betet"}),
    ("sekda", "Sekretaris Daerah", Role.PIMPINAN, {}),
]


# Who signs the evaluation pack. Demo values: the Sekda's name as in the Rembuk Stunting demo, an
# invented Sekretaris; both NIPs are made up (18 digits in the NIP's shape).
DEMO_OFFICIALS = [
    (PejabatTpps.Peran.KETUA, "Drs. Heru Wicaksono, M.Si.", "196805121990031007", "Sekretaris Daerah Kota Kediri"),
    (PejabatTpps.Peran.SEKRETARIS, "Dra. Siti Aminah, M.M.", "197201041998032005", "Kepala DP3AP2KB Kota Kediri"),
]


@transaction.atomic
def load(seed: int = 2025) -> dict:
    rng = random.Random(seed)
    posyandu_new = 0
    for kelurahan in Kelurahan.objects.all():
        if kelurahan.posyandu.exists():
            continue
        count = rng.randint(6, 9)
        names = rng.sample(POSYANDU_NAMES, count)
        Posyandu.objects.bulk_create(Posyandu(nama=f"{name} {kelurahan.nama}", kelurahan=kelurahan) for name in names)
        posyandu_new += count

    users = []
    # One hash for the one demo password: hashing it per user took 3 s of every first start.
    password = make_password(DEMO_PASSWORD)
    for username, full_name, role, detail in DEMO_USERS:
        first, _, last = full_name.partition(" ")
        user, created = User.objects.get_or_create(username=username, defaults={"first_name": first, "last_name": last})
        if created:
            user.password = password
            user.save()
            Penugasan.objects.create(
                user=user,
                peran=role,
                opd=Opd.objects.get(kode=detail["opd"]) if "opd" in detail else None,
                puskesmas=Puskesmas.objects.get(nama=detail["puskesmas"]) if "puskesmas" in detail else None,
                kelurahan=Kelurahan.objects.get(nama=detail["kelurahan"]) if "kelurahan" in detail else None,
            )
        users.append((username, role.label))
    for peran, nama, nip, jabatan in DEMO_OFFICIALS:
        PejabatTpps.objects.get_or_create(peran=peran, defaults={"nama": nama, "nip": nip, "jabatan": jabatan})
    return {"posyandu_new": posyandu_new, "users": users}
