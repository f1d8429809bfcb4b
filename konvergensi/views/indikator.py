"""Indicator table with inline entry of achievements, readiness page, OPD overview (Sekda) and
the printable "siap paparan" page per OPD."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from konvergensi import policy, selectors, services
from konvergensi.forms import CapaianForm, TanggalPenilaianForm
from konvergensi.models import Capaian, Indikator
from konvergensi.rules import Periode
from konvergensi.views.common import periode_dari, tahun_dari
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.models import Opd
from tpps.roles import AGGREGATE_READERS, CONVERGENCE_EDITORS


def _table_context(request, tahun, periode):
    opd_kode = request.GET.get("opd", "")
    opd = Opd.objects.filter(kode=opd_kode).first() if opd_kode else None
    rows = selectors.indicator_results(tahun, periode, user=request.user, opd_id=opd.id if opd else None)
    editable = set(Indikator.objects.for_user(request.user, "change").values_list("id", flat=True))
    for row in rows:
        row["boleh_isi"] = row["id"] in editable
    return {
        "tahun": tahun,
        "tahun_list": selectors.years(),
        "periode": periode,
        "periode_choices": Periode.choices,
        "opd_list": Opd.objects.filter(indikator__aktif=True).distinct(),
        "opd_kode": opd_kode,
        "rows": rows,
        "counts": {status: sum(1 for r in rows if r["status"] == status) for status in ("tercapai", "hampir", "belum", "tanpa_data")},
    }


@role_required(*AGGREGATE_READERS)
def indikator(request):
    tahun = tahun_dari(request)
    periode = periode_dari(request) or selectors.latest_period_with_data(tahun)
    return render_page(request, "konvergensi/indikator.html", _table_context(request, tahun, periode), partial="tabel")


def _form_response(request, indikator_obj, tahun, periode, form, dihitung, invalid=False):
    """The inline form row for HTMX; without JavaScript, the whole table with that row open."""
    context = _row_context(request, indikator_obj, tahun, periode, form=form, dihitung=dihitung)
    if request.htmx:
        return render_page(request, "konvergensi/indikator.html", context, partial="form", invalid=invalid)
    context.update(_table_context(request, tahun, periode), edit_id=indikator_obj.id)
    return render_page(request, "konvergensi/indikator.html", context, invalid=invalid)


def _row_context(request, indikator, tahun, periode, **extra):
    row = selectors.indicator_results(tahun, periode, user=request.user, opd_id=indikator.opd_id)
    row = next(r for r in row if r["id"] == indikator.id)
    row["boleh_isi"] = policy.can_enter_capaian(request.user, indikator)
    return {"row": row, "tahun": tahun, "periode": periode, **extra}


def _indikator_for(request, pk, tahun, periode):
    if periode not in Periode.values or tahun not in selectors.years():
        raise Http404("Periode atau tahun tidak dikenal.")
    return get_object_or_404(Indikator.objects.for_user(request.user).select_related("opd"), pk=pk, aktif=True)


@role_required(*AGGREGATE_READERS)
def capaian_baris(request, pk, tahun, periode):
    """One table row (read view); used to cancel inline editing."""
    indikator_obj = _indikator_for(request, pk, tahun, periode)
    return render_page(request, "konvergensi/indikator.html", _row_context(request, indikator_obj, tahun, periode), partial="baris")


@role_required(*CONVERGENCE_EDITORS)
def capaian_isi(request, pk, tahun, periode):
    """Inline entry of an achievement by the indicator's OPD (or the secretariat)."""
    indikator_obj = _indikator_for(request, pk, tahun, periode)
    if not policy.can_enter_capaian(request.user, indikator_obj):
        raise PermissionDenied("Capaian indikator ini diisi oleh OPD penanggung jawabnya.")
    instance = Capaian.objects.filter(indikator=indikator_obj, tahun=tahun, periode=periode).first()
    instance = instance or Capaian(indikator=indikator_obj, tahun=tahun, periode=periode)
    dihitung = bool(indikator_obj.hitung_otomatis and selectors.computed_figures(tahun, periode).get(indikator_obj.hitung_otomatis))
    if request.method != "POST":
        form = CapaianForm(instance=instance, indikator=indikator_obj, dihitung=dihitung)
        return _form_response(request, indikator_obj, tahun, periode, form, dihitung)
    form = CapaianForm(request.POST, instance=instance, indikator=indikator_obj, dihitung=dihitung)
    if form.is_valid():
        try:
            services.save_capaian(indikator_obj, tahun, periode, form.cleaned_data, request.user)
        except UserError as error:
            add_to_form(form, error)
    if form.errors:
        return _form_response(request, indikator_obj, tahun, periode, form, dihitung, invalid=True)
    if not request.htmx:
        messages.success(request, f"Capaian “{indikator_obj.nama}” tersimpan.")
        return redirect(f"{reverse('konvergensi:indikator')}?tahun={tahun}&periode={periode}")
    context = _row_context(request, indikator_obj, tahun, periode, disimpan=True)
    return render_page(request, "konvergensi/indikator.html", context, partial="baris")


