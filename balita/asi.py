"""ASI eksklusif: balita's read model for exclusive breastfeeding, the one home of both
Indonesian indicators (pages, konvergensi's computed capaian, the dashboard and the PDF pack read
them here). Counted in SQL, scoped by the user like every nutrition figure.

- **Under six months** = WHO age under 6 months: at most `UNDER_SIX_MAX_DAYS` (182) days old,
  the rule of `tpps.ages` (completed days ÷ 30.4375); a child reaches six months on day 183.
- **(a) Bayi 0–5 bulan ASI eksklusif** (recall 24 jam, as SSGI/SKI count): the infants under six
  months measured in the period, each child's latest such measurement; rate = answers "Ya" ÷
  answers known (an unknown answer is left out of both, and counted apart as `tidak_diketahui`).
- **(b) Bayi lulus ASI eksklusif 6 bulan** (the programme count): children who reached six
  months in the period (born `UNDER_SIX_MAX_DAYS + 1` days before a day of it) and have at least
  `MIN_CATATAN_LULUS` recorded answers (Ya or Tidak) from weighings under six months; they passed
  when every recorded answer is "Ya". Children with fewer records are counted as
  `catatan_kurang` and are in neither numerator nor denominator.

A child counts where it is registered now (its kelurahan and posyandu), as in balita.figures.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from balita.models import Anak, Pengukuran
from tpps.ages import DAYS_PER_MONTH
from tpps.periods import Periode

UNDER_SIX_MAX_DAYS = int(6 * DAYS_PER_MONTH)  # 182
# Recorded answers under six months a child needs before it counts for indicator (b): monthly
# weighings give up to six; three means at least half of the first half-year was asked.
MIN_CATATAN_LULUS = 3

LEVELS = {
    "kota": None,
    "kecamatan": "anak__kelurahan__kecamatan_id",
    "kelurahan": "anak__kelurahan_id",
    "posyandu": "anak__posyandu_id",
}
CHILD_LEVELS = {"kota": None, "kecamatan": "kelurahan__kecamatan_id", "kelurahan": "kelurahan_id",
                "posyandu": "posyandu_id"}


def _pct(part, whole):
    return round(100 * part / whole, 2) if whole else None


@dataclass
class AngkaAsi:
    # (a) 24-hour recall among infants 0-5 months measured in the period
    bayi: int = 0
    diketahui: int = 0
    asi: int = 0
    # (b) children who reached six months in the period
    genap_6_bulan: int = 0
    dinilai: int = 0
    lulus: int = 0

    @property
    def tidak_diketahui(self) -> int:
        return self.bayi - self.diketahui

    @property
    def catatan_kurang(self) -> int:
        return self.genap_6_bulan - self.dinilai

    @property
    def persen_asi(self):
        """(a) share exclusively breastfed, % of infants with a known answer."""
        return _pct(self.asi, self.diketahui)

    @property
    def persen_lulus(self):
        """(b) share who completed six months exclusively, % of those with enough records."""
        return _pct(self.lulus, self.dinilai)

    @property
    def ada_data(self) -> bool:
        return bool(self.diketahui or self.dinilai)


def _filter_area(rows, prefix, kecamatan=None, kelurahan=None, posyandu=None):
    if kecamatan:
        rows = rows.filter(**{f"{prefix}kelurahan__kecamatan_id": getattr(kecamatan, "pk", kecamatan)})
    if kelurahan:
        rows = rows.filter(**{f"{prefix}kelurahan_id": getattr(kelurahan, "pk", kelurahan)})
    if posyandu:
        rows = rows.filter(**{f"{prefix}posyandu_id": getattr(posyandu, "pk", posyandu)})
    return rows


def infants_latest(user, periode: Periode, **area):
    """(a)'s rows: each infant's latest measurement under six months in the period."""
    rows = Pengukuran.objects.for_user(user).filter(
        tanggal__range=(periode.mulai, periode.akhir), umur_hari__lte=UNDER_SIX_MAX_DAYS)
    rows = _filter_area(rows, "anak__", **area)
    later = Pengukuran.objects.filter(anak_id=OuterRef("anak_id"), tanggal__gt=OuterRef("tanggal"),
                                      tanggal__lte=periode.akhir, umur_hari__lte=UNDER_SIX_MAX_DAYS)
    return rows.filter(~Exists(later))


def reached_six_months(user, periode: Periode, **area):
    """(b)'s rows: children who reached six months in the period, with `tercatat` (answers known
    under six months) and `tidak` (answers "Tidak")."""
    first_born = periode.mulai - datetime.timedelta(days=UNDER_SIX_MAX_DAYS + 1)
    last_born = periode.akhir - datetime.timedelta(days=UNDER_SIX_MAX_DAYS + 1)
    children = _filter_area(Anak.objects.for_user(user).filter(tanggal_lahir__range=(first_born, last_born)), "", **area)

    def answers(extra: Q):
        rows = (Pengukuran.objects.filter(Q(anak_id=OuterRef("pk"), umur_hari__lte=UNDER_SIX_MAX_DAYS) & extra)
                .order_by().values("anak_id").annotate(n=Count("id")).values("n"))
        return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))

    return children.annotate(tercatat=answers(Q(asi_eksklusif__isnull=False)), tidak=answers(Q(asi_eksklusif=False)))


def _recall_counts(rows, group):
    values = rows.values(group) if group else rows
    aggregates = {"bayi": Count("id"), "diketahui": Count("id", filter=Q(asi_eksklusif__isnull=False)),
                  "asi": Count("id", filter=Q(asi_eksklusif=True))}
    if not group:
        return {None: rows.aggregate(**aggregates)}
    return {row[group]: row for row in values.annotate(**aggregates).order_by()}


def _passed_counts(rows, group):
    aggregates = {"genap_6_bulan": Count("id"),
                  "dinilai": Count("id", filter=Q(tercatat__gte=MIN_CATATAN_LULUS)),
                  "lulus": Count("id", filter=Q(tercatat__gte=MIN_CATATAN_LULUS, tidak=0))}
    if not group:
        return {None: rows.aggregate(**aggregates)}
    return {row[group]: row for row in rows.values(group).annotate(**aggregates).order_by()}


def asi_by(user, periode: Periode, level: str = "kota", **area) -> dict:
    """{area id (None for the city): AngkaAsi} of the user's scope in the period, by "kota",
    "kecamatan", "kelurahan" or "posyandu" (where the children are registered now)."""
    recall = _recall_counts(infants_latest(user, periode, **area), LEVELS[level])
    passed = _passed_counts(reached_six_months(user, periode, **area), CHILD_LEVELS[level])
    result = {}
    for key in set(recall) | set(passed):
        a, b = recall.get(key, {}), passed.get(key, {})
        result[key] = AngkaAsi(bayi=a.get("bayi") or 0, diketahui=a.get("diketahui") or 0, asi=a.get("asi") or 0,
                               genap_6_bulan=b.get("genap_6_bulan") or 0, dinilai=b.get("dinilai") or 0,
                               lulus=b.get("lulus") or 0)
    return result


def asi(user, periode: Periode, **area) -> AngkaAsi:
    """Both indicators for the user's area (or one kecamatan, kelurahan or posyandu in it)."""
    return asi_by(user, periode, "kota", **area).get(None, AngkaAsi())


def asi_monthly(user, tahun: int, **area) -> list[tuple[Periode, AngkaAsi]]:
    """Both indicators month by month for a year (one query pair a month)."""
    return [(periode, asi(user, periode, **area)) for periode in (Periode("bulan", tahun, m) for m in range(1, 13))]


def has_answers(user, periode: Periode) -> bool:
    """Whether any ASI answer was recorded in the period: konvergensi computes the indicator only then."""
    return Pengukuran.objects.for_user(user).filter(
        tanggal__range=(periode.mulai, periode.akhir), asi_eksklusif__isnull=False).exists()
