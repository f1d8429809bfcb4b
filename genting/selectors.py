"""Reads over GENTING for pages, the donor statement and other apps.

Stable functions for other apps (`laporan` builds the Sekda dashboard and the evaluation pack
from them; their keys do not change):

- `genting_totals(user, year=None)` -> dict with
  `masuk`, `keluar`, `saldo` (money channels, whole rupiah), `natura_masuk`, `natura_keluar`
  (estimated value of goods/activities), `donatur` (foster parents with a standing donation),
  `keluarga_dibantu` (families with standing help), `penyaluran` (number of deliveries).
- `families_helped_by_category(user, year)` -> list of dicts, one per report
  category (`KATEGORI_LAPORAN`: nutrisi 6 bulan, nutrisi < 6 bulan, air bersih, jamban,
  pendampingan edukasi) with `kode`, `label`, `keluarga` and one count per target group
  (`ibu_hamil`, `ibu_menyusui`, `baduta`, `balita`).
- `families_helped_by_target_group(user, year)` -> {group code: families}.
- `families_helped_by_kind(user, year)`, `families_helped_by_kelurahan(user, year)`,
  `channel_balances(until=None)`.

"Standing" means not reversed. Money figures come from the ledger entries; counts of families
come from the standing disbursements. These report functions are city figures for the TPPS
(no personal data) over the kelurahan the user sees (`Kelurahan.objects.for_user(user)`); pass
`tpps.roles.SYSTEM` for the whole city.
"""

import datetime
from collections import defaultdict

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from balita import figures as nutrition_figures
from balita.growth import categories
from genting.attribution import fifo
from genting.models import (
    Akun,
    AnggotaKeluarga,
    Donasi,
    Entri,
    JenisAkun,
    JenisBantuan,
    JenisKanal,
    Kanal,
    KeluargaRisikoStunting,
    KelompokSasaran,
    OrangTuaAsuh,
    Penyaluran,
    StatusKeluarga,
    Transaksi,
)
from tpps.models import Kelurahan

KATEGORI_LAPORAN = [
    ("nutrisi_6", "Nutrisi 6 bulan"),
    ("nutrisi_kurang_6", "Nutrisi < 6 bulan"),
    ("air_bersih", "Air bersih"),
    ("jamban", "Jamban"),
    ("edukasi", "Pendampingan edukasi"),
]
# Months of nutrition in a year that make a family count as "nutrisi 6 bulan".
BULAN_NUTRISI_PENUH = 6
KELOMPOK = [code for code, _ in KelompokSasaran.choices]


def year_range(year):
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _standing_entries(year=None, until=None):
    entries = Entri.objects.all()
    if year:
        entries = entries.filter(transaksi__tanggal__range=year_range(year))
    if until:
        entries = entries.filter(transaksi__tanggal__lte=until)
    return entries


def channel_balances(until=None):
    """Per channel, from the ledger: `masuk` (net donations), `keluar` (net help delivered),
    `umum` (pool), `peruntukan` (earmarked), `saldo` (= umum + peruntukan = masuk − keluar)."""
    sums = defaultdict(int)
    rows = _standing_entries(until=until).values("akun__kanal", "akun__jenis").annotate(total=Sum("jumlah"))
    for row in rows:
        sums[(row["akun__kanal"], row["akun__jenis"])] = row["total"]
    result = []
    for kanal in Kanal.objects.all():
        umum, peruntukan = sums[(kanal.id, JenisAkun.KAS)], sums[(kanal.id, JenisAkun.PERUNTUKAN)]
        result.append({
            "kanal": kanal,
            "masuk": -sums[(kanal.id, JenisAkun.DONATUR)],
            "keluar": sums[(kanal.id, JenisAkun.KELUARGA)],
            "umum": umum,
            "peruntukan": peruntukan,
            "saldo": umum + peruntukan,
        })
    return result


