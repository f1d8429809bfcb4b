"""Reads for the core pages: the user's assignments and the audit trail.

The audit trail pages through tpps.JejakAudit by (waktu, id) — keyset, never OFFSET or COUNT(*)
over everything — and reads the details of a page's rows from their sources: the pghistory event
tables (one query per event model on the page, plus one for the previous versions of updated
rows) and AksesData.
"""

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import parse_qsl

from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.text import capfirst

from tpps import audit
from tpps.formatting import angka, tanggal, waktu
from tpps.models import AksesData, JejakAudit, Penugasan, User

PAGE_SIZE = 50


def recent_failed_logins():
    """django-axes's failed-login rows still inside the cool-off (AXES_COOLOFF_TIME): the rows both
    lockout rules count, per username and address (django-axes) and per address (tpps.views)."""
    since = timezone.now() - datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    return AccessAttempt.objects.filter(attempt_time__gte=since)

# Fields shown for an added or deleted object (an update shows every changed field).
FIELDS_SHOWN = 8
TEXT_LIMIT = 120


def assignments_of(user):
    return Penugasan.objects.filter(user=user).select_related("opd", "puskesmas", "kelurahan")


# --- Filters and keyset pages ----------------------------------------------------------------

@dataclass(frozen=True)
class AuditFilter:
    pengguna_id: int | None = None
    dari: datetime.date | None = None
    sampai: datetime.date | None = None
    model: str = ""
    objek: str = ""
    aksi: str = ""


@dataclass
class AuditRow:
    entry: JejakAudit
    model_label: str
    # [(field label, old value or None, new value)] for changes; the read's filter for reads.
    fields: list = field(default_factory=list)
    url: str = ""
    peristiwa: str = ""
    alasan: str = ""
    jumlah: int | None = None
    keterangan: str = ""


@dataclass
class AuditPage:
    rows: list
    older: str | None  # cursor for the next (older) page
    newer: str | None  # cursor for the previous (newer) page


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def encode_cursor(entry) -> str:
    """'<microseconds since 1970>.<id>': exact, short, and opaque enough for a link."""
    return f"{(entry.waktu - EPOCH) // datetime.timedelta(microseconds=1)}.{entry.id}"


def decode_cursor(text):
    """(waktu, id) from a cursor, or None for anything malformed."""
    micros, _, pk = (text or "").partition(".")
    try:
        return EPOCH + datetime.timedelta(microseconds=int(micros)), int(pk)
    except (ValueError, OverflowError):
        return None


def _filtered(user, filters: AuditFilter):
    rows = JejakAudit.objects.for_user(user)
    if filters.pengguna_id:
        rows = rows.filter(pengguna_id=filters.pengguna_id)
    if filters.dari:
        rows = rows.filter(waktu__gte=_day_start(filters.dari))
    if filters.sampai:
        rows = rows.filter(waktu__lt=_day_start(filters.sampai + datetime.timedelta(days=1)))
    if filters.model:
        rows = rows.filter(model=filters.model)
    if filters.objek:
        rows = rows.filter(objek=filters.objek)
    if filters.aksi:
        rows = rows.filter(aksi=filters.aksi)
    return rows


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_page(user, filters: AuditFilter, *, older_than: str = "", newer_than: str = "") -> AuditPage:
    """One page of the trail, newest first: the first page, the page older than a cursor or the
    page newer than one. `waktu <= t` bounds the index range; the OR only settles ties on t."""
    rows = _filtered(user, filters).select_related("pengguna")
    before, after = decode_cursor(older_than), decode_cursor(newer_than)
    if after:
        moment, pk = after
        found = list(rows.filter(Q(waktu__gte=moment) & (Q(waktu__gt=moment) | Q(id__gt=pk)))
                     .order_by("waktu", "id")[:PAGE_SIZE + 1])
        more = len(found) > PAGE_SIZE
        entries = list(reversed(found[:PAGE_SIZE]))
        has_newer, has_older = more, True
    else:
        if before:
            moment, pk = before
            rows = rows.filter(Q(waktu__lte=moment) & (Q(waktu__lt=moment) | Q(id__lt=pk)))
        found = list(rows.order_by("-waktu", "-id")[:PAGE_SIZE + 1])
        entries = found[:PAGE_SIZE]
        has_newer, has_older = before is not None, len(found) > PAGE_SIZE
    return AuditPage(
        rows=describe(entries),
        older=encode_cursor(entries[-1]) if entries and has_older else None,
        newer=encode_cursor(entries[0]) if entries and has_newer else None,
    )


# --- What the rows say -----------------------------------------------------------------------

