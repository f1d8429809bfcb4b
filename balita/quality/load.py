"""SQL over balita's tables for the data-quality report: per area (the kelurahan and posyandu
where each child is registered now, as every figure counts it) additive sums, and the raw
findings as JSON. Nothing here decides a threshold; measures.py and score.py do."""

from django.db import connection
from django.db.models.query import EmptyQuerySet

from balita.figures import UNDER_FIVE_MAX_DAYS, valid_sql
from balita.growth.engine import STANDING_FROM_DAYS
from balita.models import Anak
from tpps.ages import DAYS_PER_MONTH
from tpps.roles import VIEW

INDICES = ("tbu", "bbu", "bbtb")
# WHO age in months: completed days ÷ 30.4375 (tpps/ages.py, balita.growth).
MONTH_SQL = f"floor(m.umur_hari / {DAYS_PER_MONTH})::int"
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

MEASUREMENTS_SQL = """
WITH {period},
w AS (
    -- Each measurement's previous one: inside the period a window answers it ...
    SELECT m.*, row_number() OVER c AS rn,
           lag(m.id) OVER c AS l_id, lag(m.tanggal) OVER c AS l_tanggal, lag(m.berat) OVER c AS l_berat,
           lag(m.tinggi) OVER c AS l_tinggi, lag(m.cara_ukur) OVER c AS l_cara, lag(m.umur_hari) OVER c AS l_umur
    FROM m WINDOW c AS (PARTITION BY m.anak_id ORDER BY m.tanggal)
),
f AS (
    -- ... and for a child's first measurement of the period, one index probe before it (one per
    -- child, not one per measurement).
    SELECT w.id AS w_id, q.id, q.tanggal, q.berat, q.tinggi, q.cara_ukur, q.umur_hari
    FROM w CROSS JOIN LATERAL (
        SELECT q.id, q.tanggal, q.berat, q.tinggi, q.cara_ukur, q.umur_hari FROM balita_pengukuran q
        WHERE q.anak_id = w.anak_id AND q.tanggal < w.tanggal ORDER BY q.tanggal DESC LIMIT 1) q
    WHERE w.rn = 1
),
pq AS (
    SELECT w.kelurahan_id, w.pos, w.id, w.anak_id, w.tanggal, w.berat, w.tinggi, w.cara_ukur, w.umur_hari,
           CASE WHEN w.rn = 1 THEN f.id ELSE w.l_id END AS q_id,
           CASE WHEN w.rn = 1 THEN f.tanggal ELSE w.l_tanggal END AS q_tanggal,
           CASE WHEN w.rn = 1 THEN f.berat ELSE w.l_berat END AS q_berat,
           CASE WHEN w.rn = 1 THEN f.tinggi ELSE w.l_tinggi END AS q_tinggi,
           CASE WHEN w.rn = 1 THEN f.cara_ukur ELSE w.l_cara END AS q_cara,
           CASE WHEN w.rn = 1 THEN f.umur_hari ELSE w.l_umur END AS q_umur
    FROM w LEFT JOIN f ON f.w_id = w.id
    WHERE w.rn > 1 OR f.id IS NOT NULL
),
g AS (
    SELECT m.kelurahan_id, m.pos, m.id, m.anak_id, m.tanggal, m.berat, m.tinggi, m.cara_ukur,
           m.q_id, m.q_tanggal, m.q_berat, m.q_tinggi, m.q_cara,
           ({length_q} - {length_m}) AS turun,
           (m.berat - m.q_berat) AS selisih_bb, (m.tanggal - m.q_tanggal) AS hari
    FROM pq m CROSS JOIN LATERAL (SELECT m.q_tinggi AS tinggi, m.q_cara AS cara_ukur, m.q_umur AS umur_hari) q
),
ga AS (
    SELECT kelurahan_id, pos,
        count(*) FILTER (WHERE (tinggi IS NOT NULL AND q_tinggi IS NOT NULL)
                            OR (berat IS NOT NULL AND q_berat IS NOT NULL)) AS pasangan,
        json_agg(json_build_array(id, anak_id, tanggal, berat, tinggi, cara_ukur, q_id, q_tanggal, q_berat,
                                  q_tinggi, q_cara, turun, hari))
            FILTER (WHERE turun > %(fall)s
                       OR selisih_bb > %(tol)s + %(gain)s * q_berat * hari
                       OR -selisih_bb > %(tol)s + %(loss)s * q_berat) AS tumbuh
    FROM g GROUP BY 1, 2
),
ma AS (
    SELECT kelurahan_id, pos, count(*) AS n_ukur,
        count(*) FILTER (WHERE tinggi IS NOT NULL AND cara_ukur = '') AS cara_kosong,
        count(*) FILTER (WHERE tinggi IS NOT NULL) AS ada_tinggi,
        count(*) FILTER (WHERE berat IS NOT NULL) AS ada_berat,
        {index_counts},
        {digit_counts},
        json_agg(json_build_array(id, anak_id, tanggal, berat, tinggi, cara_ukur, umur_hari,
                                  flag_tbu, flag_bbu, flag_bbtb, zs_tbu, zs_bbu, zs_bbtb))
            FILTER (WHERE berat IS NULL OR tinggi IS NULL OR flag_tbu OR flag_bbu OR flag_bbtb
                       OR (tinggi IS NOT NULL AND ((cara_ukur = 'terlentang' AND umur_hari >= {standing})
                                                  OR (cara_ukur = 'berdiri' AND umur_hari < {standing})))) AS temuan
    FROM m GROUP BY 1, 2
)
SELECT ma.*, coalesce(ga.pasangan, 0) AS pasangan, ga.tumbuh
FROM ma LEFT JOIN ga ON ga.kelurahan_id = ma.kelurahan_id AND ga.pos = ma.pos
"""

