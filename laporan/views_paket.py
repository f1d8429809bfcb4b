"""Evaluation pack pages: request a pack, watch its progress, download finished packs."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from laporan import narasi, pdf, selectors, services
from laporan.forms import PaketForm
from laporan.models import NarasiPaket, PaketEvaluasi
from tpps import jobs
from tpps.access import role_required
from tpps.audit import UNDUH, catat_akses
from tpps.errors import UserError
from tpps.htmx import render_page
from tpps.models import PejabatTpps
from tpps.roles import CHANGE, CITY_ROLES


@role_required(*CITY_ROLES)
def index(request):
    # The year starts on the assessment year (PaketForm), not the calendar year.
    form = PaketForm(request.POST or None, years=selectors.available_years(request.user))
    if request.method == "POST" and form.is_valid():
        pack = services.request_pack(request.user, form.cleaned_data["tahun"])
        if not request.htmx:
            messages.info(request, f"Paket evaluasi {pack.tahun} sedang dibuat.")
            return redirect("laporan:paket")
    jobs.fail_stale(PaketEvaluasi)  # a pack whose worker died shows as failed, not running for ever
    packs = PaketEvaluasi.objects.select_related("dibuat_oleh")[:30]
    context = {"form": form, "packs": packs, "bisa_atur_pejabat": PejabatTpps.objects.acts_on_all(request.user, CHANGE)}
    if request.method == "GET" and not request.htmx:
        context["narasi_basi"] = _stale_paragraphs(request.user, form.initial["tahun"])
    if form.errors:  # only a tampered request: the year is a select of valid years
        return render_page(request, "laporan/paket.html", context, status=400)
    return render_page(request, "laporan/paket.html", context, "daftar")


def _stale_paragraphs(user, tahun) -> list:
    """Edited paragraphs of `tahun` whose figures moved since the edit (the figures are computed
    only when the year has an edit)."""
    if not NarasiPaket.objects.for_user(user).filter(tahun=tahun).exists():
        return []
    rows = selectors.narrative(user, tahun, narasi.paragraphs(pdf.figures(tahun)))
    return [row for row in rows if row.berbeda]


@role_required(*CITY_ROLES)
def status(request, pk):
    pack = jobs.refresh_if_stale(get_object_or_404(PaketEvaluasi.objects.select_related("dibuat_oleh"), pk=pk))
    return render_page(request, "laporan/paket.html", {"p": pack}, "baris", always=True)


@role_required(*CITY_ROLES)
@require_POST
def retry(request, pk):
    return _act(request, pk, services.retry_pack, "Paket evaluasi {tahun} dibuat ulang.")


@role_required(*CITY_ROLES)
@require_POST
def cancel(request, pk):
    return _act(request, pk, services.cancel_pack, "Pembuatan paket evaluasi {tahun} dibatalkan.")


def _act(request, pk, action, done):
    """Retry or cancel one pack; HTMX swaps its row, a plain form returns to the list."""
    pack = get_object_or_404(PaketEvaluasi, pk=pk)
    try:
        pack = action(pack, request.user)
    except UserError as error:
        if request.htmx:
            pack.refresh_from_db()
            return render_page(request, "laporan/paket.html", {"p": pack, "galat": str(error)}, "baris",
                               always=True, status=409)
        messages.error(request, str(error))
        return redirect("laporan:paket")
    if request.htmx:
        pack = PaketEvaluasi.objects.select_related("dibuat_oleh").get(pk=pack.pk)
        return render_page(request, "laporan/paket.html", {"p": pack}, "baris", always=True)
    messages.success(request, done.format(tahun=pack.tahun))
    return redirect("laporan:paket")


@role_required(*CITY_ROLES)
def download(request, pk):
    pack = get_object_or_404(PaketEvaluasi, pk=pk)
    if not pack.siap:
        raise Http404("Paket belum selesai dibuat.")
    catat_akses(request, UNDUH, PaketEvaluasi, None, f"Paket evaluasi {pack.tahun} (PDF)", objek=pack.pk)
    return FileResponse(pack.berkas.open("rb"), as_attachment=True, filename=pack.nama_berkas,
                        content_type="application/pdf")
