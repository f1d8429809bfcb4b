"""Reads of tata laksana gizi for pages, exports, the dashboard and the pack; every one scoped by
`for_user`. Time-dependent states are computed here at read time, as of `as_of(...)`, so no
nightly job has to run for a case to become due, lost or over age:

- keadaan: the recorded/derived outcome (`hasil`) when closed; else "lewat_usia" when the child is
  over five; else "tidak_terukur" when the case's last assessed measurement (or its opening) is
  older than `rules.lost_days()`; else "terbuka";
- jatuh tempo: last assessed measurement (or opening) + `rules.interval_days()`.

Stable for other apps (laporan): `summary(user, tahun)` and `cohorts(user, tahun, per=...)`.
"""

import datetime
import statistics
from collections import defaultdict

from django.db.models import Case, CharField, Count, F, Q, Value, When
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from balita import figures
from balita import selectors as balita_selectors
from balita.growth import categories
from genting import selectors as genting_selectors
from kasus import rules
from kasus.models import Hasil, Intervensi, JenisIntervensi, Kasus, Langkah, Masalah
from tpps.ages import age_in_months
from tpps.formatting import BULAN
from tpps.models import Kelurahan, Posyandu, Puskesmas
from tpps.roles import SYSTEM, access_for

KEADAAN = {
    "terbuka": "Terbuka",
    "tidak_terukur": "Tidak terukur ulang",
    "lewat_usia": "Lewat usia 5 tahun",
    **dict(Hasil.choices),
}
# Closed or ended for another reason than recovery (cohort column "lainnya").
LAINNYA = ("lewat_usia", Hasil.BUKAN_STUNTING, Hasil.PINDAH, Hasil.MENINGGAL)
LEVELS = {
    "posyandu": ("anak__posyandu_id", "anak__posyandu__nama"),
    "kelurahan": ("anak__kelurahan_id", "anak__kelurahan__nama"),
    "puskesmas": ("anak__kelurahan__puskesmas__id", "anak__kelurahan__puskesmas__nama"),
}


def as_of(today=None) -> datetime.date:
    """The date states are read at: today, or the latest measurement the register holds when that
    is older (an import that lags a month must not make every case look overdue)."""
    today = today or timezone.localdate()
    latest = figures.latest_measurement_date(SYSTEM)
    return min(today, latest) if latest else today


def with_state(rows, on: datetime.date):
    lost_before = on - datetime.timedelta(days=rules.lost_days())
    over_age_born_before = on - datetime.timedelta(days=rules.USIA_MAKS_HARI)
    return rows.annotate(
        terakhir=Coalesce("tanggal_ukur_terakhir", "tanggal_buka"),
        keadaan=Case(
            When(~Q(hasil=""), then=F("hasil")),
            When(anak__tanggal_lahir__lt=over_age_born_before, then=Value("lewat_usia")),
            When(Q(tanggal_ukur_terakhir__lt=lost_before)
                 | Q(tanggal_ukur_terakhir__isnull=True, tanggal_buka__lt=lost_before), then=Value("tidak_terukur")),
            default=Value("terbuka"), output_field=CharField(),
        ),
    )


def _decorate(cases):
    for kasus in cases:
        kasus.jatuh_tempo = rules.due_date(kasus.tanggal_buka, kasus.tanggal_ukur_terakhir)
        kasus.keadaan_label = KEADAAN.get(kasus.keadaan, kasus.keadaan)
        kasus.kategori_label = (categories.label(rules.INDEX[kasus.masalah], kasus.kategori_buka)
                                if kasus.masalah != Masalah.TIDAK_NAIK else "tidak naik")
    return cases


