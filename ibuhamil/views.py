"""Pages of ibu hamil: the overview of figures, the list (search, filters, print, XLSX), a
pregnancy with its visits timeline and the forms to record visits, PMT and the birth, the
decision on a newborn held for review, and the import of the template with its preview. Views
parse, call a selector or a service, render; rows come through `for_user`."""

import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from ibuhamil import importer, rules, selectors, services
from ibuhamil.forms import (
    FilterForm, KehamilanForm, KeputusanBayiForm, KonfirmasiForm, KunjunganForm, PersalinanForm, PmtForm, UnggahForm,
)
from ibuhamil.models import Kehamilan, Tautan
from tpps import submissions, xlsx
from tpps.access import role_required
from tpps.audit import LIHAT, UNDUH, catat_akses
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.roles import ALL_ROLES, DATA_EDITORS, HEALTH_RECORDERS, access_for

UNIQUE = {name: value for name, value in services.UNIQUE.items()}
TOKEN_SALT = "ibuhamil.impor"
TOKEN_AGE = 24 * 3600


def _fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != submissions.FIELD}


def _year(request, user):
    years = selectors.years(user)
    try:
        tahun = int(request.GET.get("tahun") or 0)
    except ValueError:
        tahun = 0
    if not 2000 <= tahun <= 2100:
        tahun = years[0] if years and years[0] <= timezone.localdate().year else timezone.localdate().year
    return tahun, years


@role_required(*ALL_ROLES)
def ringkasan(request):
    """The overview: the year's figures, the three indicators, stunting by birth status."""
    tahun, years = _year(request, request.user)
    context = {"s": selectors.summary(request.user, tahun), "tahun": tahun, "years": years,
               "split": selectors.stunting_by_birth(request.user, tahun), "rules": rules}
    return render_page(request, "ibuhamil/ringkasan.html", context)


@role_required(*ALL_ROLES)
def index(request):
    form = FilterForm(request.GET)
    values = form.values()
    rows = selectors.pregnancies(request.user, **values)
    page = Paginator(rows, 50).get_page(request.GET.get("hal"))
    page.rows = selectors.decorate(page.object_list, request.user)
    access = access_for(request.user)
    if access.can_see_personal_data:
        catat_akses(request, LIHAT, Kehamilan, len(page.rows), "Daftar ibu hamil")
    query = request.GET.copy()
    query.pop("hal", None)
    context = {"form": form, "page": page, "values": values, "query": query.urlencode(),
               "areas": selectors.area_choices(request.user), "status_choices": selectors.STATUS.items(),
               "risiko_choices": selectors.RISIKO_FILTER.items(), "can_enter": access.can_record_health_data}
    return render_page(request, "ibuhamil/index.html", context, "rows")


EXPORT_HEADERS = ["No", "Kode", "NIK ibu", "Nama ibu", "Umur saat HPHT", "Kelurahan", "Posyandu", "HPHT", "HPL",
                  "Kunjungan", "KEK", "Anemia", "TTD", "Risiko", "Persalinan", "Berat lahir (g)", "Panjang lahir (cm)",
                  "Keadaan"]


@role_required(*ALL_ROLES)
def export(request):
    """The filtered list as XLSX (names and NIK masked for roles that may not see them)."""
    values = FilterForm(request.GET).values()
    rows = selectors.decorate(selectors.pregnancies(request.user, **values), request.user)

    def yes_no(value):
        return "" if value is None else ("Ya" if value else "Tidak")

    table = [[i, k.kode, k.nik_tampil, k.nama_tampil, k.umur_ibu, k.kelurahan.nama,
              k.posyandu.nama if k.posyandu else "", k.hpht, k.hpl, k.kunjungan, yes_no(k.kek), yes_no(k.anemia), k.ttd,
              "; ".join(k.risiko_label), k.tanggal_persalinan, k.berat_lahir,
              float(k.panjang_lahir) if k.panjang_lahir is not None else None, k.status_label]
             for i, k in enumerate(rows, start=1)]
    content = xlsx.table_bytes(EXPORT_HEADERS, table, sheet="Ibu hamil", widths={2: 20, 3: 28, 13: 40},
                               kinds={16: "desimal"})
    if access_for(request.user).can_see_personal_data:
        catat_akses(request, UNDUH, Kehamilan, len(table), "Daftar ibu hamil (XLSX)")
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ibu-hamil-{timezone.localdate().isoformat()}.xlsx"'
    return response


