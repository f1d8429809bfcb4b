"""Requests and responses no view should have to think about.

- A NUL byte in a query parameter or a form field (PostgreSQL refuses it in text, so any view
  passing it on to a query would answer 500) is refused here, once for every page, with a 400 page
  in Bahasa Indonesia.
- Every response carries a Content-Security-Policy with no inline or evaluated script (htmx and
  plotly run from our own static files; chart data rides in `<script type="application/json">`
  blocks, which are data, not code), and `no-store` on every response to a logged-in user, since
  pages, exports and PDFs may carry names and NIK that must not stay in a browser's or proxy's
  cache. Static files (WhiteNoise, before these) keep their own caching."""

from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control

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
