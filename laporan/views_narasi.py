"""The pack's narrative page: the automatic paragraphs beside the secretariat's edits, one form per
paragraph (save, back to the automatic text), a warning where the figures changed since an edit."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from laporan import narasi, pdf, selectors, services
from laporan.forms import PaketForm
from laporan.models import NarasiPaket
from tpps.access import role_required
from tpps.errors import UserError
from tpps.htmx import render_page
from tpps.roles import CHANGE, CITY_EDITORS, CITY_ROLES

TEMPLATE = "laporan/narasi.html"


def _years(request):
    return selectors.available_years(request.user)


def _paragraphs(tahun):
    return narasi.paragraphs(pdf.figures(tahun))


@role_required(*CITY_ROLES)
def index(request):
    form = PaketForm(request.GET or None, years=_years(request))
    tahun = form.cleaned_data["tahun"] if form.is_bound and form.is_valid() else form.initial["tahun"]
    context = {"form": form, "tahun": tahun, "rows": selectors.narrative(request.user, tahun, _paragraphs(tahun)),
               "bisa_ubah": NarasiPaket.objects.acts_on_all(request.user, CHANGE)}
    return render_page(request, TEMPLATE, context)


def _year_of(request, tahun: int) -> int:
    if tahun not in dict(PaketForm(years=_years(request)).fields["tahun"].choices):
        raise Http404("Tahun tidak tersedia.")
    return tahun


def _answer(request, tahun, kunci, paragraphs, *, error=None, done=""):
    """HTMX: the paragraph again (422 with the error on a refusal); a plain post: back to the page."""
    if request.htmx:
        row = next(r for r in selectors.narrative(request.user, tahun, paragraphs) if r.kunci == kunci)
        context = {"b": row, "tahun": tahun, "bisa_ubah": NarasiPaket.objects.acts_on_all(request.user, CHANGE),
                   "galat": error, "selesai": None if error else done,
                   "teks_dikirim": request.POST.get("teks") if error else None}
        return render_page(request, TEMPLATE, context, "paragraf", always=True, status=422 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(f"{reverse('laporan:narasi')}?tahun={tahun}#narasi-{kunci}")


@role_required(*CITY_EDITORS)
@require_POST
def save(request, tahun, kunci):
    tahun = _year_of(request, tahun)
    if kunci not in narasi.KEYS:
        raise Http404("Paragraf tidak dikenal.")
    paragraphs = _paragraphs(tahun)
    automatic = next(p.teks for p in paragraphs if p.kunci == kunci)
    try:
        services.save_narrative(request.user, tahun, kunci, request.POST.get("teks", ""), automatic)
    except UserError as error:
        return _answer(request, tahun, kunci, paragraphs, error=str(error))
    return _answer(request, tahun, kunci, paragraphs, done="Paragraf tersimpan; paket evaluasi berikutnya memakai teks ini.")


@role_required(*CITY_EDITORS)
@require_POST
def revert(request, tahun, kunci):
    tahun = _year_of(request, tahun)
    if kunci not in narasi.KEYS:
        raise Http404("Paragraf tidak dikenal.")
    services.revert_narrative(request.user, tahun, kunci)
    paragraphs = _paragraphs(tahun) if request.htmx else None
    return _answer(request, tahun, kunci, paragraphs, done="Paragraf kembali ke teks otomatis.")
