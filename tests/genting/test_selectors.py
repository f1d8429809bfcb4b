"""Report figures (the functions `laporan` uses) against counts computed here from the rows."""

import datetime
import random
from collections import defaultdict

import pytest

from genting import selectors, services
from genting.models import AnggotaKeluarga, Donasi, Kanal, Penyaluran
from tests.factories import make_user
from tests.genting.conftest import donate, make_keluarga, make_ota, pool
from tpps.roles import SYSTEM, Role

YEAR = 2025
KINDS = ["paket_nutrisi", "paket_nutrisi", "air_bersih", "jamban", "edukasi", "perbaikan_rumah", "lainnya"]
AREAS = ["Betet", "Pesantren", "Banaran", "Gayam"]


def group_on(member, day):
    """Target group on a day, computed independently of the app (WHO months: days / 30.4375)."""
    if member.sasaran != "anak":
        return member.sasaran
    if day < member.tanggal_lahir:
        return None
    months = int((day - member.tanggal_lahir).days / 30.4375)
    return "baduta" if months < 24 else "balita" if months < 60 else None


@pytest.fixture
def year_of_help(db):
    rng = random.Random(7)
    donors = [make_ota(nama=f"Donatur {i}") for i in range(4)]
    for donor in donors:
        donate(donor, 20_000_000, tanggal=datetime.date(YEAR, 1, 2))
        donate(donor, 1_000_000, kode="baznas", tanggal=datetime.date(YEAR - 1, 12, 1))
    families = []
    for i in range(24):
        family = make_keluarga(AREAS[i % len(AREAS)], kepala=f"KK {i}")
        families.append(family)
        if rng.random() < 0.5:
            AnggotaKeluarga.objects.create(keluarga=family, nama="Ibu", sasaran=rng.choice(["ibu_hamil", "ibu_menyusui"]))
        for _ in range(rng.randint(0, 2)):
            AnggotaKeluarga.objects.create(keluarga=family, nama="Anak", sasaran="anak",
                                           tanggal_lahir=datetime.date(YEAR, 1, 1) - datetime.timedelta(days=rng.randint(0, 1900)))
    for family in families:
        for _ in range(rng.randint(0, 5)):
            jenis = rng.choice(KINDS)
            day = datetime.date(YEAR, rng.randint(1, 12), rng.randint(1, 28))
            p = services.record_disbursement(keluarga=family, jenis=jenis, kanal=Kanal.objects.get(kode="rumah-zakat"),
                                             akun_sumber=pool(), jumlah=rng.choice([150_000, 450_000, 1_350_000]),
                                             tanggal=day, lama_bulan=rng.choice([1, 2, 3]), user=SYSTEM)
            if rng.random() < 0.1:
                services.reverse_transaction(transaksi=p.transaksi, alasan="uji", tanggal=datetime.date(YEAR, 12, 31), user=SYSTEM)
    # Help in another year does not count for YEAR.
    services.record_disbursement(keluarga=families[0], jenis="jamban", kanal=Kanal.objects.get(kode="baznas"),
                                 akun_sumber=pool("baznas"), jumlah=500_000, tanggal=datetime.date(YEAR - 1, 12, 20), user=SYSTEM)
    return families


def standing(year, areas=None):
    rows = [p for p in Penyaluran.objects.select_related("keluarga__kelurahan") if not p.dibatalkan and p.tanggal.year == year]
    return [p for p in rows if areas is None or p.keluarga.kelurahan.nama in areas]


