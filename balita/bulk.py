"""Set-based writes for imports and demo data: COPY into the tables, UPDATE … FROM a temporary
table, recompute stored values in SQL. Callers hold the transaction (services.py).

Bulk writes are audited like any other: UPDATEs by the row triggers (django-pghistory), new
children and measurements by `tpps.audit.inserts_recorded_in_bulk` (the same insert events, written
in one statement after the COPY instead of one trigger call per row).
"""

from __future__ import annotations

import contextlib

import pandas as pd
from django.db import connection
from django.utils import timezone

from balita.growth import engine
from balita.models import Anak, Pengukuran
from tpps.audit import inserts_recorded_in_bulk

ANAK_COLUMNS = ["nik", "nama", "jenis_kelamin", "tanggal_lahir", "berat_lahir", "panjang_lahir", "nama_ibu",
                "nik_ibu", "nama_ayah", "alamat", "rt", "rw", "kelurahan_id", "posyandu_id"]
COMPUTED_COLUMNS = ["umur_hari", "umur_bulan", "zs_tbu", "zs_bbu", "zs_bbtb", "zs_imtu", "kategori_tbu",
                    "kategori_bbu", "kategori_bbtb", "kategori_imtu", "flag_tbu", "flag_bbu", "flag_bbtb", "flag_imtu"]
PENGUKURAN_INPUTS = ["tanggal", "berat", "tinggi", "cara_ukur", "lila", "lingkar_kepala", "asi_eksklusif", "posyandu_id",
                     "kelurahan_id"]
NOT_NULL_TEXT = {"nama_ibu", "nik_ibu", "nama_ayah", "alamat", "rt", "rw", "cara_ukur", "kategori_tbu",
                 "kategori_bbu", "kategori_bbtb", "kategori_imtu", "naik_bb", "sumber"}

# Kenaikan Berat badan Minimal (KBM, grams) by age in completed months, Kemenkes' growth monitoring
# guideline (Buku KIA / KMS): from 11 months on, 200 g a month.
KBM_GRAMS = {0: 800, 1: 800, 2: 900, 3: 800, 4: 600, 5: 500, 6: 400, 7: 400, 8: 300, 9: 300, 10: 300}
KBM_DEFAULT = 200


COPY_NULL = "\\N"  # NULL in our COPY text (an empty field is empty text)


def copy_text(series: pd.Series, name: str) -> pd.Series:
    """A column as COPY reads it in CSV format, the values psycopg was given before:
    dates as yyyy-mm-dd (also for timestamps), NULL as \\N (NOT_NULL_TEXT columns: empty text)."""
    if pd.api.types.is_datetime64_any_dtype(series):
        values = series.dt.strftime("%Y-%m-%d").astype(object)
    elif isinstance(series.dtype, pd.CategoricalDtype):
        values = series.astype(str).astype(object)
    else:
        values = series.astype(object)
    missing = values.isna().to_numpy()
    if missing.any():
        values = values.where(~missing, "" if name in NOT_NULL_TEXT else COPY_NULL)
    return values


def copy_frame(table: str, frame: pd.DataFrame, columns: list[str]) -> int:
    """COPY the frame's columns in CSV format, written by pandas in one go (psycopg's row by row
    writing took longer than the COPY itself)."""
    if not len(frame):
        return 0
    text = pd.DataFrame({c: copy_text(frame[c], c) for c in columns}).to_csv(index=False, header=False, lineterminator="\n")
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '{COPY_NULL}')") as copy:
            copy.write(text)
    return len(frame)


def _update_from(table: str, frame: pd.DataFrame, key: str, columns: list[str], extra_set: str = "") -> int:
    """UPDATE table SET columns FROM a temporary copy of `frame` joined on `key`."""
    if not len(frame):
        return 0
    temp = f"_import_{table}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {temp}")
        cursor.execute(f"CREATE TEMP TABLE {temp} ON COMMIT DROP AS SELECT {key}, {', '.join(columns)} FROM {table} WITH NO DATA")
    copy_frame(temp, frame, [key, *columns])
    analyze(temp)
    assignments = ", ".join(f"{c} = t.{c}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} AS x SET {assignments}{extra_set} FROM {temp} AS t WHERE x.{key} = t.{key}")
        count = cursor.rowcount
        cursor.execute(f"DROP TABLE {temp}")
    return count


