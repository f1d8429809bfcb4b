"""Requests and responses no view should have to think about.

- A NUL byte in a query parameter or a form field (PostgreSQL refuses it in text, so any view
  passing it on to a query would answer 500) is refused here, once for every page, with a 400 page
  in Bahasa Indonesia.
- Every response carries a Content-Security-Policy with no inline or evaluated script (htmx and
  plotly run from our own static files; chart data rides in `<script type="application/json">`
  blocks, which are data, not code), and `no-store` on every response to a logged-in user, since
  pages, exports and PDFs may carry names and NIK that must not stay in a browser's or proxy's
  cache. Static files (WhiteNoise, before these) keep their own caching.
- Every SQL statement of a web request is bounded in time. A page whose query outlives its request
  keeps a PostgreSQL backend busy after gunicorn has given up (the old audit page: 15 minutes). The
  web request sets `statement_timeout` for its own statements and restores the connection's
  default afterwards, so the background worker and management commands (imports, refreshes, PDF
  packs), which never pass here, are not bounded. A statement cancelled by the timeout becomes the
  Indonesian 503 page, not a stack trace."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from psycopg import pq

NUL = "\x00"
MESSAGE = "Alamat atau isian berisi karakter yang tidak diizinkan (karakter NUL). Periksa lalu coba lagi."


def has_nul(data) -> bool:
    """True when a key or any value of a QueryDict holds a NUL character."""
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def bad_request_response(message: str = MESSAGE):
    # Rendered without the request: the page must not depend on anything the request carries.
    return HttpResponseBadRequest(render_to_string("400.html", {"pesan": message}))


class RejectNulBytesMiddleware:
    """The path and query string of every request; form posts before the view runs, as the CSRF
    check reads them anyway. Not the body of a csrf_exempt view: such a view (an upload) sets its
    upload handlers (size limits) before the body is read, and its text fields go through Django
    form fields, which refuse NUL themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or has_nul(request.GET):
            return bad_request_response()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "POST" and not getattr(view_func, "csrf_exempt", False) and has_nul(request.POST):
            return bad_request_response()
        return None


# Styles may be inline: plotly sets style attributes and <style> on the charts it draws.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


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