def genting_totals(user, year=None) -> dict:
    """Totals for a year (or all time). `saldo` is the balance at the end of that year.
    `keluar`, `natura_keluar`, `keluarga_dibantu` and `penyaluran` cover families of the kelurahan
    the user sees; money in, balance and donors stay city-wide."""
    entries = _standing_entries(year=year)
    by_kind = {
        (row["akun__kanal__jenis"], row["akun__jenis"]): row["total"]
        for row in entries.values("akun__kanal__jenis", "akun__jenis").annotate(total=Sum("jumlah"))
    }
    until = year_range(year)[1] if year else None
    saldo = _standing_entries(until=until).filter(
        akun__kanal__jenis=JenisKanal.UANG, akun__jenis__in=[JenisAkun.KAS, JenisAkun.PERUNTUKAN]
    ).aggregate(total=Coalesce(Sum("jumlah"), 0))["total"]

    donations = Donasi.objects.berlaku()
    if year:
        donations = donations.filter(tanggal__range=year_range(year))
    penyaluran = _standing_help(user, year)
    area = entries.filter(akun__jenis=JenisAkun.KELUARGA, akun__keluarga__kelurahan__in=_area(user))
    keluar = area.filter(akun__kanal__jenis=JenisKanal.UANG).aggregate(t=Coalesce(Sum("jumlah"), 0))["t"]
    natura_keluar = area.filter(akun__kanal__jenis=JenisKanal.NATURA).aggregate(t=Coalesce(Sum("jumlah"), 0))["t"]
    return {
        "masuk": -by_kind.get((JenisKanal.UANG, JenisAkun.DONATUR), 0),
        "keluar": keluar,
        "saldo": saldo,
        "natura_masuk": -by_kind.get((JenisKanal.NATURA, JenisAkun.DONATUR), 0),
        "natura_keluar": natura_keluar,
        "donatur": donations.values("orang_tua_asuh").distinct().count(),
        "keluarga_dibantu": penyaluran.values("keluarga").distinct().count(),
        "penyaluran": penyaluran.count(),
    }


def _area(user):
    # Report figures follow the kelurahan a user sees (OPD and Pimpinan: the whole city).
    return Kelurahan.objects.for_user(user)


def _standing_help(user, year):
    rows = Penyaluran.objects.berlaku().filter(keluarga__kelurahan__in=_area(user))
    if year:
        rows = rows.filter(tanggal__range=year_range(year))
    return rows


def _members_by_family(family_ids):
    members = defaultdict(list)
    for member in AnggotaKeluarga.objects.filter(keluarga__in=family_ids).only("keluarga", "sasaran", "tanggal_lahir"):
        members[member.keluarga_id].append(member)
    return members


def _category_of(jenis):
    return {
        JenisBantuan.AIR_BERSIH: "air_bersih",
        JenisBantuan.JAMBAN: "jamban",
        JenisBantuan.EDUKASI: "edukasi",
    }.get(jenis)


def families_helped_by_category(user, year):
    """The GENTING report table: families per report category and, within each, per target group.

    A family counts as "nutrisi 6 bulan" when its standing nutrition deliveries of the year cover
    six months or more (sum of `lama_bulan`), else "nutrisi < 6 bulan". A family counts in a
    target group when one of its members was in that group on the date of a delivery of that
    category (a child's group follows its age on that date).
    """
    rows = list(_standing_help(user, year).values("keluarga", "jenis", "lama_bulan", "tanggal"))
    members = _members_by_family({row["keluarga"] for row in rows})
    nutrition_months = defaultdict(int)
    groups = defaultdict(lambda: defaultdict(set))  # category -> family -> groups
    nutrition_groups = defaultdict(set)
    for row in rows:
        present = {g for m in members[row["keluarga"]] if (g := m.kelompok_pada(row["tanggal"]))}
        if row["jenis"] == JenisBantuan.PAKET_NUTRISI:
            nutrition_months[row["keluarga"]] += row["lama_bulan"]
            nutrition_groups[row["keluarga"]] |= present
        elif category := _category_of(row["jenis"]):
            groups[category][row["keluarga"]] |= present
    for family, months in nutrition_months.items():
        category = "nutrisi_6" if months >= BULAN_NUTRISI_PENUH else "nutrisi_kurang_6"
        groups[category][family] = nutrition_groups[family]
    result = []
    for code, label in KATEGORI_LAPORAN:
        families = groups[code]
        entry = {"kode": code, "label": label, "keluarga": len(families)}
        for group in KELOMPOK:
            entry[group] = sum(1 for present in families.values() if group in present)
        result.append(entry)
    return result


