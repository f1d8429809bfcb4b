"""Audit trail: every domain model is tracked by database triggers (django-pghistory), and every
read of personal data (exports, PDFs, lists of many children) is recorded by `catat_akses`.

Triggers record inserts, updates and deletes however they happen (forms, bulk imports, raw
SQL), and the request middleware attaches who did it and on which page. Each pghistory event
table carries one more statement-level trigger that writes a narrow, indexed line per event into
tpps.JejakAudit: the audit page pages and filters those lines, never pghistory's `Events` view,
which unions every event table and cannot answer "newest first" from an index.
"""

import contextlib

import pghistory
import pgtrigger
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

TRIGGER = "tpps_jejak_audit"
ACCESS_TRIGGER = "tpps_jejak_akses"
# pghistory labels -> the audit trail's actions (JejakAudit.Aksi).
ACTIONS = {"insert": "tambah", "update": "ubah", "delete": "hapus"}
LIHAT, UNDUH = "lihat", "unduh"

_ACTION_SQL = "CASE {label} " + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in ACTIONS.items()) + " ELSE left({label}, 10) END"
# Who: the user id pghistory's middleware put in the context (absent for commands and the worker).
_USER_SQL = "CASE WHEN jsonb_typeof({meta}->'user') = 'number' THEN ({meta}->>'user')::bigint END"


# Set (transaction-local) by `inserts_recorded_in_bulk` while a bulk insert runs: the row trigger
# of a model audited with bulk_inserts=True then stays silent (its WHEN condition, evaluated without
# calling any function), and the block writes the same events in one statement afterwards.
BULK_SETTING = "tpps.audit_serentak"
_ROW_BY_ROW = pgtrigger.Condition(f"current_setting('{BULK_SETTING}', true) IS DISTINCT FROM 'on'")


def audited(*manual_events, bulk_inserts=False, **kwargs):
    """Class decorator for a domain model: keep an event row for every insert, update, delete.

    manual_events: labels of events the code records itself with `pghistory.create_event(row,
    label=...)`, for changes no tracked column shows (e.g. a password set by an admin).
    bulk_inserts: the model is written by imports of many rows; its insert events may be written
    per statement by `inserts_recorded_in_bulk` (the same events, a fraction of the cost)."""
    return pghistory.track(
        pghistory.InsertEvent(condition=_ROW_BY_ROW if bulk_inserts else None), pghistory.UpdateEvent(),
        pghistory.DeleteEvent(), *(pghistory.ManualEvent(label) for label in manual_events), **kwargs
    )


def _event_model(model):
    return next(m for m in event_models() if m.pgh_tracked_model is model)


def _insert_trigger(model):
    return next(t.get_pgid(model) for t in model._meta.triggers if t.name == "insert_insert")


def _write_insert_events(cursor, model, where: str = "", params=()):
    """One INSERT … SELECT that writes the 'insert' event each selected row of `model` would have
    had from its row trigger: its values as they are now, the current pghistory context (attached
    once, not once per row), the transaction's time. The JejakAudit trigger of the event table
    indexes them as ever."""
    event = _event_model(model)
    table = model._meta.db_table
    copied = [f.column for f in event._meta.concrete_fields if not f.column.startswith("pgh_")]
    columns = ", ".join(f'"{c}"' for c in copied)
    source = ", ".join(f'r."{c}"' for c in copied)
    cursor.execute(
        f"""WITH context AS MATERIALIZED (SELECT _pgh_attach_context() AS id)
            INSERT INTO "{event._meta.db_table}" ({columns}, pgh_context_id, pgh_created_at, pgh_label, pgh_obj_id)
            SELECT {source}, context.id, NOW(), 'insert', r."{model._meta.pk.column}"
            FROM "{table}" r CROSS JOIN context {where} ORDER BY r."{model._meta.pk.column}"
        """,
        params,
    )


