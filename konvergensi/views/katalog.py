"""The indicator catalogue and its yearly targets, kept by the Admin in the management area
(/kelola/indikator/); the OPDs fill achievements on /konvergensi/indikator/."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from konvergensi import services
from konvergensi.forms import IndikatorKatalogForm, TargetForm
from konvergensi.models import Indikator, JenisIndikator, TargetIndikator
from tpps import submissions
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.models import Opd
from tpps.roles import Role

UNIQUE_INDICATOR = {"konvergensi_indikator_kode_key": ("kode", "Kode ini baru saja dipakai indikator lain.")}
STATUS_CHOICES = [("aktif", "Aktif"), ("nonaktif", "Nonaktif")]


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@role_required(Role.ADMIN)
def daftar(request):
    q = request.GET.get("q", "").strip()[:100]
    opd_id, jenis, status = _int(request.GET.get("opd")), request.GET.get("jenis", ""), request.GET.get("status", "")
    rows = Indikator.objects.select_related("opd").prefetch_related("target").order_by("urutan", "kode")
    for word in q.split():
        rows = rows.filter(Q(nama__icontains=word) | Q(kode__icontains=word))
    if opd_id:
        rows = rows.filter(opd_id=opd_id)
    if jenis in JenisIndikator.values:
        rows = rows.filter(jenis=jenis)
    if status in ("aktif", "nonaktif"):
        rows = rows.filter(aktif=status == "aktif")
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page, "q": q, "opd_id": opd_id, "jenis": jenis, "status": status,
        "opd_choices": Opd.objects.order_by("singkatan"), "jenis_choices": JenisIndikator.choices,
        "status_choices": STATUS_CHOICES,
    }
    return render_page(request, "konvergensi/katalog_daftar.html", context, "rows")


def _form_context(indikator, form, target_form=None):
    return {
        "form": form, "indikator": indikator if indikator.pk else None,
        "targets": indikator.target.order_by("-tahun") if indikator.pk else [],
        "target_form": target_form or (TargetForm() if indikator.pk else None),
    }


@role_required(Role.ADMIN)
def formulir(request, pk=None):
    indikator = get_object_or_404(Indikator, pk=pk) if pk else Indikator()
    form = IndikatorKatalogForm(request.POST or None, instance=indikator, user=request.user)
    if not pk:
        submissions.with_token(form)
    if request.method == "POST" and form.is_valid():
        try:
            if pk:
                services.save_indicator(form.instance, user=request.user)
            else:
                with submissions.once(request, form, unique=UNIQUE_INDICATOR) as sent:
                    services.save_indicator(form.instance, user=request.user)
                    sent.jawaban = reverse("kelola:indikator:ubah", args=[form.instance.pk])
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Indikator “{form.instance}” tersimpan.")
            return redirect("kelola:indikator:ubah", pk=form.instance.pk)
    if pk:
        indikator.refresh_from_db()
    return render_page(request, "konvergensi/katalog_form.html", _form_context(indikator, form),
                       invalid=request.method == "POST")


@role_required(Role.ADMIN)
def hapus(request, pk):
    indikator = get_object_or_404(Indikator, pk=pk)
    if request.method != "POST":
        return redirect("kelola:indikator:ubah", pk=pk)
    try:
        services.delete_indicator(indikator, user=request.user)
    except UserError as error:
        messages.error(request, str(error))
        return redirect("kelola:indikator:ubah", pk=pk)
    messages.success(request, f"Indikator “{indikator}” dihapus.")
    return redirect("kelola:indikator:daftar")


@role_required(Role.ADMIN)
def target(request, pk):
    """Set (add or change) the indicator's target for one year."""
    indikator = get_object_or_404(Indikator, pk=pk)
    if request.method != "POST":
        return redirect("kelola:indikator:ubah", pk=pk)
    form = TargetForm(request.POST)
    if form.is_valid():
        try:
            row = services.set_catalogue_target(indikator, form.cleaned_data["tahun"], form.cleaned_data["nilai"],
                                                user=request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Target {row.tahun} indikator “{indikator}” tersimpan.")
            return redirect("kelola:indikator:ubah", pk=pk)
    context = _form_context(indikator, IndikatorKatalogForm(instance=indikator, user=request.user), form)
    return render_page(request, "konvergensi/katalog_form.html", context, invalid=True)


@role_required(Role.ADMIN)
def target_hapus(request, pk):
    row = get_object_or_404(TargetIndikator.objects.select_related("indikator"), pk=pk)
    if request.method == "POST":
        services.remove_target(row, user=request.user)
        messages.success(request, f"Target {row.tahun} indikator “{row.indikator}” dihapus.")
    return redirect("kelola:indikator:ubah", pk=row.indikator_id)
