"""SQL over balita's tables for the data-quality report: per area (the kelurahan and posyandu
where each child is registered now, as every figure counts it) additive sums, and the raw
findings as JSON. Measurement-level sums are kept per month in RingkasanMutu and children-level
sums (each child's latest measurement of the period) beside the figures in RingkasanGizi, both
rebuilt by balita/summary.py; children without NIK and duplicates are read live. Nothing here
decides a threshold; measures.py and score.py do."""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.db import connection
from django.db.models import Aggregate, IntegerField, JSONField, Sum
from django.db.models.query import EmptyQuerySet

from balita.figures import UNDER_FIVE_MAX_DAYS
from balita.growth.engine import STANDING_FROM_DAYS
from balita.models import Anak, RingkasanMutu
from tpps.roles import VIEW

INDICES = ("tbu", "bbu", "bbtb")
# RingkasanMutu's sums (a period adds its months).
MONTHLY_FIELDS = ("n_ukur", "cara_kosong", "ada_tinggi", "ada_berat", "n_tbu", "n_bbu", "n_bbtb", "digit_tb",
                  "digit_bb", "pasangan", "temuan", "tumbuh")
# Length from 731 days is measured standing (WHO); a standing height reads ~0.7 cm below the
# same child's recumbent length, so heights are compared as recumbent-equivalent lengths.
STANDING_SQL = ("(CASE WHEN {a}.cara_ukur = '' THEN {a}.umur_hari >= " + str(STANDING_FROM_DAYS)
                + " ELSE {a}.cara_ukur = 'berdiri' END)")
LENGTH_SQL = "({a}.tinggi + CASE WHEN " + STANDING_SQL + " THEN 0.7 ELSE 0 END)"

# Implausible growth between a child's consecutive measurements (see findings.py for the why):
HEIGHT_FALL_CM = 1.5
WEIGHT_TOLERANCE_KG = 0.5
WEIGHT_GAIN_PER_KG_DAY = 0.020
WEIGHT_LOSS_SHARE = 0.20

PERIOD_CTE = """
m AS (
    SELECT p.id, p.anak_id, p.tanggal, p.berat, p.tinggi, p.cara_ukur, p.umur_hari,
           p.zs_tbu, p.zs_bbu, p.zs_bbtb, p.flag_tbu, p.flag_bbu, p.flag_bbtb,
           a.kelurahan_id, coalesce(a.posyandu_id, 0) AS pos, a.jenis_kelamin, a.tanggal_lahir, a.nik
    FROM balita_pengukuran p JOIN balita_anak a ON a.id = p.anak_id
    WHERE p.tanggal BETWEEN %(start)s AND %(end)s AND p.umur_hari <= %(max_days)s {scope}
)"""

