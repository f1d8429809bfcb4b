"""The one SQL definition of the nutrition figures: rebuilds `RingkasanGizi` from the tables.

Each child's latest measurement per month is taken once; the latest of a quarter, semester or
year is then the child's last measured month inside it, so one pass over the measurements
serves all 19 periods of a year. Children count where they are registered now (their kelurahan
and posyandu), in the numerators and in the under-five denominator alike.

The same refresh rebuilds the data-quality report's monthly sums (RingkasanMutu, whose SQL
lives with the report in balita/quality/load.py).

balita's services call `refresh()` inside the transaction that changes children or
measurements, so a figure read after a commit always includes that commit; a form entry
rebuilds one kelurahan's year (milliseconds), an import whole years.
"""

import datetime
import time

from django.db import connection

from balita.figures import UNDER_FIVE_MAX_DAYS, valid_sql
from balita.growth import categories
from balita.models import RingkasanGizi, RingkasanMutu
from balita.quality import load as quality
from tpps.ages import DAYS_PER_MONTH
from tpps.periods import periods_of_year

SUMMARY_SQL = """
WITH m AS (
    SELECT DISTINCT ON (p.anak_id, date_trunc('month', p.tanggal))
        p.anak_id, a.kelurahan_id, coalesce(a.posyandu_id, 0) AS pos,
        extract(year FROM p.tanggal)::int AS tahun,
        extract(month FROM p.tanggal)::int AS bulan,
        ({tbu}) AS tbu_ok,
        ({tbu} AND p.kategori_tbu = ANY(%(stunted)s)) AS stunt,
        ({tbu} AND p.kategori_tbu = 'sangat_pendek') AS sp,
        ({bbu}) AS bbu_ok,
        ({bbu} AND p.kategori_bbu = ANY(%(underweight)s)) AS uw,
        ({bbtb}) AS bbtb_ok,
        ({bbtb} AND p.kategori_bbtb = ANY(%(wasted)s)) AS wasted,
        -- For the data-quality report's children measures (balita/quality/measures.py).
        a.jenis_kelamin = 'L' AS laki, a.jenis_kelamin = 'P' AS perempuan,
        floor(p.umur_hari / {days_per_month})::int %% 6 = 0 AS umur_6,
        extract(day FROM a.tanggal_lahir) = 1 AS lahir_tgl1,
        CASE WHEN {tbu} THEN p.zs_tbu::float8 END AS z_tbu,
        CASE WHEN {bbu} THEN p.zs_bbu::float8 END AS z_bbu,
        CASE WHEN {bbtb} THEN p.zs_bbtb::float8 END AS z_bbtb
    FROM balita_pengukuran p JOIN balita_anak a ON a.id = p.anak_id
    WHERE p.tanggal >= %(start)s AND p.tanggal < %(end)s AND p.umur_hari <= %(max_days)s {area_m}
    ORDER BY p.anak_id, date_trunc('month', p.tanggal), p.tanggal DESC
),
f AS (
    -- The child's next measured month in the same year tells whether this month is the last
    -- one of its quarter, semester and year.
    SELECT m.*, lead(bulan) OVER (PARTITION BY anak_id, tahun ORDER BY bulan) AS nb
    FROM m
),
g AS (
    -- Collapse the children into counts per month, area and "last of" flags first, then spread
    -- the groups over the periods they count for.
    SELECT tahun, bulan, kelurahan_id, pos,
        (nb IS NULL OR (nb - 1) / 3 <> (bulan - 1) / 3) AS last_tw,
        (nb IS NULL OR (nb - 1) / 6 <> (bulan - 1) / 6) AS last_sm,
        (nb IS NULL) AS last_th,
        count(*) AS diukur,
        count(*) FILTER (WHERE tbu_ok) AS tbu_valid,
        count(*) FILTER (WHERE stunt) AS stunting,
        count(*) FILTER (WHERE sp) AS sangat_pendek,
        count(*) FILTER (WHERE bbu_ok) AS bbu_valid,
        count(*) FILTER (WHERE uw) AS underweight,
        count(*) FILTER (WHERE bbtb_ok) AS bbtb_valid,
        count(*) FILTER (WHERE wasted) AS wasting,
        count(*) FILTER (WHERE laki) AS laki, count(*) FILTER (WHERE perempuan) AS perempuan,
        count(*) FILTER (WHERE umur_6) AS umur_6, count(*) FILTER (WHERE lahir_tgl1) AS lahir_tgl1,
        {moment_sums}
    FROM f GROUP BY 1, 2, 3, 4, 5, 6, 7
),
agg AS (
    SELECT v.jenis, g.tahun, v.nomor, g.kelurahan_id, g.pos,
        sum(diukur) AS diukur, sum(tbu_valid) AS tbu_valid, sum(stunting) AS stunting,
        sum(sangat_pendek) AS sangat_pendek, sum(bbu_valid) AS bbu_valid, sum(underweight) AS underweight,
        sum(bbtb_valid) AS bbtb_valid, sum(wasting) AS wasting,
        sum(laki) AS laki, sum(perempuan) AS perempuan, sum(umur_6) AS umur_6, sum(lahir_tgl1) AS lahir_tgl1,
        {moment_totals}
    FROM g CROSS JOIN LATERAL (VALUES
        ('bulan', g.bulan, true),
        ('triwulan', (g.bulan - 1) / 3 + 1, g.last_tw),
        ('semester', (g.bulan - 1) / 6 + 1, g.last_sm),
        ('tahun', 1, g.last_th)
    ) AS v(jenis, nomor, keep)
    WHERE v.keep
    GROUP BY v.jenis, g.tahun, v.nomor, g.kelurahan_id, g.pos
),
periode AS (
    SELECT * FROM unnest(%(p_jenis)s::text[], %(p_tahun)s::int[], %(p_nomor)s::int[], %(p_mulai)s::date[],
                         %(p_akhir)s::date[])
        AS p(jenis, tahun, nomor, mulai, akhir)
),
births AS (
    -- Children by area and birth date, so that the denominator of every period is a join over
    -- groups, not over every child.
    SELECT kelurahan_id, coalesce(posyandu_id, 0) AS pos, tanggal_lahir, count(*) AS n
    FROM balita_anak
    WHERE tanggal_lahir <= %(last_day)s AND tanggal_lahir >= %(start)s::date - %(max_days)s {area_b}
    GROUP BY 1, 2, 3
),
sas AS (
    -- Under five (WHO age under 60 months: at most 1826 days old) at some time in the period:
    -- born by its last day and at most 1826 days before its first day.
    SELECT p.jenis, p.tahun, p.nomor, b.kelurahan_id, b.pos, sum(b.n) AS sasaran
    FROM periode p JOIN births b
      ON b.tanggal_lahir <= p.akhir AND b.tanggal_lahir >= p.mulai - %(max_days)s
    GROUP BY p.jenis, p.tahun, p.nomor, b.kelurahan_id, b.pos
)
INSERT INTO balita_ringkasangizi
    (jenis, tahun, nomor, kelurahan_id, posyandu_id, sasaran, diukur, tbu_valid, stunting, sangat_pendek,
     bbu_valid, underweight, bbtb_valid, wasting, laki, perempuan, umur_6, lahir_tgl1, {moment_columns})
SELECT coalesce(agg.jenis, sas.jenis), coalesce(agg.tahun, sas.tahun), coalesce(agg.nomor, sas.nomor),
       coalesce(agg.kelurahan_id, sas.kelurahan_id), nullif(coalesce(agg.pos, sas.pos), 0),
       coalesce(sas.sasaran, 0),
       coalesce(agg.diukur, 0), coalesce(agg.tbu_valid, 0), coalesce(agg.stunting, 0),
       coalesce(agg.sangat_pendek, 0), coalesce(agg.bbu_valid, 0), coalesce(agg.underweight, 0),
       coalesce(agg.bbtb_valid, 0), coalesce(agg.wasting, 0),
       coalesce(agg.laki, 0), coalesce(agg.perempuan, 0), coalesce(agg.umur_6, 0), coalesce(agg.lahir_tgl1, 0),
       {moment_values}
FROM agg FULL OUTER JOIN sas
  ON agg.jenis = sas.jenis AND agg.tahun = sas.tahun AND agg.nomor = sas.nomor
     AND agg.kelurahan_id = sas.kelurahan_id AND agg.pos = sas.pos
"""


