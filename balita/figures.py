"""balita's read model: the only definitions of the nutrition figures every screen reports.

One path for every figure: a measurement's z-scores and categories are stored when it is
written (balita.growth) → `balita/summary.py` rebuilds `RingkasanGizi` (counts per period,
kelurahan and posyandu) in the same transaction → the functions below read it, scoped by the
user → the register, the dashboard, the indicator catalogue, the PDF pack and every export.

The rules, each written once here:
- a **valid index**: its z-score was computed and is not WHO-flagged (`valid_q`, `valid_sql`);
- **each child's latest measurement in a period** counts, once;
- a child counts **where it is registered now** (its kelurahan and posyandu), in numerators
  and denominator alike, so coverage cannot pass 100 %;
- the **under-five denominator** of a period: children born by its last day and under 60 months
  (WHO age, days ÷ 30.4375) on its first day;
- **prevalence** = stunted ÷ children with a valid TB/U; **coverage** = children measured ÷
  the denominator; a period whose coverage is under `CAKUPAN_CUKUP` says so.
"""

import datetime
from collections import namedtuple
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from django.db.models import Case, CharField, Count, Exists, Max, OuterRef, Q, Sum, Value, When
from django.db.models.query import EmptyQuerySet

from balita.growth import categories
from balita.prevalence import interval
from balita.models import Anak, Pengukuran, RingkasanGizi
from tpps.ages import DAYS_PER_MONTH
from tpps.formatting import angka
from tpps.models import Kelurahan
from tpps.periods import Periode
from tpps.roles import VIEW

# Under five = WHO age under 60 months: at most floor(60 × 30.4375) = 1826 days old.
UNDER_FIVE_MAX_DAYS = int(60 * DAYS_PER_MONTH)
# Birth status (Kemenkes; WHO's low birth weight): berat badan lahir rendah (BBLR) under 2,500 g,
# panjang badan lahir rendah (PBLR) under 48 cm. Here because the child's birth weight and length
# are balita's fields; ibuhamil's rules read these constants for the births it records.
BBLR_KG = Decimal("2.5")
PBLR_CM = Decimal("48")
# Below this share of the under-fives measured, a period's figures do not stand for the area:
# pages say "baru n % balita diukur" instead of judging them, and no default lands on it.
CAKUPAN_CUKUP = 20

# index → (z-score column, flag column, category column)
INDEX_COLUMNS = {
    "tbu": ("zs_tbu", "flag_tbu", "kategori_tbu"),
    "bbu": ("zs_bbu", "flag_bbu", "kategori_bbu"),
    "bbtb": ("zs_bbtb", "flag_bbtb", "kategori_bbtb"),
    "imtu": ("zs_imtu", "flag_imtu", "kategori_imtu"),
}


def valid_q(index: str, prefix: str = "") -> Q:
    """Measurements whose `index` z-score is valid (computed, not WHO-flagged), as a Q."""
    zs, flag, _ = INDEX_COLUMNS[index]
    return Q(**{f"{prefix}{zs}__isnull": False, f"{prefix}{flag}": False})


def valid_sql(index: str, alias: str) -> str:
    """The same rule as SQL over a balita_pengukuran row aliased `alias`."""
    zs, flag, _ = INDEX_COLUMNS[index]
    return f"{alias}.{zs} IS NOT NULL AND NOT {alias}.{flag}"


def is_valid(measurement, index: str) -> bool:
    """The same rule for one measurement (model instance or dict)."""
    zs, flag, _ = INDEX_COLUMNS[index]
    get = measurement.get if isinstance(measurement, dict) else lambda name: getattr(measurement, name)
    return get(zs) is not None and not get(flag)


STUNTED_Q = valid_q("tbu") & Q(kategori_tbu__in=categories.STUNTED)


def is_stunted(measurement) -> bool:
    category = measurement["kategori_tbu"] if isinstance(measurement, dict) else measurement.kategori_tbu
    return is_valid(measurement, "tbu") and category in categories.STUNTED


# --- The counts of an area in a period ----------------------------------------------------------

COUNTS = ("sasaran", "diukur", "tbu_valid", "stunting", "sangat_pendek", "bbu_valid", "underweight",
          "bbtb_valid", "wasting")


