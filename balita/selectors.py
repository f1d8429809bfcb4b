"""Reads over children and measurements for pages, exports and other apps.

Other apps (konvergensi, genting, laporan) read balita only through these functions.
"""

import datetime

from django.db import connection

from balita.growth import categories


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