def due_filter(kind: str, on: datetime.date) -> Q:
    """Open cases 'terlambat' (due before `on`) or 'jatuh_tempo' (due from `on` to the next
    rules.soon_days()), by the last assessed measurement (or the opening)."""
    interval = datetime.timedelta(days=rules.interval_days())
    if kind == "terlambat":
        return Q(keadaan="terbuka", terakhir__lt=on - interval)
    if kind == "jatuh_tempo":
        return Q(keadaan="terbuka", terakhir__gte=on - interval,
                 terakhir__lt=on - interval + datetime.timedelta(days=rules.soon_days() + 1))
    raise ValueError(kind)


def cases(user, on, *, masalah="", keadaan="", tempo="", kelurahan=None, posyandu=None, puskesmas=None,
          tahun=None, q=""):
    rows = with_state(Kasus.objects.for_user(user), on).select_related(
        "anak__kelurahan", "anak__posyandu", "pengukuran_buka")
    if masalah:
        rows = rows.filter(masalah=masalah)
    if keadaan:
        rows = rows.filter(keadaan=keadaan)
    if tempo in ("terlambat", "jatuh_tempo"):
        rows = rows.filter(due_filter(tempo, on))
    if kelurahan:
        rows = rows.filter(anak__kelurahan_id=kelurahan)
    if posyandu:
        rows = rows.filter(anak__posyandu_id=posyandu)
    if puskesmas:
        rows = rows.filter(anak__kelurahan__puskesmas__id=puskesmas)
    if tahun:
        rows = rows.filter(tanggal_buka__year=tahun)
    if q and access_for(user).can_see_personal_data:
        rows = rows.filter(Q(anak__nama__icontains=q) | Q(anak__nik=q) | Q(anak__nama_ibu__icontains=q))
    return rows.order_by("-tanggal_buka", "id")


def decorate(page):
    """Add `jatuh_tempo` and `keadaan_label` to the cases of a page (a list)."""
    return _decorate(list(page))


def case_for(user, pk, on):
    """One case the user may see (with its state), or Kasus.DoesNotExist."""
    kasus = with_state(Kasus.objects.for_user(user), on).select_related(
        "anak__kelurahan", "anak__posyandu", "pengukuran_buka").get(pk=pk)
    return _decorate([kasus])[0]


def pathway(kasus):
    return list(Langkah.objects.filter(kasus=kasus).select_related("dicatat_oleh").order_by("tanggal", "id"))


def interventions(kasus):
    return list(Intervensi.objects.filter(kasus=kasus).select_related("opd", "dicatat_oleh").order_by("mulai", "id"))


def measurements_since(kasus):
    """The child's measurements from the case's opening on (oldest first)."""
    rows = balita_selectors.measurements_of(kasus.anak).filter(tanggal__gte=kasus.tanggal_buka)
    return list(reversed(list(rows)))


def genting_help(user, kasus):
    """GENTING help delivered to the child's family (the ledger's standing deliveries), read from
    GENTING, never typed again here."""
    return genting_selectors.help_for_child(user, kasus.anak_id)


def other_cases(user, kasus):
    return list(Kasus.objects.for_user(user).filter(anak_id=kasus.anak_id).exclude(pk=kasus.pk).order_by("-tanggal_buka"))


# --- Follow-up --------------------------------------------------------------------------------------


def follow_up(user, on, level="posyandu", masalah=""):
    """Per area (posyandu, kelurahan or puskesmas of the child's registration): open cases, due in
    the coming days, overdue, tidak terukur ulang. Rows sorted by overdue, worst first."""
    key, name = LEVELS[level]
    rows = with_state(Kasus.objects.for_user(user), on)
    if masalah:
        rows = rows.filter(masalah=masalah)
    rows = rows.filter(keadaan__in=("terbuka", "tidak_terukur"))
    result = rows.values(key, name).annotate(
        terbuka=Count("id", filter=Q(keadaan="terbuka")),
        jatuh_tempo=Count("id", filter=due_filter("jatuh_tempo", on)),
        terlambat=Count("id", filter=due_filter("terlambat", on)),
        tidak_terukur=Count("id", filter=Q(keadaan="tidak_terukur")),
    ).order_by()
    table = [{"id": r[key], "nama": r[name] or "(tanpa posyandu)", "terbuka": r["terbuka"],
              "jatuh_tempo": r["jatuh_tempo"], "terlambat": r["terlambat"], "tidak_terukur": r["tidak_terukur"]}
             for r in result]
    table.sort(key=lambda r: (-r["terlambat"], -r["tidak_terukur"], r["nama"]))
    return table


