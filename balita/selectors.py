"""Reads over children and measurements for pages, exports and other apps.

Other apps (konvergensi, genting, laporan) read balita only through these functions.
"""

import calendar
import datetime

from django.db import connection
from django.db.models import Count, F, Max, OuterRef, Q, Subquery
from django.utils import timezone

from balita.growth import categories
from balita.models import Anak, ImporBatch, Pengukuran
from tpps.models import Kecamatan, Kelurahan, LokusKelurahan, Posyandu
from tpps.roles import access_for


def latest_in_period_figures(start: datetime.date, end: datetime.date, kelurahan_ids=None) -> dict:
    """City (or area) stunting figures from each child's latest measurement in [start, end].

    Prevalence counts only children whose latest measurement has a valid TB/U z-score
    (computed and not flagged implausible): stunted ÷ measured, as in e-PPGBM.
    Returns {"measured": n with valid TB/U, "stunted": n, "prevalence": percent or None,
    "children_measured": n with any measurement}.
    """
    area_filter = ""
    params = {"start": start, "end": end, "stunted": list(categories.STUNTED)}
    if kelurahan_ids is not None:
        area_filter = "AND kelurahan_id = ANY(%(kelurahan)s)"
        params["kelurahan"] = list(kelurahan_ids)
    sql = f"""
        WITH latest AS (
            SELECT DISTINCT ON (anak_id) anak_id, zs_tbu, flag_tbu, kategori_tbu
            FROM balita_pengukuran
            WHERE tanggal BETWEEN %(start)s AND %(end)s {area_filter}
            ORDER BY anak_id, tanggal DESC
        )
        SELECT count(*),
               count(*) FILTER (WHERE zs_tbu IS NOT NULL AND NOT flag_tbu),
               count(*) FILTER (WHERE zs_tbu IS NOT NULL AND NOT flag_tbu AND kategori_tbu = ANY(%(stunted)s))
        FROM latest
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        children_measured, measured, stunted = cursor.fetchone()
    return {
        "children_measured": children_measured,
        "measured": measured,
        "stunted": stunted,
        "prevalence": round(100 * stunted / measured, 2) if measured else None,
    }


# --- Pages and exports (always scoped through for_user) ----------------------------------------

AGE_GROUPS = {
    "0-5": ("0–5 bulan", 0, 6),
    "6-11": ("6–11 bulan", 6, 12),
    "12-23": ("12–23 bulan", 12, 24),
    "24-59": ("24–59 bulan", 24, 60),
    "60+": ("60 bulan ke atas", 60, None),
}
SORTS = {
    "nama": ("nama", "id"),
    "-nama": ("-nama", "-id"),
    "lahir": ("tanggal_lahir", "nama"),
    "-lahir": ("-tanggal_lahir", "nama"),
    "kelurahan": ("kelurahan__nama", "nama"),
    "-kelurahan": ("-kelurahan__nama", "nama"),
    "ukur": (F("terakhir_tanggal").asc(nulls_first=True), "nama"),
    "-ukur": (F("terakhir_tanggal").desc(nulls_last=True), "nama"),
    "zs": (F("terakhir_zs_tbu").asc(nulls_last=True), "nama"),
    "-zs": (F("terakhir_zs_tbu").desc(nulls_last=True), "nama"),
}
LATEST_FIELDS = {
    "terakhir_tanggal": "tanggal",
    "terakhir_berat": "berat",
    "terakhir_tinggi": "tinggi",
    "terakhir_zs_tbu": "zs_tbu",
    "terakhir_kategori_tbu": "kategori_tbu",
    "terakhir_kategori_bbu": "kategori_bbu",
    "terakhir_kategori_bbtb": "kategori_bbtb",
    "terakhir_flag_tbu": "flag_tbu",
}


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months earlier (clamped to the month's length)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def with_latest(children):
    """Annotate each child with its latest measurement's date, size, TB/U z-score and categories."""
    latest = Pengukuran.objects.filter(anak=OuterRef("pk")).order_by("-tanggal")
    return children.annotate(**{name: Subquery(latest.values(field)[:1]) for name, field in LATEST_FIELDS.items()})


