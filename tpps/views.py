"""Core pages: login, home after login, audit trail, error pages."""

from urllib.parse import urlencode

from axes.helpers import get_client_ip_address
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.db.models import Sum
from django.http import Http404, HttpResponseServerError
from django.template import loader

from tpps import beranda, selectors
from tpps.access import role_required
from tpps.forms import AuditFilterForm, LoginForm
from tpps.htmx import render_page
from tpps.middleware import bad_request_response
from tpps.models import JejakAudit
from tpps.pilih import BATAS, SUMBER, read_konteks
from tpps.roles import ALL_ROLES, AUDITORS, access_for


def home(request):
    """Beranda: what waits for the user and where the area stands (each app's tiles, from its
    own selectors: tpps.beranda), then the pages the user may open."""
    access = access_for(request.user)
    return render_page(
        request,
        "tpps/home.html",
        {
            "assignments": selectors.assignments_of(request.user),
            "tiles": beranda.tiles_for(request.user),
            "links": beranda.links_for(access),
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


@role_required(*ALL_ROLES)
def pilih(request, sumber):
    """The picker's search (tpps/pilih.py): the options of one source matching ?q=, scoped to the
    user exactly as the form that uses it validates, at most BATAS of them."""
    source = SUMBER.get(sumber)
    if source is None:
        raise Http404("Daftar pilihan tidak dikenal.")
    q = request.GET.get("q", "").strip()[:100]
    rows = source.search(request.user, q, **read_konteks(source, request.GET))
    options = [(row.pk, source.label(row, request.user)) for row in rows[:BATAS]]
    return render_page(request, "tpps/pilih.html", {"options": options, "q": q, "more": len(rows) > BATAS,
                                                    "prefix": f"pilih-{sumber}"}, "hasil", always=True)


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


# --- Login -------------------------------------------------------------------------------------


def address_locked_out(request) -> bool:
    """Whether the request's address failed AXES_ADDRESS_FAILURE_LIMIT logins within the
    cool-off, whatever the usernames (django-axes counts per username and address: one attempt
    on each of many usernames would never be slowed)."""
    failures = (selectors.recent_failed_logins().filter(ip_address=get_client_ip_address(request))
                .aggregate(n=Sum("failures_since_start"))["n"] or 0)
    return failures >= settings.AXES_ADDRESS_FAILURE_LIMIT


class LoginView(auth_views.LoginView):
    """The one login page (Indonesian, rate-limited per username and address by django-axes and
    per address here)."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def post(self, request, *args, **kwargs):
        if address_locked_out(request):
            return render_page(request, "registration/lockout.html", {"per_alamat": True}, status=429)
        return super().post(request, *args, **kwargs)