# Sums of the first four powers of each valid z-score of the children counted: additive, so the
# data-quality report's SD, skewness and kurtosis of any area and period come from these rows.
MOMENT_COLUMNS = [f"z_{i}_s{power}" for i in ("tbu", "bbu", "bbtb") for power in range(1, 5)]


def summary_sql(by_area: bool) -> str:
    area = "AND a.kelurahan_id = ANY(%(kelurahan)s)" if by_area else ""
    return SUMMARY_SQL.format(
        tbu=valid_sql("tbu", "p"), bbu=valid_sql("bbu", "p"), bbtb=valid_sql("bbtb", "p"),
        area_m=area, area_b=area.replace("a.kelurahan_id", "kelurahan_id"), days_per_month=DAYS_PER_MONTH,
        moment_sums=",\n        ".join(f"coalesce(sum(power({c[:-3]}, {c[-1]})), 0) AS {c}" for c in MOMENT_COLUMNS),
        moment_totals=",\n        ".join(f"sum({c}) AS {c}" for c in MOMENT_COLUMNS),
        moment_columns=", ".join(MOMENT_COLUMNS),
        moment_values=",\n       ".join(f"coalesce(agg.{c}, 0)" for c in MOMENT_COLUMNS),
    )


def _runs(years) -> list[list[int]]:
    runs, run = [], []
    for year in sorted(set(years)):
        if run and year != run[-1] + 1:
            runs.append(run)
            run = []
        run.append(year)
    if run:
        runs.append(run)
    return runs


