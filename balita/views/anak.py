"""Register of children, its XLSX export, the child page, entering/correcting a child, merging."""

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from balita import charts, selectors, services
from balita.forms import AnakForm, GabungForm
from balita.growth import categories
from balita.models import Anak
from balita.views.common import int_param
from tpps import masking, submissions, xlsx
from tpps.audit import LIHAT, UNDUH, catat_akses
from tpps.access import role_required
from tpps.ages import age_in_months
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.roles import CHILD_READERS, DATA_EDITORS, access_for

PAGE_SIZE = 25
# Two requests registering the same NIK at once: the second one's message.
UNIQUE_CHILD = {"anak_nik_unik": ("nik", "NIK ini baru saja didaftarkan untuk anak lain; cari di register.")}
KATEGORI_FILTER = [("stunting", "Stunting (pendek + sangat pendek)"), *categories.TBU, ("belum", "Belum pernah diukur")]


def _register_params(params) -> dict:
    return {
        "q": params.get("q", "").strip(),
        "kecamatan": int_param(params, "kecamatan"),
        "kelurahan": int_param(params, "kelurahan"),
        "posyandu": int_param(params, "posyandu"),
        "kategori": params.get("kategori", ""),
        "umur": params.get("umur", ""),
        "sort": params.get("sort", "nama") if params.get("sort", "nama") in selectors.SORTS else "nama",
    }


@role_required(*CHILD_READERS)
def index(request):
    """The register of children: search as you type, filters, sorting, pages."""
    filters = _register_params(request.GET)
    children = selectors.children_register(request.user, **filters)
    page = Paginator(children, PAGE_SIZE).get_page(request.GET.get("hal"))
    context = {
        "page": page,
        "filters": filters,
        "choices": selectors.filter_choices(request.user, filters["kecamatan"], filters["kelurahan"]),
        "kategori_choices": KATEGORI_FILTER,
        "umur_choices": [*((key, label) for key, (label, _, _) in selectors.AGE_GROUPS.items()),
                         (selectors.SEMUA_UMUR, "Semua umur")],
        "can_edit": access_for(request.user).can_edit_area_data,
        "today": timezone.localdate(),
    }
    catat_akses(request, LIHAT, Anak, len(page.object_list), "Register balita")
    return render_page(request, "balita/anak_list.html", context, "hasil")


EXPORT_HEADERS = ["No", "NIK", "Nama", "JK", "Tgl Lahir", "Umur (bulan)", "Nama Ibu", "Kecamatan", "Kelurahan",
                  "Posyandu", "Tgl Ukur Terakhir", "Berat (kg)", "Tinggi (cm)", "ZS TB/U", "TB/U", "BB/U", "BB/TB"]


@role_required(*CHILD_READERS)
def anak_export(request):
    """The filtered register as XLSX (names and NIK masked for roles that may not see them)."""
    filters = _register_params(request.GET)
    children = selectors.children_register(request.user, **filters)
    access = access_for(request.user)
    today = timezone.localdate()

    written = 0

    def rows():
        nonlocal written
        for number, child in enumerate(children.iterator(chunk_size=2000), start=1):
            written = number
            yield [
                number,
                masking.nik_for(access, child.nik),
                masking.name_for(access, child.nama),
                child.jenis_kelamin, child.tanggal_lahir, age_in_months(child.tanggal_lahir, today),
                child.nama_ibu if access.can_see_personal_data else "",  # not shown to readers at all
                child.kelurahan.kecamatan.nama, child.kelurahan.nama,
                child.posyandu.nama if child.posyandu else "",
                child.terakhir_tanggal,
                float(child.terakhir_berat) if child.terakhir_berat is not None else None,
                float(child.terakhir_tinggi) if child.terakhir_tinggi is not None else None,
                float(child.terakhir_zs_tbu) if child.terakhir_zs_tbu is not None else None,
                categories.label("tbu", child.terakhir_kategori_tbu or ""),
                categories.label("bbu", child.terakhir_kategori_bbu or ""),
                categories.label("bbtb", child.terakhir_kategori_bbtb or ""),
            ]

    content = xlsx.table_bytes(EXPORT_HEADERS, rows(), sheet="Register balita", widths={1: 20, 2: 28, 6: 24})
    catat_akses(request, UNDUH, Anak, written, "Register balita (XLSX)")
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="register-balita-{today.isoformat()}.xlsx"'
    return response


