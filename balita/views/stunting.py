"""The stunting register: children whose latest measurement in a period is pendek or sangat
pendek, counts and prevalence by kelurahan and posyandu, coverage, and month-by-month totals."""

import datetime

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from balita import charts, selectors
from balita.views.common import int_param
from tpps.access import role_required
from tpps.roles import CHILD_READERS
from tpps.formatting import BULAN
from tpps.models import Kelurahan, Posyandu


def _month(text, default: datetime.date) -> datetime.date:
    try:
        year, month = (int(part) for part in (text or "").split("-")[:2])
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return default


def _month_end(first: datetime.date) -> datetime.date:
    following = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


@role_required(*CHILD_READERS)
def stunting(request):
    latest = selectors.latest_month_with_data(request.user) or timezone.localdate()
    default = latest.replace(day=1)
    sampai = _month(request.GET.get("sampai"), default)
    dari = min(_month(request.GET.get("dari"), sampai), sampai)
    start, end = dari, _month_end(sampai)
    kelurahan = Kelurahan.objects.for_user(request.user).filter(pk=int_param(request.GET, "kelurahan")).first()
    posyandu = None
    if kelurahan:
        posyandu = Posyandu.objects.for_user(request.user).filter(
            pk=int_param(request.GET, "posyandu"), kelurahan=kelurahan).first()

    register = selectors.stunting_register(request.user, start, end, kelurahan=kelurahan.pk if kelurahan else None)
    children = selectors.stunted_children(request.user, start, end, kelurahan=kelurahan.pk if kelurahan else None,
                                          posyandu=posyandu.pk if posyandu else None)
    page = Paginator(children, 50).get_page(request.GET.get("hal"))
    months = selectors.monthly_totals(request.user, selectors.months_before(sampai, 23), end,
                                      kelurahan=kelurahan.pk if kelurahan else None)
    for row in months:
        row["label"] = f"{BULAN[row['bulan'].month - 1][:3]} {row['bulan'].year}"
    context = {
        "dari": dari, "sampai": sampai, "start": start, "end": end,
        "kelurahan": kelurahan, "posyandu": posyandu,
        "register": register, "page": page, "bulanan": months,
        "chart_bulanan": charts.monthly_chart(months) if months else None,
        "by_posyandu": kelurahan is not None,
    }
    template = "balita/stunting.html#isi" if request.htmx else "balita/stunting.html"
    return render(request, template, context)
