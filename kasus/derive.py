"""Cases from measurements, set-based: open a case for each child and problem a measurement shows,
close it as sembuh when later measurements show recovery, and keep each case's latest figures.

`refresh(kelurahan_ids)` runs inside the transaction that changed measurements (balita calls
every app's `measurements_refreshed` hook after rebuilding its figures; see kasus/apps.py), so a
case list read after a commit always matches the measurements. It is idempotent: running it again
changes nothing, and a corrected or deleted measurement moves the outcome back.

Rules (thresholds and sources in kasus/rules.py):
- a measurement opens a case when it puts the child in the problem's opening categories (2T: the
  weight did not rise at this and the child's previous weighing), if the child has no open case of
  that problem and no case of it opened or closed on or after that date; a child who died, or
  whom a doctor found "bukan stunting", gets no new (stunting) case;
- an open case closes as sembuh at the second of `PULIH_BERTURUT` consecutive assessed
  measurements after opening that are at or above −2 SD (2T: weight rising);
- an open case that nobody worked on (no step, no intervention) is removed when its opening
  measurement is deleted or corrected so that it no longer opens it.
Only measurements under five years (balita's UNDER_FIVE_MAX_DAYS) count.
"""

import time

from django.db import connection

from balita.figures import valid_sql
from kasus import rules
from kasus.models import Hasil, Intervensi, Kasus, Langkah, Masalah

KASUS = Kasus._meta.db_table
LANGKAH = Langkah._meta.db_table
INTERVENSI = Intervensi._meta.db_table

CANDIDATES_SQL = """
DROP TABLE IF EXISTS pg_temp.kasus_calon;
DROP TABLE IF EXISTS pg_temp.kasus_ukur;
CREATE TEMP TABLE kasus_calon ON COMMIT DROP AS
SELECT DISTINCT p.anak_id
FROM balita_pengukuran p JOIN balita_anak a ON a.id = p.anak_id
WHERE p.umur_hari <= %(max_days)s {area} AND (
      ({tbu} AND p.kategori_tbu = ANY(%(stunted)s))
   OR ({bbtb} AND p.kategori_bbtb = ANY(%(wasted)s))
   OR ({bbu} AND p.kategori_bbu = ANY(%(severe)s))
   OR p.naik_bb = 'T')
UNION
SELECT k.anak_id FROM {kasus} k JOIN balita_anak a ON a.id = k.anak_id WHERE true {area};
CREATE TEMP TABLE kasus_ukur ON COMMIT DROP AS
WITH m AS (
    SELECT p.id, p.anak_id, p.tanggal, p.naik_bb,
           lag(p.naik_bb) OVER (PARTITION BY p.anak_id ORDER BY p.tanggal) AS naik_sebelum,
           ({tbu}) AS tbu_ok, ({bbtb}) AS bbtb_ok, ({bbu}) AS bbu_ok,
           p.zs_tbu, p.zs_bbtb, p.zs_bbu, p.kategori_tbu, p.kategori_bbtb, p.kategori_bbu
    FROM balita_pengukuran p JOIN kasus_calon c ON c.anak_id = p.anak_id
    WHERE p.umur_hari <= %(max_days)s
)
SELECT m.id AS pengukuran_id, m.anak_id, m.tanggal, v.masalah, v.buka, v.pulih, v.z, v.kategori
FROM m CROSS JOIN LATERAL (VALUES
    ('stunting', tbu_ok, tbu_ok AND kategori_tbu = ANY(%(stunted)s), tbu_ok AND NOT kategori_tbu = ANY(%(stunted)s),
     CASE WHEN tbu_ok THEN zs_tbu END, kategori_tbu),
    ('gizi_kurang', bbtb_ok, bbtb_ok AND kategori_bbtb = ANY(%(wasted)s), bbtb_ok AND NOT kategori_bbtb = ANY(%(wasted)s),
     CASE WHEN bbtb_ok THEN zs_bbtb END, kategori_bbtb),
    ('bb_sangat_kurang', bbu_ok, bbu_ok AND kategori_bbu = ANY(%(severe)s), bbu_ok AND NOT kategori_bbu = ANY(%(underweight)s),
     CASE WHEN bbu_ok THEN zs_bbu END, kategori_bbu),
    ('2t', naik_bb <> '', naik_bb = 'T' AND naik_sebelum = 'T', naik_bb = 'N',
     CASE WHEN bbu_ok THEN zs_bbu END, naik_bb)
) AS v(masalah, dinilai, buka, pulih, z, kategori)
WHERE v.dinilai;
CREATE INDEX ON kasus_ukur (anak_id, masalah, tanggal);
ANALYZE kasus_calon;
ANALYZE kasus_ukur;
"""