@role_required(*AGGREGATE_READERS)
def kesiapan(request):
    """Readiness for the provincial assessment: per action what is required, uploaded and
    verified, what is missing and who must supply it, and the countdown."""
    tahun = tahun_dari(request)
    info = selectors.year_info(tahun)
    context = {
        "tahun": tahun,
        "tahun_list": selectors.years(),
        "aksi_list": selectors.actions_progress(tahun, user=request.user),
        "ringkasan": selectors.readiness_summary(tahun, user=request.user),
        "boleh_kelola": policy.can_manage_year(request.user),
        "tanggal_form": TanggalPenilaianForm(instance=info) if info else None,
    }
    return render_page(request, "konvergensi/kesiapan.html", context, partial="isi")


@role_required(*AGGREGATE_READERS)
def ringkasan_opd(request):
    """All OPDs at a glance, worst first (for the Sekda); with siap=1 only those ready to present
    (the "Siap paparan" tab of users without an OPD of their own)."""
    tahun = tahun_dari(request)
    periode = periode_dari(request)
    siap = request.GET.get("siap") == "1"
    context = {
        "tahun": tahun,
        "tahun_list": selectors.years(),
        "periode": periode or "",
        "periode_choices": Periode.choices,
        "rows": selectors.opd_overview(tahun, periode, user=request.user, siap_saja=siap),
        "siap": siap,
    }
    return render_page(request, "konvergensi/ringkasan_opd.html", context, partial="tabel")


@role_required(*AGGREGATE_READERS)
def paparan_saya(request):
    """The user's own OPD's presentation page; for everyone else the OPDs ready to present."""
    opd_ids = sorted(policy.user_opd_ids(request.user))
    query = request.GET.urlencode()
    if opd_ids:
        opd = Opd.objects.get(pk=opd_ids[0])
        return redirect(reverse("konvergensi:paparan", kwargs={"kode": opd.kode}) + (f"?{query}" if query else ""))
    params = request.GET.copy()
    params["siap"] = "1"
    return redirect(reverse("konvergensi:ringkasan_opd") + f"?{params.urlencode()}")


@role_required(*AGGREGATE_READERS)
def paparan(request, kode):
    """What an OPD presents to the panel: printable."""
    opd = get_object_or_404(Opd, kode=kode)
    tahun = tahun_dari(request)
    periode = periode_dari(request)
    data = selectors.paparan(tahun, opd, periode, user=request.user)
    if not data["indikator"] and not data["aksi"]:
        raise Http404("OPD ini tidak punya indikator atau aksi pada tahun ini.")
    context = {
        "tahun": tahun,
        "tahun_list": selectors.years(),
        "periode": periode or "",
        "periode_choices": Periode.choices,
        "data": data,
        "opd": opd,
        "info": selectors.year_info(tahun),
    }
    return render_page(request, "konvergensi/paparan.html", context)