# The figures' names as Kemenkes writes them (SSGI/SKI reports), the one home of these words for
# the dashboard, the exports and the PDF pack: (full name, short name for narrow table headers).
NAMA_INDIKATOR = {
    "stunting": ("Stunting (pendek dan sangat pendek)", "Stunting"),
    "wasting": ("Gizi kurang dan gizi buruk (wasting)", "Gizi kurang & buruk"),
    "underweight": ("Berat badan kurang (underweight)", "BB kurang"),
}


def nama_indikator(kode: str, singkat: bool = False) -> str:
    """nama_indikator("wasting") -> "Gizi kurang dan gizi buruk (wasting)"."""
    return NAMA_INDIKATOR[kode][1 if singkat else 0]


def _pct(part, whole):
    return round(100 * part / whole, 2) if whole else None


@dataclass
class Angka:
    """The counts of one area in one period and the rates that follow from them."""

    sasaran: int = 0
    diukur: int = 0
    tbu_valid: int = 0
    stunting: int = 0
    sangat_pendek: int = 0
    bbu_valid: int = 0
    underweight: int = 0
    bbtb_valid: int = 0
    wasting: int = 0
    # N of anthro's interval: the rows of the analysed data set. The data set is always the whole
    # city's children measured in the period, and every area a group of it — what
    # anthro_prevalence(group = area) computes, so an area's interval is the same for every user
    # and in the `prevalensi` command. Set by the reads below; 0 = unknown (the area's own rows).
    n_data: int = 0

    @classmethod
    def of(cls, row) -> "Angka":
        """From a summary row (model or dict)."""
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        return cls(**{name: get(name) or 0 for name in COUNTS})

    def __add__(self, other: "Angka") -> "Angka":
        added = Angka(**{name: getattr(self, name) + getattr(other, name) for name in COUNTS})
        added.n_data = max(self.n_data, other.n_data)  # groups of one data set share its N
        return added

    @property
    def pendek(self) -> int:
        return self.stunting - self.sangat_pendek

    @property
    def prevalensi(self):
        """Stunted ÷ children with a valid TB/U, in percent."""
        return _pct(self.stunting, self.tbu_valid)

    @property
    def cakupan(self):
        """Children measured ÷ children under five registered, in percent."""
        return _pct(self.diukur, self.sasaran)

    @property
    def persen_underweight(self):
        return _pct(self.underweight, self.bbu_valid)

    @property
    def persen_wasting(self):
        return _pct(self.wasting, self.bbtb_valid)

    # 95 % intervals as WHO's anthro computes them (balita.prevalence): cases, n and N, all in
    # the stored counts. None without a valid index.
    @property
    def ci_prevalensi(self):
        return interval(self.stunting, self.tbu_valid, self.n_data or self.diukur)

    @property
    def ci_wasting(self):
        return interval(self.wasting, self.bbtb_valid, self.n_data or self.diukur)

    @property
    def ci_underweight(self):
        return interval(self.underweight, self.bbu_valid, self.n_data or self.diukur)

    @property
    def ada_data(self) -> bool:
        return bool(self.diukur or self.sasaran)

    @property
    def cukup_data(self) -> bool:
        """Enough children measured for the figures to stand for the area."""
        return self.diukur > 0 and (self.cakupan is None or self.cakupan >= CAKUPAN_CUKUP)

    @property
    def catatan_data(self) -> str:
        """'' when the data suffice, else why the figures do not stand for the area yet."""
        if self.diukur == 0:
            return "Belum ada balita yang diukur pada periode ini."
        if not self.cukup_data:
            return (f"Baru {angka(self.cakupan, 1)} % balita diukur ({self.diukur} dari {self.sasaran}): "
                    "angka periode ini belum mewakili wilayah.")
        return ""


def total(items) -> Angka:
    result = Angka()
    for item in items:
        result = result + item
    return result


# --- Reads (every one scoped to the user) ----------------------------------------------------------

LEVELS = {
    "kelurahan": "kelurahan_id",
    "posyandu": "posyandu_id",
    "kecamatan": "kelurahan__kecamatan_id",
    "puskesmas": "kelurahan__puskesmas__id",
}


