"""The city's areas: kecamatan, kelurahan and puskesmas with their working areas. Admin only;
codes follow Kemendagri, and a row other data uses is never deleted (the service says what uses
it)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from tpps import submissions
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.kelola import selectors, services
from tpps.kelola.forms import KecamatanForm, KelurahanForm, PuskesmasForm
from tpps.models import Kecamatan, Kelurahan, Puskesmas
from tpps.roles import Role

UNIQUE_AREAS = {
    "tpps_kecamatan_kode_key": ("kode", "Kode ini baru saja dipakai kecamatan lain."),
    "tpps_kecamatan_nama_key": ("nama", "Nama ini baru saja dipakai kecamatan lain."),
    "tpps_kelurahan_kode_key": ("kode", "Kode ini baru saja dipakai kelurahan lain."),
    "kelurahan_unik_per_kecamatan": ("nama", "Kelurahan dengan nama ini baru saja ditambahkan di kecamatan itu."),
    "tpps_puskesmas_nama_key": ("nama", "Puskesmas dengan nama ini baru saja ditambahkan."),
}


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _q(request):
    return request.GET.get("q", "").strip()[:100]


def form_page(request, form, *, judul, kembali_url, kembali_label, objek=None, hapus_url=None, catatan=""):
    """The one create/edit page of the management area (tpps/kelola/form.html)."""
    context = {"form": form, "judul": judul, "kembali_url": kembali_url, "kembali_label": kembali_label,
               "objek": objek, "hapus_url": hapus_url, "catatan": catatan}
    return render_page(request, "tpps/kelola/form.html", context, invalid=request.method == "POST")


def save_form(request, form, save, done_url, *, creating):
    """Run `save()` for a valid posted form: a new row once per form token (a repeat goes where the
    first went), a UserError on the form. Returns a response when done, None to show the form."""
    if request.method != "POST":
        return None
    already = submissions.sent_before(request) if creating else None
    if already:
        return already.response(request)
    if not form.is_valid():
        return None
    try:
        if creating:
            with submissions.once(request, form, unique=UNIQUE_AREAS) as sent:
                row = save()
                sent.jawaban = done_url(row)
        else:
            row = save()
    except submissions.AlreadySent as already:
        return already.response(request)
    except UserError as error:
        add_to_form(form, error)
        return None
    messages.success(request, f"{row} tersimpan.")
    return redirect(done_url(row))


def delete_row(request, row, delete, list_url, edit_url):
    """POST: delete `row` if nothing uses it; otherwise back to its page with the reason."""
    if request.method != "POST":
        return redirect(edit_url)
    try:
        delete(request.user, row)
    except UserError as error:
        messages.error(request, str(error))
        return redirect(edit_url)
    messages.success(request, f"{row} dihapus.")
    return redirect(list_url)


# --- Kecamatan ------------------------------------------------------------------------------------

@role_required(Role.ADMIN)
def kecamatan_list(request):
    q = _q(request)
    return render_page(request, "tpps/kelola/kecamatan_list.html",
                       {"rows": selectors.kecamatan_list(q=q), "q": q}, "rows")


@role_required(Role.ADMIN)
def kecamatan_form(request, pk=None):
    kecamatan = get_object_or_404(Kecamatan, pk=pk) if pk else Kecamatan()
    form = KecamatanForm(request.POST or None, instance=kecamatan)
    if not pk:
        submissions.with_token(form)
    done = save_form(request, form, lambda: services.save_kecamatan(request.user, form.instance),
                     lambda row: reverse("kelola:kecamatan_list"), creating=not pk)
    if done:
        return done
    if pk:
        kecamatan.refresh_from_db()
    return form_page(request, form, judul=f"Ubah Kecamatan {kecamatan}" if pk else "Kecamatan baru",
                     kembali_url=reverse("kelola:kecamatan_list"), kembali_label="Semua kecamatan",
                     objek=f"Kecamatan {kecamatan}" if pk else None,
                     hapus_url=reverse("kelola:kecamatan_hapus", args=[pk]) if pk else None)


@role_required(Role.ADMIN)
def kecamatan_hapus(request, pk):
    kecamatan = get_object_or_404(Kecamatan, pk=pk)
    return delete_row(request, kecamatan, services.delete_kecamatan, reverse("kelola:kecamatan_list"),
                      reverse("kelola:kecamatan_ubah", args=[pk]))


# --- Kelurahan ------------------------------------------------------------------------------------

@role_required(Role.ADMIN)
def kelurahan_list(request):
    q, kecamatan_id = _q(request), _int(request.GET.get("kecamatan"))
    rows = selectors.kelurahan_list(q=q, kecamatan_id=kecamatan_id)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "kecamatan_id": kecamatan_id, "kecamatan_choices": selectors.kecamatan_choices()}
    return render_page(request, "tpps/kelola/kelurahan_list.html", context, "rows")


@role_required(Role.ADMIN)
def kelurahan_form(request, pk=None):
    kelurahan = get_object_or_404(Kelurahan, pk=pk) if pk else Kelurahan()
    initial = None if pk else {"kecamatan": _int(request.GET.get("kecamatan"))}
    form = KelurahanForm(request.POST or None, instance=kelurahan, initial=initial)
    if not pk:
        submissions.with_token(form)
    done = save_form(request, form, lambda: services.save_kelurahan(request.user, form.instance),
                     lambda row: f"{reverse('kelola:kelurahan_list')}?kecamatan={row.kecamatan_id}", creating=not pk)
    if done:
        return done
    if pk:
        kelurahan.refresh_from_db()
    return form_page(request, form, judul=f"Ubah Kelurahan {kelurahan}" if pk else "Kelurahan baru",
                     kembali_url=reverse("kelola:kelurahan_list"), kembali_label="Semua kelurahan",
                     objek=f"Kelurahan {kelurahan}" if pk else None,
                     hapus_url=reverse("kelola:kelurahan_hapus", args=[pk]) if pk else None,
                     catatan="Kelurahan baru belum masuk wilayah kerja puskesmas mana pun; tambahkan di halaman Puskesmas.")


@role_required(Role.ADMIN)
def kelurahan_hapus(request, pk):
    kelurahan = get_object_or_404(Kelurahan, pk=pk)
    return delete_row(request, kelurahan, services.delete_kelurahan, reverse("kelola:kelurahan_list"),
                      reverse("kelola:kelurahan_ubah", args=[pk]))


# --- Puskesmas ------------------------------------------------------------------------------------

@role_required(Role.ADMIN)
def puskesmas_list(request):
    q = _q(request)
    return render_page(request, "tpps/kelola/puskesmas_list.html",
                       {"rows": selectors.puskesmas_list(q=q), "q": q}, "rows")


@role_required(Role.ADMIN)
def puskesmas_form(request, pk=None):
    puskesmas = get_object_or_404(Puskesmas, pk=pk) if pk else Puskesmas()
    form = PuskesmasForm(request.POST or None, instance=puskesmas)
    if not pk:
        submissions.with_token(form)

    def save():
        return services.save_puskesmas(request.user, form.instance, form.cleaned_data["kelurahan"])

    done = save_form(request, form, save, lambda row: reverse("kelola:puskesmas_list"), creating=not pk)
    if done:
        return done
    if pk:
        puskesmas.refresh_from_db()
    return form_page(request, form, judul=f"Ubah {puskesmas}" if pk else "Puskesmas baru",
                     kembali_url=reverse("kelola:puskesmas_list"), kembali_label="Semua puskesmas",
                     objek=str(puskesmas) if pk else None,
                     hapus_url=reverse("kelola:puskesmas_hapus", args=[pk]) if pk else None,
                     catatan="Operator wilayah yang ditugaskan ke puskesmas ini melihat anak dan keluarga di "
                             "kelurahan wilayah kerjanya.")


@role_required(Role.ADMIN)
def puskesmas_hapus(request, pk):
    puskesmas = get_object_or_404(Puskesmas, pk=pk)
    return delete_row(request, puskesmas, services.delete_puskesmas, reverse("kelola:puskesmas_list"),
                      reverse("kelola:puskesmas_ubah", args=[pk]))
