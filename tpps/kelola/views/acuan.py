"""Reference data operators maintain: posyandu per kelurahan, the yearly lokus kelurahan and the
OPDs. Admin only; the areas are in wilayah.py, the indicator catalogue in konvergensi."""

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from tpps import submissions
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.kelola import selectors, services
from tpps.kelola.forms import LokusForm, OpdForm, PejabatForm, PosyanduBaruForm, PosyanduForm
from tpps.kelola.views.wilayah import delete_row
from tpps.models import LokusKelurahan, Opd, PejabatTpps, Posyandu
from tpps.roles import Role

STATUS_CHOICES = [("aktif", "Aktif"), ("nonaktif", "Nonaktif")]
UNIQUE_REFERENCE = {
    "posyandu_unik_per_kelurahan": ("nama", "Posyandu dengan nama ini baru saja ditambahkan di kelurahan itu."),
    "lokus_unik_per_tahun": ("kelurahan", "Kelurahan ini baru saja ditambahkan sebagai lokus tahun itu."),
    "tpps_opd_kode_key": ("kode", "Kode ini baru saja dipakai OPD lain."),
}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- Posyandu -----------------------------------------------------------------------------------

@role_required(Role.ADMIN)
def posyandu_list(request):
    kelurahan_id = _int(request.GET.get("kelurahan"))
    q, status = request.GET.get("q", "").strip(), request.GET.get("status", "")
    rows = selectors.posyandu(kelurahan_id=kelurahan_id, q=q, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {
        "page": page, "q": q, "status": status, "kelurahan_id": kelurahan_id,
        "kelurahan_choices": selectors.kelurahan_choices(), "status_choices": STATUS_CHOICES,
    }
    return render_page(request, "tpps/kelola/posyandu_list.html", context, "rows")


@role_required(Role.ADMIN)
def posyandu_baru(request):
    form = submissions.with_token(
        PosyanduBaruForm(request.POST or None, initial={"kelurahan": _int(request.GET.get("kelurahan"))}, user=request.user))
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request, form, unique=UNIQUE_REFERENCE) as sent:
                posyandu = services.create_posyandu(request.user, form.cleaned_data["kelurahan"], form.cleaned_data["nama"])
                sent.jawaban = f"{reverse('kelola:posyandu_list')}?kelurahan={posyandu.kelurahan_id}"
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"{posyandu} ditambahkan di Kelurahan {posyandu.kelurahan}.")
            return redirect(f"{reverse('kelola:posyandu_list')}?kelurahan={posyandu.kelurahan_id}")
    return render_page(request, "tpps/kelola/posyandu_form.html", {"form": form, "posyandu": None},
                       invalid=request.method == "POST")


@role_required(Role.ADMIN)
def posyandu_ubah(request, pk):
    posyandu = get_object_or_404(Posyandu.objects.select_related("kelurahan"), pk=pk)
    form = PosyanduForm(request.POST or None, initial={"nama": posyandu.nama, "aktif": posyandu.aktif})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_posyandu(request.user, posyandu, form.cleaned_data["nama"], form.cleaned_data["aktif"])
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"{posyandu} di Kelurahan {posyandu.kelurahan} tersimpan.")
            return redirect(f"{reverse('kelola:posyandu_list')}?kelurahan={posyandu.kelurahan_id}")
        posyandu.refresh_from_db()
    return render_page(request, "tpps/kelola/posyandu_form.html", {"form": form, "posyandu": posyandu},
                       invalid=request.method == "POST")


@role_required(Role.ADMIN)
def posyandu_hapus(request, pk):
    posyandu = get_object_or_404(Posyandu.objects.select_related("kelurahan"), pk=pk)
    return delete_row(request, posyandu, services.delete_posyandu,
                      f"{reverse('kelola:posyandu_list')}?kelurahan={posyandu.kelurahan_id}",
                      reverse("kelola:posyandu_ubah", args=[pk]))


# --- Lokus kelurahan ----------------------------------------------------------------------------