def _rows(user, kecamatan=None, kelurahan=None, posyandu=None, puskesmas=None):
    rows = RingkasanGizi.objects.for_user(user)
    if puskesmas:
        rows = rows.filter(kelurahan__puskesmas__id=getattr(puskesmas, "pk", puskesmas))
    if kecamatan:
        rows = rows.filter(kelurahan__kecamatan_id=getattr(kecamatan, "pk", kecamatan))
    if kelurahan:
        rows = rows.filter(kelurahan_id=getattr(kelurahan, "pk", kelurahan))
    if posyandu:
        rows = rows.filter(posyandu_id=getattr(posyandu, "pk", posyandu))
    return rows


def _period_q(periode: Periode) -> Q:
    return Q(jenis=periode.jenis, tahun=periode.tahun, nomor=periode.nomor)


def _sums(rows, *group):
    return rows.values(*group).annotate(**{f"{name}__s": Sum(name) for name in COUNTS}).order_by()


def _angka(row, n_data: int = 0) -> Angka:
    angka = Angka(**{name: row[f"{name}__s"] or 0 for name in COUNTS})
    angka.n_data = n_data
    return angka


def _data_set_sizes(query: Q) -> dict:
    """{(jenis, tahun, nomor): the city's children measured}: N of every interval (see Angka).
    A count, not data about any child, so it is read for the whole city whoever asks."""
    rows = RingkasanGizi.objects.filter(query).values("jenis", "tahun", "nomor").annotate(n=Sum("diukur")).order_by()
    return {(r["jenis"], r["tahun"], r["nomor"]): r["n"] or 0 for r in rows}


def _whole_city(user, *areas) -> bool:
    """Whether a read covers the whole city: then N is its own total, no second query."""
    return not any(area for area in areas) and can_read_whole_city(user)


def figures(user, periode: Periode, *, kecamatan=None, kelurahan=None, posyandu=None) -> Angka:
    """The figures of the user's area (or of one kecamatan, kelurahan or posyandu in it)."""
    rows = _rows(user, kecamatan, kelurahan, posyandu).filter(_period_q(periode))
    row = rows.aggregate(**{f"{name}__s": Sum(name) for name in COUNTS})
    if _whole_city(user, kecamatan, kelurahan, posyandu):
        return _angka(row, row["diukur__s"] or 0)
    n_data = _data_set_sizes(_period_q(periode)).get((periode.jenis, periode.tahun, periode.nomor), 0)
    return _angka(row, n_data)


def figures_by(user, periodes, level: str, *, kecamatan=None, kelurahan=None, puskesmas=None) -> dict:
    """{(periode, area id): Angka} for several periods at once, by kecamatan, kelurahan,
    puskesmas (its working area) or posyandu (None: children without a posyandu), optionally
    within one kecamatan, kelurahan or puskesmas's working area."""
    periodes = list(periodes)
    query = Q()
    for periode in periodes:
        query |= _period_q(periode)
    by_key = {(p.jenis, p.tahun, p.nomor): p for p in periodes}
    rows = list(_sums(_rows(user, kecamatan, kelurahan, puskesmas=puskesmas).filter(query),
                      "jenis", "tahun", "nomor", LEVELS[level]))
    if _whole_city(user, kecamatan, kelurahan, puskesmas):
        sizes = {}
        for r in rows:
            key = (r["jenis"], r["tahun"], r["nomor"])
            sizes[key] = sizes.get(key, 0) + (r["diukur__s"] or 0)
    else:
        sizes = _data_set_sizes(query)
    return {
        (by_key[(r["jenis"], r["tahun"], r["nomor"])], r[LEVELS[level]]):
            _angka(r, sizes.get((r["jenis"], r["tahun"], r["nomor"]), 0))
        for r in rows
    }


# The children measures of the data-quality report, kept beside the counts (balita/summary.py).
CHILDREN_QUALITY = ("diukur", "tbu_valid", "bbu_valid", "bbtb_valid", "laki", "perempuan", "umur_6", "lahir_tgl1",
                    *(f"z_{i}_s{p}" for i in ("tbu", "bbu", "bbtb") for p in range(1, 5)))


def children_quality(user, periode: Periode) -> list[dict]:
    """Rows per kelurahan and posyandu (posyandu_id None: none) with children measured in the
    period: the children counted (each by its latest measurement), by sex, age and birth day, and
    sums of powers of their valid z-scores — what balita/quality/measures.py reads."""
    rows = _rows(user).filter(_period_q(periode), diukur__gt=0)
    return list(rows.values("kelurahan_id", "posyandu_id", *CHILDREN_QUALITY))


