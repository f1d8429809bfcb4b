"""Action 2: the activity plan per OPD and its consistency with the RKPD."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from konvergensi import policy, selectors, services
from konvergensi.forms import RencanaKegiatanForm
from konvergensi.models import RencanaKegiatan
from konvergensi.views.common import tahun_dari
from tpps import submissions
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.models import Opd
from tpps.roles import AGGREGATE_READERS, CONVERGENCE_EDITORS


def _list_url(tahun):
    return f"{reverse('konvergensi:rencana')}?tahun={tahun}"


@role_required(*AGGREGATE_READERS)
def rencana(request):
    tahun = tahun_dari(request)
    opd_kode = request.GET.get("opd", "")
    opd = Opd.objects.filter(kode=opd_kode).first() if opd_kode else None
    overview = selectors.plan_overview(tahun, user=request.user, opd_id=opd.id if opd else None)
    editable = set(RencanaKegiatan.objects.for_user(request.user, "change").filter(tahun=tahun).values_list("id", flat=True))
    context = {
        "tahun": tahun,
        "tahun_list": selectors.years(),
        "opd_kode": opd_kode,
        "opd_list": Opd.objects.filter(rencana_kegiatan__tahun=tahun).distinct(),
        "data": overview,
        "editable": editable,
        "boleh_tambah": policy.can_add_kegiatan(request.user),
    }
    return render_page(request, "konvergensi/rencana.html", context, partial="daftar")


def _save(request, form, tahun):
    if not form.is_valid():
        return False
    kegiatan = form.save(commit=False)
    kegiatan.tahun = tahun
    try:
        services.save_kegiatan(kegiatan, form.cleaned_data["lokus"], form.cleaned_data["indikator"], user=request.user)
    except UserError as error:
        add_to_form(form, error)
        return False
    return True


@role_required(*CONVERGENCE_EDITORS)
def rencana_tambah(request):
    if not policy.can_add_kegiatan(request.user):
        raise PermissionDenied("Hanya OPD dan DP3AP2KB yang menambah rencana kegiatan.")
    tahun = tahun_dari(request)
    form = submissions.with_token(
        RencanaKegiatanForm(request.POST or None, user=request.user, tahun=tahun, instance=RencanaKegiatan(tahun=tahun)))
    if request.method == "POST" and form.is_valid():
        kegiatan = form.save(commit=False)
        kegiatan.tahun = tahun
        try:
            with submissions.once(request, form) as sent:
                services.save_kegiatan(kegiatan, form.cleaned_data["lokus"], form.cleaned_data["indikator"], user=request.user)
                sent.jawaban = _list_url(tahun)
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Kegiatan “{form.instance.nama}” ditambahkan.")
            return redirect(_list_url(tahun))
    return render_page(request, "konvergensi/rencana_form.html", {"form": form, "tahun": tahun},
                       invalid=request.method == "POST")


@role_required(*CONVERGENCE_EDITORS)
def rencana_ubah(request, pk):
    kegiatan = get_object_or_404(RencanaKegiatan.objects.for_user(request.user), pk=pk)
    if not policy.can_edit_kegiatan(request.user, kegiatan):
        raise PermissionDenied("Kegiatan ini milik OPD lain.")
    form = RencanaKegiatanForm(request.POST or None, user=request.user, tahun=kegiatan.tahun, instance=kegiatan)
    if request.method == "POST" and _save(request, form, kegiatan.tahun):
        messages.success(request, f"Kegiatan “{kegiatan.nama}” tersimpan.")
        return redirect(_list_url(kegiatan.tahun))
    return render_page(request, "konvergensi/rencana_form.html", {"form": form, "tahun": kegiatan.tahun, "kegiatan": kegiatan})


@role_required(*CONVERGENCE_EDITORS)
@require_POST
def rencana_hapus(request, pk):
    kegiatan = get_object_or_404(RencanaKegiatan.objects.for_user(request.user), pk=pk)
    if not policy.can_edit_kegiatan(request.user, kegiatan):
        raise PermissionDenied("Kegiatan ini milik OPD lain.")
    tahun, nama = kegiatan.tahun, kegiatan.nama
    services.delete_kegiatan(kegiatan, user=request.user)
    messages.success(request, f"Kegiatan “{nama}” dihapus.")
    return redirect(_list_url(tahun))
