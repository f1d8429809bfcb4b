"""e-PPGBM import screens: upload and history, the batch page (progress, preview with errors,
import or cancel), the errors as XLSX."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from balita import selectors, services
from balita.forms import UnggahForm
from tpps import xlsx
from tpps.access import role_required
from tpps.errors import UserError, add_message
from tpps.htmx import render_page
from tpps.roles import DATA_EDITORS


@role_required(*DATA_EDITORS)
def impor(request):
    """Upload an export (checked in the background) and the import history."""
    form = UnggahForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = services.start_import(form.cleaned_data["berkas"], request.user)
        messages.info(request, "Berkas diterima dan sedang diperiksa. Anda boleh meninggalkan halaman ini.")
        return redirect("balita:impor_detail", pk=batch.pk)
    page = Paginator(selectors.import_batches(request.user), 20).get_page(request.GET.get("hal"))
    return render_page(request, "balita/impor_list.html", {"form": form, "page": page},
                       status=422 if form.is_bound and form.errors else 200)


@role_required(*DATA_EDITORS)
def impor_detail(request, pk):
    """A batch: progress while it runs (polled by HTMX), then the preview or the result."""
    batch = get_object_or_404(selectors.import_batches(request.user), pk=pk)
    if request.htmx and request.GET.get("progres"):
        response = render_page(request, "balita/impor_detail.html", {"batch": batch}, "progres")
        if not batch.berjalan:
            response["HX-Refresh"] = "true"  # finished: show the whole page (preview or result)
        return response
    errors = Paginator(selectors.import_errors(batch), 100).get_page(request.GET.get("hal"))
    return render_page(request, "balita/impor_detail.html", {"batch": batch, "errors": errors})


@role_required(*DATA_EDITORS)
@require_POST
def impor_simpan(request, pk):
    batch = get_object_or_404(selectors.import_batches(request.user), pk=pk)
    try:
        services.confirm_import(batch, request.user)
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
def impor_galat(request, pk):
    """Every error of a batch as XLSX (row, column, value, message)."""
    batch = get_object_or_404(selectors.import_batches(request.user), pk=pk)
    rows = selectors.import_errors(batch).values_list("baris", "kolom", "nilai", "pesan")
    content = xlsx.table_bytes(["Baris", "Kolom", "Nilai di berkas", "Masalah"], rows.iterator(),
                               sheet="Galat impor", widths={1: 22, 2: 24, 3: 80})
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    stem = batch.nama_berkas.rsplit(".", 1)[0]
    response["Content-Disposition"] = f'attachment; filename="galat-{stem}.xlsx"'
    return response