def model_label(label: str) -> str:
    """'laporan.NilaiKabKota' -> its verbose name ('Nilai kab kota'); the label if unknown."""
    try:
        return capfirst(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def audit_model_choices():
    """(label, name) of every audited model, by name, for the filter."""
    names = [(m.pgh_tracked_model._meta.label, model_label(m.pgh_tracked_model._meta.label)) for m in audit.event_models()]
    counts = defaultdict(int)
    for _, name in names:
        counts[name] += 1
    # Two apps may use one word ("Penilaian"): then the app says which.
    choices = [(label, name if counts[name] == 1 else f"{name} ({apps.get_app_config(label.split('.')[0]).verbose_name})")
               for label, name in names]
    return sorted(choices, key=lambda choice: choice[1].lower())


def user_choices():
    return User.objects.order_by("username")


def describe(entries) -> list[AuditRow]:
    """The page's rows with their details: one query per source model on the page."""
    by_source = defaultdict(list)
    for entry in entries:
        by_source[entry.sumber].append(entry.sumber_id)
    details = {}
    for source, ids in by_source.items():
        if source == AksesData._meta.label:
            for akses in AksesData.objects.filter(id__in=ids):
                details[(source, akses.id)] = akses
        else:
            details.update(_events(source, ids))
    labels = _foreign_labels(details.values())
    rows = []
    for entry in entries:
        row = AuditRow(entry=entry, model_label=model_label(entry.model))
        detail = details.get((entry.sumber, entry.sumber_id))
        if isinstance(detail, AksesData):
            row.url, row.jumlah, row.keterangan = detail.halaman, detail.jumlah, detail.keterangan
            row.fields = [(name, None, value) for name, value in _query_pairs(detail.kueri)]
        elif detail is not None:
            event, previous = detail
            context = (event.pgh_context.metadata if event.pgh_context_id and event.pgh_context else {}) or {}
            row.url, row.peristiwa, row.alasan = context.get("url", ""), context.get("peristiwa", ""), context.get("alasan", "")
            row.fields = _changes(event, previous, entry.aksi, labels)
        rows.append(row)
    return rows


def _events(source, ids):
    """{(source, pgh_id): (event, previous version of the object or None)} for one event model."""
    event_model = apps.get_model(source)
    previous_id = Subquery(
        event_model.objects.filter(pgh_obj_id=OuterRef("pgh_obj_id"), pgh_id__lt=OuterRef("pgh_id"))
        .order_by("-pgh_id").values("pgh_id")[:1]
    )
    events = list(event_model.objects.filter(pgh_id__in=ids).select_related("pgh_context").annotate(previous_id=previous_id))
    wanted = [e.previous_id for e in events if e.pgh_label == "update" and e.previous_id]
    previous = {p.pgh_id: p for p in event_model.objects.filter(pgh_id__in=wanted)} if wanted else {}
    return {(source, e.pgh_id): (e, previous.get(e.previous_id) if e.pgh_label == "update" else None) for e in events}


def _tracked_fields(event):
    return [f for f in event._meta.concrete_fields if not f.name.startswith("pgh_")]


def _foreign_labels(details):
    """{(related model, pk): str(row)} for every foreign key value on the page: one query per
    related model."""
    wanted = defaultdict(set)
    for detail in details:
        if isinstance(detail, AksesData):
            continue
        for event in (e for e in detail if e is not None):
            for f in _tracked_fields(event):
                if f.is_relation and f.many_to_one and f.value_from_object(event) is not None:
                    wanted[f.related_model].add(f.value_from_object(event))
    labels = {}
    for model, pks in wanted.items():
        for row in model._default_manager.filter(pk__in=pks):
            labels[(model, row.pk)] = str(row)
    return labels


def _changes(event, previous, aksi, labels):
    fields = _tracked_fields(event)
    if aksi == JejakAudit.Aksi.UBAH and previous is not None:
        return [(_field_name(f), _value(f, f.value_from_object(previous), labels), _value(f, f.value_from_object(event), labels))
                for f in fields if f.value_from_object(previous) != f.value_from_object(event)]
    shown = [f for f in fields if f.value_from_object(event) not in (None, "")]
    return [(_field_name(f), None, _value(f, f.value_from_object(event), labels)) for f in shown[:FIELDS_SHOWN]]


def _field_name(f) -> str:
    return capfirst(str(f.verbose_name))


def _value(f, value, labels) -> str:
    """A stored value as people read it: choices by their label, Ya/Tidak, Indonesian dates and
    numbers, a foreign key by its name."""
    if value is None or value == "":
        return "–"
    if f.is_relation and f.many_to_one:
        return labels.get((f.related_model, value), f"nomor {value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, datetime.datetime):
        return waktu(value)
    if isinstance(value, datetime.date):
        return tanggal(value)
    if isinstance(value, Decimal):
        return angka(value, max(0, -value.as_tuple().exponent))
    if isinstance(value, float):
        return angka(value, 2)
    if isinstance(f, models.BigIntegerField) and not isinstance(f, models.BigAutoField):
        return angka(value)  # money is whole rupiah in BigIntegerField
    if isinstance(value, (dict, list)):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return text if len(text) <= TEXT_LIMIT else text[:TEXT_LIMIT] + "…"


def _query_pairs(query: str):
    """A read's filter: the query string's non-empty parameters."""
    return parse_qsl(query)
