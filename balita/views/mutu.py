"""Mutu data: the data-quality report of a period by posyandu, kelurahan or puskesmas, the
fix list, "sudah diperiksa, benar", and both tables as XLSX. Everything comes from balita.quality."""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from balita.quality import findings, marks
from balita.quality.load import INDICES
from balita.models import Anak
from balita.quality.report import LEVELS, checked, describe, filter_findings, report
from balita.views.common import int_param, period_form
from tpps import xlsx
from tpps.audit import LIHAT, UNDUH, catat_akses
from tpps.access import role_required
from tpps.errors import UserError, add_message
from tpps.htmx import render_page
from tpps.models import Posyandu
from tpps.roles import CHILD_READERS, DATA_EDITORS, access_for

PAGE_SIZE = 50
PRINT_SIZE = 5000
# Up to this many posyandu in view, the table starts per posyandu; beyond, per kelurahan (a city's
# 340 posyandu rows of 30 measures are 370 KB of HTML, slow on an office laptop); "Tingkat" switches.
POSYANDU_ROWS_MAX = 60


def _default_level(user) -> str:
    return "posyandu" if Posyandu.objects.for_user(user).count() <= POSYANDU_ROWS_MAX else "kelurahan"


def _params(request):
    form = period_form(request)
    level = request.GET.get("level") if request.GET.get("level") in LEVELS else _default_level(request.user)
    filters = {"jenis": request.GET.get("jenis") if request.GET.get("jenis") in findings.JENIS else "",
               "kelurahan": int_param(request.GET, "kelurahan"), "posyandu": int_param(request.GET, "posyandu")}
    return form, form.resolve_periode(), level, filters


def _context(request):
    form, periode, level, filters = _params(request)
    laporan = report(request.user, periode, level)
    items = filter_findings(laporan.temuan, **filters)
    # "Cetak": the whole list on one page for printing.
    page = Paginator(items, PRINT_SIZE if request.GET.get("cetak") else PAGE_SIZE).get_page(request.GET.get("hal"))
    query = f"tahun={periode.tahun}&periode={periode.kode}&level={level}"
    return {
        "form": form, "periode": periode, "level": level, "levels": LEVELS, "level_label": LEVELS[level], "filters": filters, "query": query,
        "laporan": laporan, "page": page, "rows": describe(request.user, list(page.object_list)),
        "jenis_choices": findings.JENIS.items(), "indices": INDICES,
        "can_mark": access_for(request.user).has(*DATA_EDITORS),
    }


@role_required(*CHILD_READERS)
def mutu(request):
    partial = "temuan" if request.GET.get("bagian") == "temuan" else "isi"
    context = _context(request)
    context["diperiksa"] = checked(request.user) if request.GET.get("tampil") == "diperiksa" else None
    catat_akses(request, LIHAT, Anak, len(context["rows"]) + len(context["diperiksa"] or []), "Mutu data: daftar perbaikan")
    return render_page(request, "balita/mutu.html", context, partial)


@role_required(*DATA_EDITORS)
@require_POST
def mutu_periksa(request):
    """Mark a finding "sudah diperiksa, benar"; HTMX gets the fix list back without it. The page's
    query (period, level, filters, page) rides along in the URL."""
    back = f"{reverse('balita:mutu')}?{request.GET.urlencode()}#temuan"
    try:
        marks.mark_checked(request.user, jenis=request.POST.get("jenis", ""), kunci=request.POST.get("kunci", ""),
                           anak_id=request.POST.get("anak"), pengukuran_id=request.POST.get("pengukuran") or None,
                           keterangan=request.POST.get("keterangan", "").strip())
    except UserError as error:
        if not request.htmx:
            add_message(request, error)
            return redirect(back)
        return HttpResponse(str(error), status=400)
    if not request.htmx:
        return redirect(back)
    return render_page(request, "balita/mutu.html", _context(request), "temuan", always=True)


def _fmt(value, digits=2):
    return None if value is None else round(value, digits)


