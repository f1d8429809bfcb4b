"""Pages of tata laksana gizi: the case list, a case with its pathway and interventions, the
follow-up lists, the printable visit list of a posyandu day and the cohorts. Views parse, call a
selector or service, render; rows come through `for_user`."""

import datetime

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from kasus import policy, rules, selectors, services
from kasus.forms import FilterForm, IntervensiForm, KohortForm, LangkahForm
from kasus.models import Kasus, Masalah
from tpps import masking, submissions, xlsx
from tpps.access import role_required
from tpps.audit import LIHAT, UNDUH, catat_akses
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.roles import ALL_ROLES, CASE_RECORDERS, DATA_EDITORS, access_for

LEVEL_LABELS = {"posyandu": "Posyandu", "kelurahan": "Kelurahan", "puskesmas": "Puskesmas"}
COHORT_LABELS = {"bulan": "Bulan dibuka", "puskesmas": "Puskesmas", "kelurahan": "Kelurahan",
                 "intervensi": "Intervensi diterima"}


@role_required(*ALL_ROLES)
def index(request):
    on = selectors.as_of()
    form = FilterForm(request.GET)
    values = form.values()
    rows = selectors.cases(request.user, on, **{k: v for k, v in values.items() if v not in (None, "")})
    page = Paginator(rows, 50).get_page(request.GET.get("hal"))
    page.rows = selectors.decorate(page.object_list)
    if access_for(request.user).can_see_personal_data:
        catat_akses(request, LIHAT, Kasus, len(page.rows), "Daftar kasus gizi")
    query = request.GET.copy()
    query.pop("hal", None)
    context = {"form": form, "page": page, "on": on, "query": query.urlencode(),
               "areas": selectors.area_choices(request.user), "values": values}
    return render_page(request, "kasus/index.html", context, "rows")


EXPORT_HEADERS = ["No", "Kode kasus", "NIK", "Nama anak", "Tanggal lahir", "Kelurahan", "Posyandu", "Masalah",
                  "Dibuka", "Z dibuka", "Pengukuran terakhir", "Z terakhir", "Perkembangan", "Jatuh tempo", "Keadaan",
                  "Ditutup"]


@role_required(*ALL_ROLES)
def export(request):
    """The filtered case list as XLSX (names and NIK masked for roles that may not see them)."""
    on = selectors.as_of()
    values = FilterForm(request.GET).values()
    rows = selectors.cases(request.user, on, **{k: v for k, v in values.items() if v not in (None, "")})
    access = access_for(request.user)
    cases = selectors.decorate(rows)

    def number(value):
        return None if value is None else float(value)

    table = [[i, k.kode, masking.nik_for(access, k.anak.nik), masking.name_for(access, k.anak.nama), k.anak.tanggal_lahir,
              k.anak.kelurahan.nama, k.anak.posyandu.nama if k.anak.posyandu else "", k.get_masalah_display(),
              k.tanggal_buka, number(k.z_buka), k.tanggal_ukur_terakhir, number(k.z_terakhir),
              k.get_perkembangan_display(), k.jatuh_tempo if k.keadaan == "terbuka" else None, k.keadaan_label,
              k.tanggal_tutup] for i, k in enumerate(cases, start=1)]
    content = xlsx.table_bytes(EXPORT_HEADERS, table, sheet="Kasus gizi", widths={2: 20, 3: 28, 7: 30},
                               kinds={9: "desimal", 11: "desimal"},
                               preamble=[f"Kasus gizi, keadaan per {on:%d/%m/%Y}"])
    if access.can_see_personal_data:
        catat_akses(request, UNDUH, Kasus, len(table), "Daftar kasus gizi (XLSX)")
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="kasus-gizi-{on.isoformat()}.xlsx"'
    return response


def _fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != submissions.FIELD}


def _case_or_404(request, pk, on):
    try:
        return selectors.case_for(request.user, pk, on)
    except ObjectDoesNotExist:
        raise Http404("Kasus tidak ditemukan di wilayah Anda.") from None


def _detail_context(request, kasus, on, langkah_form=None, intervensi_form=None):
    user = request.user
    can_step = policy.can_record_step(user, kasus) and not kasus.hasil
    can_give = policy.can_record_intervention(user, kasus)
    return {
        "kasus": kasus,
        "on": on,
        "langkah": selectors.pathway(kasus),
        "intervensi": selectors.interventions(kasus),
        "pengukuran": selectors.measurements_since(kasus),
        "genting": selectors.genting_help(user, kasus),
        "lainnya": selectors.other_cases(user, kasus),
        "lama_pmt": services.default_course_days(kasus),
        "langkah_form": (langkah_form or submissions.with_token(LangkahForm(prefix="langkah"))) if can_step else None,
        "intervensi_form": (intervensi_form or submissions.with_token(IntervensiForm(user=user, prefix="intervensi"))) if can_give else None,
    }