# Open cases nobody worked on whose opening measurement no longer opens them.
STALE_SQL = """
DELETE FROM {kasus} k USING kasus_calon c
WHERE c.anak_id = k.anak_id AND k.hasil = ''
  AND NOT EXISTS (SELECT 1 FROM kasus_ukur t WHERE t.pengukuran_id = k.pengukuran_buka_id
                  AND t.masalah = k.masalah AND t.buka)
  AND NOT EXISTS (SELECT 1 FROM {langkah} l WHERE l.kasus_id = k.id)
  AND NOT EXISTS (SELECT 1 FROM {intervensi} i WHERE i.kasus_id = k.id)
"""

# Derived closures: open cases and cases closed as sembuh get their closure from the measurements.
CLOSE_SQL = """
WITH seq AS (
    -- Whether this assessed measurement and the `streak` − 1 before it (after opening) all recovered.
    SELECT k.id AS kasus_id, t.tanggal,
           bool_and(t.pulih) OVER w AS semua_pulih,
           row_number() OVER w AS urut
    FROM {kasus} k JOIN kasus_calon c ON c.anak_id = k.anak_id
    JOIN kasus_ukur t ON t.anak_id = k.anak_id AND t.masalah = k.masalah AND t.tanggal > k.tanggal_buka
    WHERE k.hasil IN ('', %(sembuh)s)
    WINDOW w AS (PARTITION BY k.id ORDER BY t.tanggal ROWS BETWEEN {preceding} PRECEDING AND CURRENT ROW)
),
streak AS (SELECT kasus_id, tanggal FROM seq WHERE semua_pulih AND urut >= %(streak)s),
tutup AS (SELECT kasus_id, min(tanggal) AS tanggal FROM streak GROUP BY kasus_id),
baru AS (
    SELECT k.id, tutup.tanggal FROM {kasus} k JOIN kasus_calon c ON c.anak_id = k.anak_id
    LEFT JOIN tutup ON tutup.kasus_id = k.id
    WHERE k.hasil IN ('', %(sembuh)s)
)
UPDATE {kasus} k SET hasil = CASE WHEN baru.tanggal IS NULL THEN '' ELSE %(sembuh)s END, tanggal_tutup = baru.tanggal
FROM baru
WHERE k.id = baru.id AND k.tanggal_tutup IS DISTINCT FROM baru.tanggal
  -- Reopening only the child's latest case of the problem, and only when no other is open.
  AND (baru.tanggal IS NOT NULL OR NOT EXISTS (
        SELECT 1 FROM {kasus} o WHERE o.anak_id = k.anak_id AND o.masalah = k.masalah AND o.id <> k.id
        AND (o.hasil = '' OR o.tanggal_buka > k.tanggal_buka)))
"""

OPEN_SQL = """
INSERT INTO {kasus} (anak_id, masalah, tanggal_buka, pengukuran_buka_id, z_buka, kategori_buka, hasil,
                     perkembangan, dibuat)
SELECT DISTINCT ON (t.anak_id, t.masalah) t.anak_id, t.masalah, t.tanggal, t.pengukuran_id, t.z, t.kategori, '',
       'belum', now()
FROM kasus_ukur t
WHERE t.buka
  AND NOT EXISTS (SELECT 1 FROM {kasus} k WHERE k.anak_id = t.anak_id AND k.masalah = t.masalah
                  AND (k.hasil = '' OR k.tanggal_buka >= t.tanggal OR k.tanggal_tutup >= t.tanggal))
  AND NOT EXISTS (SELECT 1 FROM {kasus} k WHERE k.anak_id = t.anak_id
                  AND (k.hasil = %(meninggal)s OR (k.hasil = %(bukan_stunting)s AND t.masalah = %(stunting)s)))
ORDER BY t.anak_id, t.masalah, t.tanggal
ON CONFLICT (anak_id, masalah) WHERE hasil = '' DO NOTHING
"""

