"""Pages of rekomendasi: recommendations and weak points with their follow-up, the register of
innovations, and the readiness section the konvergensi readiness page loads."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from konvergensi import selectors as konvergensi_selectors
from rekomendasi import policy, selectors, services
from rekomendasi.forms import JENIS_PILIHAN, InovasiForm, MitraForm, RekomendasiForm, TindakLanjutForm
from rekomendasi.models import Inovasi, MitraInovasi, Rekomendasi, TindakLanjut
from rekomendasi.rules import Status
from tpps import submissions, uploads
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.roles import AGGREGATE_READERS, CITY_EDITORS, CONVERGENCE_EDITORS


def _too_large(request, form, field):
    message = getattr(request, "berkas_terlalu_besar", None)
    if message:
        form.errors.pop(field, None)
        form.add_error(field, message)
        return True
    return False


def _year(request, default=None):
    try:
        tahun = int(request.GET.get("tahun") or 0)
    except ValueError:
        tahun = 0
    return tahun if 2018 <= tahun <= 2100 else default


def _download(row):
    if not row.berkas:
        raise Http404("Tidak ada berkas.")
    try:
        handle = row.berkas.open("rb")
    except FileNotFoundError as error:
        raise Http404("Berkas tidak ditemukan di penyimpanan.") from error
    response = FileResponse(handle, as_attachment=True, filename=row.nama_berkas, content_type=row.mime)
    response["Cache-Control"] = "private, no-store"
    return response


# --- recommendations ------------------------------------------------------------------------

@role_required(*AGGREGATE_READERS)
def index(request):
    tahun = _year(request)
    jenis = request.GET.get("jenis", "")
    jenis = jenis if jenis in dict(JENIS_PILIHAN) else ""
    status = request.GET.get("status", "")
    status = status if status in Status.values else ""
    rows = selectors.recommendations(request.user, tahun=tahun, jenis=jenis or None)
    context = {
        "rows": [r for r in rows if r["status"] == status] if status else rows,
        "jumlah": selectors.counts(rows),
        "tahun": tahun, "tahun_list": selectors.years(request.user),
        "jenis": jenis, "jenis_pilihan": JENIS_PILIHAN,
        "status": status, "status_pilihan": Status.choices,
        "boleh_catat": policy.can_record(request.user),
    }
    return render_page(request, "rekomendasi/index.html", context, partial="daftar")


@csrf_exempt
@role_required(*CITY_EDITORS)
def tambah(request):
    if request.method == "POST":
        request.upload_handlers.insert(0, uploads.BatasUkuranHandler(request))
    return _tambah(request)


@csrf_protect
def _tambah(request):
    initial = {"tahun": _year(request, konvergensi_selectors.default_year()), "sumber": "Hasil penilaian kinerja TPPS Provinsi Jawa Timur"}
    form = submissions.with_token(RekomendasiForm(request.POST or None, request.FILES or None, user=request.user, initial=initial))
    if request.method == "POST" and not _too_large(request, form, "dokumen") and form.is_valid():
        data = form.cleaned_data
        try:
            with submissions.once(request, form) as sent:
                rekomendasi = services.save_recommendation(
                    form.save(commit=False), opd=data["opd"], indikator=data["indikator"], kegiatan=data["kegiatan"],
                    bukti=data["bukti"], dokumen=data["dokumen"], user=request.user)
                sent.jawaban = reverse("rekomendasi:detail", args=[rekomendasi.pk])
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"{rekomendasi.get_jenis_display()} “{rekomendasi.judul}” tercatat.")
            return redirect("rekomendasi:detail", pk=rekomendasi.pk)
    return render_page(request, "rekomendasi/form.html", {"form": form}, invalid=request.method == "POST")


@csrf_exempt
@role_required(*CITY_EDITORS)
def ubah(request, pk):
    if request.method == "POST":
        request.upload_handlers.insert(0, uploads.BatasUkuranHandler(request))
    return _ubah(request, pk)


@csrf_protect
def _ubah(request, pk):
    rekomendasi = get_object_or_404(Rekomendasi.objects.for_user(request.user, "change"), pk=pk)
    form = RekomendasiForm(request.POST or None, request.FILES or None, user=request.user, instance=rekomendasi)
    if request.method == "POST" and not _too_large(request, form, "dokumen") and form.is_valid():
        data = form.cleaned_data
        try:
            services.save_recommendation(form.save(commit=False), opd=data["opd"], indikator=data["indikator"],
                                         kegiatan=data["kegiatan"], bukti=data["bukti"], dokumen=data["dokumen"], user=request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Perubahan tersimpan.")
            return redirect("rekomendasi:detail", pk=rekomendasi.pk)
    return render_page(request, "rekomendasi/form.html", {"form": form, "rekomendasi": rekomendasi},
                       invalid=request.method == "POST")


@role_required(*CITY_EDITORS)
@require_POST
def hapus(request, pk):
    rekomendasi = get_object_or_404(Rekomendasi.objects.for_user(request.user, "change"), pk=pk)
    judul = rekomendasi.judul
    services.delete_recommendation(rekomendasi, user=request.user)
    messages.success(request, f"“{judul}” dihapus.")
    return redirect("rekomendasi:index")


def _detail_context(request, rekomendasi, form=None):
    opds = selectors.follow_up_opds(request.user, rekomendasi)
    if form is None and opds:
        form = submissions.with_token(TindakLanjutForm(opds=opds))
    return {
        "r": selectors.detail(request.user, rekomendasi), "rekomendasi": rekomendasi, "form": form if opds else None,
        "boleh_ubah": policy.can_record(request.user),
        "boleh_hapus_tl": {t.id for t in TindakLanjut.objects.for_user(request.user, "change").filter(rekomendasi=rekomendasi)},
    }


@role_required(*AGGREGATE_READERS)
def detail(request, pk):
    rekomendasi = get_object_or_404(Rekomendasi.objects.for_user(request.user), pk=pk)
    return render_page(request, "rekomendasi/detail.html", _detail_context(request, rekomendasi))


@csrf_exempt
@role_required(*CONVERGENCE_EDITORS)
def tindak_lanjut(request, pk):
    if request.method == "POST":
        request.upload_handlers.insert(0, uploads.BatasUkuranHandler(request))
    return _tindak_lanjut(request, pk)


@csrf_protect
def _tindak_lanjut(request, pk):
    rekomendasi = get_object_or_404(Rekomendasi.objects.for_user(request.user), pk=pk)
    opds = selectors.follow_up_opds(request.user, rekomendasi)
    if not opds:
        raise PermissionDenied("Rekomendasi ini bukan tanggung jawab OPD Anda.")
    if request.method != "POST":
        return redirect("rekomendasi:detail", pk=pk)
    form = submissions.with_token(TindakLanjutForm(request.POST, request.FILES, opds=opds))
    if not _too_large(request, form, "berkas") and form.is_valid():
        data = form.cleaned_data
        try:
            with submissions.once(request, form) as sent:
                services.record_follow_up(rekomendasi, data["opd"], data, data["berkas"], user=request.user)
                sent.jawaban = reverse("rekomendasi:detail", args=[pk])
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Tindak lanjut tercatat.")
            return redirect("rekomendasi:detail", pk=pk)
    return render_page(request, "rekomendasi/detail.html", _detail_context(request, rekomendasi, form), invalid=True)


@role_required(*CONVERGENCE_EDITORS)
@require_POST
def tindak_lanjut_hapus(request, pk):
    tindak = get_object_or_404(TindakLanjut.objects.for_user(request.user, "change"), pk=pk)
    rekomendasi_id = tindak.rekomendasi_id
    services.delete_follow_up(tindak, user=request.user)
    messages.success(request, "Tindak lanjut dihapus.")
    return redirect("rekomendasi:detail", pk=rekomendasi_id)


@role_required(*AGGREGATE_READERS)
def dokumen_unduh(request, pk):
    return _download(get_object_or_404(Rekomendasi.objects.for_user(request.user), pk=pk))


@role_required(*AGGREGATE_READERS)
def tindak_lanjut_unduh(request, pk):
    return _download(get_object_or_404(TindakLanjut.objects.for_user(request.user), pk=pk))


@role_required(*AGGREGATE_READERS)
def kesiapan(request):
    """The readiness page's section: what the panel of the year will ask about (worst first)
    and the innovations. Loaded by konvergensi's readiness page; a page of its own without JS."""
    tahun = _year(request, konvergensi_selectors.default_year())
    context = {"k": selectors.for_assessment(request.user, tahun), "tahun": tahun}
    return render_page(request, "rekomendasi/kesiapan.html", context, partial="bagian")