@role_required(*ALL_ROLES)
def detail(request, pk):
    on = selectors.as_of()
    kasus = _case_or_404(request, pk, on)
    return render_page(request, "kasus/detail.html", _detail_context(request, kasus, on))


@role_required(*DATA_EDITORS)
def langkah_create(request, pk):
    on = selectors.as_of()
    kasus = _case_or_404(request, pk, on)
    if request.method != "POST":
        return redirect("kasus:detail", pk=kasus.pk)
    form = submissions.with_token(LangkahForm(request.POST, prefix="langkah"))
    if form.is_valid():
        try:
            with submissions.once(request, form) as sent:
                step = services.record_step(kasus, user=request.user, **_fields(form))
                sent.jawaban = reverse("kasus:detail", kwargs={"pk": kasus.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"{step.get_tahap_display()} tercatat: {step.get_hasil_display().lower()}.")
            return redirect("kasus:detail", pk=kasus.pk)
    context = _detail_context(request, kasus, on, langkah_form=form)
    return render_page(request, "kasus/detail.html", context, "langkah_form", invalid=True)


@role_required(*CASE_RECORDERS)
def intervensi_create(request, pk):
    on = selectors.as_of()
    kasus = _case_or_404(request, pk, on)
    if request.method != "POST":
        return redirect("kasus:detail", pk=kasus.pk)
    form = submissions.with_token(IntervensiForm(request.POST, user=request.user, prefix="intervensi"))
    if form.is_valid():
        try:
            with submissions.once(request, form) as sent:
                row = services.record_intervention(kasus, user=request.user, **_fields(form))
                sent.jawaban = reverse("kasus:detail", kwargs={"pk": kasus.pk})
        except submissions.AlreadySent as already:
            return already.response(request)
        except UserError as error:
            add_to_form(form, error)
        else:
            messages.success(request, f"Intervensi {row.get_jenis_display()} tercatat.")
            return redirect("kasus:detail", pk=kasus.pk)
    context = _detail_context(request, kasus, on, intervensi_form=form)
    return render_page(request, "kasus/detail.html", context, "intervensi_form", invalid=True)


@role_required(*ALL_ROLES)
def tindak_lanjut(request):
    on = selectors.as_of()
    level = request.GET.get("tingkat", "posyandu")
    level = level if level in selectors.LEVELS else "posyandu"
    masalah = request.GET.get("masalah", "")
    masalah = masalah if masalah in Masalah.values else ""
    rows = selectors.follow_up(request.user, on, level, masalah)
    totals = selectors.follow_up_totals(rows)
    context = {"rows": rows, "totals": totals, "level": level, "levels": LEVEL_LABELS, "masalah": masalah,
               "masalah_choices": Masalah.choices, "on": on, "hari": on + datetime.timedelta(days=7),
               "can_print": access_for(request.user).can_see_personal_data, "lost_days": rules.lost_days()}
    return render_page(request, "kasus/tindak_lanjut.html", context, "tabel")


def _date(value, default):
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError:
        return default
    return day if datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31) else default


@role_required(*DATA_EDITORS)
def kunjungan(request, pk):
    on = selectors.as_of()
    try:
        posyandu = selectors.posyandu_for(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404("Posyandu tidak ditemukan di wilayah Anda.") from None
    hari = _date(request.GET.get("hari"), on + datetime.timedelta(days=7))
    rows = selectors.visit_list(request.user, posyandu, on, hari)
    catat_akses(request, LIHAT, Kasus, len(rows), f"Daftar kunjungan Posyandu {posyandu.nama}", objek=posyandu.pk)
    return render_page(request, "kasus/kunjungan.html", {"posyandu": posyandu, "hari": hari, "on": on, "rows": rows})


@role_required(*ALL_ROLES)
def kohort(request):
    on = selectors.as_of()
    form = KohortForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    years = selectors.years(request.user)
    tahun = data.get("tahun") or (years[0] if years else on.year)
    per = data.get("per") or "bulan"
    masalah = data.get("masalah") or ""
    result = selectors.cohorts(request.user, tahun, per=per, masalah=masalah, on=on)
    context = {"form": form, "k": result, "tahun": tahun, "years": years, "per": per, "masalah": masalah,
               "masalah_choices": Masalah.choices, "per_labels": COHORT_LABELS, "per_label": COHORT_LABELS[per], "on": on}
    return render_page(request, "kasus/kohort.html", context, "tabel")