def monthly(user, first_year: int, last_year: int, *, kecamatan=None, kelurahan=None, posyandu=None,
            puskesmas=None) -> list:
    """[(Periode of a month, Angka)] for the months from `first_year` to `last_year` that have
    measurements, in order."""
    rows = _rows(user, kecamatan, kelurahan, posyandu, puskesmas).filter(jenis="bulan", tahun__gte=first_year,
                                                                         tahun__lte=last_year)
    sums = list(_sums(rows, "tahun", "nomor").order_by("tahun", "nomor"))
    if _whole_city(user, kecamatan, kelurahan, posyandu, puskesmas):
        sizes = {("bulan", r["tahun"], r["nomor"]): r["diukur__s"] or 0 for r in sums}
    else:
        sizes = _data_set_sizes(Q(jenis="bulan", tahun__gte=first_year, tahun__lte=last_year))
    result = []
    for row in sums:
        angka = _angka(row, sizes.get(("bulan", row["tahun"], row["nomor"]), 0))
        if angka.diukur:
            result.append((Periode("bulan", row["tahun"], row["nomor"]), angka))
    return result


def years_with_data(user) -> list[int]:
    """Years with measurements in the user's area, newest first."""
    years = _rows(user).filter(jenis="tahun", diukur__gt=0).values_list("tahun", flat=True).distinct()
    return sorted(set(years), reverse=True)


def default_period(user, tahun: int | None = None) -> Periode | None:
    """Where a page opens: the latest month (of `tahun`, if given) whose data stand for the area
    (coverage at least CAKUPAN_CUKUP), else the latest month with any measurement; None without
    data. Never simply today's month."""
    rows = _rows(user).filter(jenis="bulan")
    if tahun:
        rows = rows.filter(tahun=tahun)
    latest_any = None
    for row in _sums(rows, "tahun", "nomor").order_by("-tahun", "-nomor"):
        angka = _angka(row)
        if not angka.diukur:
            continue
        periode = Periode("bulan", row["tahun"], row["nomor"])
        latest_any = latest_any or periode
        if angka.cukup_data:
            return periode
    return latest_any


def latest_measurement_date(user) -> datetime.date | None:
    return Pengukuran.objects.for_user(user).aggregate(last=Max("tanggal"))["last"]


# --- The children behind a figure ----------------------------------------------------------------


def children_behind(user, periode: Periode, *, kecamatan=None, kelurahan=None, posyandu=None,
                    only_stunted: bool = False):
    """Each child's latest measurement in the period, of the children the user may see that are
    registered in the area: the rows the figures count (`diukur`; `stunting` with only_stunted)."""
    in_period = Pengukuran.objects.for_user(user).filter(
        tanggal__range=(periode.mulai, periode.akhir), umur_hari__lte=UNDER_FIVE_MAX_DAYS)
    # Where the child is registered, as the stored figures count it (no join for the whole city).
    if kecamatan:
        in_period = in_period.filter(anak__kelurahan__kecamatan_id=getattr(kecamatan, "pk", kecamatan))
    if kelurahan:
        in_period = in_period.filter(anak__kelurahan_id=getattr(kelurahan, "pk", kelurahan))
    if posyandu is not None:
        in_period = in_period.filter(anak__posyandu_id=getattr(posyandu, "pk", posyandu))
    # A child's latest measurement in the period is the one with no later one in it (the unique
    # index on child and date answers that; no scan of the whole period per child).
    later = Pengukuran.objects.filter(anak_id=OuterRef("anak_id"), tanggal__gt=OuterRef("tanggal"),
                                      tanggal__lte=periode.akhir, umur_hari__lte=UNDER_FIVE_MAX_DAYS)
    rows = in_period.filter(~Exists(later))
    if only_stunted:
        rows = rows.filter(STUNTED_Q)
    return rows.select_related("anak__kelurahan", "anak__posyandu", "posyandu")


def can_read_whole_city(user) -> bool:
    """Whether the user's figures are the whole city's (not one area)."""
    return RingkasanGizi.objects.acts_on_all(user, VIEW)