# --- innovations ----------------------------------------------------------------------------

@role_required(*AGGREGATE_READERS)
def inovasi(request):
    context = {"rows": selectors.innovations(request.user), "boleh_tambah": policy.can_add_innovation(request.user)}
    return render_page(request, "rekomendasi/inovasi.html", context)


@csrf_exempt
@role_required(*CONVERGENCE_EDITORS)
def inovasi_tambah(request):
    if request.method == "POST":
        request.upload_handlers.insert(0, uploads.BatasUkuranHandler(request))
    return _inovasi_tambah(request)


@csrf_protect
def _inovasi_tambah(request):
    if not policy.can_add_innovation(request.user):
        raise PermissionDenied("Hanya OPD dan DP3AP2KB yang mencatat inovasi.")
    form = submissions.with_token(InovasiForm(request.POST or None, request.FILES or None, user=request.user))
    if request.method == "POST" and not _too_large(request, form, "berkas") and form.is_valid():
        try:
            with submissions.once(request, form) as sent:
                saved = services.save_innovation(form.save(commit=False), form.cleaned_data["berkas"], user=request.user)
                sent.jawaban = reverse("rekomendasi:inovasi_detail", args=[saved.pk])
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Inovasi “{saved.nama}” tercatat. Tambahkan mitranya di bawah.")
            return redirect("rekomendasi:inovasi_detail", pk=saved.pk)
    return render_page(request, "rekomendasi/inovasi_form.html", {"form": form}, invalid=request.method == "POST")


