"""Ranking pages: the provincial assessment of the 38 kab/kota, entry form, upload, exports."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from laporan import charts, exports, ranking, services, tables
from laporan.forms import (
    KomponenFormSet, NilaiFormSet, PenilaianHeaderForm, UnggahPenilaianForm, komponen_initial, nilai_initial,
)
from laporan.importers import penilaian as importer
from laporan.models import KabKota
from tpps import xlsx
from tpps.access import role_required
from tpps.errors import UserError, add_to_form
from tpps.htmx import render_page
from tpps.roles import ALL_ROLES, CITY_EDITORS, access_for


def _year(request, years):
    try:
        tahun = int(request.GET.get("tahun") or 0)
    except ValueError:
        tahun = 0
    return tahun if tahun in years else (years[0] if years else None)


@role_required(*ALL_ROLES)
def index(request):
    years = ranking.years()
    tahun = _year(request, years)
    own = ranking.own_kab_kota()
    penilaian = ranking.assessment(tahun) if tahun else None
    rows = ranking.table(penilaian, own.id if own else None) if penilaian else []
    history = ranking.history(own.id if own else None)
    context = {
        "years": years,
        "tahun": tahun,
        "penilaian": penilaian,
        "rows": rows,
        "posisi": ranking.position(rows),
        "own": own,
        "history": history,
        "history_json": charts.ranking_plotly(charts.ranking_series(history)) if len(history) > 1 else None,
        "komponen": list(penilaian.komponen.all()) if penilaian else [],
        "can_edit": access_for(request.user).has(*CITY_EDITORS),
    }
    return render_page(request, "laporan/peringkat.html", context, "isi")


def _entry_rows(formset):
    """Filled lines of the entry formset as importer rows labelled by kab/kota."""
    raw = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data.get("skor") and not data.get("peringkat"):
            continue
        raw.append((data["kab_kota"].singkat, data["kab_kota"], data.get("skor"), data.get("peringkat")))
    return raw


@role_required(*CITY_EDITORS)
def entry(request):
    try:
        tahun = int(request.GET.get("tahun") or 0) or None
    except ValueError:
        tahun = None
    existing = ranking.assessment(tahun) if tahun else None
    errors = []
    if request.method == "POST":
        header = PenilaianHeaderForm(request.POST)
        formset = NilaiFormSet(request.POST, prefix="nilai")
        komponen = KomponenFormSet(request.POST, prefix="komponen")
        if header.is_valid() and formset.is_valid() and komponen.is_valid():
            result = importer.validate(_entry_rows(formset))
            errors = result.errors
            if not errors:
                parts = [k for k in komponen.cleaned_data if k.get("nama")]
                services.save_penilaian(
                    header.cleaned_data["tahun"], result.rows, parts,
                    keterangan=header.cleaned_data["keterangan"], skor_maksimum=header.cleaned_data["skor_maksimum"],
                )
                messages.success(request, f"Penilaian {header.cleaned_data['tahun']} tersimpan ({len(result.rows)} kab/kota).")
                for warning in result.warnings:
                    messages.warning(request, warning)
                return redirect(f"{reverse('laporan:peringkat')}?tahun={header.cleaned_data['tahun']}")
    else:
        header = PenilaianHeaderForm(initial={
            "tahun": tahun or PenilaianHeaderForm.base_fields["tahun"].initial,
            "keterangan": existing.keterangan if existing else "",
            "skor_maksimum": existing.skor_maksimum if existing else None,
        })
        formset = NilaiFormSet(initial=nilai_initial(existing), prefix="nilai")
        komponen = KomponenFormSet(initial=komponen_initial(existing), prefix="komponen")
    names = {k.id: k for k in KabKota.objects.all()}
    lines = [(form, names.get(int(form["kab_kota"].value()))) for form in formset.forms]
    context = {"header": header, "formset": formset, "lines": lines, "komponen": komponen, "errors": errors,
               "existing": existing}
    return render_page(request, "laporan/peringkat_isi.html", context)


@role_required(*CITY_EDITORS)
def upload(request):
    errors, warnings = [], []
    if request.method == "POST":
        form = UnggahPenilaianForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                raw = importer.rows_from_frame(importer.read_upload(form.cleaned_data["berkas"]))
            except UserError as error:
                add_to_form(form, error)
            else:
                result = importer.validate(raw)
                errors, warnings = result.errors, result.warnings
                if not errors:
                    tahun = form.cleaned_data["tahun"]
                    existing = ranking.assessment(tahun)
                    services.save_penilaian(
                        tahun, result.rows, None if existing else [],
                        keterangan=form.cleaned_data["keterangan"] or (existing.keterangan if existing else ""),
                        skor_maksimum=existing.skor_maksimum if existing else None,
                    )
                    messages.success(request, f"Penilaian {tahun} tersimpan dari berkas ({len(result.rows)} kab/kota).")
                    for warning in warnings:
                        messages.warning(request, warning)
                    return redirect(f"{reverse('laporan:peringkat')}?tahun={tahun}")
    else:
        form = UnggahPenilaianForm()
    return render_page(request, "laporan/peringkat_unggah.html", {"form": form, "errors": errors})


@role_required(*CITY_EDITORS)
def template(request):
    """An XLSX to fill in: every kab/kota with empty score and rank columns."""
    rows = ([str(kab_kota), None, None] for kab_kota in KabKota.objects.all())
    content = xlsx.table_bytes(["Kab/Kota", "Skor", "Peringkat"], rows, sheet="Penilaian", widths={0: 28},
                               kinds={1: "desimal", 2: "angka"})
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="templat-penilaian-kabkota.xlsx"'
    return response


@role_required(*ALL_ROLES)
def export(request, tabel, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    own = ranking.own_kab_kota()
    own_id = own.id if own else None
    if tabel == "riwayat":
        return exports.response(tables.history_table(ranking.history(own_id), str(own)), fmt)
    tahun = _year(request, ranking.years())
    penilaian = ranking.assessment(tahun) if tahun else None
    if penilaian is None:
        raise Http404("Belum ada penilaian.")
    if tabel == "peringkat":
        return exports.response(tables.ranking_table(ranking.table(penilaian, own_id), tahun), fmt)
    if tabel == "komponen":
        return exports.response(tables.components_table(list(penilaian.komponen.all()), tahun, str(own)), fmt)
    raise Http404("Tabel tidak dikenal.")
