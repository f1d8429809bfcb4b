"""What pages, exports and the PDF pack read: the report of a period at one level (posyandu,
kelurahan, puskesmas; the city always), its open findings (the fix list) and the marked ones.
Every read is scoped to the user (Anak.objects.for_user; SYSTEM for the pack)."""

from dataclasses import dataclass, field

from django.db import transaction

from balita import figures
from balita.models import Anak, Pengukuran, TemuanDiperiksa
from balita.quality import findings, load, measures
from balita.quality.findings import Temuan
from balita.quality.measures import Jumlah
from balita.quality.score import Skor, score
from tpps import masking
from tpps.models import Kelurahan, Posyandu, Puskesmas
from tpps.periods import Periode

LEVELS = {"posyandu": "Posyandu", "kelurahan": "Kelurahan", "puskesmas": "Puskesmas"}


@dataclass
class Baris:
    """One area of the table."""

    id: object  # posyandu: (kelurahan id, posyandu id or 0); kelurahan/puskesmas: id; city: None
    nama: str
    induk: str = ""  # a posyandu's kelurahan
    jumlah: Jumlah = field(default_factory=Jumlah)
    cakupan: float | None = None
    skor: Skor | None = None


@dataclass
class Laporan:
    periode: Periode
    level: str
    rows: list
    kota: Baris
    temuan: list  # open findings, worst kinds first
    diperiksa: int = 0  # findings of the period marked "sudah diperiksa, benar"


def _groups(user, periode):
    """{(kelurahan id, posyandu id or 0): Jumlah} with open findings counted, the open findings,
    and how many findings were marked checked."""
    scope = load.scope_sql(user, "a")
    if scope is None:
        return {}, [], 0
    with transaction.atomic():
        load.tune()
        no_nik = load.children_without_nik(scope, periode)
        pairs = load.duplicate_pairs(scope, periode)
    groups = {}
    items = []
    for row in load.monthly_groups(user, periode):
        groups[(row["kelurahan_id"], row["pos"])] = measures.from_months(row)
        items += findings.from_measurements(row) + findings.from_growth(row)
    for row in figures.children_quality(user, periode):
        key = (row["kelurahan_id"], row["posyandu_id"] or 0)
        measures.add_children(groups.setdefault(key, Jumlah()), row)
    items += findings.missing_nik(no_nik)
    items += findings.duplicates(pairs)
    marked = set(TemuanDiperiksa.objects.for_user(user).values_list("jenis", "kunci"))
    open_items = [t for t in items if (t.jenis, t.kunci) not in marked]
    for item in open_items:
        measures.count_finding(groups.setdefault(item.group, Jumlah()), item)
    order = list(findings.JENIS)
    open_items.sort(key=lambda t: (order.index(t.jenis), t.kelurahan_id, t.posyandu_id, t.anak_id, t.tanggal or periode.mulai))
    return groups, open_items, len(items) - len(open_items)


def _puskesmas_of() -> dict:
    """{kelurahan id: (puskesmas id, name)} from the working areas (Puskesmas.kelurahan)."""
    result = {}
    for puskesmas in Puskesmas.objects.prefetch_related("kelurahan").order_by("nama"):
        for kelurahan in puskesmas.kelurahan.all():
            result.setdefault(kelurahan.pk, (puskesmas.pk, puskesmas.nama))
    return result


def _city(user, periode, groups) -> Baris:
    """The total row: every group `user` sees, with the period's coverage, scored."""
    city = Baris(None, "Kota" if Anak.objects.acts_on_all(user, "view") else "Wilayah Anda")
    for jumlah in groups.values():
        city.jumlah += jumlah
    city.cakupan = figures.figures(user, periode).cakupan
    city.skor = score(city.jumlah, city.cakupan)
    return city


def city_score(user, periode: Periode) -> Skor:
    """The score of the report's total row alone (the dashboard's survey card, a recommendation's
    figure), without building the table of areas."""
    groups, _, _ = _groups(user, periode)
    return _city(user, periode, groups).skor


