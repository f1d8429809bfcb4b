"""Pages of sasaran hulu: the summary by kelurahan, the catin, TTD remaja putri and KRS lists,
entry forms, and the imports (upload → preview → confirm). Views parse, call a selector or a
service, render; rows come through `for_user`."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from balita import asi as asi_figures
from sasaran import importers, matching, policy, rules, selectors, services
from sasaran.forms import CatinForm, FilterForm, TtdForm, UnggahForm
from sasaran.models import Catin, JenisImpor, KeluargaKrs
from tpps import submissions, xlsx
from tpps.access import role_required
from tpps.audit import LIHAT, catat_akses
from tpps.errors import UserError, add_message, add_to_form
from tpps.forms import PeriodeForm
from tpps.htmx import render_page
from tpps.models import Kelurahan
from tpps.periods import Periode
from tpps.roles import ALL_ROLES, CHILD_READERS, HEALTH_RECORDERS, access_for

PER_PAGE = 50


def _period(request):
    years = selectors.years(request.user)

    def default_for(tahun):
        return Periode("tahun", tahun or (years[0] if years else _today().year), 1)
    form = PeriodeForm(request.GET, years=years, default_for=default_for)
    return form, form.resolve_periode()


def _today():
    return timezone.localdate()


@role_required(*ALL_ROLES)
def index(request):
    """Both ends of the chain upstream of the toddler, by kelurahan, for one period."""
    form, periode = _period(request)
    user = request.user
    catin = selectors.catin_by(user, periode, "kelurahan")
    ttd = selectors.ttd_by(user, periode, "kelurahan")
    krs = selectors.krs_by(user, periode.tahun, "kelurahan")
    context = {
        "form": form, "periode": periode,
        "catin": selectors.kelurahan_rows(user, catin), "catin_total": selectors.catin_figures(user, periode),
        "ttd": selectors.kelurahan_rows(user, ttd), "ttd_total": selectors.ttd_figures(user, periode),
        "krs": selectors.kelurahan_rows(user, krs), "krs_total": selectors.krs_figures(user, periode.tahun),
        "asi": asi_figures.asi(user, periode) if asi_figures.has_answers(user, periode) else None,
        "boleh": {jenis: policy.can_write(user, jenis) for jenis in JenisImpor.values},
        "kriteria": rules.RISIKO_LABEL,
    }
    return render_page(request, "sasaran/index.html", context, "isi")


def _list_page(request, rows):
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("hal"))
    query = request.GET.copy()
    query.pop("hal", None)
    return page, query.urlencode()


@role_required(*ALL_ROLES)
def catin(request):
    values = FilterForm(request.GET).values()
    access = access_for(request.user)
    q = values.get("q") or "" if access.can_see_personal_data else ""
    rows = selectors.catin_list(request.user, q=q, kelurahan=values.get("kelurahan"), risiko=values.get("risiko") or "",
                                tahun=values.get("tahun"))
    page, query = _list_page(request, rows)
    for row in page.object_list:
        row.alasan = rules.reasons(row)
    if access.can_see_personal_data:
        catat_akses(request, LIHAT, Catin, len(page.object_list), "Daftar catin")
    context = {"page": page, "query": query, "values": values, "boleh": policy.can_write(request.user, JenisImpor.CATIN),
               "kelurahan_list": _visible_kelurahan(request.user)}
    return render_page(request, "sasaran/catin.html", context, "rows")


def _visible_kelurahan(user):
    return Kelurahan.objects.for_user(user).order_by("nama")


@role_required(*HEALTH_RECORDERS)
def catin_baru(request):
    policy.check_write(request.user, JenisImpor.CATIN)
    form = submissions.with_token(CatinForm(request.POST or None, user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request, form, unique={"catin_satu_periksa_per_hari": (
                    "tanggal_periksa", "Catin dengan NIK ini sudah diperiksa pada tanggal tersebut.")}) as sent:
                row = services.record_catin(_fields(form), request.user)
                sent.jawaban = reverse("sasaran:catin")
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            hasil = "berisiko: " + "; ".join(rules.reasons(row)) if row.berisiko else "ideal"
            messages.success(request, f"Pemeriksaan {row.nama} tersimpan ({hasil}).")
            return redirect("sasaran:catin")
    return render_page(request, "sasaran/form.html", {"form": form, "judul": "Catat pemeriksaan catin",
                                                      "kembali": reverse("sasaran:catin")}, invalid=form.is_bound)


def _fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != submissions.FIELD}


@role_required(*ALL_ROLES)
def remaja(request):
    values = FilterForm(request.GET).values()
    form, periode = _period(request)
    rows = selectors.ttd_list(request.user, q=values.get("q") or "", kelurahan=values.get("kelurahan"),
                              tahun=values.get("tahun"))
    page, query = _list_page(request, rows)
    context = {"page": page, "query": query, "values": values, "form": form, "periode": periode,
               "per_kelurahan": selectors.kelurahan_rows(request.user, selectors.ttd_by(request.user, periode, "kelurahan")),
               "total": selectors.ttd_figures(request.user, periode),
               "boleh": policy.can_write(request.user, JenisImpor.REMAJA), "kelurahan_list": _visible_kelurahan(request.user)}
    return render_page(request, "sasaran/remaja.html", context, "rows")


@role_required(*HEALTH_RECORDERS)
def remaja_baru(request):
    policy.check_write(request.user, JenisImpor.REMAJA)
    form = submissions.with_token(TtdForm(request.POST or None, user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request, form, unique={"ttd_satu_per_sekolah_bulan": (
                    "sekolah", "Laporan sekolah ini untuk bulan tersebut sudah ada.")}) as sent:
                row = services.record_ttd(_fields(form), request.user)
                sent.jawaban = reverse("sasaran:remaja")
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Laporan TTD {row.sekolah} tersimpan.")
            return redirect("sasaran:remaja")
    return render_page(request, "sasaran/form.html", {"form": form, "judul": "Catat TTD remaja putri",
                                                      "kembali": reverse("sasaran:remaja")}, invalid=form.is_bound)


@role_required(*CHILD_READERS)
def krs(request):
    values = FilterForm(request.GET).values()
    access = access_for(request.user)
    years = sorted(set(KeluargaKrs.objects.for_user(request.user).values_list("tahun", flat=True)), reverse=True)
    tahun = values.get("tahun") if values.get("tahun") in years else (years[0] if years else _today().year)
    q = values.get("q") or "" if access.can_see_personal_data else ""
    rows = selectors.krs_list(request.user, q=q, kelurahan=values.get("kelurahan"), tahun=tahun,
                              faktor=values.get("faktor") or "")
    page, query = _list_page(request, rows)
    children = matching.children_of(request.user, page.object_list)
    for row in page.object_list:
        row.anak = children.get(row.pk, [])
    if access.can_see_personal_data:
        catat_akses(request, LIHAT, KeluargaKrs, len(page.object_list), "Daftar keluarga risiko stunting (BKKBN)")
    context = {"page": page, "query": query, "values": values, "tahun": tahun, "years": years,
               "per_kelurahan": selectors.kelurahan_rows(request.user, selectors.krs_by(request.user, tahun, "kelurahan")),
               "total": selectors.krs_figures(request.user, tahun),
               "boleh": policy.can_write(request.user, JenisImpor.KRS), "kelurahan_list": _visible_kelurahan(request.user),
               "faktor_list": [(name, importers.KRS[name].label) for name in importers.KRS_FLAGS]}
    return render_page(request, "sasaran/krs.html", context, "rows")


# --- Imports -------------------------------------------------------------------------------------


def _jenis(jenis: str) -> str:
    if jenis not in JenisImpor.values:
        raise Http404("Jenis impor tidak dikenal.")
    return jenis


@role_required(*HEALTH_RECORDERS)
def impor(request, jenis):
    jenis = _jenis(jenis)
    policy.check_write(request.user, jenis)
    form = UnggahForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.upload(jenis, form.cleaned_data["berkas"], request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            return redirect("sasaran:impor_detail", pk=batch.pk)
    page = Paginator(selectors.imports(request.user, jenis), 20).get_page(request.GET.get("hal"))
    context = {"form": form, "page": page, "jenis": jenis, "jenis_label": JenisImpor(jenis).label,
               "kolom": importers.COLUMNS[jenis].values()}
    return render_page(request, "sasaran/impor.html", context, status=422 if form.is_bound and form.errors else 200)


@role_required(*HEALTH_RECORDERS)
def impor_detail(request, pk):
    batch = get_object_or_404(selectors.imports(request.user), pk=pk)
    errors = Paginator(batch.galat, 100).get_page(request.GET.get("hal"))
    return render_page(request, "sasaran/impor_detail.html", {"batch": batch, "errors": errors,
                                                                "ringkasan": batch.ringkasan})


@role_required(*HEALTH_RECORDERS)
@require_POST
def impor_simpan(request, pk):
    batch = get_object_or_404(selectors.imports(request.user), pk=pk)
    try:
        batch = services.confirm(batch, request.user)
    except UserError as error:
        add_message(request, error)
    else:
        r = batch.ringkasan
        messages.success(request, f"Impor selesai: {r['baru']} baris baru, {r['diubah']} diubah, {r['sama']} tidak berubah.")
    return redirect("sasaran:impor_detail", pk=batch.pk)


@role_required(*HEALTH_RECORDERS)
@require_POST
def impor_batal(request, pk):
    batch = get_object_or_404(selectors.imports(request.user), pk=pk)
    try:
        services.cancel(batch, request.user)
    except UserError as error:
        add_message(request, error)
    else:
        messages.info(request, "Impor dibatalkan; tidak ada data yang disimpan.")
    return redirect("sasaran:impor", jenis=batch.jenis)


@role_required(*HEALTH_RECORDERS)
def templat(request, jenis):
    jenis = _jenis(jenis)
    headers, rows = importers.template(jenis)
    text_columns = [i for i, label in enumerate(headers) if label.startswith("NIK")]
    content = xlsx.table_bytes(headers, rows, sheet="Data", kinds={i: "teks" for i in text_columns})
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="templat-impor-{jenis}.xlsx"'
    return response

