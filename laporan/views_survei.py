"""The city's survey prevalence per year (SSGI, SKI), entered by DP3AP2KB and shown beside the
register's prevalence on the dashboard and in the evaluation pack."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from laporan import services
from laporan.forms import SurveiForm
from laporan.models import SurveiPrevalensi
from tpps import submissions
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.roles import CHANGE, CITY_EDITORS

UNIQUE_SURVEY = {"survei_satu_per_sumber_per_tahun": ("sumber", "Angka survei ini untuk tahun itu baru saja disimpan "
                                                                "oleh pengguna lain; ubah yang itu.")}


@role_required(*CITY_EDITORS)
def index(request):
    editing = None
    if request.GET.get("ubah"):
        if not request.GET["ubah"].isdigit():
            raise Http404("Survei tidak ditemukan.")
        editing = get_object_or_404(SurveiPrevalensi.objects.for_user(request.user, CHANGE), pk=request.GET["ubah"])
    initial = {"tahun": editing.tahun, "sumber": editing.sumber, "prevalensi": str(editing.prevalensi).replace(".", ","),
               "keterangan": editing.keterangan} if editing else None
    form = SurveiForm(request.POST or None, initial=initial)
    if editing is None:
        submissions.with_token(form)
    if request.method == "POST" and form.is_valid():
        try:
            with submissions.once(request, form, unique=UNIQUE_SURVEY) as sent:
                saved = services.save_survei(form.cleaned_data, request.user, editing)
                sent.jawaban = reverse("laporan:survei")
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Angka {saved.sumber} ({saved.tahun}) tersimpan.")
            return redirect("laporan:survei")
    context = {"form": form, "editing": editing, "rows": SurveiPrevalensi.objects.for_user(request.user)}
    return render_page(request, "laporan/survei.html", context, status=422 if form.is_bound and form.errors else 200)


@role_required(*CITY_EDITORS)
@require_POST
def delete(request, pk):
    survei = get_object_or_404(SurveiPrevalensi.objects.for_user(request.user, CHANGE), pk=pk)
    services.delete_survei(survei, request.user)
    messages.success(request, f"Angka {survei.sumber} dihapus.")
    return redirect("laporan:survei")
