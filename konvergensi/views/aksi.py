"""Action board, action detail with evidence upload and download, verification queue."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from konvergensi import policy, selectors, services
from tpps import submissions, uploads
from konvergensi.forms import (
    AksiForm,
    BukaTahunForm,
    BuktiForm,
    PenandatanganForm,
    RembukForm,
    TanggalPenilaianForm,
    VerifikasiForm,
)
from konvergensi.models import AksiTahunan, Bukti, Penandatangan, RembukStunting, StatusVerifikasi, TahunPenilaian
from konvergensi.views.common import tahun_dari
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.roles import AGGREGATE_READERS, CITY_EDITORS, CONVERGENCE_EDITORS


def _aksi_tahunan(request, tahun, nomor) -> AksiTahunan:
    return get_object_or_404(
        AksiTahunan.objects.for_user(request.user).select_related("aksi").prefetch_related("opd"),
        tahun=tahun,
        aksi__nomor=nomor,
    )


@role_required(*AGGREGATE_READERS)
def index(request):
    """The action board: eight cards with status and readiness for a year."""
    tahun = tahun_dari(request)
    context = {
        "tahun": tahun,
        "tahun_list": selectors.years(),
        "aksi_list": selectors.actions_progress(tahun, user=request.user),
        "ringkasan": selectors.readiness_summary(tahun, user=request.user),
        "boleh_kelola": policy.can_manage_year(request.user),
        "boleh_verifikasi": policy.can_verify(request.user),
        "menunggu": selectors.verification_counts(request.user, tahun)[StatusVerifikasi.MENUNGGU],
        "tahun_baru": max(selectors.years() or [tahun]) + 1,
    }
    return render_page(request, "konvergensi/index.html", context, partial="board")


@role_required(*CITY_EDITORS)
@require_POST
def buka_tahun(request):
    form = BukaTahunForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tahun tidak sah: " + "; ".join(form.errors.get("tahun", [])))
        return redirect("konvergensi:index")
    tahun = form.cleaned_data["tahun"]
    services.open_year(tahun, user=request.user)
    messages.success(request, f"Tahun {tahun} dibuka: delapan aksi siap diisi.")
    return redirect(f"{reverse('konvergensi:index')}?tahun={tahun}")


def _detail_context(request, tahunan, **extra):
    user = request.user
    aksi = selectors.action_detail(tahunan, user)
    history = selectors.evidence_history(tahunan)
    for bukti in aksi["bukti"] + [b for k in aksi["keluaran"] for b in k["bukti"]] + aksi["bukti_lain"]:
        bukti["riwayat"] = history.get(bukti["id"], [])
    context = {
        "tahun": tahunan.tahun,
        "tahunan": tahunan,
        "aksi": aksi,
        "boleh_ubah": policy.can_edit_action(user, tahunan),
        "boleh_unggah": policy.can_upload_evidence(user, tahunan),
        "boleh_verifikasi": policy.can_verify(user),
        "batas_mb": uploads.batas_bita() // uploads.MB,
        "batas_bita": uploads.batas_bita(),
        "accept": uploads.DOKUMEN.accept,
        "lokus": selectors.lokus_kelurahan(tahunan.tahun) if tahunan.aksi.nomor == 1 else None,
        "rembuk": selectors.rembuk(tahunan.tahun) if tahunan.aksi.nomor == 3 else None,
        "rencana": selectors.plan_overview(tahunan.tahun, user=user) if tahunan.aksi.nomor == 2 else None,
    }
    if context["boleh_unggah"] and "upload_form" not in extra:
        # Suggest the first required document that still lacks accepted evidence.
        missing = next((k["id"] for k in aksi["keluaran"] if k["state"] != "diterima"), None)
        context["upload_form"] = submissions.with_token(BuktiForm(aksi_tahunan=tahunan, user=user, initial={"keluaran": missing}))
    if context["boleh_ubah"] and "aksi_form" not in extra:
        context["aksi_form"] = AksiForm(instance=tahunan, user=user)
    if tahunan.aksi.nomor == 3 and policy.can_edit_rembuk(user, tahunan):
        context.setdefault("rembuk_form", RembukForm(instance=context["rembuk"]))
        context.setdefault("penandatangan_form", submissions.with_token(PenandatanganForm()))
    evidence = list(Bukti.objects.filter(aksi_tahunan=tahunan).only("id", "status", "aksi_tahunan_id"))
    for bukti in evidence:
        bukti.aksi_tahunan = tahunan  # its OPDs are prefetched: no query per item
    context["hapus_ids"] = {bukti.id for bukti in evidence if policy.can_delete_evidence(user, bukti)}
    context.update(extra)
    return context


@role_required(*AGGREGATE_READERS)
def aksi_detail(request, tahun, nomor):
    tahunan = _aksi_tahunan(request, tahun, nomor)
    return render_page(request, "konvergensi/aksi_detail.html", _detail_context(request, tahunan))


@role_required(*CONVERGENCE_EDITORS)
def aksi_ubah(request, tahun, nomor):
    """Status, dates, narrative (and responsible OPDs for the secretariat): HTMX inline form."""
    tahunan = _aksi_tahunan(request, tahun, nomor)
    if not policy.can_edit_action(request.user, tahunan):
        raise PermissionDenied("Aksi ini bukan tanggung jawab OPD Anda.")
    if request.method != "POST":
        return render_page(request, "konvergensi/aksi_detail.html", _detail_context(request, tahunan), partial="status")
    form = AksiForm(request.POST, instance=tahunan, user=request.user)
    if form.is_valid():
        try:
            services.update_action(tahunan, form.cleaned_data, opd=form.cleaned_data.get("opd") if "opd" in form.fields else None,
                                   user=request.user)
        except UserError as error:
            add_to_form(form, error)
    if form.errors:
        tahunan.refresh_from_db()
        context = _detail_context(request, tahunan, aksi_form=form)
        return render_page(request, "konvergensi/aksi_detail.html", context, partial="status", invalid=True)
    if not request.htmx:
        messages.success(request, f"Aksi {nomor} tahun {tahun} tersimpan.")
        return redirect("konvergensi:aksi_detail", tahun=tahun, nomor=nomor)
    tahunan = _aksi_tahunan(request, tahun, nomor)
    return render_page(request, "konvergensi/aksi_detail.html", _detail_context(request, tahunan, disimpan=True), partial="status")


@csrf_exempt
@role_required(*CONVERGENCE_EDITORS)
def bukti_unggah(request, tahun, nomor):
    """Upload one evidence file. The size guard must be installed before the body is read, which
    is why CSRF is checked in the inner view (Django's documented pattern for upload handlers)."""
    if request.method == "POST":
        request.upload_handlers.insert(0, uploads.BatasUkuranHandler(request))
    return _bukti_unggah(request, tahun, nomor)


@csrf_protect
def _bukti_unggah(request, tahun, nomor):
    tahunan = _aksi_tahunan(request, tahun, nomor)
    if not policy.can_upload_evidence(request.user, tahunan):
        raise PermissionDenied("Aksi ini bukan tanggung jawab OPD Anda.")
    if request.method != "POST":
        return redirect("konvergensi:aksi_detail", tahun=tahun, nomor=nomor)
    already = submissions.sent_before(request)
    if already:
        return already.response(request)
    form = submissions.with_token(BuktiForm(request.POST, request.FILES, aksi_tahunan=tahunan, user=request.user))
    too_large = getattr(request, "berkas_terlalu_besar", None)
    if too_large:
        form.is_valid()
        form.errors.pop("berkas", None)
        form.add_error("berkas", too_large)
    elif form.is_valid():
        data = form.cleaned_data
        try:
            with submissions.once(request, form) as sent:
                bukti = services.upload_evidence(
                    tahunan, data["berkas"], judul=data["judul"], user=request.user, keluaran=data["keluaran"], opd=data["opd"]
                )
                sent.jawaban = reverse("konvergensi:aksi_detail", kwargs={"tahun": tahun, "nomor": nomor})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            if not request.htmx:
                messages.success(request, f"“{bukti.judul}” terunggah dan menunggu verifikasi DP3AP2KB.")
                return redirect("konvergensi:aksi_detail", tahun=tahun, nomor=nomor)
            tahunan = _aksi_tahunan(request, tahun, nomor)
            context = _detail_context(request, tahunan, baru=bukti.id)
            return render_page(request, "konvergensi/aksi_detail.html", context, partial="bukti")
    context = _detail_context(request, tahunan, upload_form=form)
    return render_page(request, "konvergensi/aksi_detail.html", context, partial="bukti", invalid=True)


@role_required(*AGGREGATE_READERS)
def bukti_unduh(request, pk):
    """Evidence is never served from MEDIA_ROOT directly: only here, after login and scope."""
    bukti = get_object_or_404(Bukti.objects.for_user(request.user), pk=pk)
    try:
        handle = bukti.berkas.open("rb")
    except FileNotFoundError as error:
        raise Http404("Berkas tidak ditemukan di penyimpanan.") from error
    response = FileResponse(handle, as_attachment=True, filename=bukti.nama_berkas, content_type=bukti.mime)
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(*CONVERGENCE_EDITORS)
@require_POST
def bukti_hapus(request, pk):
    bukti = get_object_or_404(Bukti.objects.for_user(request.user).select_related("aksi_tahunan__aksi"), pk=pk)
    if not policy.can_delete_evidence(request.user, bukti):
        raise PermissionDenied("Bukti ini tidak boleh Anda hapus.")
    tahunan = bukti.aksi_tahunan
    judul = bukti.judul
    services.delete_evidence(bukti, user=request.user)
    if not request.htmx:
        messages.success(request, f"“{judul}” dihapus.")
        return redirect("konvergensi:aksi_detail", tahun=tahunan.tahun, nomor=tahunan.aksi.nomor)
    tahunan = _aksi_tahunan(request, tahunan.tahun, tahunan.aksi.nomor)
    return render_page(request, "konvergensi/aksi_detail.html", _detail_context(request, tahunan), partial="bukti")


@role_required(*CITY_EDITORS)
def verifikasi(request):
    """DP3AP2KB's queue: evidence waiting for a decision (or in another state, by filter)."""
    tahun = request.GET.get("tahun", "")
    tahun = int(tahun) if tahun.isdigit() and int(tahun) in selectors.years() else None
    status = request.GET.get("status", StatusVerifikasi.MENUNGGU)
    if status not in StatusVerifikasi.values:
        status = StatusVerifikasi.MENUNGGU
    counts = selectors.verification_counts(request.user, tahun)
    context = {
        "antrian": selectors.verification_queue(request.user, tahun, status),
        "counts": counts,
        "tahun": tahun,
        "tahun_tab": tahun or selectors.default_year(),
        "tahun_list": selectors.years(),
        "status": status,
        "status_choices": [(value, label, counts[value]) for value, label in StatusVerifikasi.choices],
        "form": VerifikasiForm(),
    }
    return render_page(request, "konvergensi/verifikasi.html", context, partial="antrian")


@role_required(*CITY_EDITORS)
def bukti_verifikasi(request, pk):
    """Record a decision on one evidence item; HTMX swaps the queue row in place."""
    bukti = get_object_or_404(
        Bukti.objects.for_user(request.user, "verify").select_related("aksi_tahunan__aksi", "keluaran", "opd", "diunggah_oleh"), pk=pk
    )
    if request.method != "POST":
        if not request.htmx:
            return redirect(f"{reverse('konvergensi:verifikasi')}?tahun={bukti.aksi_tahunan.tahun}&status={bukti.status}")
        return render_page(request, "konvergensi/verifikasi.html", {"b": bukti, "form": VerifikasiForm()}, partial="baris")
    form = VerifikasiForm(request.POST)
    if form.is_valid():
        try:
            bukti = services.verify_evidence(bukti, form.cleaned_data["status"], form.cleaned_data["komentar"], request.user)
        except UserError as error:
            add_to_form(form, error)
    back = request.POST.get("kembali", "")
    # Only a path on this site ("/konvergensi/…"): redirect() would read other text as a view name.
    if not (back.startswith("/") and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})):
        back = reverse("konvergensi:verifikasi")
    if form.errors and request.htmx:
        return render_page(request, "konvergensi/verifikasi.html", {"b": bukti, "form": form}, partial="baris", invalid=True)
    if form.errors:
        messages.error(request, f"“{bukti.judul}”: " + " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    if not request.htmx:
        messages.success(request, f"Keputusan untuk “{bukti.judul}” tersimpan.")
        return redirect(back)
    bukti = Bukti.objects.select_related("aksi_tahunan__aksi", "keluaran", "opd", "diunggah_oleh", "diverifikasi_oleh").get(pk=bukti.pk)
    return render_page(request, "konvergensi/verifikasi.html", {"b": bukti, "form": VerifikasiForm(), "diputus": True}, partial="baris")


@role_required(*CITY_EDITORS)
@require_POST
def tanggal_penilaian(request, tahun):
    info = get_object_or_404(TahunPenilaian.objects.for_user(request.user), tahun=tahun)
    form = TanggalPenilaianForm(request.POST, instance=info)
    if form.is_valid():
        services.set_assessment_date(tahun, form.cleaned_data["tanggal_penilaian"], user=request.user)
        messages.success(request, f"Tanggal penilaian {tahun} tersimpan.")
    else:
        messages.error(request, "Tanggal penilaian tidak sah: " + "; ".join(form.errors.get("tanggal_penilaian", [])))
    return redirect(f"{reverse('konvergensi:kesiapan')}?tahun={tahun}")


@role_required(*CONVERGENCE_EDITORS)
@require_POST
def rembuk_simpan(request, tahun):
    tahunan = _aksi_tahunan(request, tahun, 3)
    if not policy.can_edit_rembuk(request.user, tahunan):
        raise PermissionDenied("Rembuk Stunting dicatat oleh OPD penanggung jawab aksi 3 dan DP3AP2KB.")
    instance = RembukStunting.objects.filter(tahun=tahun).first() or RembukStunting(tahun=tahun)
    form = RembukForm(request.POST, instance=instance)
    if form.is_valid():
        services.save_rembuk(form.save(commit=False), user=request.user)
        if not request.htmx:
            messages.success(request, f"Catatan Rembuk Stunting {tahun} tersimpan.")
            return redirect("konvergensi:aksi_detail", tahun=tahun, nomor=3)
        return render_page(request, "konvergensi/aksi_detail.html", _detail_context(request, tahunan), partial="rembuk")
    context = _detail_context(request, tahunan, rembuk_form=form)
    return render_page(request, "konvergensi/aksi_detail.html", context, partial="rembuk", invalid=True)


@role_required(*CONVERGENCE_EDITORS)
@require_POST
def penandatangan_tambah(request, tahun):
    tahunan = _aksi_tahunan(request, tahun, 3)
    if not policy.can_edit_rembuk(request.user, tahunan):
        raise PermissionDenied("Rembuk Stunting dicatat oleh OPD penanggung jawab aksi 3 dan DP3AP2KB.")
    rembuk = selectors.rembuk(tahun)
    form = submissions.with_token(PenandatanganForm(request.POST))
    if rembuk is None:
        form.is_valid()
        form.add_error(None, "Simpan dulu tanggal dan catatan Rembuk Stunting, lalu tambahkan penandatangan.")
    elif form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != submissions.FIELD}
        try:
            with submissions.once(request, form) as sent:
                services.add_signatory(rembuk, **data, user=request.user)
                sent.jawaban = reverse("konvergensi:aksi_detail", kwargs={"tahun": tahun, "nomor": 3})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            if not request.htmx:
                return redirect("konvergensi:aksi_detail", tahun=tahun, nomor=3)
            return render_page(request, "konvergensi/aksi_detail.html", _detail_context(request, tahunan), partial="rembuk")
    context = _detail_context(request, tahunan, penandatangan_form=form)
    return render_page(request, "konvergensi/aksi_detail.html", context, partial="rembuk", invalid=True)


@role_required(*CONVERGENCE_EDITORS)
@require_POST
def penandatangan_hapus(request, pk):
    signatory = get_object_or_404(
        Penandatangan.objects.select_related("rembuk"), pk=pk, rembuk__in=RembukStunting.objects.for_user(request.user)
    )
    tahun = signatory.rembuk.tahun
    tahunan = _aksi_tahunan(request, tahun, 3)
    if not policy.can_edit_rembuk(request.user, tahunan):
        raise PermissionDenied("Rembuk Stunting dicatat oleh OPD penanggung jawab aksi 3 dan DP3AP2KB.")
    services.remove_signatory(signatory, user=request.user)
    if not request.htmx:
        return redirect("konvergensi:aksi_detail", tahun=tahun, nomor=3)
    return render_page(request, "konvergensi/aksi_detail.html", _detail_context(request, tahunan), partial="rembuk")

