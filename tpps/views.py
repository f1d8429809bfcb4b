"""Core pages: home after login, audit trail, error pages."""

from django.core.paginator import Paginator
from django.http import HttpResponseServerError
from django.template import loader

from tpps import selectors
from tpps.access import role_required
from tpps.context_processors import menu_for
from tpps.htmx import render_page
from tpps.middleware import bad_request_response
from tpps.roles import Role, access_for


def home(request):
    access = access_for(request.user)
    return render_page(
        request,
        "tpps/home.html",
        {
            "assignments": selectors.assignments_of(request.user),
            "links": menu_for(access),
        },
    )


@role_required(Role.ADMIN)
def audit_log(request):
    model = request.GET.get("model", "")
    try:
        user_id = int(request.GET.get("user") or 0) or None
    except ValueError:
        user_id = None
    page = Paginator(selectors.audit_events(model=model, user_id=user_id), 50).get_page(request.GET.get("page"))
    users = selectors.users_by_id({(e.pgh_context or {}).get("user") for e in page})
    rows = [
        {
            "event": e,
            "user": users.get((e.pgh_context or {}).get("user")),
            "url": (e.pgh_context or {}).get("url", ""),
            # What the service said it was doing, and the reason a user gave (e.g. a correction).
            "peristiwa": (e.pgh_context or {}).get("peristiwa", ""),
            "alasan": (e.pgh_context or {}).get("alasan", ""),
            # Event models are named after the tracked model: "tpps.PosyanduEvent" -> "tpps.Posyandu".
            "model": e.pgh_model.removesuffix("Event"),
        }
        for e in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "model": model,
        "models": selectors.audit_model_choices(),
    }
    return render_page(request, "tpps/audit_log.html", context, "rows")


def error_400(request, exception=None):
    # Without the request's context: a refused host or a malformed request must not fail again here.
    return bad_request_response("Permintaan Anda tidak dapat dipahami oleh server, misalnya karena alamatnya tidak "
                                "lengkap atau sudah diubah. Buka lagi halaman sebelumnya lalu coba sekali lagi.")


def error_403(request, exception=None):
    return render_page(request, "403.html", status=403)


def error_404(request, exception=None):
    return render_page(request, "404.html", status=404)


def error_500(request):
    # Without the request's context (menus, roles): it may be the database that failed.
    return HttpResponseServerError(loader.render_to_string("500.html"))