def children_register(user, *, q: str = "", kecamatan=None, kelurahan=None, posyandu=None, kategori: str = "",
                      umur: str = "", sort: str = "nama", today: datetime.date | None = None):
    """The register of children the user may see, filtered and sorted. Searching by name or NIK is
    only for roles that may see personal data (others could probe names through it)."""
    today = today or timezone.localdate()
    children = with_latest(Anak.objects.for_user(user).select_related("kelurahan__kecamatan", "posyandu"))
    q = (q or "").strip()
    if q and access_for(user).can_see_personal_data:
        digits = q.replace(" ", "")
        if digits.isdigit():
            children = children.filter(Q(nik__startswith=digits) | Q(nik__contains=digits) | Q(nik_ibu__startswith=digits))
        else:
            for word in q.split():
                children = children.filter(Q(nama__icontains=word) | Q(nama_ibu__icontains=word))
    if kecamatan:
        children = children.filter(kelurahan__kecamatan_id=kecamatan)
    if kelurahan:
        children = children.filter(kelurahan_id=kelurahan)
    if posyandu:
        children = children.filter(posyandu_id=posyandu)
    if kategori == "belum":
        children = children.filter(terakhir_tanggal__isnull=True)
    elif kategori == "stunting":
        children = children.filter(terakhir_kategori_tbu__in=categories.STUNTED)
    elif kategori in dict(categories.TBU):
        children = children.filter(terakhir_kategori_tbu=kategori)
    if umur in AGE_GROUPS:
        _, low, high = AGE_GROUPS[umur]
        children = children.filter(tanggal_lahir__lte=months_before(today, low))
        if high is not None:
            children = children.filter(tanggal_lahir__gt=months_before(today, high))
    return children.order_by(*SORTS.get(sort, SORTS["nama"]))


def filter_choices(user, kecamatan=None, kelurahan=None):
    """Options of the register's filters, within the user's scope."""
    kelurahan_qs = Kelurahan.objects.for_user(user).select_related("kecamatan").order_by("nama")
    kecamatan_ids = set(kelurahan_qs.values_list("kecamatan_id", flat=True))
    if kecamatan:
        kelurahan_qs = kelurahan_qs.filter(kecamatan_id=kecamatan)
    posyandu_qs = Posyandu.objects.for_user(user).select_related("kelurahan").order_by("kelurahan__nama", "nama")
    if kelurahan:
        posyandu_qs = posyandu_qs.filter(kelurahan_id=kelurahan)
    elif kecamatan:
        posyandu_qs = posyandu_qs.filter(kelurahan__kecamatan_id=kecamatan)
    return {
        "kecamatan": Kecamatan.objects.filter(id__in=kecamatan_ids).order_by("kode"),
        "kelurahan": kelurahan_qs,
        "posyandu": posyandu_qs,
    }


def child_for(user, pk):
    """One child the user may see, or Anak.DoesNotExist."""
    return Anak.objects.for_user(user).select_related("kelurahan__kecamatan", "posyandu").get(pk=pk)


def editable_children(user):
    """Children whose data the user may change (Admin/Operator: the city; Operator wilayah: its area)."""
    return Anak.objects.for_user(user, "change")


def measurements_of(child):
    return child.pengukuran.select_related("posyandu", "dicatat_oleh", "batch").order_by("-tanggal")


def possible_duplicates(child, user, limit: int = 10):
    """Other children (in the user's editable scope) that may be the same child: the same NIK, or the
    same birth date with the same name or the same mother's name."""
    same = Q(tanggal_lahir=child.tanggal_lahir) & (Q(nama__iexact=child.nama) | (
        Q(nama_ibu__iexact=child.nama_ibu) & ~Q(nama_ibu="")))
    if child.nik:
        same |= Q(nik=child.nik)
    return (Anak.objects.for_user(user, "change").filter(same).exclude(pk=child.pk)
            .select_related("kelurahan").annotate(jumlah_ukur=Count("pengukuran"))[:limit])


# --- Stunting register ------------------------------------------------------------------------

VALID_TBU = Q(zs_tbu__isnull=False, flag_tbu=False)
STUNTED_Q = VALID_TBU & Q(kategori_tbu__in=categories.STUNTED)


def latest_measurements(user, start: datetime.date, end: datetime.date):
    """Each child's latest measurement within [start, end], among those the user may see."""
    scoped = Pengukuran.objects.for_user(user).filter(tanggal__range=(start, end))
    latest_ids = scoped.order_by("anak_id", "-tanggal").distinct("anak_id").values("id")
    return Pengukuran.objects.filter(id__in=latest_ids)


def _figures(rows) -> dict:
    return rows.aggregate(
        diukur=Count("id"),
        valid=Count("id", filter=VALID_TBU),
        stunting=Count("id", filter=STUNTED_Q),
        sangat_pendek=Count("id", filter=VALID_TBU & Q(kategori_tbu="sangat_pendek")),
        pendek=Count("id", filter=VALID_TBU & Q(kategori_tbu="pendek")),
    )


def _rates(row: dict) -> dict:
    row["prevalensi"] = round(100 * row["stunting"] / row["valid"], 2) if row.get("valid") else None
    sasaran = row.get("sasaran")
    row["cakupan"] = round(100 * row["diukur"] / sasaran, 1) if sasaran else None
    return row


def under_five_during(children, start: datetime.date, end: datetime.date):
    """Those of `children` who were under five at some time in [start, end] (the coverage base)."""
    return children.filter(tanggal_lahir__lte=end, tanggal_lahir__gt=months_before(start, 60))


def targets(user, start: datetime.date, end: datetime.date):
    """Children the user may see who were under five at some time in [start, end]."""
    return under_five_during(Anak.objects.for_user(user), start, end)


def city_target_count(start: datetime.date, end: datetime.date) -> int:
    """Children of the whole city under five at some time in [start, end] (for other apps)."""
    return under_five_during(Anak.objects.all(), start, end).count()