def summary_params(years, kelurahan_ids=None) -> list[dict]:
    """Parameters for the summary SQL, one set per run of consecutive years."""
    params = []
    for run in _runs(years):
        periods = [p for year in run for p in periods_of_year(year)]
        params.append({
            "start": datetime.date(run[0], 1, 1),
            "end": datetime.date(run[-1] + 1, 1, 1),
            "last_day": datetime.date(run[-1], 12, 31),
            "max_days": UNDER_FIVE_MAX_DAYS,
            "kelurahan": sorted(kelurahan_ids or []),
            "stunted": list(categories.STUNTED),
            "underweight": list(categories.UNDERWEIGHT),
            "wasted": list(categories.WASTED),
            "p_jenis": [p.jenis for p in periods],
            "p_tahun": [p.tahun for p in periods],
            "p_nomor": [p.nomor for p in periods],
            "p_mulai": [p.mulai for p in periods],
            "p_akhir": [p.akhir for p in periods],
        })
    return params


def measurement_years() -> list[int]:
    """Every year from the first to the last measurement."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(tanggal), max(tanggal) FROM balita_pengukuran")
        first, last = cursor.fetchone()
    return list(range(first.year, last.year + 1)) if first else []


def refresh(years=None, kelurahan_ids=None) -> dict:
    """Rebuild the summary rows of `years` (None: every year with measurements, and drop the
    rest) for `kelurahan_ids` (None: every kelurahan), and the data-quality sums
    (RingkasanMutu) of those years and every later one (a measurement's change moves the growth
    pair of the child's next measurement, which may be in a later year). Call inside the
    transaction that changed the data. Returns {"tahun": [...], "baris": RingkasanGizi rows written, "baris_mutu":
    RingkasanMutu rows written, "detik": seconds}."""
    started = time.perf_counter()
    everything = years is None
    known = measurement_years()
    years = known if everything else sorted(({int(y) for y in years} & set(known)) | _years_with_rows(years))
    quality_years = known if everything else sorted(set(years) | {y for y in known if years and y > years[0]})
    with connection.cursor() as cursor:
        # One writer per year at a time: two would insert the same keys. Years in order, so
        # two refreshes never wait on each other crosswise.
        for year in sorted(set(years) | set(quality_years)) or [0]:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('balita.ringkasan'), %s)", [year])
    stale = RingkasanGizi.objects.all() if everything else RingkasanGizi.objects.filter(tahun__in=years)
    if kelurahan_ids is not None:
        stale = stale.filter(kelurahan_id__in=kelurahan_ids)
    stale._raw_delete(stale.db)  # a derived table: no signals, no cascades to run
    if everything:
        RingkasanMutu.objects.all()._raw_delete(RingkasanMutu.objects.db)
    rows = quality_rows = 0
    if years and kelurahan_ids != set() and kelurahan_ids != []:
        with connection.cursor() as cursor:
            # One big sort per year: keep it in memory; JIT compilation only adds time here.
            cursor.execute("SET LOCAL work_mem = '128MB'")
            cursor.execute("SET LOCAL jit = off")
            sql = summary_sql(kelurahan_ids is not None)
            for params in summary_params(years, kelurahan_ids):
                cursor.execute(sql, params)
                rows += cursor.rowcount
        quality_rows = quality.refresh(quality_years, kelurahan_ids)
    return {"tahun": years, "baris": rows, "baris_mutu": quality_rows, "detik": round(time.perf_counter() - started, 3)}


def _years_with_rows(years) -> set[int]:
    """Of `years`, those the summary holds rows for (a year whose last measurement was just
    removed must still be rebuilt, to empty it)."""
    return set(RingkasanGizi.objects.filter(tahun__in=list(years)).values_list("tahun", flat=True).distinct())