def families_helped_by_target_group(user, year) -> dict:
    """{target group: families with standing help of any kind while a member was in that group}."""
    rows = list(_standing_help(user, year).values("keluarga", "tanggal"))
    members = _members_by_family({row["keluarga"] for row in rows})
    helped = defaultdict(set)
    for row in rows:
        for member in members[row["keluarga"]]:
            if group := member.kelompok_pada(row["tanggal"]):
                helped[group].add(row["keluarga"])
    return {group: len(helped[group]) for group in KELOMPOK}


def families_helped_by_kind(user, year):
    """Per kind of help: families, deliveries and value (standing only)."""
    rows = {
        row["jenis"]: row
        for row in _standing_help(user, year).values("jenis").annotate(
            keluarga=Count("keluarga", distinct=True), penyaluran=Count("id"), nilai=Sum("jumlah")
        )
    }
    return [
        {"kode": code, "label": label, **{k: rows.get(code, {}).get(k, 0) for k in ("keluarga", "penyaluran", "nilai")}}
        for code, label in JenisBantuan.choices
    ]


def families_helped_by_kelurahan(user, year):
    """Per kelurahan with registered families: registered, active, helped in the year, value."""
    help_rows = {
        row["keluarga__kelurahan"]: row
        for row in _standing_help(user, year).values("keluarga__kelurahan").annotate(
            dibantu=Count("keluarga", distinct=True), nilai=Sum("jumlah")
        )
    }
    families = KeluargaRisikoStunting.objects.filter(kelurahan__in=_area(user))
    rows = families.values("kelurahan", "kelurahan__nama", "kelurahan__kecamatan__nama").annotate(
        terdaftar=Count("id"), aktif=Count("id", filter=Q(status=StatusKeluarga.AKTIF))
    ).order_by("kelurahan__kode")
    return [
        {
            "kelurahan": row["kelurahan__nama"],
            "kecamatan": row["kelurahan__kecamatan__nama"],
            "terdaftar": row["terdaftar"],
            "aktif": row["aktif"],
            "dibantu": help_rows.get(row["kelurahan"], {}).get("dibantu", 0),
            "nilai": help_rows.get(row["kelurahan"], {}).get("nilai", 0),
        }
        for row in rows
    ]


# --- Lists and details for pages -------------------------------------------------------------

def _ledger_sum(jenis, owner_field, sign=1):
    """Subquery: sum of entries on accounts of `jenis` owned by the outer row."""
    total = (
        Entri.objects.filter(akun__jenis=jenis, **{f"akun__{owner_field}": OuterRef("pk")})
        .order_by().values(f"akun__{owner_field}").annotate(t=Sum("jumlah")).values("t")
    )
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0)) * sign


def foster_parents(user, q="", jenis=""):
    """Foster parents the user may see, with `diberikan` (ledger) and `keluarga` (pairings)."""
    rows = OrangTuaAsuh.objects.for_user(user).annotate(
        diberikan=_ledger_sum(JenisAkun.DONATUR, "orang_tua_asuh", -1),
        jumlah_keluarga=Count("pendampingan__keluarga", distinct=True),
    )
    if q:
        rows = rows.filter(Q(nama__icontains=q) | Q(kontak_nama__icontains=q))
    if jenis:
        rows = rows.filter(jenis=jenis)
    return rows.order_by("nama")