# A span of months for analysts (the prevalensi command): children_behind needs only its ends.
Rentang = namedtuple("Rentang", "mulai akhir")
LATEST_ROW_FIELDS = {
    "anak__kelurahan__kecamatan__nama": "kecamatan", "anak__kelurahan__nama": "kelurahan",
    "anak__posyandu__nama": "posyandu", "anak__jenis_kelamin": "jenis_kelamin", "umur_hari": "umur_hari",
    "zs_tbu": "zs_tbu", "flag_tbu": "flag_tbu", "zs_bbu": "zs_bbu", "flag_bbu": "flag_bbu",
    "zs_bbtb": "zs_bbtb", "flag_bbtb": "flag_bbtb",
}


def latest_rows(user, start: datetime.date, end: datetime.date) -> pd.DataFrame:
    """One row per child: its latest measurement from `start` to `end` (the children_behind rule),
    with where it is registered, sex, age in days, z-scores (float, NaN when not computed) and
    WHO flags — the rows balita.prevalence analyses."""
    rows = children_behind(user, Rentang(start, end)).order_by("anak_id").values_list(*LATEST_ROW_FIELDS)
    frame = pd.DataFrame(list(rows), columns=list(LATEST_ROW_FIELDS.values()))
    for column in ("zs_tbu", "zs_bbu", "zs_bbtb"):
        frame[column] = frame[column].astype(float)
    return frame


def can_list_children(user) -> bool:
    """Whether the user's scope reaches children at all (OPD reads aggregates only)."""
    return not isinstance(Anak.objects.for_user(user), EmptyQuerySet)


def valid_tbu_history(user, anak_ids):
    """The valid TB/U measurements of these children (those the user may see), oldest first:
    dicts anak_id, tanggal, zs_tbu, kategori_tbu (GENTING's growth outcome reads these)."""
    return (Pengukuran.objects.for_user(user).filter(valid_q("tbu"), anak_id__in=list(anak_ids))
            .order_by("anak_id", "tanggal").values("anak_id", "tanggal", "zs_tbu", "kategori_tbu"))


def visible_kelurahan(user, kecamatan=None, puskesmas=None):
    rows = Kelurahan.objects.for_user(user).select_related("kecamatan").order_by("kecamatan__kode", "nama")
    if puskesmas:
        rows = rows.filter(puskesmas__id=getattr(puskesmas, "pk", puskesmas))
    if kecamatan:
        rows = rows.filter(kecamatan_id=getattr(kecamatan, "pk", kecamatan))
    return rows



# --- Stunting by birth status ----------------------------------------------------------------------

BIRTH_GROUPS = (("ya", "Ya"), ("tidak", "Tidak"), ("tidak_diketahui", "Tidak diketahui"))


def stunting_by_birth(user, periode: Periode) -> dict:
    """The period's stunting split by the child's birth status: {"bblr"|"pblr": [{"kode", "label",
    "tbu_valid", "stunting", "prevalensi"}]} for BBLR yes / no / unknown (no birth weight) and PBLR
    likewise. The same children and rule as the prevalence (`children_behind`: each child's
    latest measurement in the period, a valid TB/U, stunted = pendek + sangat pendek), so the
    groups add up to the dashboard's figure for the whole city."""
    rows = children_behind(user, periode).filter(valid_q("tbu"))
    result = {}
    for key, field, limit in (("bblr", "anak__berat_lahir", BBLR_KG), ("pblr", "anak__panjang_lahir", PBLR_CM)):
        group = Case(When(**{f"{field}__isnull": True}, then=Value("tidak_diketahui")),
                     When(**{f"{field}__lt": limit}, then=Value("ya")),
                     default=Value("tidak"), output_field=CharField())
        counts = {r["kelompok"]: r for r in rows.annotate(kelompok=group).values("kelompok").annotate(
            n=Count("id"), s=Count("id", filter=Q(kategori_tbu__in=categories.STUNTED))).order_by()}
        result[key] = [{"kode": kode, "label": label, "tbu_valid": counts.get(kode, {}).get("n", 0),
                        "stunting": counts.get(kode, {}).get("s", 0),
                        "prevalensi": _pct(counts.get(kode, {}).get("s", 0), counts.get(kode, {}).get("n", 0))}
                       for kode, label in BIRTH_GROUPS]
    return result