@contextlib.contextmanager
def immediate_foreign_keys(*tables: str):
    """Check these tables' deferred foreign keys at the end of each statement instead of at commit.

    Django declares foreign keys DEFERRABLE INITIALLY DEFERRED, so a bulk insert queues one check
    per row until commit, and every row trigger with an exception block (the audit triggers) then
    rescans that queue: quadratic time (90 s instead of 8 s for 30,000 rows). Restored afterwards.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT quote_ident(conname) FROM pg_constraint
               WHERE contype = 'f' AND condeferrable AND condeferred AND conrelid = ANY(%s::regclass[])""",
            [list(tables)],
        )
        names = ", ".join(row[0] for row in cursor.fetchall())
        if names:
            cursor.execute(f"SET CONSTRAINTS {names} IMMEDIATE")
    try:
        yield
    finally:
        if names:
            with connection.cursor() as cursor:
                cursor.execute(f"SET CONSTRAINTS {names} DEFERRED")


def analyze(table: str):
    """Fresh planner statistics after a bulk write (also counts this transaction's own rows):
    without them PostgreSQL plans joins on a just-filled table as if it were empty."""
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")


def allocate_ids(table: str, count: int) -> list[int]:
    if not count:
        return []
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [count])
        return [row[0] for row in cursor.fetchall()]


def insert_children(children: pd.DataFrame) -> pd.DataFrame:
    """COPY new children; returns the frame with their new `id`."""
    children = children.copy()
    children["id"] = allocate_ids("balita_anak", len(children))
    now = timezone.now()
    children["dibuat"] = now
    children["diubah"] = now
    children["nik"] = children["nik"].where(children["nik"].fillna("").ne(""), None)
    with inserts_recorded_in_bulk(Anak, children["id"]):
        copy_frame("balita_anak", children, ["id", *ANAK_COLUMNS, "dibuat", "diubah"])
    return children


def update_children(children: pd.DataFrame) -> int:
    if not len(children):
        return 0
    children = children.copy()
    children["nik"] = children["nik"].where(children["nik"].fillna("").ne(""), None)
    return _update_from("balita_anak", children, "id", ANAK_COLUMNS, ", diubah = now()")


def insert_measurements(rows: pd.DataFrame, *, sumber: str, batch_id=None, user_id=None) -> int:
    if not len(rows):
        return 0
    rows = rows.copy()
    rows["id"] = allocate_ids("balita_pengukuran", len(rows))
    now = timezone.now()
    rows["dibuat"] = now
    rows["diubah"] = now
    rows["sumber"] = sumber
    rows["batch_id"] = batch_id
    rows["dicatat_oleh_id"] = user_id
    if "naik_bb" not in rows:
        rows["naik_bb"] = ""
    columns = ["id", "anak_id", *PENGUKURAN_INPUTS, *COMPUTED_COLUMNS, "naik_bb", "sumber", "batch_id",
               "dicatat_oleh_id", "dibuat", "diubah"]
    with inserts_recorded_in_bulk(Pengukuran, rows["id"]):
        return copy_frame("balita_pengukuran", rows, columns)


def update_measurements(rows: pd.DataFrame, *, sumber: str, batch_id=None) -> int:
    if not len(rows):
        return 0
    rows = rows.rename(columns={"pengukuran_id": "id"}).copy()
    rows["id"] = rows["id"].astype("int64")
    rows["sumber"] = sumber
    rows["batch_id"] = batch_id
    columns = [c for c in PENGUKURAN_INPUTS if c != "tanggal"] + COMPUTED_COLUMNS + ["sumber", "batch_id"]
    return _update_from("balita_pengukuran", rows, "id", columns, ", diubah = now()")