@contextlib.contextmanager
def inserts_recorded_in_bulk(model, ids):
    """Insert the rows `ids` of `model` (audited with bulk_inserts=True) inside the block, e.g. by
    COPY, and have their 'insert' events written in one statement when it ends, instead of one row
    trigger call per row (an import of 100,000 measurements: the triggers cost several times the
    COPY). Only the insert trigger is silenced, only for this transaction and only inside the
    block (set_config(…, true) is undone by a rollback too); updates and deletes in the block are
    audited row by row as ever. Inside `first_load_recorded_in_bulk` (the trigger switched off for
    the whole load) that block writes the events, so this one writes none."""
    if not connection.in_atomic_block:
        raise RuntimeError("inserts_recorded_in_bulk needs the caller's transaction")
    ids = [int(i) for i in ids]
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgenabled <> 'D' FROM pg_trigger WHERE tgname = %s AND tgrelid = %s::regclass",
                       [_insert_trigger(model), model._meta.db_table])
        row = cursor.fetchone()
        if row is None:
            raise RuntimeError(f"{model._meta.label} is not audited with bulk_inserts=True")
        enabled = row[0]
        cursor.execute("SELECT set_config(%s, 'on', true)", [BULK_SETTING])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, 'off', true)", [BULK_SETTING])
    if enabled and ids:
        pk = f'r."{model._meta.pk.column}"'
        with connection.cursor() as cursor:
            # The range lets the primary key's index find the (nearly contiguous) new rows.
            _write_insert_events(cursor, model, f"WHERE {pk} BETWEEN %s AND %s AND {pk} = ANY(%s)", [min(ids), max(ids), ids])


def event_models():
    """Every pghistory event model (a concrete table per audited model)."""
    return [
        model for model in apps.get_models()
        if getattr(model, "pgh_tracked_model", None) is not None and not model._meta.proxy
        and model._meta.managed and any(f.name == "pgh_obj" for f in model._meta.fields)
    ]


def _functions_sql(index_table, access_source):
    return f"""
        CREATE OR REPLACE FUNCTION {ACCESS_TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO {index_table} (waktu, aksi, model, objek, sumber, sumber_id, pengguna_id)
            SELECT a.waktu, a.aksi, a.model, a.objek, '{access_source}', a.id, a.pengguna_id FROM baru a;
            RETURN NULL;
        END $$;
        CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE meta jsonb := NULLIF(current_setting('pghistory.context_metadata', true), '')::jsonb;
        BEGIN
            INSERT INTO {index_table} (waktu, aksi, model, objek, sumber, sumber_id, pengguna_id)
            SELECT e.pgh_created_at, {_ACTION_SQL.format(label="e.pgh_label")}, TG_ARGV[0],
                   COALESCE(e.pgh_obj_id::text, ''), TG_ARGV[1], e.pgh_id, {_USER_SQL.format(meta="meta")}
            FROM baru e;
            RETURN NULL;
        END $$;
    """


def install_index_triggers(**kwargs):
    """post_migrate: give every event table (and AksesData) the trigger that feeds JejakAudit. An
    event table that gets it for the first time has its existing events copied in (an upgraded
    install, a new audited model), in the transaction that creates the trigger, so no event is
    missed or counted twice."""
    index_table = apps.get_model("tpps", "JejakAudit")._meta.db_table
    access_model = apps.get_model("tpps", "AksesData")
    access_table = access_model._meta.db_table
    context_table = apps.get_model("pghistory", "Context")._meta.db_table
    tables = {m._meta.db_table: m for m in event_models()}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(_functions_sql(index_table, access_model._meta.label))
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname IN (%s, %s)",
            [TRIGGER, ACCESS_TRIGGER],
        )
        done = {name for (name,) in cursor.fetchall()}
        if access_table not in done:
            # Reads are only ever recorded through catat_akses, after this trigger exists.
            cursor.execute(f'CREATE TRIGGER {ACCESS_TRIGGER} AFTER INSERT ON "{access_table}" '
                           f"REFERENCING NEW TABLE AS baru FOR EACH STATEMENT EXECUTE FUNCTION {ACCESS_TRIGGER}()")
        for table, model in sorted(tables.items()):
            if table in done:
                continue
            tracked, source = model.pgh_tracked_model._meta.label, model._meta.label
            cursor.execute(
                f'CREATE TRIGGER {TRIGGER} AFTER INSERT ON "{table}" REFERENCING NEW TABLE AS baru '
                f"FOR EACH STATEMENT EXECUTE FUNCTION {TRIGGER}('{tracked}', '{source}')"
            )
            cursor.execute(
                f"""INSERT INTO {index_table} (waktu, aksi, model, objek, sumber, sumber_id, pengguna_id)
                    SELECT e.pgh_created_at, {_ACTION_SQL.format(label="e.pgh_label")}, %s,
                           COALESCE(e.pgh_obj_id::text, ''), %s, e.pgh_id, {_USER_SQL.format(meta="c.metadata")}
                    FROM "{table}" e LEFT JOIN {context_table} c ON c.id = e.pgh_context_id
                    ON CONFLICT DO NOTHING""",
                [tracked, source],
            )