def stunting_register(user, start: datetime.date, end: datetime.date, kelurahan=None) -> dict:
    """Counts by kelurahan (or by posyandu within one kelurahan) from each child's latest
    measurement in the period: measured, valid TB/U, stunted (sangat pendek + pendek), prevalence =
    stunted ÷ measured with valid TB/U, coverage = measured ÷ children under five registered."""
    latest = latest_measurements(user, start, end)
    base = targets(user, start, end)
    if kelurahan:
        latest = latest.filter(kelurahan_id=kelurahan)
        base = base.filter(kelurahan_id=kelurahan)
        group = "posyandu_id"
    else:
        group = "kelurahan_id"
    measured = {
        row[group]: row for row in latest.values(group).annotate(
            diukur=Count("id"), valid=Count("id", filter=VALID_TBU), stunting=Count("id", filter=STUNTED_Q),
            sangat_pendek=Count("id", filter=VALID_TBU & Q(kategori_tbu="sangat_pendek")),
            pendek=Count("id", filter=VALID_TBU & Q(kategori_tbu="pendek")),
        )
    }
    counted = dict(base.values(group).annotate(n=Count("id")).values_list(group, "n"))
    if kelurahan:
        names = dict(Posyandu.objects.for_user(user).filter(kelurahan_id=kelurahan).values_list("id", "nama"))
        extra = {}
    else:
        areas = Kelurahan.objects.for_user(user).select_related("kecamatan")
        names = {k.id: k.nama for k in areas}
        extra = {k.id: {"kecamatan": k.kecamatan.nama, "lokus": False} for k in areas}
        for kelurahan_id in LokusKelurahan.objects.filter(tahun=end.year, kelurahan_id__in=names).values_list("kelurahan_id", flat=True):
            extra[kelurahan_id]["lokus"] = True
    rows = []
    for key in set(names) | set(measured) | set(counted):
        figures = measured.get(key, {"diukur": 0, "valid": 0, "stunting": 0, "sangat_pendek": 0, "pendek": 0})
        row = {"id": key, "nama": names.get(key) or "(tanpa posyandu)", "sasaran": counted.get(key, 0),
               **{k: figures[k] for k in ("diukur", "valid", "stunting", "sangat_pendek", "pendek")}, **extra.get(key, {})}
        rows.append(_rates(row))
    rows.sort(key=lambda r: (r.get("kecamatan", ""), r["nama"]))
    total = _rates({**_figures(latest), "sasaran": base.count()})
    return {"rows": rows, "total": total}


def stunted_children(user, start: datetime.date, end: datetime.date, kelurahan=None, posyandu=None):
    """The register itself: children whose latest measurement in the period is pendek or sangat pendek."""
    latest = latest_measurements(user, start, end).filter(STUNTED_Q)
    if kelurahan:
        latest = latest.filter(kelurahan_id=kelurahan)
    if posyandu:
        latest = latest.filter(posyandu_id=posyandu)
    return latest.select_related("anak", "kelurahan", "posyandu").order_by("kelurahan__nama", "posyandu__nama", "zs_tbu")


def monthly_totals(user, start: datetime.date, end: datetime.date, kelurahan=None) -> list[dict]:
    """Month by month, from each child's latest measurement of that month: measured, valid TB/U,
    stunted, prevalence."""
    scoped = Pengukuran.objects.for_user(user).filter(tanggal__range=(start, end))
    if kelurahan:
        scoped = scoped.filter(kelurahan_id=kelurahan)
    scope_sql, scope_params = scoped.values("id").query.sql_with_params()
    sql = f"""
        SELECT bulan, count(*), count(*) FILTER (WHERE zs_tbu IS NOT NULL AND NOT flag_tbu),
               count(*) FILTER (WHERE zs_tbu IS NOT NULL AND NOT flag_tbu AND kategori_tbu = ANY(%s))
        FROM (
            SELECT DISTINCT ON (anak_id, date_trunc('month', tanggal))
                   date_trunc('month', tanggal)::date AS bulan, zs_tbu, flag_tbu, kategori_tbu
            FROM balita_pengukuran WHERE id IN ({scope_sql})
            ORDER BY anak_id, date_trunc('month', tanggal), tanggal DESC
        ) AS latest
        GROUP BY bulan ORDER BY bulan
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(categories.STUNTED), *scope_params])
        rows = [{"bulan": b, "diukur": d, "valid": v, "stunting": n} for b, d, v, n in cursor.fetchall()]
    return [_rates(dict(row)) for row in rows]


def latest_month_with_data(user) -> datetime.date | None:
    latest = Pengukuran.objects.for_user(user).aggregate(last=Max("tanggal"))["last"]
    return latest


# --- Imports ----------------------------------------------------------------------------------


def import_batches(user):
    return ImporBatch.objects.for_user(user).select_related("diunggah_oleh")


def import_errors(batch):
    return batch.galat.order_by("baris", "id")
