"""ASI eksklusif by area and month: both indicators from balita.asi (the one home of the rule)."""

from balita import asi, figures
from balita.views.common import int_param, period_form
from tpps.access import role_required
from tpps.htmx import render_page
from tpps.models import Kecamatan, Kelurahan, Posyandu
from tpps.roles import CHILD_READERS


@role_required(*CHILD_READERS)
def asi_eksklusif(request):
    form = period_form(request)
    periode = form.resolve_periode()
    kelurahan = Kelurahan.objects.for_user(request.user).filter(pk=int_param(request.GET, "kelurahan")).first()
    if kelurahan:
        by = asi.asi_by(request.user, periode, "posyandu", kelurahan=kelurahan)
        names = {p.pk: p.nama for p in Posyandu.objects.for_user(request.user).filter(kelurahan=kelurahan)}
        rows = [{"id": key, "nama": names.get(key, "(tanpa posyandu)"), "kecamatan": "", "angka": value}
                for key, value in by.items()]
    else:
        by = asi.asi_by(request.user, periode, "kelurahan")
        kecamatan = {k.pk: k.nama for k in Kecamatan.objects.all()}
        rows = [{"id": k.pk, "nama": k.nama, "kecamatan": kecamatan.get(k.kecamatan_id, ""), "angka": by[k.pk]}
                for k in figures.visible_kelurahan(request.user) if k.pk in by]
    rows.sort(key=lambda r: (r["kecamatan"], r["nama"]))
    total = asi.asi(request.user, periode, kelurahan=kelurahan)
    context = {
        "form": form, "periode": periode, "kelurahan": kelurahan, "rows": rows, "total": total,
        "bulanan": asi.asi_monthly(request.user, periode.tahun, kelurahan=kelurahan),
        "query": f"tahun={periode.tahun}&periode={periode.kode}",
        "min_catatan": asi.MIN_CATATAN_LULUS,
    }
    return render_page(request, "balita/asi.html", context, "isi")