@contextlib.contextmanager
def first_load_recorded_in_bulk(*models):
    """A first load into empty tables (the demo data), audited in one statement per table.

    Inside the block the row triggers that write `models`' audit events are switched off (ALTER
    TABLE … DISABLE TRIGGER, in the caller's transaction: an error rolls it back with the data);
    on leaving it, one INSERT … SELECT per model writes the 'insert' event each row of the table
    would have had, with the values as committed, the same context and time (NOW() is the
    transaction's), and the JejakAudit trigger of the event table indexes them as ever. A row
    inserted and then updated inside the block (the import fills naik_bb after COPY) gets one
    event with its final values instead of an insert and an update. The tables must be empty at
    the start, so every row in them at the end is one this block added."""
    if not connection.in_atomic_block:
        raise RuntimeError("first_load_recorded_in_bulk needs the caller's transaction")
    tracked = []
    with connection.cursor() as cursor:
        _check_deferred_now(cursor)
        for model in models:
            table = model._meta.db_table
            cursor.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")')
            if cursor.fetchone()[0]:
                raise RuntimeError(f"{table} is not empty: its existing rows would be audited as new")
            names = [t.get_pgid(model) for t in model._meta.triggers
                     if t.name in ("insert_insert", "update_update", "delete_delete")]
            for name in names:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"')
            tracked.append((model, names))
    yield
    with connection.cursor() as cursor:
        _check_deferred_now(cursor)
        for model, names in tracked:
            table = model._meta.db_table
            _write_insert_events(cursor, model)
            for name in names:
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"')


def _check_deferred_now(cursor):
    """Run the deferred foreign-key checks queued so far (as commit would): PostgreSQL refuses to
    ALTER a table with pending trigger events. Django declares its keys DEFERRABLE INITIALLY
    DEFERRED, which they are again afterwards."""
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def catat_akses(request, aksi, model, jumlah, keterangan, *, objek=""):
    """Record that `request.user` read personal data: aksi LIHAT (a page) or UNDUH (a file),
    `model` the model whose rows were revealed (the class, or its 'app.Model' label where an app
    reads another only through its selectors), `jumlah` how many rows (None for a document),
    `keterangan` what it was in Bahasa Indonesia ("Register balita (XLSX)"). The filter is the
    request's query string. The one way every view records a read; one INSERT, whose trigger
    writes the JejakAudit line."""
    access_model = apps.get_model("tpps", "AksesData")
    user = request.user if getattr(request.user, "is_authenticated", False) else None
    return access_model.objects.create(
        waktu=timezone.now(), pengguna=user, aksi=aksi, model=model if isinstance(model, str) else model._meta.label,
        objek=str(objek or ""), jumlah=jumlah, keterangan=keterangan[:200], halaman=request.path[:300],
        kueri=request.META.get("QUERY_STRING", "")[:2000],
    )