def families(user, q="", kelurahan_id=None, status=""):
    """Families the user may see, with `diterima` (ledger) and `jumlah_anggota`."""
    rows = KeluargaRisikoStunting.objects.for_user(user).select_related("kelurahan").annotate(
        diterima=_ledger_sum(JenisAkun.KELUARGA, "keluarga"),
        jumlah_anggota=Count("anggota", distinct=True),
    )
    if q:
        rows = rows.filter(Q(kepala_keluarga__icontains=q) | Q(alamat__icontains=q) | Q(nik_kepala=q))
    if kelurahan_id:
        rows = rows.filter(kelurahan_id=kelurahan_id)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("kelurahan__kode", "kepala_keluarga")


def given_by_channel(orang_tua_asuh):
    """[(kanal, given)] from the foster parent's donor accounts."""
    rows = Entri.objects.filter(akun__jenis=JenisAkun.DONATUR, akun__orang_tua_asuh=orang_tua_asuh).values(
        "akun__kanal"
    ).annotate(total=Sum("jumlah"))
    kanal = {k.id: k for k in Kanal.objects.all()}
    return [(kanal[row["akun__kanal"]], -row["total"]) for row in rows if row["total"]]


def received_by_channel(keluarga):
    rows = Entri.objects.filter(akun__jenis=JenisAkun.KELUARGA, akun__keluarga=keluarga).values(
        "akun__kanal"
    ).annotate(total=Sum("jumlah"))
    kanal = {k.id: k for k in Kanal.objects.all()}
    return [(kanal[row["akun__kanal"]], row["total"]) for row in rows if row["total"]]


def earmark_balances(keluarga):
    """Money earmarked for this family (directly or through its pairings) still available."""
    return Akun.objects.filter(jenis=JenisAkun.PERUNTUKAN).filter(
        Q(keluarga=keluarga) | Q(pendampingan__keluarga=keluarga)
    ).exclude(saldo=0).select_related("kanal", "pendampingan__orang_tua_asuh")


def donor_attribution(orang_tua_asuh):
    """Where this foster parent's standing donations went, first in, first out per account.

    Returns a list, one per donation (newest first): {"donasi", "dibatalkan", "tersalur":
    [(Penyaluran, amount)], "sisa": amount still in the pool or earmark}.
    """
    donations = list(
        Donasi.objects.filter(orang_tua_asuh=orang_tua_asuh)
        .select_related("kanal", "transaksi__pembalikan", "untuk_keluarga__kelurahan", "untuk_pendampingan__keluarga")
        .order_by("tanggal", "id")
    )
    # The account each donation went into is its transaction's positive leg.
    target = dict(
        Entri.objects.filter(transaksi__donasi__in=donations, jumlah__gt=0).values_list("transaksi__donasi", "akun")
    )
    allocation, remaining = {}, {}
    for akun_id in set(target.values()):
        credits = (
            Entri.objects.filter(akun_id=akun_id, jumlah__gt=0, transaksi__donasi__isnull=False,
                                 transaksi__pembalikan__isnull=True)
            .order_by("transaksi__tanggal", "transaksi_id").values_list("transaksi__donasi", "jumlah")
        )
        debits = list(
            Penyaluran.objects.berlaku().filter(akun_sumber_id=akun_id)
            .select_related("keluarga__kelurahan").order_by("tanggal", "id")
        )
        spent, left = fifo(list(credits), [(p, p.jumlah) for p in debits])
        allocation.update(spent)
        remaining.update(left)
    rows = []
    for donation in reversed(donations):
        rows.append({
            "donasi": donation,
            "dibatalkan": donation.transaksi.dibalik,
            "tersalur": allocation.get(donation.id, []),
            "sisa": remaining.get(donation.id, 0),
        })
    return rows


# --- Children's growth while helped (reads balita's stored measurements) ----------------------