@role_required(Role.ADMIN)
def lokus(request):
    years = selectors.lokus_years()
    this_year = datetime.date.today().year
    tahun = _int(request.POST.get("tahun") or request.GET.get("tahun")) or (years[0] if years else this_year)
    form = submissions.with_token(LokusForm(request.POST or None, initial={"tahun": tahun}, user=request.user))
    if request.method == "POST" and form.is_valid():
        tahun = form.cleaned_data["tahun"]
        try:
            with submissions.once(request, form, unique=UNIQUE_REFERENCE) as sent:
                row = services.add_lokus(request.user, tahun, form.cleaned_data["kelurahan"])
                sent.jawaban = f"{reverse('kelola:lokus')}?tahun={tahun}"
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Kelurahan {row.kelurahan} menjadi lokus tahun {tahun}.")
            return redirect(f"{reverse('kelola:lokus')}?tahun={tahun}")
    context = {
        "form": form, "tahun": tahun, "rows": selectors.lokus_of(tahun),
        "years": sorted(set(years) | {tahun, this_year, this_year + 1}, reverse=True),
    }
    return render_page(request, "tpps/kelola/lokus.html", context, invalid=request.method == "POST")


@role_required(Role.ADMIN)
def lokus_salin(request):
    tahun = _int(request.POST.get("tahun"))
    if request.method == "POST" and tahun and 2000 < tahun <= 2100:
        try:
            count = services.copy_lokus(request.user, tahun - 1, tahun)
        except UserError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"{count} kelurahan lokus tahun {tahun - 1} disalin ke tahun {tahun}.")
        return redirect(f"{reverse('kelola:lokus')}?tahun={tahun}")
    return redirect("kelola:lokus")


@role_required(Role.ADMIN)
def lokus_hapus(request, pk):
    row = get_object_or_404(LokusKelurahan.objects.select_related("kelurahan"), pk=pk)
    if request.method == "POST":
        services.remove_lokus(request.user, row)
        messages.success(request, f"Kelurahan {row.kelurahan} bukan lagi lokus tahun {row.tahun}.")
    return redirect(f"{reverse('kelola:lokus')}?tahun={row.tahun}")


# --- OPD ------------------------------------------------------------------------------------------

@role_required(Role.ADMIN)
def opd_list(request):
    q = request.GET.get("q", "").strip()[:100]
    return render_page(request, "tpps/kelola/opd_list.html", {"rows": selectors.opd_list(q=q), "q": q}, "rows")


@role_required(Role.ADMIN)
def opd_form(request, pk=None):
    opd = get_object_or_404(Opd, pk=pk) if pk else Opd()
    form = OpdForm(request.POST or None, instance=opd)
    if not pk:
        submissions.with_token(form)
    if request.method == "POST" and form.is_valid():
        try:
            if pk:
                services.save_opd(request.user, form.instance)
            else:
                with submissions.once(request, form, unique=UNIQUE_REFERENCE) as sent:
                    services.save_opd(request.user, form.instance)
                    sent.jawaban = reverse("kelola:opd_list")
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"OPD {opd} tersimpan.")
            return redirect("kelola:opd_list")
    return render_page(request, "tpps/kelola/opd_form.html", {"form": form, "opd": opd if pk else None},
                       invalid=request.method == "POST")



@role_required(Role.ADMIN)
def opd_hapus(request, pk):
    opd = get_object_or_404(Opd, pk=pk)
    return delete_row(request, opd, services.delete_opd, reverse("kelola:opd_list"), reverse("kelola:opd_ubah", args=[pk]))


# --- Officials who sign the evaluation pack ------------------------------------------------------

@role_required(Role.ADMIN)
def pejabat(request):
    """The Ketua TPPS (the Sekda) and the Sekretaris TPPS, printed on the pack's signature page."""
    existing = {p.peran: p for p in PejabatTpps.objects.for_user(request.user)}
    forms = [(peran, label, PejabatForm(request.POST or None, prefix=peran,
                                        instance=existing.get(peran) or PejabatTpps(peran=peran)))
             for peran, label in PejabatTpps.Peran.choices]
    if request.method == "POST" and all(form.is_valid() for _, _, form in forms):
        try:
            services.save_officials(request.user, [form.instance for _, _, form in forms])
        except UserError as error:
            add_to_form(forms[0][2], error)
        else:
            messages.success(request, "Pejabat penanda tangan paket evaluasi tersimpan.")
            return redirect("kelola:pejabat")
    return render_page(request, "tpps/kelola/pejabat.html", {"forms": forms}, invalid=request.method == "POST")
