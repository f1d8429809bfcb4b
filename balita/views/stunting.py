"""The stunting register: children whose latest measurement in a period is pendek or sangat
pendek, counts and prevalence by kelurahan and posyandu, coverage, and month-by-month totals.
Every figure comes from balita.figures, the same read model as the dashboard and the pack."""

from django.core.paginator import Paginator
from django.http import HttpResponse

from balita import charts, figures, selectors
from balita.models import Anak
from balita.growth import categories
from balita.views.common import int_param, period_form
from tpps import masking, xlsx
from tpps.access import role_required
from tpps.audit import LIHAT, UNDUH, catat_akses
from tpps.htmx import render_page
from tpps.models import Kelurahan, Posyandu
from tpps.roles import CHILD_READERS, access_for


class KnownCountPaginator(Paginator):
    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property


def _selection(request):
    """(form, period, kelurahan or None, posyandu or None) of the request, within the user's scope."""
    form = period_form(request)
    periode = form.resolve_periode()
    kelurahan = Kelurahan.objects.for_user(request.user).filter(pk=int_param(request.GET, "kelurahan")).first()
    posyandu = None
    if kelurahan:
        posyandu = Posyandu.objects.for_user(request.user).filter(
            pk=int_param(request.GET, "posyandu"), kelurahan=kelurahan).first()
    return form, periode, kelurahan, posyandu


def _where(kelurahan, posyandu) -> str:
    return f", Posyandu {posyandu.nama}" if posyandu else f", Kelurahan {kelurahan.nama}" if kelurahan else ""


@role_required(*CHILD_READERS)
def stunting(request):
    form, periode, kelurahan, posyandu = _selection(request)

    register = selectors.stunting_register(request.user, periode, kelurahan=kelurahan)
    children = selectors.stunted_children(request.user, periode, kelurahan=kelurahan, posyandu=posyandu)
    # The list's length is the register's own figure (the same number by construction and by
    # test), so the list is not counted a second time.
    count = figures.figures(request.user, periode, kelurahan=kelurahan, posyandu=posyandu).stunting
    page = KnownCountPaginator(children, 50, count=count).get_page(request.GET.get("hal"))
    months = selectors.monthly_totals(request.user, periode, kelurahan=kelurahan)
    query = f"tahun={periode.tahun}&periode={periode.kode}"
    context = {
        "form": form, "periode": periode, "query": query,
        "ekspor_query": query + (f"&kelurahan={kelurahan.pk}" if kelurahan else "") + (f"&posyandu={posyandu.pk}" if posyandu else ""),
        "judul_cetak": f"Register stunting {periode.label}{_where(kelurahan, posyandu)}",
        "kelurahan": kelurahan, "posyandu": posyandu,
        "register": register, "page": page, "bulanan": months,
        "chart_bulanan": charts.monthly_chart(months) if months else None,
        "by_posyandu": kelurahan is not None,
    }
    catat_akses(request, LIHAT, Anak, len(page.object_list), "Register stunting")
    return render_page(request, "balita/stunting.html", context, "isi")


EXPORT_HEADERS = ["No", "NIK", "Nama", "JK", "Umur (bulan)", "Kecamatan", "Kelurahan", "Posyandu terdaftar",
                  "Tgl ukur", "Berat (kg)", "Tinggi (cm)", "ZS TB/U", "TB/U"]


@role_required(*CHILD_READERS)
def stunting_export(request):
    """The whole stunting register of the chosen period and area as XLSX (names and NIK masked
    for roles that may not see them), the same rows as the page's list."""
    _, periode, kelurahan, posyandu = _selection(request)
    children = selectors.stunted_children(request.user, periode, kelurahan=kelurahan, posyandu=posyandu).select_related(
        "anak__kelurahan__kecamatan", "anak__posyandu")
    access = access_for(request.user)
    written = 0

    def rows():
        nonlocal written
        for number, row in enumerate(children.iterator(chunk_size=2000), start=1):
            written = number
            anak = row.anak
            yield [
                number, masking.nik_for(access, anak.nik), masking.name_for(access, anak.nama), anak.jenis_kelamin,
                row.umur_bulan, anak.kelurahan.kecamatan.nama, anak.kelurahan.nama,
                anak.posyandu.nama if anak.posyandu else "", row.tanggal,
                float(row.berat) if row.berat is not None else None,
                float(row.tinggi) if row.tinggi is not None else None,
                float(row.zs_tbu) if row.zs_tbu is not None else None,
                categories.label("tbu", row.kategori_tbu or ""),
            ]

    where = _where(kelurahan, posyandu)
    content = xlsx.table_bytes(
        EXPORT_HEADERS, rows(), sheet="Register stunting", widths={1: 20, 2: 28, 5: 14, 6: 18, 7: 24},
        kinds={4: "angka", 9: "desimal", 10: "desimal", 11: "desimal"},
        preamble=[f"Register stunting {periode.label}{where}",
                  "Pengukuran terakhir tiap anak pada periode; stunting = TB/U pendek atau sangat pendek (bukan flag WHO)."],
    )
    catat_akses(request, UNDUH, Anak, written, f"Register stunting {periode.label}{where} (XLSX)")
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    name = f"register-stunting-{periode.tahun}-{periode.kode}" + (f"-{kelurahan.nama.lower().replace(' ', '-')}" if kelurahan else "")
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
