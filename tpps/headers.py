"""Response headers every page carries: a Content-Security-Policy with no inline or evaluated
script (htmx and plotly run from our own static files; chart data rides in
`<script type="application/json">` blocks, which are data, not code), and `no-store` on every
response to a logged-in user, since pages, exports and PDFs may carry names and NIK that must not
stay in a browser's or proxy's cache. Static files (WhiteNoise, before this middleware) keep their
own caching."""

from django.utils.cache import patch_cache_control

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