def recompute_measurements(anak_ids) -> int:
    """Recompute the stored z-scores of every measurement of these children (after a change of
    birth date or sex, or a merge); only rows whose values change are written."""
    anak_ids = [int(i) for i in anak_ids]
    if not anak_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT p.id, a.jenis_kelamin, a.tanggal_lahir, p.tanggal, p.berat, p.tinggi, p.cara_ukur
               FROM balita_pengukuran p JOIN balita_anak a ON a.id = p.anak_id WHERE p.anak_id = ANY(%s)""",
            [anak_ids],
        )
        rows = cursor.fetchall()
    if not rows:
        return 0
    frame = pd.DataFrame(rows, columns=["id", "jenis_kelamin", "tanggal_lahir", "tanggal", "berat", "tinggi", "cara_ukur"])
    for name in ("berat", "tinggi"):
        frame[name] = pd.to_numeric(frame[name].astype(object), errors="coerce").astype(float)
    computed = pd.concat([frame[["id"]], engine.compute(frame)], axis=1)
    return _update_from("balita_pengukuran", computed, "id", COMPUTED_COLUMNS, ", diubah = now()")


def kbm_case(column: str = "umur_bulan") -> str:
    whens = " ".join(f"WHEN {age} THEN {grams}" for age, grams in KBM_GRAMS.items())
    return f"(CASE {column} {whens} ELSE {KBM_DEFAULT} END)"


def weight_trend(rows: pd.DataFrame) -> pd.Series:
    """naik_bb of refresh_weight_trend's rule, computed on a frame (anak_id, tanggal, berat,
    umur_bulan) that holds every measurement of its children: the measurements of children new in
    an import are written with their trend, so refresh_weight_trend has nothing to update (an
    UPDATE of every new row, and its audit events, cost more than the COPY). Same rule as the SQL,
    in whole grams so that 8.2 - 8.0 kg is 200 g, as PostgreSQL's numeric has it."""
    order = rows.sort_values(["anak_id", "tanggal"], kind="stable")
    same_child = order["anak_id"].eq(order["anak_id"].shift())
    day = pd.to_datetime(order["tanggal"])
    month = day.dt.year * 12 + day.dt.month
    grams = (pd.to_numeric(order["berat"], errors="coerce") * 1000).round()
    gain = grams - grams.shift()
    kbm = order["umur_bulan"].astype("Int64").map(KBM_GRAMS).fillna(KBM_DEFAULT)
    comparable = same_child & gain.notna() & month.sub(month.shift()).eq(1)
    trend = pd.Series("", index=order.index, dtype=object)
    trend[comparable & (gain >= kbm)] = "N"
    trend[comparable & (gain < kbm)] = "T"
    return trend.reindex(rows.index)


def refresh_weight_trend(anak_ids=None) -> int:
    """Recompute naik_bb (N = naik, T = tidak naik) for these children (None = everyone).

    The rule of the KMS growth chart: a measurement is compared with the child's previous
    measurement when that one was taken in the previous calendar month; N when the weight rose by
    at least the minimum gain for the child's age (KBM_GRAMS), T otherwise (also when it fell or
    stayed). Without a weighing in the previous month (first visit, a month skipped) or without
    both weights, the trend is left empty.
    """
    where = "WHERE anak_id = ANY(%(ids)s)" if anak_ids is not None else ""
    sql = f"""
        WITH ordered AS (
            SELECT id, anak_id, tanggal, berat, umur_bulan,
                   lag(berat) OVER w AS berat_lalu, lag(tanggal) OVER w AS tanggal_lalu
            FROM balita_pengukuran {where}
            WINDOW w AS (PARTITION BY anak_id ORDER BY tanggal)
        ), trend AS (
            SELECT id, CASE
                WHEN tanggal_lalu IS NULL OR berat IS NULL OR berat_lalu IS NULL THEN ''
                WHEN date_trunc('month', tanggal_lalu) <> date_trunc('month', tanggal) - interval '1 month' THEN ''
                WHEN (berat - berat_lalu) * 1000 >= {kbm_case()} THEN 'N'
                ELSE 'T' END AS naik
            FROM ordered
        )
        UPDATE balita_pengukuran p SET naik_bb = trend.naik
        FROM trend WHERE p.id = trend.id AND p.naik_bb IS DISTINCT FROM trend.naik
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": [int(i) for i in anak_ids] if anak_ids is not None else None})
        return cursor.rowcount