CHILDREN_SQL = """
WITH {period},
l AS (SELECT DISTINCT ON (anak_id) * FROM m ORDER BY anak_id, tanggal DESC)
SELECT m.kelurahan_id, m.pos, count(*) AS n_anak,
    count(*) FILTER (WHERE m.jenis_kelamin = 'L') AS laki,
    count(*) FILTER (WHERE m.jenis_kelamin = 'P') AS perempuan,
    count(*) FILTER (WHERE {month} %% 6 = 0) AS umur_6,
    count(*) FILTER (WHERE extract(day FROM m.tanggal_lahir) = 1) AS lahir_tgl1,
    {moments},
    array_agg(m.anak_id) AS anak,
    array_agg(m.anak_id) FILTER (WHERE m.nik IS NULL OR m.nik = '') AS nik_kosong
FROM l AS m GROUP BY 1, 2
"""

# Pairs of children born on the same day with the same mother or the same name (two equi-joins:
# each a hash join over 100,000 children). Similarity of names is judged in Python.
DUPLICATES_SQL = """
WITH a AS (
    SELECT id, tanggal_lahir, kelurahan_id, coalesce(posyandu_id, 0) AS pos,
           lower(regexp_replace(trim(nama), '\\s+', ' ', 'g')) AS nama_n,
           lower(regexp_replace(trim(nama_ibu), '\\s+', ' ', 'g')) AS ibu_n
    FROM balita_anak a WHERE tanggal_lahir >= %(born_after)s {scope}
)
SELECT x.id, y.id, x.nama_n, y.nama_n, x.ibu_n, y.ibu_n, x.kelurahan_id, x.pos, y.kelurahan_id, y.pos
FROM a x JOIN a y ON y.tanggal_lahir = x.tanggal_lahir AND y.ibu_n = x.ibu_n AND y.id > x.id
WHERE x.ibu_n <> ''
UNION
SELECT x.id, y.id, x.nama_n, y.nama_n, x.ibu_n, y.ibu_n, x.kelurahan_id, x.pos, y.kelurahan_id, y.pos
FROM a x JOIN a y ON y.tanggal_lahir = x.tanggal_lahir AND y.nama_n = x.nama_n AND y.id > x.id
"""