# A change in TB/U z-score smaller than this is within measurement noise.
PERUBAHAN_BERARTI = 0.1


def child_growth(keluarga, user):
    """For each child member linked to balita: the latest TB/U status and whether the z-score
    improved while the family was helped.

    Baseline is the last valid measurement on or before the first standing delivery (or the first
    measurement when none is that old, or when there is no help yet); the comparison is the
    latest valid measurement after the baseline. Measurements are read through balita's scope.
    """
    children = [m for m in keluarga.anggota.all() if m.anak_id]
    if not children:
        return []
    first_help = (
        Penyaluran.objects.berlaku().filter(keluarga=keluarga).order_by("tanggal").values_list("tanggal", flat=True).first()
    )
    points = defaultdict(list)
    for row in nutrition_figures.valid_tbu_history(user, [m.anak_id for m in children]):
        points[row["anak_id"]].append(row)
    result = []
    for member in children:
        series = points.get(member.anak_id, [])
        entry = {"anggota": member, "latest": None, "baseline": None, "delta": None, "trend": "",
                 "latest_label": "", "series": series[-6:], "first_help": first_help}
        if series:
            latest = series[-1]
            entry["latest"] = latest
            entry["latest_label"] = categories.label("tbu", latest["kategori_tbu"]) or "–"
            before = [p for p in series if first_help and p["tanggal"] <= first_help]
            baseline = before[-1] if before else series[0]
            if first_help and latest["tanggal"] <= first_help:
                entry["trend"] = "belum diukur ulang sejak dibantu"
            elif baseline is not latest:
                delta = float(latest["zs_tbu"] - baseline["zs_tbu"])
                entry.update(baseline=baseline, delta=round(delta, 2))
                if delta >= PERUBAHAN_BERARTI:
                    entry["trend"] = "membaik"
                elif delta <= -PERUBAHAN_BERARTI:
                    entry["trend"] = "memburuk"
                else:
                    entry["trend"] = "tetap"
        result.append(entry)
    return result


def latest_year() -> int:
    """The latest year that has ledger transactions, or the current year."""
    last = Transaksi.objects.order_by("-tanggal").values_list("tanggal", flat=True).first()
    return last.year if last else timezone.localdate().year


def years_with_data():
    """Years that have ledger transactions, newest first, always including the current one."""
    years = set(Transaksi.objects.annotate(y=ExtractYear("tanggal")).values_list("y", flat=True).distinct())
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


# --- For kasus (tata laksana gizi): help that reached a child's family -------------------------


def help_for_child(user, anak_id) -> list:
    """Standing deliveries to the families the child (balita's record) belongs to, oldest first,
    as `user` may see them: the ledger is the one record of GENTING help."""
    return list(Penyaluran.objects.for_user(user).berlaku().filter(keluarga__anggota__anak_id=anak_id)
                .select_related("keluarga", "kanal").order_by("tanggal", "id").distinct())


def children_helped(user, anak_ids) -> set:
    """Of these children (balita ids), those whose family received standing GENTING help."""
    if not anak_ids:
        return set()
    rows = AnggotaKeluarga.objects.for_user(user).filter(
        anak_id__in=list(anak_ids), keluarga__penyaluran__in=Penyaluran.objects.berlaku()).values_list("anak_id", flat=True)
    return set(rows)


def family_identities(user):
    """(id, nik_kepala, kepala_keluarga, kelurahan_id) of the families the user may see: how other
    apps match their own family records to GENTING's (sasaran's BKKBN KRS import)."""
    return KeluargaRisikoStunting.objects.for_user(user).values_list("id", "nik_kepala", "kepala_keluarga", "kelurahan_id")


def family_names(user, ids) -> dict:
    """{id: head of family} of these families, as far as the user may see them."""
    return dict(KeluargaRisikoStunting.objects.for_user(user).filter(id__in=list(ids)).values_list("id", "kepala_keluarga"))