FOLLOW_UP_COUNTS = ("terbuka", "jatuh_tempo", "terlambat", "tidak_terukur")


def follow_up_totals(rows) -> dict:
    """The sums of `follow_up` rows (the list's total line, the Beranda's tiles)."""
    return {key: sum(r[key] for r in rows) for key in FOLLOW_UP_COUNTS}


def visit_list(user, posyandu, on, hari):
    """The 'daftar kunjungan' of a posyandu day `hari`: its open cases due by that day (overdue
    first), with the last figures and what to check."""
    interval = datetime.timedelta(days=rules.interval_days())
    rows = with_state(Kasus.objects.for_user(user).filter(anak__posyandu=posyandu), on).filter(
        keadaan__in=("terbuka", "tidak_terukur"), terakhir__lte=hari - interval,
    ).select_related("anak", "pengukuran_buka").order_by("terakhir", "anak__nama")
    cases = _decorate(list(rows))
    by_child = defaultdict(list)
    for kasus in cases:
        by_child[kasus.anak_id].append(kasus)
    latest = balita_selectors.latest_measurements(user, list(by_child))
    result = []
    for anak_id, child_cases in by_child.items():
        result.append({
            "anak": child_cases[0].anak,
            "kasus": child_cases,
            "terakhir": latest.get(anak_id),
            "umur_bulan": int(age_in_months(child_cases[0].anak.tanggal_lahir, hari)),
            "periksa": sorted({rules.WHAT_TO_CHECK[k.masalah] for k in child_cases}),
            "terlambat": min(k.jatuh_tempo for k in child_cases) < on,
        })
    result.sort(key=lambda r: (not r["terlambat"], r["anak"].nama))
    return result


def posyandu_for(user, pk):
    return Posyandu.objects.for_user(user).select_related("kelurahan").get(pk=pk)


def area_choices(user):
    kelurahan = Kelurahan.objects.for_user(user).order_by("nama")
    return {
        "kelurahan": kelurahan,
        "posyandu": Posyandu.objects.for_user(user).filter(aktif=True).select_related("kelurahan")
        .order_by("kelurahan__nama", "nama"),
        "puskesmas": Puskesmas.objects.filter(kelurahan__in=kelurahan).distinct().order_by("nama"),
    }


# --- Cohorts --------------------------------------------------------------------------------------


def _cohort_row(label, items):
    n = len(items)
    sembuh = [i for i in items if i["keadaan"] == Hasil.SEMBUH]
    hilang = sum(1 for i in items if i["keadaan"] == "tidak_terukur")
    terbuka = sum(1 for i in items if i["keadaan"] == "terbuka")
    lainnya = sum(1 for i in items if i["keadaan"] in LAINNYA)
    days = [(i["tanggal_tutup"] - i["tanggal_buka"]).days for i in sembuh]
    return {
        "label": label, "kasus": n, "sembuh": len(sembuh), "hilang": hilang, "terbuka": terbuka, "lainnya": lainnya,
        "persen_sembuh": round(100 * len(sembuh) / n, 1) if n else None,
        "persen_hilang": round(100 * hilang / n, 1) if n else None,
        "median_hari": statistics.median(days) if days else None,
    }


COHORT_BY = ("bulan", "puskesmas", "kelurahan", "intervensi")


