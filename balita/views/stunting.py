"""The stunting register: children whose latest measurement in a period is pendek or sangat
pendek, counts and prevalence by kelurahan and posyandu, coverage, and month-by-month totals.
Every figure comes from balita.figures, the same read model as the dashboard and the pack."""

from django.core.paginator import Paginator

from balita import charts, figures, selectors
from balita.models import Anak
from balita.views.common import int_param, period_form
from tpps.access import role_required
from tpps.audit import LIHAT, catat_akses
from tpps.htmx import render_page
from tpps.models import Kelurahan, Posyandu
from tpps.roles import CHILD_READERS


class KnownCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


@role_required(*CHILD_READERS)
def stunting(request):
    form = period_form(request)
    periode = form.resolve_periode()
    kelurahan = Kelurahan.objects.for_user(request.user).filter(pk=int_param(request.GET, "kelurahan")).first()
    posyandu = None
    if kelurahan:
        posyandu = Posyandu.objects.for_user(request.user).filter(
            pk=int_param(request.GET, "posyandu"), kelurahan=kelurahan).first()

    register = selectors.stunting_register(request.user, periode, kelurahan=kelurahan)
    children = selectors.stunted_children(request.user, periode, kelurahan=kelurahan, posyandu=posyandu)
    # The list's length is the register's own figure (the same number by construction and by
    # test), so the list is not counted a second time.
    count = figures.figures(request.user, periode, kelurahan=kelurahan, posyandu=posyandu).stunting
    page = KnownCountPaginator(children, 50, count=count).get_page(request.GET.get("hal"))
    months = selectors.monthly_totals(request.user, periode, kelurahan=kelurahan)
    context = {
        "form": form, "periode": periode, "query": f"tahun={periode.tahun}&periode={periode.kode}",
        "kelurahan": kelurahan, "posyandu": posyandu,
        "register": register, "page": page, "bulanan": months,
        "chart_bulanan": charts.monthly_chart(months) if months else None,
        "by_posyandu": kelurahan is not None,
    }
    catat_akses(request, LIHAT, Anak, len(page.object_list), "Register stunting")
    return render_page(request, "balita/stunting.html", context, "isi")
