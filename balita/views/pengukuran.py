"""Entering a measurement, with the live z-score preview and the WHO-flag confirmation step;
correcting or deleting one saved by mistake, with a reason the audit trail keeps."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from balita import selectors, services
from balita.forms import HapusPengukuranForm, KoreksiPengukuranForm, PengukuranForm, PreviewForm
from balita.models import Pengukuran
from tpps import submissions
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.roles import CHANGE, DATA_EDITORS

# Two racing posts for one child and day: the second gets this message, not a 500.
UNIQUE_MEASUREMENT = {"pengukuran_satu_per_anak_per_tanggal": (
    "tanggal", "Anak ini baru saja dicatat pengukurannya pada tanggal itu; lihat riwayatnya.")}


def _child(request, pk):
    return get_object_or_404(selectors.editable_children(request.user).select_related("kelurahan", "posyandu"), pk=pk)


@role_required(*DATA_EDITORS)
def pengukuran_baru(request, pk):
    child = _child(request, pk)
    already = submissions.sent_before(request)
    if already:
        return already.response(request)
    form = submissions.with_token(PengukuranForm(request.POST or None, anak=child, user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request, form, unique=UNIQUE_MEASUREMENT) as sent:
                measurement = services.record_measurement(child, form.measurement(), request.user)
                sent.jawaban = reverse("balita:anak_detail", kwargs={"pk": child.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Pengukuran {measurement.tanggal:%d/%m/%Y} tersimpan.")
            return redirect("balita:anak_detail", pk=child.pk)
    return render_page(request, "balita/pengukuran_form.html", {"anak": child, "form": form},
                       status=422 if form.is_bound and form.errors else 200)


@role_required(*DATA_EDITORS)
def pengukuran_pratinjau(request, pk):
    """The live preview while typing: age, z-scores, categories and WHO flags of what is filled in."""
    child = _child(request, pk)
    form = PreviewForm(request.GET or request.POST or None, anak=child, user=request.user)
    if form.is_bound:
        form.is_valid()
    return render_page(request, "balita/pengukuran_form.html", {"anak": child, "form": form}, "pratinjau", always=True)


def _measurement(request, pk):
    rows = Pengukuran.objects.for_user(request.user, CHANGE).select_related("anak__kelurahan", "anak__posyandu")
    return get_object_or_404(rows, pk=pk)


@role_required(*DATA_EDITORS)
def pengukuran_ubah(request, pk):
    measurement = _measurement(request, pk)
    child = measurement.anak
    form = KoreksiPengukuranForm(request.POST or None, pengukuran=measurement, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_measurement(measurement, form.measurement(), form.cleaned_data["alasan"], request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Pengukuran {measurement.tanggal:%d/%m/%Y} dikoreksi; nilai lama dan alasannya "
                                      "tersimpan di jejak audit.")
            return redirect("balita:anak_detail", pk=child.pk)
    context = {"anak": child, "form": form, "pengukuran": measurement, "koreksi": True}
    return render_page(request, "balita/pengukuran_form.html", context,
                       status=422 if form.is_bound and form.errors else 200)


@role_required(*DATA_EDITORS)
def pengukuran_hapus(request, pk):
    measurement = _measurement(request, pk)
    child = measurement.anak
    form = HapusPengukuranForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_measurement(measurement, form.cleaned_data["alasan"], request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Pengukuran {measurement.tanggal:%d/%m/%Y} dihapus; datanya dan alasannya "
                                      "tersimpan di jejak audit.")
            return redirect("balita:anak_detail", pk=child.pk)
    return render_page(request, "balita/pengukuran_hapus.html", {"anak": child, "form": form, "p": measurement},
                       status=422 if form.is_bound and form.errors else 200)