def _require_recorder(request):
    """OPD users other than the health office read pregnancies but record none."""
    if not access_for(request.user).can_record_health_data:
        raise PermissionDenied("Anda tidak berwenang mencatat data ibu hamil.")


def _pregnancy_or_404(request, pk):
    try:
        return selectors.pregnancy_for(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404("Data ibu hamil tidak ditemukan di wilayah Anda.") from None


def _detail_context(request, kehamilan, **forms):
    can_change = selectors.can_change(request.user, kehamilan)
    context = {
        "k": kehamilan,
        "kunjungan": selectors.visits(kehamilan),
        "pmt": selectors.pmt_courses(kehamilan),
        "can_change": can_change,
        "rules": rules,
        "kandidat": selectors.newborn_candidates(request.user, kehamilan) if kehamilan.tautan == Tautan.TINJAU else [],
    }
    if can_change:
        context["kunjungan_form"] = forms.get("kunjungan_form") or submissions.with_token(KunjunganForm(prefix="kunjungan"))
        if kehamilan.kek:
            context["pmt_form"] = forms.get("pmt_form") or submissions.with_token(PmtForm(prefix="pmt"))
        if not kehamilan.tanggal_persalinan:
            context["persalinan_form"] = forms.get("persalinan_form") or submissions.with_token(PersalinanForm(prefix="lahir"))
        if kehamilan.tautan == Tautan.TINJAU:
            context["keputusan_form"] = forms.get("keputusan_form") or KeputusanBayiForm()
    return context


@role_required(*ALL_ROLES)
def detail(request, pk):
    kehamilan = _pregnancy_or_404(request, pk)
    if access_for(request.user).can_see_personal_data:
        catat_akses(request, LIHAT, Kehamilan, 1, "Data ibu hamil", objek=kehamilan.pk)
    return render_page(request, "ibuhamil/detail.html", _detail_context(request, kehamilan))


@role_required(*HEALTH_RECORDERS)
def baru(request):
    _require_recorder(request)
    form = submissions.with_token(KehamilanForm(request.POST or None, user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request, form, unique=UNIQUE) as sent:
                kehamilan = services.register_pregnancy(_fields(form), request.user)
                sent.jawaban = reverse("ibuhamil:detail", kwargs={"pk": kehamilan.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Kehamilan {kehamilan.nama} tercatat; HPL {kehamilan.hpl:%d/%m/%Y}.")
            return redirect(sent.jawaban)
    return render_page(request, "ibuhamil/form.html", {"form": form, "k": None}, invalid=request.method == "POST")


@role_required(*HEALTH_RECORDERS)
def ubah(request, pk):
    kehamilan = _pregnancy_or_404(request, pk)
    if not selectors.can_change(request.user, kehamilan):
        raise Http404("Data ibu hamil tidak ditemukan di wilayah kerja Anda.")
    initial = {name: getattr(kehamilan, name) for name in services.PREGNANCY_FIELDS}
    form = KehamilanForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_pregnancy(kehamilan, form.cleaned_data, request.user)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, "Data kehamilan diperbarui.")
            return redirect("ibuhamil:detail", pk=kehamilan.pk)
    return render_page(request, "ibuhamil/form.html", {"form": form, "k": kehamilan}, invalid=request.method == "POST")


def _record(request, pk, form_class, prefix, key, write, done):
    """The detail page's entry forms: post, write through the service, or show the page again
    with the form's errors."""
    kehamilan = _pregnancy_or_404(request, pk)
    if request.method != "POST":
        return redirect("ibuhamil:detail", pk=kehamilan.pk)
    form = submissions.with_token(form_class(request.POST, prefix=prefix))
    if form.is_valid():
        try:
            with submissions.once(request, form, unique=UNIQUE) as sent:
                result = write(kehamilan, _fields(form))
                sent.jawaban = reverse("ibuhamil:detail", kwargs={"pk": kehamilan.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, done(result))
            return redirect("ibuhamil:detail", pk=kehamilan.pk)
    context = _detail_context(request, kehamilan, **{key: form})
    return render_page(request, "ibuhamil/detail.html", context, key, invalid=True)


@role_required(*HEALTH_RECORDERS)
def kunjungan_create(request, pk):
    return _record(request, pk, KunjunganForm, "kunjungan", "kunjungan_form",
                   lambda k, data: services.record_visit(k, user=request.user, **data),
                   lambda visit: f"Kunjungan K{visit.ke} tercatat (trimester {visit.trimester}).")


@role_required(*HEALTH_RECORDERS)
def pmt_create(request, pk):
    return _record(request, pk, PmtForm, "pmt", "pmt_form",
                   lambda k, data: services.record_pmt(k, user=request.user, **data),
                   lambda row: f"PMT {row.lama_hari} hari tercatat.")


def _birth_message(kehamilan):
    if kehamilan.tautan == Tautan.TERTAUT:
        return f"Persalinan tercatat; bayi tertaut ke data balita ({kehamilan.anak.nama})."
    if kehamilan.tautan == Tautan.TINJAU:
        return "Persalinan tercatat; data bayi perlu keputusan Anda sebelum masuk data balita."
    return "Persalinan tercatat."


@role_required(*HEALTH_RECORDERS)
def persalinan_create(request, pk):
    return _record(request, pk, PersalinanForm, "lahir", "persalinan_form",
                   lambda k, data: services.record_birth(k, data, request.user), _birth_message)


@role_required(*DATA_EDITORS)
def keputusan_bayi(request, pk):
    kehamilan = _pregnancy_or_404(request, pk)
    if request.method != "POST":
        return redirect("ibuhamil:detail", pk=kehamilan.pk)
    form = KeputusanBayiForm(request.POST)
    if form.is_valid():
        try:
            kehamilan = services.decide_newborn(kehamilan, form.cleaned_data["keputusan"], request.user,
                                                anak_id=form.cleaned_data.get("anak"))
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, _birth_message(kehamilan))
            return redirect("ibuhamil:detail", pk=kehamilan.pk)
    context = _detail_context(request, kehamilan, keputusan_form=form)
    return render_page(request, "ibuhamil/detail.html", context, "keputusan_form", invalid=True)


# --- Import ----------------------------------------------------------------------------------------


def _upload_dir() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "ibuhamil" / "impor"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _discard_stale(folder: Path):
    """Previews never confirmed: their files go once their token has expired."""
    limit = time.time() - TOKEN_AGE
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _stored(token: str, user):
    """(path, original name) of an upload waiting for confirmation by this user, or None."""
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_AGE)
    except signing.BadSignature:
        return None
    if data.get("u") != user.pk:
        return None
    path = _upload_dir() / Path(str(data.get("f", ""))).name
    return (path, str(data.get("n", "berkas"))) if path.is_file() else None


@role_required(*HEALTH_RECORDERS)
def templat(request):
    _require_recorder(request)
    response = HttpResponse(importer.template_bytes(), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-ibu-hamil.xlsx"'
    return response


@role_required(*HEALTH_RECORDERS)
def impor(request):
    """Upload → the preview (counts, first rows, errors by row and column) with a confirm button."""
    _require_recorder(request)
    form = UnggahForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": importer.TEMPLATE_COLUMNS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["berkas"]
        name = Path(upload.name).name
        _discard_stale(_upload_dir())
        stored = _upload_dir() / f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
        with stored.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            result = importer.check(stored, name, request.user)
        except UserError as error:
            stored.unlink(missing_ok=True)
            add_to_form(form, error)
        else:
            if result.ok:
                context["token"] = signing.dumps({"f": stored.name, "n": name, "u": request.user.pk}, salt=TOKEN_SALT)
            else:
                stored.unlink(missing_ok=True)
            context.update(result=result, nama_berkas=name, contoh=importer.preview_rows(result))
    return render_page(request, "ibuhamil/impor.html", context, invalid=request.method == "POST" and not form.is_valid())


@role_required(*HEALTH_RECORDERS)
def impor_konfirmasi(request):
    _require_recorder(request)
    if request.method != "POST":
        return redirect("ibuhamil:impor")
    form = KonfirmasiForm(request.POST)
    found = _stored(form.data.get("token", ""), request.user) if form.is_valid() else None
    if found is None:
        messages.error(request, "Pratinjau impor sudah kedaluwarsa atau tidak dikenal; unggah berkasnya lagi.")
        return redirect("ibuhamil:impor")
    path, name = found
    try:
        result = importer.apply(path, name, request.user)
    except UserError as error:
        messages.error(request, str(error))
        return redirect("ibuhamil:impor")
    finally:
        path.unlink(missing_ok=True)
    counts = result.counts
    messages.success(request, f"Impor {name} selesai: {counts['baru']} kehamilan baru, {counts['ubah']} diperbarui, "
                              f"{counts['sama']} tidak berubah.")
    return redirect("ibuhamil:index")
