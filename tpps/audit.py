"""Audit trail: every domain model is tracked by database triggers (django-pghistory).

Triggers record inserts, updates and deletes however they happen (forms, bulk imports, raw
SQL), and the request middleware attaches who did it and on which page.
"""

import pghistory


def audited(*manual_events, **kwargs):
    """Class decorator for a domain model: keep an event row for every insert, update, delete.

    manual_events: labels of events the code records itself with `pghistory.create_event(row,
    label=...)`, for changes no tracked column shows (e.g. a password set by an admin)."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
        *(pghistory.ManualEvent(label) for label in manual_events), **kwargs
    )
