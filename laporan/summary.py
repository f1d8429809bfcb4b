"""The dashboard summary: SQL that rebuilds `RingkasanStatus` from balita's measurements.

Each child's latest measurement per month is taken once; the latest of a quarter, semester or
year is then the child's last measured month inside it, so one pass over the measurements
serves all 19 periods of a year. Kept apart from services.py because it is plain SQL.
"""

import datetime

from balita.growth import categories
from laporan.periods import periods_of_year

# Shared by the refresh and by tests that check it against the rows.
SUMMARY_SQL = """
WITH m AS (
    SELECT DISTINCT ON (anak_id, date_trunc('month', tanggal))
        anak_id, kelurahan_id,
        extract(year FROM tanggal)::int AS tahun,
        extract(month FROM tanggal)::int AS bulan,
        (zs_tbu IS NOT NULL AND NOT flag_tbu) AS tbu_ok,
        (zs_tbu IS NOT NULL AND NOT flag_tbu AND kategori_tbu = ANY(%(stunted)s)) AS stunt,
        (zs_tbu IS NOT NULL AND NOT flag_tbu AND kategori_tbu = 'sangat_pendek') AS sp,
        (zs_bbu IS NOT NULL AND NOT flag_bbu) AS bbu_ok,
        (zs_bbu IS NOT NULL AND NOT flag_bbu AND kategori_bbu = ANY(%(underweight)s)) AS uw,
        (zs_bbtb IS NOT NULL AND NOT flag_bbtb) AS bbtb_ok,
        (zs_bbtb IS NOT NULL AND NOT flag_bbtb AND kategori_bbtb = ANY(%(wasted)s)) AS wasted
    FROM balita_pengukuran
    WHERE tanggal >= %(start)s AND tanggal < %(end)s
    ORDER BY anak_id, date_trunc('month', tanggal), tanggal DESC
),
f AS (
    -- The child's next measured month in the same year tells whether this month is the last
    -- one of its quarter, semester and year.
    SELECT m.*, lead(bulan) OVER (PARTITION BY anak_id, tahun ORDER BY bulan) AS nb
    FROM m
),
g AS (
    -- Collapse the children into counts per month, kelurahan and "last of" flags first (a few
    -- thousand groups), then spread the groups over the periods they count for.
    SELECT tahun, bulan, kelurahan_id,
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
        count(*) FILTER (WHERE wasted) AS wasting
    FROM f GROUP BY 1, 2, 3, 4, 5, 6
),
agg AS (
    SELECT v.jenis, g.tahun, v.nomor, g.kelurahan_id,
        sum(diukur) AS diukur, sum(tbu_valid) AS tbu_valid, sum(stunting) AS stunting,
        sum(sangat_pendek) AS sangat_pendek, sum(bbu_valid) AS bbu_valid, sum(underweight) AS underweight,
        sum(bbtb_valid) AS bbtb_valid, sum(wasting) AS wasting
    FROM g CROSS JOIN LATERAL (VALUES
        ('bulan', g.bulan, true),
        ('triwulan', (g.bulan - 1) / 3 + 1, g.last_tw),
        ('semester', (g.bulan - 1) / 6 + 1, g.last_sm),
        ('tahun', 1, g.last_th)
    ) AS v(jenis, nomor, keep)
    WHERE v.keep
    GROUP BY v.jenis, g.tahun, v.nomor, g.kelurahan_id
),
periode AS (
    SELECT * FROM unnest(%(p_jenis)s::text[], %(p_tahun)s::int[], %(p_nomor)s::int[], %(p_mulai)s::date[],
                         %(p_akhir)s::date[])
        AS p(jenis, tahun, nomor, mulai, akhir)
),
births AS (
    -- Children by kelurahan and month of birth (and whether born on the 1st), so that the
    -- target population of every period is a join over a few thousand groups, not 100,000 rows.
    SELECT kelurahan_id, date_trunc('month', tanggal_lahir)::date AS bulan_lahir,
           extract(day FROM tanggal_lahir) = 1 AS tanggal_satu, count(*) AS n
    FROM balita_anak
    WHERE tanggal_lahir <= %(end)s AND tanggal_lahir > (%(start)s::date - interval '60 months')::date
    GROUP BY 1, 2, 3
),
sas AS (
    -- Children who are under five (0-59 months) at some time in the period, by their registered
    -- kelurahan: born by its last day and less than 60 months before its first day. Periods
    -- start on the 1st and end on a month's last day, so whole birth months decide, except
    -- those born exactly on the 1st of the month five years before the period starts.
    SELECT p.jenis, p.tahun, p.nomor, b.kelurahan_id, sum(b.n) AS sasaran
    FROM periode p JOIN births b
      ON b.bulan_lahir <= p.akhir
     AND (b.bulan_lahir > (p.mulai - interval '60 months')::date
          OR (b.bulan_lahir = (p.mulai - interval '60 months')::date AND NOT b.tanggal_satu))
    GROUP BY p.jenis, p.tahun, p.nomor, b.kelurahan_id
)
INSERT INTO laporan_ringkasanstatus
    (jenis, tahun, nomor, kelurahan_id, sasaran, diukur, tbu_valid, stunting, sangat_pendek,
     bbu_valid, underweight, bbtb_valid, wasting)
SELECT coalesce(agg.jenis, sas.jenis), coalesce(agg.tahun, sas.tahun), coalesce(agg.nomor, sas.nomor),
       coalesce(agg.kelurahan_id, sas.kelurahan_id), coalesce(sas.sasaran, 0),
       coalesce(agg.diukur, 0), coalesce(agg.tbu_valid, 0), coalesce(agg.stunting, 0),
       coalesce(agg.sangat_pendek, 0), coalesce(agg.bbu_valid, 0), coalesce(agg.underweight, 0),
       coalesce(agg.bbtb_valid, 0), coalesce(agg.wasting, 0)
FROM agg FULL OUTER JOIN sas
  ON agg.jenis = sas.jenis AND agg.tahun = sas.tahun AND agg.nomor = sas.nomor
     AND agg.kelurahan_id = sas.kelurahan_id
"""


def summary_params(years: list[int]) -> list[dict]:
    """Parameters for SUMMARY_SQL, one set per run of consecutive years."""
    runs, run = [], []
    for year in sorted(set(years)):
        if run and year != run[-1] + 1:
            runs.append(run)
            run = []
        run.append(year)
    if run:
        runs.append(run)
    params = []
    for run in runs:
        periods = [p for year in run for p in periods_of_year(year)]
        params.append({
            "start": datetime.date(run[0], 1, 1),
            "end": datetime.date(run[-1] + 1, 1, 1),
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
