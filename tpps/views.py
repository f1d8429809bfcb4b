"""Core pages: home after login, audit trail, error pages."""

from urllib.parse import urlencode

from tpps import selectors
from tpps.access import role_required
from tpps.context_processors import menu_for
from tpps.htmx import render_page
from tpps.forms import AuditFilterForm
from tpps.models import JejakAudit
from tpps.roles import AUDITORS, access_for


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


@role_required(*AUDITORS)
def audit_log(request):
    """The audit trail: changes and reads of personal data, newest first, 50 a page (keyset:
    ?sebelum= older, ?sesudah= newer), filtered by GET parameters."""
    form = AuditFilterForm(request.GET or None, users=selectors.user_choices(),
                           models=selectors.audit_model_choices(), actions=JejakAudit.Aksi.choices)
    chosen = form.values() if request.GET else {}
    filters = selectors.AuditFilter(
        pengguna_id=chosen["pengguna"].pk if "pengguna" in chosen else None,
        dari=chosen.get("dari"), sampai=chosen.get("sampai"), model=chosen.get("model", ""),
        objek=chosen.get("objek", "").strip(), aksi=chosen.get("aksi", ""),
    )
    page = selectors.audit_page(request.user, filters, older_than=request.GET.get("sebelum", ""),
                                newer_than=request.GET.get("sesudah", ""))
    query = urlencode({name: value for name, value in request.GET.items()
                       if name in form.fields and value and name not in form.errors})
    return render_page(request, "tpps/audit_log.html", {"form": form, "page": page, "query": query}, "rows")


def error_403(request, exception=None):
    return render_page(request, "403.html", status=403)


def error_404(request, exception=None):
    return render_page(request, "404.html", status=404)


def error_500(request):
    return render_page(request, "500.html", status=500)