# The measurement-level sums of one month, kelurahan and posyandu and the month's measurement
# findings: additive over months, since each measurement is judged with the child's previous
# one whenever that was taken. balita/summary.py keeps RingkasanMutu fresh with it.
MONTHLY_SQL = """
WITH {period},
w AS (
    -- Each measurement with the previous one: inside the range a window answers it, and for a
    -- child's first measurement of the range one index probe before it (one per child, not one
    -- per measurement). One pass over the rows feeds every count below.
    SELECT m.*, row_number() OVER c AS rn,
           lag(m.id) OVER c AS l_id, lag(m.tanggal) OVER c AS l_tanggal, lag(m.berat) OVER c AS l_berat,
           lag(m.tinggi) OVER c AS l_tinggi, lag(m.cara_ukur) OVER c AS l_cara, lag(m.umur_hari) OVER c AS l_umur
    FROM m WINDOW c AS (PARTITION BY m.anak_id ORDER BY m.tanggal)
),
pq AS (
    SELECT w.*,
           coalesce(f.id, w.l_id) AS q_id, coalesce(f.tanggal, w.l_tanggal) AS q_tanggal,
           coalesce(f.berat, w.l_berat) AS q_berat, coalesce(f.tinggi, w.l_tinggi) AS q_tinggi,
           coalesce(f.cara_ukur, w.l_cara) AS q_cara, coalesce(f.umur_hari, w.l_umur) AS q_umur
    FROM w LEFT JOIN LATERAL (
        SELECT q.id, q.tanggal, q.berat, q.tinggi, q.cara_ukur, q.umur_hari FROM balita_pengukuran q
        WHERE w.rn = 1 AND q.anak_id = w.anak_id AND q.tanggal < w.tanggal ORDER BY q.tanggal DESC LIMIT 1) f ON true
),
g AS (
    SELECT m.*, ({length_q} - {length_m}) AS turun, (m.berat - m.q_berat) AS selisih_bb,
           (m.tanggal - m.q_tanggal) AS hari,
           -- Terminal digit of the first decimal: 80.5 cm → 5, 9.25 kg → 2 (weights are kept to
           -- 0.01 kg but scales and e-PPGBM give 0.1 kg, so the first decimal is the one rounded
           -- by hand).
           (m.tinggi * 10)::int %% 10 AS tb_d, floor(m.berat * 10)::int %% 10 AS bb_d
    FROM pq m CROSS JOIN LATERAL (SELECT m.q_tinggi AS tinggi, m.q_cara AS cara_ukur, m.q_umur AS umur_hari) q
    OFFSET 0  -- computed once per row: pulled up, each FILTER below would compute them again
)
INSERT INTO balita_ringkasanmutu
    (tahun, bulan, kelurahan_id, posyandu_id, n_ukur, cara_kosong, ada_tinggi, ada_berat, n_tbu, n_bbu, n_bbtb,
     digit_tb, digit_bb, pasangan, temuan, tumbuh)
SELECT extract(year FROM tanggal)::int, extract(month FROM tanggal)::int, kelurahan_id, nullif(pos, 0),
    count(*),
    count(*) FILTER (WHERE tinggi IS NOT NULL AND cara_ukur = ''),
    count(*) FILTER (WHERE tinggi IS NOT NULL),
    count(*) FILTER (WHERE berat IS NOT NULL),
    {index_counts},
    ARRAY[{digits_tb}], ARRAY[{digits_bb}],
    count(*) FILTER (WHERE (tinggi IS NOT NULL AND q_tinggi IS NOT NULL)
                        OR (berat IS NOT NULL AND q_berat IS NOT NULL)),
    coalesce(json_agg(json_build_array(id, anak_id, tanggal, berat, tinggi, cara_ukur, umur_hari,
                                       flag_tbu, flag_bbu, flag_bbtb, zs_tbu, zs_bbu, zs_bbtb))
        FILTER (WHERE berat IS NULL OR tinggi IS NULL OR flag_tbu OR flag_bbu OR flag_bbtb
                   OR (tinggi IS NOT NULL AND ((cara_ukur = 'terlentang' AND umur_hari >= {standing})
                                              OR (cara_ukur = 'berdiri' AND umur_hari < {standing})))), '[]'),
    coalesce(json_agg(json_build_array(id, anak_id, tanggal, berat, tinggi, cara_ukur, q_id, q_tanggal, q_berat,
                                       q_tinggi, q_cara, turun, hari))
        FILTER (WHERE turun > %(fall)s
                   OR selisih_bb > %(tol)s + %(gain)s * q_berat * hari
                   OR -selisih_bb > %(tol)s + %(loss)s * q_berat), '[]')
FROM g GROUP BY 1, 2, 3, 4
"""

# Children measured in the period without a NIK (one index probe per child without one).
NO_NIK_SQL = """
SELECT a.id, a.kelurahan_id, coalesce(a.posyandu_id, 0)
FROM balita_anak a
WHERE (a.nik IS NULL OR a.nik = '') {scope}
  AND EXISTS (SELECT 1 FROM balita_pengukuran p WHERE p.anak_id = a.id AND p.tanggal BETWEEN %(start)s AND %(end)s
                                                  AND p.umur_hari <= %(max_days)s)
ORDER BY a.id
"""

