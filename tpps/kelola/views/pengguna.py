"""Users and their assignments: list, new user, edit, password, deactivate, roles added and
removed inline (HTMX). Admin only; the services refuse anyone else too."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from tpps import submissions
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.kelola import selectors, services
from tpps.kelola.forms import KataSandiForm, PenggunaBaruForm, PenggunaForm, PenugasanForm
from tpps.models import Penugasan, User
from tpps.roles import Role

STATUS_CHOICES = [("aktif", "Aktif"), ("nonaktif", "Nonaktif")]
UNIQUE_USER = {"tpps_user_username_key": ("username", "Nama pengguna ini baru saja dipakai akun lain.")}


@role_required(Role.ADMIN)
def index(request):
    return render_page(request, "tpps/kelola/index.html", {
        "jumlah_pengguna": User.objects.filter(is_active=True).count(),
        "jumlah_terkunci": sum(row.terkunci for row in selectors.failed_logins()) + len(selectors.locked_addresses()),
    })


@role_required(Role.ADMIN)
def pengguna_list(request):
    q, peran, status = (request.GET.get(key, "").strip() for key in ("q", "peran", "status"))
    page = Paginator(selectors.users(q=q, peran=peran, status=status), 50).get_page(request.GET.get("page"))
    context = {
        "page": page, "q": q, "peran": peran, "status": status,
        "peran_choices": [*Role.choices, ("tanpa", "Tanpa peran")], "status_choices": STATUS_CHOICES,
    }
    return render_page(request, "tpps/kelola/pengguna_list.html", context, "rows")


@role_required(Role.ADMIN)
def pengguna_baru(request):
    form = submissions.with_token(PenggunaBaruForm(request.POST or None))
    assignment_form = PenugasanForm(request.POST or None, prefix="penugasan", required=False, user=request.user)
    if request.method == "POST" and form.is_valid() and assignment_form.is_valid():
        data = form.cleaned_data
        try:
            with submissions.once(request, form, unique=UNIQUE_USER) as sent:
                user = services.create_user(request.user, data, data["kata_sandi1"], assignment_form.assignment_data())
                sent.jawaban = reverse("kelola:pengguna_detail", kwargs={"pk": user.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form if error.field in form.fields else assignment_form, error)
        else:
            messages.success(request, f"Pengguna {user} ({user.username}) dibuat.")
            return redirect("kelola:pengguna_detail", pk=user.pk)
    context = {"form": form, "assignment_form": assignment_form}
    return render_page(request, "tpps/kelola/pengguna_baru.html", context, invalid=request.method == "POST")


def _detail_context(user, actor, *, form=None, password_form=None, assignment_form=None, notice=None):
    return {
        "pengguna": user,
        "form": form or PenggunaForm(initial={key: getattr(user, key) for key in services.USER_FIELDS}),
        "password_form": password_form or KataSandiForm(user=user),
        "assignment_form": assignment_form or submissions.with_token(PenugasanForm(prefix="penugasan", user=actor)),
        "assignments": selectors.assignments(user),
        "notice": notice,
    }


@role_required(Role.ADMIN)
def pengguna_detail(request, pk):
    user = get_object_or_404(User, pk=pk)
    form = None
    if request.method == "POST":
        form = PenggunaForm(request.POST)
        if form.is_valid():
            try:
                services.update_user(request.user, user, form.cleaned_data)
            except UserError as error:
                add_to_form(form, error)
            else:
                messages.success(request, f"Data pengguna {user} tersimpan.")
                return redirect("kelola:pengguna_detail", pk=user.pk)
        user.refresh_from_db()
    return render_page(request, "tpps/kelola/pengguna_detail.html", _detail_context(user, request.user, form=form),
                       invalid=request.method == "POST")


@role_required(Role.ADMIN)
def pengguna_kata_sandi(request, pk):
    user = get_object_or_404(User, pk=pk)
    if request.method != "POST":
        return redirect("kelola:pengguna_detail", pk=pk)
    form = KataSandiForm(request.POST, user=user)
    if form.is_valid():
        services.set_password(request.user, user, form.cleaned_data["kata_sandi1"])
        messages.success(request, f"Kata sandi {user} diganti. Sampaikan kepada yang bersangkutan secara langsung.")
        return redirect("kelola:pengguna_detail", pk=pk)
    return render_page(request, "tpps/kelola/pengguna_detail.html", _detail_context(user, request.user, password_form=form), invalid=True)


@role_required(Role.ADMIN)
def pengguna_status(request, pk):
    user = get_object_or_404(User, pk=pk)
    if request.method == "POST":
        aktif = request.POST.get("aktif") == "1"
        try:
            services.set_active(request.user, user, aktif)
        except UserError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"Akun {user} {'diaktifkan kembali' if aktif else 'dinonaktifkan; ia tidak dapat masuk lagi'}.")
    return redirect("kelola:pengguna_detail", pk=pk)


def _assignments_answer(request, user, *, assignment_form=None, notice=None, invalid=False):
    """The assignments fragment for HTMX, the whole user page otherwise."""
    if not request.htmx and not invalid:
        if notice:
            messages.error(request, notice)
        return redirect("kelola:pengguna_detail", pk=user.pk)
    context = _detail_context(user, request.user, assignment_form=assignment_form, notice=notice)
    return render_page(request, "tpps/kelola/pengguna_detail.html", context, "penugasan", invalid=invalid)


@role_required(Role.ADMIN)
def penugasan_tambah(request, pk):
    user = get_object_or_404(User, pk=pk)
    if request.method != "POST":
        return redirect("kelola:pengguna_detail", pk=pk)
    form = submissions.with_token(PenugasanForm(request.POST, prefix="penugasan", user=request.user))
    if form.is_valid():
        try:
            with submissions.once(request, form) as sent:
                services.add_assignment(request.user, user, form.assignment_data())
                sent.jawaban = reverse("kelola:pengguna_detail", kwargs={"pk": user.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            if not request.htmx:
                messages.success(request, f"Penugasan {user} ditambahkan.")
            return _assignments_answer(request, user)
    return _assignments_answer(request, user, assignment_form=form, invalid=True)


@role_required(Role.ADMIN)
def penugasan_hapus(request, pk):
    assignment = get_object_or_404(Penugasan.objects.select_related("user"), pk=pk)
    user = assignment.user
    if request.method != "POST":
        return redirect("kelola:pengguna_detail", pk=user.pk)
    try:
        services.remove_assignment(request.user, assignment)
    except UserError as error:
        return _assignments_answer(request, user, notice=str(error))
    if not request.htmx:
        messages.success(request, f"Penugasan {assignment} dicabut dari {user}.")
    return _assignments_answer(request, user)
