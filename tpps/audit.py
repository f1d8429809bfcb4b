"""Audit trail: every domain model is tracked by database triggers (django-pghistory).

Triggers record inserts, updates and deletes however they happen (forms, bulk imports, raw
SQL), and the request middleware attaches who did it and on which page.
"""

import pghistory


def audited(**kwargs):
    """Class decorator for a domain model: keep an event row for every insert, update, delete."""
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **kwargs
    )