TABLE_HEADERS = [
    "Wilayah", "Kelurahan", "Skor", "Alasan", "Anak diukur", "Pengukuran", "Cakupan (%)", "NIK kosong (%)",
    "Berat kosong (%)", "Tinggi kosong (%)", "Cara ukur kosong (%)", "Flag TB/U (%)", "Flag BB/U (%)",
    "Flag BB/TB (%)", "SD TB/U", "SD BB/U", "SD BB/TB", "Kemencengan TB/U", "Kemencengan BB/U", "Kemencengan BB/TB",
    "Keruncingan TB/U", "Keruncingan BB/U", "Keruncingan BB/TB", "Tinggi .0/.5 (%)", "DPS tinggi", "Berat .0/.5 (%)",
    "DPS berat", "Rasio umur kelipatan 6 bl", "Rasio lahir tgl 1", "Rasio L/P", "Cara ukur tidak sesuai umur (%)",
    "Pertumbuhan tidak wajar (%)", "Anak ganda (%)",
]


def table_row(row) -> list:
    j = row.jumlah
    return [
        row.nama, row.induk, row.skor.nilai, "; ".join(f"{text} (−{points})" for text, points in row.skor.alasan),
        j.n_anak, j.n_ukur, _fmt(row.cakupan), _fmt(j.persen_nik_kosong()), _fmt(j.persen_berat_kosong()),
        _fmt(j.persen_tinggi_kosong()), _fmt(j.persen_cara_kosong()), *[_fmt(j.persen_flag(i)) for i in INDICES],
        *[_fmt(j.sd(i)) for i in INDICES], *[_fmt(j.skewness(i)) for i in INDICES], *[_fmt(j.kurtosis(i)) for i in INDICES],
        _fmt(j.persen_0_5("tb")), _fmt(j.dps("tb")), _fmt(j.persen_0_5("bb")), _fmt(j.dps("bb")),
        _fmt(j.rasio_umur_6()), _fmt(j.rasio_lahir_tgl1()), _fmt(j.rasio_jk()), _fmt(j.persen_cara_ukur_umur()),
        _fmt(j.persen_tumbuh_tidak_wajar()), _fmt(j.persen_ganda()),
    ]


def _xlsx(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(*CHILD_READERS)
def mutu_tabel_xlsx(request):
    form, periode, level, _ = _params(request)
    laporan = report(request.user, periode, level)
    rows = [table_row(r) for r in [*laporan.rows, laporan.kota]]
    content = xlsx.table_bytes(TABLE_HEADERS, rows, sheet="Mutu data", widths={0: 24, 1: 16, 3: 60},
                               preamble=[f"Mutu data per {LEVELS[level].lower()}, {periode.label}",
                                         "Skor 0–100; alasan = ukuran yang mengurangi poin."])
    return _xlsx(content, f"mutu-data-{level}-{periode.tahun}-{periode.kode}.xlsx")


FINDING_HEADERS = ["Jenis", "Nama anak", "NIK", "Kelurahan", "Posyandu", "Tgl ukur", "Masalah", "Dicatat oleh",
                   "Dicatat pada", "ID anak", "ID pengukuran"]


@role_required(*CHILD_READERS)
def mutu_temuan_xlsx(request):
    form, periode, level, filters = _params(request)
    items = filter_findings(report(request.user, periode, level).temuan, **filters)
    rows = [[r["jenis"], r["nama"], r["nik"], r["kelurahan"], r["posyandu"], r["tanggal"], r["rincian"], r["dicatat"],
             r["dicatat_pada"].replace(tzinfo=None) if r["dicatat_pada"] else None, r["anak_id"],
             r["temuan"].pengukuran_id] for r in describe(request.user, items)]
    content = xlsx.table_bytes(FINDING_HEADERS, rows, sheet="Daftar perbaikan", kinds={2: "teks"},
                               widths={0: 26, 1: 24, 2: 20, 6: 70, 7: 30},
                               preamble=[f"Daftar perbaikan mutu data, {periode.label}"])
    catat_akses(request, UNDUH, Anak, len(rows), "Mutu data: daftar perbaikan (XLSX)")
    return _xlsx(content, f"daftar-perbaikan-{periode.tahun}-{periode.kode}.xlsx")