def cohorts(user, tahun: int, *, per="bulan", masalah="", on=None) -> dict:
    """Cases opened in `tahun` grouped by the month they opened (or puskesmas, kelurahan, or
    intervention received): cases, sembuh and its %, median days from opening to recovery, lost
    to follow-up (tidak terukur ulang) and its %, still open, ended otherwise; and the total.
    By intervention the groups overlap (a case with PMT and konseling counts in both) and compare
    cases that received something with those that did not: descriptive, not a causal estimate."""
    on = on or as_of()
    rows = with_state(Kasus.objects.for_user(user).filter(tanggal_buka__year=tahun), on)
    if masalah:
        rows = rows.filter(masalah=masalah)
    items = list(rows.annotate(bulan=ExtractMonth("tanggal_buka")).values(
        "id", "anak_id", "keadaan", "tanggal_buka", "tanggal_tutup", "bulan",
        "anak__kelurahan__nama", "anak__kelurahan__puskesmas__nama"))
    groups = defaultdict(list)
    if per == "bulan":
        for item in items:
            groups[(item["bulan"], BULAN[item["bulan"] - 1])].append(item)
    elif per in ("puskesmas", "kelurahan"):
        field = "anak__kelurahan__puskesmas__nama" if per == "puskesmas" else "anak__kelurahan__nama"
        for item in items:
            name = item[field] or "(tanpa puskesmas)"
            groups[(name, name)].append(item)
    elif per == "intervensi":
        kinds = defaultdict(set)
        ids = [item["id"] for item in items]
        for kasus_id, jenis in Intervensi.objects.filter(kasus_id__in=ids).values_list("kasus_id", "jenis"):
            kinds[kasus_id].add(jenis)
        helped = genting_selectors.children_helped(user, {item["anak_id"] for item in items})
        labels = dict(JenisIntervensi.choices)
        for item in items:
            received = set(kinds[item["id"]])
            if item["anak_id"] in helped:
                received.add("genting")
            for jenis in received:
                order = list(labels).index(jenis) if jenis in labels else len(labels)
                groups[(order, labels.get(jenis, "Bantuan GENTING"))].append(item)
            if not received:
                groups[(99, "Belum ada intervensi tercatat")].append(item)
    else:
        raise ValueError(per)
    table = [_cohort_row(label, groups[(key, label)]) for key, label in sorted(groups)]
    return {"tahun": tahun, "per": per, "baris": table, "total": _cohort_row("Jumlah", items), "as_of": on}


def years(user) -> list[int]:
    found = Kasus.objects.for_user(user).dates("tanggal_buka", "year")
    return sorted({d.year for d in found}, reverse=True)


def summary(user, tahun: int, on=None) -> dict:
    """The dashboard card and the pack: open cases now (by state), cases opened in `tahun`, of
    those recovered and lost (counts and %), over the cases `user` sees."""
    on = on or as_of()
    rows = with_state(Kasus.objects.for_user(user), on)
    now = rows.aggregate(
        terbuka=Count("id", filter=Q(keadaan="terbuka")),
        terlambat=Count("id", filter=due_filter("terlambat", on)),
        tidak_terukur=Count("id", filter=Q(keadaan="tidak_terukur")),
    )
    year = cohorts(user, tahun, on=on)["total"]
    by_problem = {m: c for m, c in rows.filter(tanggal_buka__year=tahun).values_list("masalah").annotate(n=Count("id"))}
    return {**now, "tahun": tahun, "kohort": year, "as_of": on, "hari_hilang": rules.lost_days(),
            "per_masalah": [(label, by_problem.get(code, 0)) for code, label in Masalah.choices]}


def cases_of_children(user, anak_ids, on=None) -> dict:
    """{child id: [case, …]} newest first, with state: what GENTING's "did the help work" view
    shows beside its growth trend, so both read the same outcomes as the case pages."""
    if not anak_ids:
        return {}
    on = on or as_of()
    rows = with_state(Kasus.objects.for_user(user).filter(anak_id__in=list(anak_ids)), on).order_by("-tanggal_buka")
    result = defaultdict(list)
    for kasus in _decorate(list(rows)):
        result[kasus.anak_id].append(kasus)
    return dict(result)
