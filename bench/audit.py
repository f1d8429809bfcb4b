"""The audit page at 1,000,000 events: fills a scratch database's pghistory event tables with raw
SQL (the real index trigger writes tpps.JejakAudit, as in production), then times the page as an
Admin through Django's test client: the first page, a filter by user, by one day, by data type,
by object, and the 50th page reached by keyset.

Usage (a scratch database: the script adds rows to whatever DATABASE_URL points at):

    createdb -h 127.0.0.1 -U postgres tpps_bench_audit
    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/tpps_bench_audit \\
        .venv/bin/python bench/audit.py [--events 1000000] [--skip-fill] [--old]

--old also times pghistory's aggregate Events view (what the page read before) for its first
page, under a 120 s statement timeout.

Events are spread over the last 365 days, interleaved across ten users and the system, on three
tables: Anak (60 %), Posyandu (30 %), Kelurahan (10 %); a tenth of them are updates.
"""

import argparse
import datetime
import json
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).absolute().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tpps.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from pghistory.models import Events  # noqa: E402

from tpps import selectors  # noqa: E402
from tpps.models import JejakAudit, Kelurahan, Penugasan, User  # noqa: E402
from tpps.roles import Role  # noqa: E402

STATEMENTS = 100  # one user per statement (pghistory's context is per statement)
USERS = 10
DAYS = 365
ANAK_COLUMNS = ("nik, nama, jenis_kelamin, tanggal_lahir, nama_ibu, nik_ibu, nama_ayah, alamat, rt, rw, dibuat, "
                "diubah, kelurahan_id")
TABLES = {
    # table: (share of the events, columns, values for object g: SQL over g, kel)
    "balita_anakevent": (0.6, ANAK_COLUMNS,
                         "lpad(g::text, 16, '3'), 'Anak ' || g, CASE WHEN mod(g, 2) = 0 THEN 'L' ELSE 'P' END, "
                         "date '2021-01-01' + mod(g, 1500)::int, 'Ibu ' || g, '', '', 'Jl. Bench ' || g, '001', '002', "
                         "at, at, kel"),
    "tpps_posyanduevent": (0.3, "nama, aktif, kelurahan_id", "'Posyandu ' || g, mod(g, 7) <> 0, kel"),
    "tpps_kelurahanevent": (0.1, "kode, nama, kecamatan_id", "'35.71.' || g, 'Kelurahan ' || g, kec"),
}


def users():
    people = []
    for n in range(1, USERS + 1):
        user, _ = User.objects.get_or_create(username=f"bench_{n}", defaults={"first_name": f"Petugas {n}"})
        people.append(user)
    admin, _ = User.objects.get_or_create(username="bench_admin", defaults={"first_name": "Admin bench"})
    Penugasan.objects.get_or_create(user=admin, peran=Role.ADMIN)
    return people, admin


def fill(total, people):
    """`total` events by raw INSERT … SELECT into the event tables: STATEMENTS statements per table,
    each as one user (or the system) whose events interleave in time with the others'."""
    started = time.perf_counter()
    kel = Kelurahan.objects.order_by("id").values_list("id", "kecamatan_id").first()
    end = timezone.now()
    step = datetime.timedelta(days=DAYS) / total
    contexts = []
    with connection.cursor() as cursor:
        for user in [*people, None]:
            context_id, metadata = str(uuid.uuid4()), json.dumps({"user": user.pk if user else None, "url": "/bench/"})
            cursor.execute("INSERT INTO pghistory_context (id, metadata, created_at, updated_at) "
                           "VALUES (%s, %s, now(), now())", [context_id, metadata])
            contexts.append((context_id, metadata))
    offset = 0
    for table, (share, columns, values) in TABLES.items():
        count = int(total * share)
        per = count // STATEMENTS
        for s in range(STATEMENTS):
            context_id, metadata = contexts[s % len(contexts)]
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT set_config('pghistory.context_id', %s, true), "
                               "set_config('pghistory.context_metadata', %s, true)", [context_id, metadata])
                # Event i of the table happens at offset + i; statement s takes every STATEMENTS-th.
                cursor.execute(
                    f"""INSERT INTO {table} (pgh_created_at, pgh_label, pgh_obj_id, pgh_context_id, id, {columns})
                        SELECT at, CASE WHEN mod(g, 10) = 9 THEN 'update' ELSE 'insert' END, obj, %s::uuid, obj, {values}
                        FROM (SELECT g, %s::timestamptz + (%s + g) * %s::interval AS at,
                                     1000000 + g - (CASE WHEN mod(g, 10) = 9 THEN 1 ELSE 0 END) AS obj,
                                     %s::bigint AS kel, %s::bigint AS kec
                              FROM generate_series(%s::bigint, %s::bigint, %s) AS g) AS rows""",
                    [context_id, end - datetime.timedelta(days=DAYS), offset, step, kel[0], kel[1],
                     s, count - 1, STATEMENTS],
                )
        offset += count
        print(f"  {table}: {count:,} events", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tpps_jejakaudit")
        for table in TABLES:
            cursor.execute(f"ANALYZE {table}")
    print(f"Filled {JejakAudit.objects.count():,} audit lines in {time.perf_counter() - started:.0f} s", flush=True)


def timed(client, params, runs=5):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(reverse("audit_log"), params)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    body = response.content.decode()
    return statistics.median(times), body.count('<td class="nowrap">')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--skip-fill", action="store_true")
    parser.add_argument("--old", action="store_true")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")
    call_command("migrate", verbosity=0)
    people, admin = users()
    if not args.skip_fill:
        fill(args.events, people)
    print(f"{JejakAudit.objects.count():,} lines in the audit index", flush=True)

    client = Client()
    client.force_login(admin)
    timed(client, {}, runs=1)  # warm caches
    busy_day = timezone.localdate() - datetime.timedelta(days=100)
    some = JejakAudit.objects.filter(model="balita.Anak").order_by("id").values_list("objek", flat=True)[5000]
    cursor = None
    filters = selectors.AuditFilter()
    for _ in range(49):
        cursor = selectors.audit_page(admin, filters, older_than=cursor or "").older
    cases = [
        ("first page", {}),
        ("filter by user", {"pengguna": people[3].pk}),
        ("filter by date (one day)", {"dari": busy_day.isoformat(), "sampai": busy_day.isoformat()}),
        ("filter by data type (Kelurahan, 10 %)", {"model": "tpps.Kelurahan"}),
        ("filter by user and data type", {"pengguna": people[3].pk, "model": "tpps.Posyandu"}),
        ("filter by object (one child)", {"model": "balita.Anak", "objek": some}),
        ("filter by action (Hapus: none)", {"aksi": "hapus"}),
        ("50th page by keyset", {"sebelum": cursor}),
    ]
    print(f"{'page':40} {'median of 5':>12} {'rows':>6}")
    for name, params in cases:
        seconds, rows = timed(client, params)
        print(f"{name:40} {seconds * 1000:9.0f} ms {rows:6}", flush=True)

    if args.old:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("SET LOCAL statement_timeout = 120000")
            started = time.perf_counter()
            try:
                list(Events.objects.order_by("-pgh_created_at")[:50])
                print(f"{'before: Events view, first page':40} {(time.perf_counter() - started) * 1000:9.0f} ms")
            except Exception as error:  # the timeout: report it rather than fail the bench
                print(f"{'before: Events view, first page':40} > 120 s ({type(error).__name__})")


if __name__ == "__main__":
    main()