@csrf_exempt
@role_required(*CONVERGENCE_EDITORS)
def inovasi_ubah(request, pk):
    if request.method == "POST":
        request.upload_handlers.insert(0, uploads.BatasUkuranHandler(request))
    return _inovasi_ubah(request, pk)


@csrf_protect
def _inovasi_ubah(request, pk):
    item = get_object_or_404(Inovasi.objects.for_user(request.user, "change"), pk=pk)
    form = InovasiForm(request.POST or None, request.FILES or None, user=request.user, instance=item)
    if request.method == "POST" and not _too_large(request, form, "berkas") and form.is_valid():
        try:
            services.save_innovation(form.save(commit=False), form.cleaned_data["berkas"], user=request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Perubahan tersimpan.")
            return redirect("rekomendasi:inovasi_detail", pk=pk)
    return render_page(request, "rekomendasi/inovasi_form.html", {"form": form, "inovasi": item},
                       invalid=request.method == "POST")


def _inovasi_context(request, item, mitra_form=None):
    row = next(r for r in selectors.innovations(request.user) if r["id"] == item.id)
    editable = policy.can_edit_innovation(request.user, item)
    return {"i": row, "inovasi": item, "boleh_ubah": editable,
            "mitra_list": list(item.mitra.all()),
            "mitra_form": (mitra_form or MitraForm()) if editable else None}


@role_required(*AGGREGATE_READERS)
def inovasi_detail(request, pk):
    item = get_object_or_404(Inovasi.objects.for_user(request.user), pk=pk)
    return render_page(request, "rekomendasi/inovasi_detail.html", _inovasi_context(request, item))


@role_required(*CONVERGENCE_EDITORS)
@require_POST
def inovasi_hapus(request, pk):
    item = get_object_or_404(Inovasi.objects.for_user(request.user, "change"), pk=pk)
    nama = item.nama
    services.delete_innovation(item, user=request.user)
    messages.success(request, f"Inovasi “{nama}” dihapus.")
    return redirect("rekomendasi:inovasi")


@role_required(*AGGREGATE_READERS)
def inovasi_unduh(request, pk):
    return _download(get_object_or_404(Inovasi.objects.for_user(request.user), pk=pk))


@role_required(*CONVERGENCE_EDITORS)
@require_POST
def mitra_tambah(request, pk):
    item = get_object_or_404(Inovasi.objects.for_user(request.user, "change"), pk=pk)
    form = MitraForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_partner(item, data["nama"], data["unsur"], data["peran"], user=request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            if not request.htmx:
                return redirect("rekomendasi:inovasi_detail", pk=pk)
            form = None
    return render_page(request, "rekomendasi/inovasi_detail.html", _inovasi_context(request, item, form), partial="mitra",
                       invalid=form is not None)


@role_required(*CONVERGENCE_EDITORS)
@require_POST
def mitra_hapus(request, pk):
    mitra = get_object_or_404(MitraInovasi.objects.filter(inovasi__in=Inovasi.objects.for_user(request.user, "change")), pk=pk)
    inovasi_id = mitra.inovasi_id
    services.remove_partner(mitra, user=request.user)
    return redirect("rekomendasi:inovasi_detail", pk=inovasi_id)