# Pairs of children born on the same day with the same mother or the same name (names compared
# trimmed, lower-case, runs of white space as one space): children grouped on each key, and
# pairs made only inside the groups of two or more (one pass over 100,000 children, no
# self-join). Similarity of names is judged in Python; a pair counts in a period only when one
# of its children was measured in it.
DUPLICATES_SQL = """
WITH a AS (
    SELECT id, tanggal_lahir, kelurahan_id, coalesce(posyandu_id, 0) AS pos,
           lower(regexp_replace(trim(nama), '\\s+', ' ', 'g')) AS nama_n,
           lower(regexp_replace(trim(nama_ibu), '\\s+', ' ', 'g')) AS ibu_n
    FROM balita_anak a WHERE tanggal_lahir >= %(born_after)s {scope}
),
k AS (
    SELECT array_agg(id) AS ids FROM a WHERE ibu_n <> '' GROUP BY tanggal_lahir, ibu_n HAVING count(*) > 1
    UNION ALL
    SELECT array_agg(id) FROM a GROUP BY tanggal_lahir, nama_n HAVING count(*) > 1
),
p AS (SELECT DISTINCT x, y FROM k, unnest(k.ids) x, unnest(k.ids) y WHERE y > x)
SELECT x.id, y.id, x.nama_n, y.nama_n, x.ibu_n, y.ibu_n, x.kelurahan_id, x.pos, y.kelurahan_id, y.pos,
       mx.ok IS NOT NULL, my.ok IS NOT NULL
FROM p JOIN a x ON x.id = p.x JOIN a y ON y.id = p.y
LEFT JOIN LATERAL ({measured_x}) mx ON true
LEFT JOIN LATERAL ({measured_y}) my ON true
"""
# Whether a child was measured in the period (a pair counts only then): one index probe per
# child of a pair (a lateral LIMIT 1, so the planner cannot swap it for a scan of the period).
MEASURED_SQL = ("SELECT 1 AS ok FROM balita_pengukuran q WHERE q.anak_id = {a}.id AND q.tanggal BETWEEN %(start)s"
                " AND %(end)s AND q.umur_hari <= %(max_days)s LIMIT 1")


def _index_counts() -> str:
    # Denominator of the flagged share: measurements whose index WHO computes (z or flag stored).
    return ",\n    ".join(f"count(*) FILTER (WHERE zs_{i} IS NOT NULL OR flag_{i})" for i in INDICES)


def scope_sql(user, alias: str) -> tuple[str, list] | None:
    """('AND alias.id IN (…)', params) for the children the user may see ('' for the whole
    city); None when the user sees no child. The scope is Anak.objects.for_user's own SQL."""
    children = Anak.objects.for_user(user, VIEW)
    if isinstance(children, EmptyQuerySet):
        return None
    if Anak.objects.acts_on_all(user, VIEW):
        return "", []
    sql, params = children.values("id").query.sql_with_params()
    return f"AND {alias}.id IN ({sql})", list(params)


def _inline(scope: tuple[str, list]) -> str:
    """The scope clause with its parameters inlined: positional scope parameters and named ones
    cannot mix, so they become literals of a subquery built from ids only (integers from
    Django's own compiled query)."""
    clause, scope_params = scope
    return clause.replace("%s", "{}").format(*[_literal(v) for v in scope_params]) if scope_params else clause


def _literal(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"unexpected scope parameter {value!r}")
    return str(int(value))


def _fragments() -> dict:
    return {
        "index_counts": _index_counts(),
        "digits_tb": ", ".join(f"count(*) FILTER (WHERE tb_d = {d})" for d in range(10)),
        "digits_bb": ", ".join(f"count(*) FILTER (WHERE bb_d = {d})" for d in range(10)),
        "standing": STANDING_FROM_DAYS,
        "length_m": LENGTH_SQL.format(a="m"), "length_q": LENGTH_SQL.format(a="q"),
    }


def _thresholds() -> dict:
    return {"max_days": UNDER_FIVE_MAX_DAYS, "fall": HEIGHT_FALL_CM, "tol": WEIGHT_TOLERANCE_KG,
            "gain": WEIGHT_GAIN_PER_KG_DAY, "loss": WEIGHT_LOSS_SHARE}