# Each case's latest assessed measurement after opening (up to its closure) and the progress word.
PROGRESS_SQL = """
WITH akhir AS (
    SELECT DISTINCT ON (k.id) k.id, t.tanggal, t.z
    FROM {kasus} k JOIN kasus_calon c ON c.anak_id = k.anak_id
    JOIN kasus_ukur t ON t.anak_id = k.anak_id AND t.masalah = k.masalah AND t.tanggal > k.tanggal_buka
         AND (k.tanggal_tutup IS NULL OR t.tanggal <= k.tanggal_tutup)
    ORDER BY k.id, t.tanggal DESC
),
baru AS (
    SELECT k.id, akhir.tanggal, akhir.z,
           CASE WHEN akhir.id IS NULL OR akhir.z IS NULL OR k.z_buka IS NULL THEN 'belum'
                WHEN akhir.z - k.z_buka >= %(threshold)s THEN 'membaik'
                WHEN akhir.z - k.z_buka <= -%(threshold)s THEN 'memburuk'
                ELSE 'tetap' END AS perkembangan
    FROM {kasus} k JOIN kasus_calon c ON c.anak_id = k.anak_id LEFT JOIN akhir ON akhir.id = k.id
)
UPDATE {kasus} k SET tanggal_ukur_terakhir = baru.tanggal, z_terakhir = baru.z, perkembangan = baru.perkembangan
FROM baru
WHERE k.id = baru.id AND (k.tanggal_ukur_terakhir, k.z_terakhir, k.perkembangan)
      IS DISTINCT FROM (baru.tanggal, baru.z, baru.perkembangan)
"""

MAX_ROUNDS = 25


def _sql(template: str, by_area: bool) -> str:
    return template.format(
        kasus=KASUS, langkah=LANGKAH, intervensi=INTERVENSI, preceding=int(rules.PULIH_BERTURUT) - 1,
        area="AND a.kelurahan_id = ANY(%(kelurahan)s)" if by_area else "",
        tbu=valid_sql("tbu", "p"), bbtb=valid_sql("bbtb", "p"), bbu=valid_sql("bbu", "p"),
    )


def merge_open_cases(keep_id: int, remove_id: int) -> int:
    """Two records of one child are merged (balita.services.merge_children): where both have an
    open case of the same problem, the earlier-opened case takes the other's steps and
    interventions and the other is removed, so the partial unique index holds once the rows are
    pointed at one child. Returns the number of cases removed."""
    removed = 0
    open_cases = list(Kasus.objects.filter(anak_id__in=[keep_id, remove_id], hasil="").order_by("tanggal_buka", "id"))
    by_problem = {}
    for kasus in open_cases:
        by_problem.setdefault(kasus.masalah, []).append(kasus)
    for cases in by_problem.values():
        if len(cases) < 2:
            continue
        first, *others = cases
        for other in others:
            Langkah.objects.filter(kasus=other).update(kasus=first)
            Intervensi.objects.filter(kasus=other).update(kasus=first)
            other.delete()
            removed += 1
    return removed


def refresh(kelurahan_ids=None) -> dict:
    """Open, close and update the cases of the children registered in `kelurahan_ids` (None: the
    whole city). Call inside the transaction that changed the measurements. Returns counts."""
    started = time.perf_counter()
    if kelurahan_ids is not None and not kelurahan_ids:
        return {"dibuka": 0, "diubah": 0, "dihapus": 0, "detik": 0.0}
    by_area = kelurahan_ids is not None
    params = {
        "kelurahan": sorted(kelurahan_ids or []),
        "max_days": rules.USIA_MAKS_HARI,
        "stunted": list(rules.OPENING[Masalah.STUNTING]),
        "wasted": list(rules.OPENING[Masalah.GIZI_KURANG]),
        "severe": list(rules.OPENING[Masalah.BB_SANGAT_KURANG]),
        "underweight": list(rules.BELOW_MINUS_TWO[Masalah.BB_SANGAT_KURANG]),
        "streak": rules.PULIH_BERTURUT,
        "sembuh": Hasil.SEMBUH,
        "meninggal": Hasil.MENINGGAL,
        "bukan_stunting": Hasil.BUKAN_STUNTING,
        "stunting": Masalah.STUNTING,
        "threshold": rules.PERUBAHAN_BERARTI,
    }
    opened = changed = removed = 0
    with connection.cursor() as cursor:
        # One refresh at a time: two would open the same case (the unique index would refuse one,
        # but the later one's reading of "no open case" would be stale).
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('kasus.refresh'))")
        cursor.execute(_sql(CANDIDATES_SQL, by_area), params)
        cursor.execute(_sql(STALE_SQL, by_area), params)
        removed = cursor.rowcount
        for _ in range(MAX_ROUNDS):
            cursor.execute(_sql(CLOSE_SQL, by_area), params)
            changed += cursor.rowcount
            cursor.execute(_sql(OPEN_SQL, by_area), params)
            opened += cursor.rowcount
            if not cursor.rowcount:
                break
        cursor.execute(_sql(PROGRESS_SQL, by_area), params)
        cursor.execute("DROP TABLE IF EXISTS pg_temp.kasus_ukur; DROP TABLE IF EXISTS pg_temp.kasus_calon")
    return {"dibuka": opened, "diubah": changed, "dihapus": removed,
            "detik": round(time.perf_counter() - started, 3)}
