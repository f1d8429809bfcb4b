"""Request middleware of our own: every SQL statement of a web request is bounded in time.

A page whose query outlives its request keeps a PostgreSQL backend busy after gunicorn has given
up (the old audit page: 15 minutes). The web request sets `statement_timeout` for its own
statements and restores the connection's default afterwards, so the background worker and
management commands (imports, refreshes, PDF packs), which never pass here, are not bounded.
A statement cancelled by the timeout becomes the Indonesian 503 page, not a stack trace.
"""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse
from django.template.loader import render_to_string
from psycopg import pq

# PostgreSQL's SQLSTATE for a cancelled statement (statement_timeout, pg_cancel_backend).
QUERY_CANCELED = "57014"


def is_query_cancelled(error) -> bool:
    cause = getattr(error, "__cause__", None)
    return isinstance(error, DatabaseError) and getattr(cause, "sqlstate", None) == QUERY_CANCELED


class StatementTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.REQUEST_STATEMENT_TIMEOUT_MS
        if not limit:
            return self.get_response(request)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(int(limit))])
        try:
            return self.get_response(request)
        finally:
            # In a transaction the error aborted (only when a caller wraps the request in one, as
            # tests do) nothing runs until the rollback, which restores the setting anyway.
            raw = connection.connection
            if raw is not None and raw.info.transaction_status != pq.TransactionStatus.INERROR:
                with connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")

    def process_exception(self, request, exception):
        if not is_query_cancelled(exception):
            return None
        # No request context: the page must not need the database whose statement just failed.
        return HttpResponse(render_to_string("503.html"), status=503)