def report(user, periode: Periode, level: str = "posyandu") -> Laporan:
    level = level if level in LEVELS else "posyandu"
    groups, open_items, marked = _groups(user, periode)
    kelurahan = dict(Kelurahan.objects.values_list("id", "nama"))
    rows = {}
    if level == "posyandu":
        posyandu = dict(Posyandu.objects.values_list("id", "nama"))
        coverage = figures.figures_by(user, [periode], "posyandu")
        keys = set(groups) | {(p.kelurahan_id, p.pk) for p in Posyandu.objects.for_user(user)
                              if (periode, p.pk) in coverage and coverage[(periode, p.pk)].sasaran}
        for kel, pos in keys:
            angka = coverage.get((periode, pos)) if pos else None
            rows[(kel, pos)] = Baris((kel, pos), posyandu.get(pos, "(tanpa posyandu)"), kelurahan.get(kel, ""),
                                     jumlah=groups.get((kel, pos), Jumlah()), cakupan=angka.cakupan if angka else None)
    else:
        coverage = figures.figures_by(user, [periode], level)
        names = kelurahan if level == "kelurahan" else dict(Puskesmas.objects.values_list("id", "nama"))
        puskesmas_of = _puskesmas_of() if level == "puskesmas" else {}
        for (kel, _), jumlah in groups.items():
            area = kel if level == "kelurahan" else puskesmas_of.get(kel, (None,))[0]
            row = rows.setdefault(area, Baris(area, names.get(area, "(tanpa puskesmas)")))
            row.jumlah += jumlah
        for (p, area), angka in coverage.items():
            if area is not None and angka.sasaran:
                rows.setdefault(area, Baris(area, names.get(area, ""))).cakupan = angka.cakupan
    city = _city(user, periode, groups)
    for row in rows.values():
        row.skor = score(row.jumlah, row.cakupan)
    ordered = sorted(rows.values(), key=lambda r: (r.skor.nilai is None, r.skor.nilai or 0, r.induk, r.nama))
    return Laporan(periode, level, ordered, city, open_items, marked)


def worst_posyandu(laporan: Laporan, count: int = 10) -> list:
    """The posyandu with the lowest scores (with measurements; the pack's table)."""
    return [r for r in laporan.rows if r.skor.nilai is not None and r.id[1]][:count]


def filter_findings(items, *, jenis="", kelurahan=None, posyandu=None) -> list:
    return [t for t in items if (not jenis or t.jenis == jenis) and (kelurahan is None or t.kelurahan_id == kelurahan)
            and (posyandu is None or t.posyandu_id == posyandu)]


def describe(user, items: list[Temuan]) -> list[dict]:
    """The fix list's rows for `items` (a page of them): who (the child, masked for readers),
    what (the problem), when (measured) and who recorded it."""
    anak_ids = {t.anak_id for t in items} | {t.anak_lain for t in items if t.anak_lain}
    children = Anak.objects.for_user(user).select_related("kelurahan", "posyandu").in_bulk(anak_ids)
    rows_of = (Pengukuran.objects.for_user(user).select_related("dicatat_oleh", "batch__diunggah_oleh", "posyandu")
               .in_bulk({t.pengukuran_id for t in items if t.pengukuran_id}))
    result = []
    for t in items:
        child, other = children.get(t.anak_id), children.get(t.anak_lain)
        row = rows_of.get(t.pengukuran_id)
        result.append({
            "temuan": t, "jenis": t.label, "rincian": t.rincian, "tanggal": t.tanggal,
            "anak_id": t.anak_id, "nama": masking.name_for(user, child.nama) if child else "",
            "nik": masking.nik_for(user, child.nik) if child else "",
            "kelurahan": child.kelurahan.nama if child else "",
            "posyandu": child.posyandu.nama if child and child.posyandu else "",
            "lain_id": t.anak_lain, "lain_nama": masking.name_for(user, other.nama) if other else "",
            "dicatat": _recorded_by(row),
            "dicatat_pada": row.dibuat if row else (child.dibuat if child else None),
        })
    return result


def _recorded_by(row) -> str:
    if row is None:
        return ""
    if row.batch_id:
        uploader = row.batch.diunggah_oleh.username if row.batch.diunggah_oleh else "sistem"
        return f"Impor e-PPGBM {row.batch.nama_berkas} ({uploader})"
    if row.sumber == Pengukuran.Sumber.IMPOR:
        return "Impor e-PPGBM"
    return f"Formulir ({row.dicatat_oleh.username})" if row.dicatat_oleh else "Formulir"


def checked(user, limit: int = 200):
    """The findings marked "sudah diperiksa, benar" in the user's scope, newest first."""
    return (TemuanDiperiksa.objects.for_user(user).select_related("anak", "diperiksa_oleh", "pengukuran")
            .order_by("-diperiksa_pada")[:limit])