def period_params(periode) -> dict:
    return {"start": periode.mulai, "end": periode.akhir, **_thresholds()}


def refresh(years, kelurahan_ids=None) -> int:
    """Rebuild RingkasanMutu for `years` (a list; every year from the first to the last one
    given is rebuilt) and `kelurahan_ids` (None: every kelurahan), inside the transaction that
    changed the data. A change in one year also moves the growth pair of the child's next
    measurement, which may be in a later year: the caller passes every later year too.
    Returns the rows written."""
    if not years:
        return 0
    stale = RingkasanMutu.objects.filter(tahun__gte=min(years), tahun__lte=max(years))
    if kelurahan_ids is not None:
        stale = stale.filter(kelurahan_id__in=list(kelurahan_ids))
    stale._raw_delete(stale.db)  # a derived table: no signals, no cascades to run
    if kelurahan_ids is not None and not kelurahan_ids:
        return 0
    clause = "AND a.kelurahan_id = ANY(%(kelurahan)s)" if kelurahan_ids is not None else ""
    params = {
        "start": datetime.date(min(years), 1, 1), "end": datetime.date(max(years), 12, 31),
        "kelurahan": sorted(kelurahan_ids or []), **_thresholds(),
    }
    with connection.cursor() as cursor:
        cursor.execute(MONTHLY_SQL.format(period=PERIOD_CTE.format(scope=clause), **_fragments()), params)
        return cursor.rowcount


class _SumDigits(Aggregate):
    """Element-wise sum of the ten-digit count arrays of the grouped months."""
    template = "ARRAY[" + ", ".join(f"SUM(%(expressions)s[{i}])" for i in range(1, 11)) + "]::integer[]"
    output_field = ArrayField(IntegerField())


class _ConcatLists(Aggregate):
    """The JSON lists of the grouped months, one after the other, month by month."""
    template = ("coalesce((SELECT jsonb_agg(e.v ORDER BY t.n, e.n) FROM unnest(array_agg(%(expressions)s"
                " ORDER BY \"balita_ringkasanmutu\".\"bulan\")) WITH ORDINALITY AS t(j, n),"
                " jsonb_array_elements(t.j) WITH ORDINALITY AS e(v, n)), '[]'::jsonb)")
    output_field = JSONField()


def monthly_groups(user, periode) -> list[dict]:
    """The months of `periode` summed per (kelurahan, posyandu or 0) for what `user` may see, in
    PostgreSQL (a year is twelve rows per posyandu: one row each comes back)."""
    months = RingkasanMutu.objects.for_user(user).filter(
        tahun=periode.mulai.year, bulan__gte=periode.mulai.month, bulan__lte=periode.akhir.month)
    sums = {name: (_SumDigits(name) if name.startswith("digit_") else _ConcatLists(name)
                   if name in ("temuan", "tumbuh") else Sum(name)) for name in MONTHLY_FIELDS}
    rows = months.values("kelurahan_id", "posyandu_id").annotate(**sums).order_by("kelurahan_id", "posyandu_id")
    return [{**row, "pos": row["posyandu_id"] or 0} for row in rows]


def children_without_nik(scope, periode) -> list[tuple]:
    """[(child id, kelurahan id, posyandu id or 0)] measured in the period without a NIK."""
    with connection.cursor() as cursor:
        cursor.execute(NO_NIK_SQL.format(scope=_inline(scope)), period_params(periode))
        return cursor.fetchall()


def tune():
    """Inside the report's live reads (children without NIK, duplicate pairs): JIT compilation only
    adds time to these queries, and the children grouped by name (~100,000 at city scale) hash in
    memory rather than on disk."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")


def duplicate_pairs(scope, periode) -> list[tuple]:
    # Only children who could be under five in the period can be measured in it.
    born_after = periode.mulai.toordinal() - UNDER_FIVE_MAX_DAYS
    params = {"born_after": periode.mulai.fromordinal(born_after), **period_params(periode)}
    sql = DUPLICATES_SQL.format(scope=_inline(scope), measured_x=MEASURED_SQL.format(a="x"),
                                measured_y=MEASURED_SQL.format(a="y"))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
