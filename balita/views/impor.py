"""e-PPGBM import screens: upload and history, the batch page (progress, preview with errors,
children held for review and what will change, import or cancel), the errors as XLSX, the template."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from balita import selectors, services
from balita.forms import UnggahForm
from balita.models import ImporBatch, TinjauanIdentitas
from tpps import jobs, masking, xlsx
from tpps.access import role_required
from tpps.audit import UNDUH, catat_akses
from tpps.errors import UserError, add_message
from tpps.formatting import angka
from tpps.htmx import render_page
from tpps.roles import DATA_EDITORS, access_for


@role_required(*DATA_EDITORS)
def impor(request):
    """Upload an export (checked in the background) and the import history."""
    form = UnggahForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.start_import(form.cleaned_data["berkas"], request.user)
        messages.info(request, "Berkas diterima dan sedang diperiksa. Anda boleh meninggalkan halaman ini.")
        return redirect("balita:impor_detail", pk=batch.pk)
    jobs.fail_stale(ImporBatch)  # a batch whose worker died shows as failed, not running for ever
    page = Paginator(selectors.import_batches(request.user), 20).get_page(request.GET.get("hal"))
    return render_page(request, "balita/impor_list.html", {"form": form, "page": page},
                       status=422 if form.is_bound and form.errors else 200)


@role_required(*DATA_EDITORS)
def impor_detail(request, pk):
    """A batch: progress while it runs (polled by HTMX), then the preview or the result."""
    batch = jobs.refresh_if_stale(get_object_or_404(selectors.import_batches(request.user), pk=pk))
    if request.htmx and request.GET.get("progres"):
        response = render_page(request, "balita/impor_detail.html", {"batch": batch}, "progres")
        if not batch.berjalan:
            response["HX-Refresh"] = "true"  # finished: show the whole page (preview or result)
        return response
    errors = Paginator(selectors.import_errors(batch), 100).get_page(request.GET.get("hal"))
    return render_page(request, "balita/impor_detail.html", _detail_context(request, batch, errors=errors))


def _detail_context(request, batch, **extra) -> dict:
    reviews = selectors.identity_reviews(batch, request.user)
    return {"batch": batch, "tinjauan": reviews, "belum_diputuskan": sum(1 for r in reviews if not r.keputusan),
            "perubahan": selectors.change_preview(batch, request.user), **extra}


@role_required(*DATA_EDITORS)
@require_POST
def impor_tinjau(request, pk, tinjauan):
    """The operator's decision on one child held for review (HTMX: the review section again)."""
    batch = get_object_or_404(selectors.import_batches(request.user), pk=pk)
    review = get_object_or_404(TinjauanIdentitas.objects.filter(batch=batch), pk=tinjauan)
    try:
        services.decide_identity(review, request.POST.get("keputusan", ""), request.user)
    except UserError as error:
        add_message(request, error)
    if not request.htmx:
        return redirect("balita:impor_detail", pk=batch.pk)
    batch.refresh_from_db()
    return render_page(request, "balita/impor_detail.html", _detail_context(request, batch), "tinjauan")


@role_required(*DATA_EDITORS)
@require_POST
def impor_simpan(request, pk):
    batch = get_object_or_404(selectors.import_batches(request.user), pk=pk)
    try:
        services.confirm_import(batch, request.user,
                                posyandu_dikonfirmasi=bool(request.POST.get("posyandu_dikonfirmasi")))
    except UserError as error:
        add_message(request, error)
    else:
        messages.info(request, "Impor dimulai. Anda boleh meninggalkan halaman ini; hasilnya tercatat di riwayat impor.")
    return redirect("balita:impor_detail", pk=batch.pk)


@role_required(*DATA_EDITORS)
@require_POST
def impor_batal(request, pk):
    batch = get_object_or_404(selectors.import_batches(request.user), pk=pk)
    try:
        services.cancel_import(batch, request.user)
    except UserError as error:
        add_message(request, error)
    else:
        messages.success(request, "Impor dibatalkan; tidak ada data yang diubah.")
    return redirect("balita:impor_detail", pk=batch.pk)


@role_required(*DATA_EDITORS)
@require_POST
def impor_ulangi(request, pk):
    """A failed batch (its worker died, or the system failed) is tried again."""
    batch = get_object_or_404(selectors.import_batches(request.user), pk=pk)
    try:
        batch = services.retry_import(batch, request.user)
    except UserError as error:
        add_message(request, error)
    else:
        messages.info(request, "Pemeriksaan berkas diulang." if batch.berjalan
                      else "Pratinjau dipulihkan: periksa lalu impor lagi, atau batalkan.")
    return redirect("balita:impor_detail", pk=batch.pk)


@role_required(*DATA_EDITORS)
def impor_galat(request, pk):
    """The stored errors of a batch as XLSX (row, column, value, message): at most
    services.GALAT_DISIMPAN rows, with a note when the file had more."""
    batch = get_object_or_404(selectors.import_batches(request.user), pk=pk)
    access = access_for(request.user)
    errors = selectors.import_errors(batch)
    stored = errors.count()
    catat_akses(request, UNDUH, ImporBatch, stored, "Galat impor e-PPGBM (XLSX)", objek=batch.pk)
    rows = ([baris, masking.nik_for(access, nik), masking.name_for(access, nama), kolom, nilai, pesan]
            for baris, nik, nama, kolom, nilai, pesan in
            errors.values_list("baris", "nik", "nama", "kolom", "nilai", "pesan").iterator())
    preamble = ([f"Galat impor {batch.nama_berkas}: {angka(stored)} pertama dari {angka(batch.galat_total)} galat. "
                 "Perbaiki lalu unggah ulang untuk melihat sisanya."] if batch.galat_total > stored else [])
    content = xlsx.table_bytes(["Baris", "NIK", "Nama anak", "Kolom", "Nilai di berkas", "Masalah"], rows,
                               sheet="Galat impor", widths={1: 20, 2: 28, 3: 18, 4: 24, 5: 90}, kinds={1: "teks"},
                               preamble=preamble)
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    stem = batch.nama_berkas.rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="galat-{stem}.xlsx"'
    return response


@role_required(*DATA_EDITORS)
def impor_templat(request):
    """An XLSX with the e-PPGBM export's headers and one example row."""
    headers, rows = selectors.import_template()
    content = xlsx.table_bytes(headers, rows, sheet="Data balita", widths={1: 20, 2: 24, 7: 20, 16: 20},
                               kinds={1: "teks"})
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-impor-eppgbm.xlsx"'
    return response