@pytest.mark.parametrize("areas", [None, ["Betet", "Gayam"]])
def test_families_by_category_and_target_group(year_of_help, areas):
    rows = standing(YEAR, areas)
    members = defaultdict(list)
    for m in AnggotaKeluarga.objects.all():
        members[m.keluarga_id].append(m)
    months, groups = defaultdict(int), defaultdict(lambda: defaultdict(set))
    category = {"air_bersih": "air_bersih", "jamban": "jamban", "edukasi": "edukasi"}
    for p in rows:
        present = {g for m in members[p.keluarga_id] if (g := group_on(m, p.tanggal))}
        if p.jenis == "paket_nutrisi":
            months[p.keluarga_id] += p.lama_bulan
            groups["nutrisi"][p.keluarga_id] |= present
        elif p.jenis in category:
            groups[category[p.jenis]][p.keluarga_id] |= present
    for family, total in months.items():
        groups["nutrisi_6" if total >= 6 else "nutrisi_kurang_6"][family] = groups["nutrisi"][family]
    user = area_user(areas) if areas else SYSTEM
    result = {row["kode"]: row for row in selectors.families_helped_by_category(user, YEAR)}
    assert set(result) == {"nutrisi_6", "nutrisi_kurang_6", "air_bersih", "jamban", "edukasi"}
    for code, row in result.items():
        assert row["keluarga"] == len(groups[code]), code
        for group in ("ibu_hamil", "ibu_menyusui", "baduta", "balita"):
            assert row[group] == sum(1 for g in groups[code].values() if group in g), (code, group)
    assert sum(r["keluarga"] for r in result.values()) > 0
    by_group = selectors.families_helped_by_target_group(user, YEAR)
    for group in ("ibu_hamil", "ibu_menyusui", "baduta", "balita"):
        expected = {p.keluarga_id for p in rows for m in members[p.keluarga_id] if group_on(m, p.tanggal) == group}
        assert by_group[group] == len(expected)


def area_user(names):
    """An operator wilayah of these kelurahan (their figures are scoped to them)."""
    return make_user("u_" + "_".join(names).lower(), *[(Role.WILAYAH, {"kelurahan": name}) for name in names])


def test_totals_for_the_year(year_of_help):
    rows = standing(YEAR)
    totals = selectors.genting_totals(SYSTEM, YEAR)
    donations = [d for d in Donasi.objects.all() if not d.dibatalkan]
    assert totals["masuk"] == sum(d.jumlah for d in donations if d.tanggal.year == YEAR)
    assert totals["keluar"] == sum(p.jumlah for p in rows)
    all_out = sum(p.jumlah for p in Penyaluran.objects.all() if not p.dibatalkan)
    assert totals["saldo"] == sum(d.jumlah for d in donations) - all_out
    assert totals["donatur"] == len({d.orang_tua_asuh_id for d in donations if d.tanggal.year == YEAR})
    assert totals["keluarga_dibantu"] == len({p.keluarga_id for p in rows})
    assert totals["penyaluran"] == len(rows)
    area = selectors.genting_totals(area_user(["Betet"]), YEAR)
    betet = [p for p in rows if p.keluarga.kelurahan.nama == "Betet"]
    assert area["keluar"] == sum(p.jumlah for p in betet) and area["keluarga_dibantu"] == len({p.keluarga_id for p in betet})
    assert area["masuk"] == totals["masuk"]  # money in is city-wide


def test_by_kind_and_by_kelurahan(year_of_help):
    rows = standing(YEAR)
    kinds = {row["kode"]: row for row in selectors.families_helped_by_kind(SYSTEM, YEAR)}
    for code, row in kinds.items():
        mine = [p for p in rows if p.jenis == code]
        assert (row["keluarga"], row["penyaluran"], row["nilai"]) == (
            len({p.keluarga_id for p in mine}), len(mine), sum(p.jumlah for p in mine))
    per_kelurahan = {row["kelurahan"]: row for row in selectors.families_helped_by_kelurahan(SYSTEM, YEAR)}
    assert set(per_kelurahan) == set(AREAS)
    for name, row in per_kelurahan.items():
        mine = [p for p in rows if p.keluarga.kelurahan.nama == name]
        assert row["dibantu"] == len({p.keluarga_id for p in mine}) and row["nilai"] == sum(p.jumlah for p in mine)
        assert row["terdaftar"] == len([f for f in year_of_help if f.kelurahan.nama == name])


def test_channel_balances_equal_documents(year_of_help):
    for row in selectors.channel_balances():
        donations = [d for d in Donasi.objects.filter(kanal=row["kanal"]) if not d.dibatalkan]
        out = [p for p in Penyaluran.objects.filter(kanal=row["kanal"]) if not p.dibatalkan]
        assert row["masuk"] == sum(d.jumlah for d in donations)
        assert row["keluar"] == sum(p.jumlah for p in out)
        assert row["saldo"] == row["masuk"] - row["keluar"] == row["umum"] + row["peruntukan"]