@role_required(*CHILD_READERS)
def anak_detail(request, pk):
    """The child page: identity, measurement history, growth charts against the WHO curves."""
    try:
        child = selectors.child_for(request.user, pk)
    except Anak.DoesNotExist:
        raise Http404("Data anak tidak ditemukan di wilayah Anda.")
    measurements = list(selectors.measurements_of(child))
    can_edit = selectors.editable_children(request.user).filter(pk=child.pk).exists()
    context = {
        "anak": child,
        "pengukuran": measurements,
        "terakhir": measurements[0] if measurements else None,
        "can_edit": can_edit,
        "duplikat": selectors.possible_duplicates(child, request.user) if can_edit else [],
        "chart_tbu": charts.growth_chart("tbu", child.jenis_kelamin, measurements,
                                         "Panjang/tinggi badan menurut umur (TB/U)", "cm"),
        "chart_bbu": charts.growth_chart("bbu", child.jenis_kelamin, measurements,
                                         "Berat badan menurut umur (BB/U)", "kg"),
        "bagian_lain": _other_sections(request.user, child),
    }
    return render_page(request, "balita/anak_detail.html", context)


def _other_sections(user, child) -> list[dict]:
    """What other apps show on the child's page (e.g. the mother's pregnancy and the birth):
    every AppConfig may define `child_page_sections(user, anak)` returning [{"template",
    "context"}], scoped to `user` by that app. balita imports no app; apps register by defining
    the method (as with `measurements_refreshed`)."""
    sections = []
    for config in apps.get_app_configs():
        hook = getattr(config, "child_page_sections", None)
        if hook is not None:
            sections.extend(hook(user, child))
    return sections


@role_required(*DATA_EDITORS)
def anak_baru(request):
    """Register a child who is not yet in the list (e.g. a newborn)."""
    form = submissions.with_token(AnakForm(request.POST or None, user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request, form, unique=UNIQUE_CHILD) as sent:
                child = services.register_child(form.cleaned_data, request.user)
                sent.jawaban = reverse("balita:pengukuran_baru", kwargs={"pk": child.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"{child.nama} terdaftar. Sekarang catat pengukurannya.")
            return redirect(sent.jawaban)
    return render_page(request, "balita/anak_form.html", {"form": form, "anak": None})


@role_required(*DATA_EDITORS)
def anak_ubah(request, pk):
    child = get_object_or_404(selectors.editable_children(request.user), pk=pk)
    form = AnakForm(request.POST or None, instance=Anak.objects.get(pk=child.pk), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_child(child, form.cleaned_data, request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Data anak diperbarui.")
            return redirect("balita:anak_detail", pk=child.pk)
    return render_page(request, "balita/anak_form.html", {"form": form, "anak": child})


@role_required(*DATA_EDITORS)
def anak_gabung(request, pk):
    """Merge another record of the same child into this one (two steps: choose, then confirm)."""
    child = get_object_or_404(selectors.editable_children(request.user).select_related("kelurahan"), pk=pk)
    params = request.POST if request.method == "POST" else request.GET
    form = GabungForm(params if "lain" in params else None, anak=child, user=request.user)
    other = form.cleaned_data["lain"] if form.is_bound and form.is_valid() else None
    if other is not None and request.method == "POST" and form.cleaned_data.get("konfirmasi"):
        try:
            services.merge_children(child, other, request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Data nomor {other.pk} digabungkan ke data ini.")
            return redirect("balita:anak_detail", pk=child.pk)
    context = {
        "anak": child,
        "form": form,
        "lain": other,
        "jumlah_ukur": child.pengukuran.count(),
        "jumlah_ukur_lain": other.pengukuran.count() if other else 0,
        "kandidat": selectors.possible_duplicates(child, request.user),
        "detail_url": reverse("balita:anak_detail", args=[child.pk]),
    }
    return render_page(request, "balita/anak_gabung.html", context)