def _index_counts() -> str:
    # Denominator of the flagged share: measurements whose index WHO computes (z or flag stored).
    return ",\n        ".join(f"count(*) FILTER (WHERE zs_{i} IS NOT NULL OR flag_{i}) AS n_{i}" for i in INDICES)


def _digit_counts() -> str:
    # Terminal digit of the first decimal: 80.5 cm → 5, 9.25 kg → 2 (weights are kept to 0.01 kg
    # but scales and e-PPGBM give 0.1 kg, so the first decimal is the one rounded by hand).
    parts = []
    for d in range(10):
        parts.append(f"count(*) FILTER (WHERE (tinggi * 10)::int %% 10 = {d}) AS tb_{d}")
        parts.append(f"count(*) FILTER (WHERE floor(berat * 10)::int %% 10 = {d}) AS bb_{d}")
    return ",\n        ".join(parts)


def _moments() -> str:
    # Sums of the first four powers of each unflagged z-score: additive, so SD, skewness and
    # kurtosis of any area are computed from its groups without reading a row twice.
    parts = []
    for i in INDICES:
        valid = valid_sql(i, "m")
        parts.append(f"count(*) FILTER (WHERE {valid}) AS z{i}_n")
        for power in range(1, 5):
            parts.append(f"coalesce(sum(power(m.zs_{i}::float8, {power})) FILTER (WHERE {valid}), 0) AS z{i}_s{power}")
    return ",\n    ".join(parts)


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


def _run(sql: str, scope: tuple[str, list], params: dict) -> list[dict]:
    clause, scope_params = scope
    # Positional scope parameters and named ones cannot mix: inline the scope's as literals of a
    # subquery built from ids only (integers from Django's own compiled query).
    clause = clause.replace("%s", "{}").format(*[_literal(v) for v in scope_params]) if scope_params else clause
    text = sql.format(period=PERIOD_CTE.format(scope=clause), scope=clause, **_fragments())
    with connection.cursor() as cursor:
        cursor.execute(text, params)
        names = [c.name for c in cursor.description]
        return [dict(zip(names, row)) for row in cursor.fetchall()]


def _literal(value) -> str:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"unexpected scope parameter {value!r}")
    return str(int(value))


def _fragments() -> dict:
    return {
        "index_counts": _index_counts(), "digit_counts": _digit_counts(), "moments": _moments(),
        "month": MONTH_SQL, "standing": STANDING_FROM_DAYS,
        "length_m": LENGTH_SQL.format(a="m"), "length_q": LENGTH_SQL.format(a="q"),
    }


def period_params(periode) -> dict:
    return {
        "start": periode.mulai, "end": periode.akhir, "max_days": UNDER_FIVE_MAX_DAYS,
        "fall": HEIGHT_FALL_CM, "tol": WEIGHT_TOLERANCE_KG, "gain": WEIGHT_GAIN_PER_KG_DAY,
        "loss": WEIGHT_LOSS_SHARE,
    }


def measurement_groups(scope, periode) -> list[dict]:
    return _run(MEASUREMENTS_SQL, scope, period_params(periode))


def children_groups(scope, periode) -> list[dict]:
    return _run(CHILDREN_SQL, scope, period_params(periode))


def without_jit():
    """Inside the report's transaction: JIT compilation only adds time to these queries."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL jit = off")


def duplicate_pairs(scope, periode) -> list[tuple]:
    # Only children who could be under five in the period can be measured in it.
    born_after = periode.mulai.toordinal() - UNDER_FIVE_MAX_DAYS
    params = {"born_after": periode.mulai.fromordinal(born_after)}
    clause, scope_params = scope
    if scope_params:
        clause = clause.replace("%s", "{}").format(*[_literal(v) for v in scope_params])
    with connection.cursor() as cursor:
        cursor.execute(DUPLICATES_SQL.format(scope=clause), params)
        return cursor.fetchall()
