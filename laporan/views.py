"""Dashboard pages: city → kecamatan (filter) or puskesmas (its working area) → kelurahan →
children, and their exports."""

from django.core.paginator import Paginator
from django.http import Http404

from laporan import charts, exports, ranking, selectors, sources, tables
from laporan.figures import Perubahan
from laporan.forms import FilterForm
from tpps.access import role_required
from tpps.audit import LIHAT, UNDUH, catat_akses
from tpps.context_processors import menu_for
from tpps.htmx import render_page
from tpps.roles import ALL_ROLES, CHILD_READERS, CITY_EDITORS, access_for

LEVELS = ("kecamatan", "kelurahan", "puskesmas")


def _filters(request, with_kecamatan=True):
    form = FilterForm(request.GET, request.user, with_kecamatan=with_kecamatan)
    periode, kecamatan = form.resolve()
    return form, periode, kecamatan


def _area(form, kecamatan):
    """(kecamatan, puskesmas): an opened puskesmas row replaces the kecamatan filter."""
    puskesmas = form.puskesmas_chosen()
    return (None, puskesmas) if puskesmas else (kecamatan, None)


def _area_name(request, kecamatan, puskesmas=None):
    return selectors.area_name(request.user, kecamatan, puskesmas)


def _query(periode, kecamatan=None, puskesmas=None, **extra):
    params = {"tahun": periode.tahun, "periode": periode.kode}
    if kecamatan:
        params["kecamatan"] = kecamatan.pk
    if puskesmas:
        params["puskesmas"] = puskesmas.pk
    params.update({k: v for k, v in extra.items() if v not in (None, "")})
    return "&".join(f"{k}={v}" for k, v in params.items())


def _table_context(dasbor, level, sort):
    rows = selectors.sort_rows(getattr(dasbor, level), sort)
    return {"level": level, "rows": rows, "sort": sort}


@role_required(*ALL_ROLES)
def index(request):
    form, periode, kecamatan = _filters(request)
    kecamatan, puskesmas = _area(form, kecamatan)
    kecamatan_id, puskesmas_id = (kecamatan.pk if kecamatan else None), (puskesmas.pk if puskesmas else None)
    dasbor = selectors.dashboard(request.user, periode, kecamatan_id, puskesmas_id)
    query = _query(periode, kecamatan, puskesmas)
    level, sort = request.GET.get("level"), request.GET.get("sort", "")
    if request.htmx and level in LEVELS and dasbor.whole(level):
        context = {"tabel": _table_context(dasbor, level, sort), "query": query, "periode": periode}
        return render_page(request, "laporan/dasbor.html", context, "tabel_wilayah")

    tahun = periode.tahun
    if request.htmx and request.GET.get("bagian") == "indikator":
        # Loaded after the page: konvergensi computes some capaian live from the measurements.
        indikator = sources.indicators(tahun, periode, user=request.user)
        context = {"indikator": indikator, "indikator_warna": sources.indicator_colours(indikator),
                   "periode": periode, "links": _links(request.user)}
        return render_page(request, "laporan/dasbor.html", context, "indikator")

    if request.htmx and request.GET.get("bagian") == "survei":
        # Loaded after the page: the year's data-quality score reads every measurement of the year.
        context = {"survei": selectors.survey_gap(request.user, tahun, kecamatan_id or puskesmas_id),
                   "boleh_isi_survei": access_for(request.user).has(*CITY_EDITORS), "periode": periode}
        return render_page(request, "laporan/dasbor.html", context, "survei")

    if request.htmx and request.GET.get("bagian") == "rekomendasi":
        # Loaded after the page, like the indicator card: the province's open recommendations.
        context = {"rekomendasi": sources.open_recommendations(request.user), "links": _links(request.user)}
        return render_page(request, "laporan/dasbor.html", context, "rekomendasi")

    trend_rows, thin = selectors.trend_and_thin(request.user, periode.tahun, kecamatan_id, puskesmas_id=puskesmas_id)
    context = {
        "form": form,
        "periode": periode,
        "kecamatan": kecamatan,
        "puskesmas": puskesmas,
        "wilayah": _area_name(request, kecamatan, puskesmas),
        "d": dasbor,
        "query": query,
        "trend_json": charts.trend_plotly(charts.trend_series(trend_rows)) if trend_rows else None,
        "bagian": [
            {
                "level": lv,
                "tabel": _table_context(dasbor, lv, sort if lv == level else ""),
                "bar_json": charts.area_plotly(charts.area_series(getattr(dasbor, lv)))
                if any(r.sekarang.tbu_valid for r in getattr(dasbor, lv)) else None,
            }
            for lv in _levels(kecamatan, puskesmas) if dasbor.whole(lv)
        ],
        "links": _links(request.user),
        "bulan_tipis": thin,
        "survei_tampil": selectors.shows_survey(request.user, kecamatan_id or puskesmas_id),
        "aksi": sources.actions(tahun, user=request.user),
        "genting": sources.genting(tahun, request.user),
        "kasus": sources.kasus(tahun, request.user),
        "sasaran": sources.sasaran(periode, request.user),
        "ibuhamil": sources.ibuhamil(tahun, request.user),
        "peringkat": _ranking_brief(),
    }
    return render_page(request, "laporan/dasbor.html", context, "isi")


def _levels(kecamatan, puskesmas):
    """The area tables of a page: every level for the city, below a kecamatan its kelurahan and
    puskesmas, below a puskesmas its kelurahan."""
    if puskesmas:
        return ("kelurahan",)
    return LEVELS[1:] if kecamatan else LEVELS


def _links(user):
    """Pages of the other apps the user may open (for the 'Buka …' links)."""
    allowed = {url for _, url in menu_for(access_for(user))}
    wanted = {"konvergensi": sources.link("konvergensi:index"), "genting": sources.link("genting:index"),
              "kasus": sources.link("kasus:index"), "sasaran": sources.link("sasaran:index"),
              "ibuhamil": sources.link("ibuhamil:ringkasan"),
              "paket": sources.link("laporan:paket"), "rekomendasi": sources.link("rekomendasi:index")}
    return {key: url for key, url in wanted.items() if url in allowed}


def _ranking_brief():
    history = ranking.history()
    return history[-1] if history else None


@role_required(*ALL_ROLES)
def kelurahan(request, pk):
    kel = selectors.kelurahan_for(request.user, pk)
    if kel is None:
        raise Http404("Kelurahan tidak ditemukan di wilayah Anda.")
    form, periode, _ = _filters(request, with_kecamatan=False)
    now, prev = selectors.kelurahan_figures(request.user, kel, periode)
    trend_rows = selectors.trend(request.user, periode.tahun, kelurahan_id=kel.pk)
    hanya_stunting = request.GET.get("stunting") == "1"
    can_list = selectors.can_list_children(request.user)
    page = None
    if can_list:
        measurements = selectors.children_latest(request.user, kel, periode, hanya_stunting)
        page = Paginator(measurements, 50).get_page(request.GET.get("hal"))
        viewer = access_for(request.user)
        page.rows = [selectors.child_row(m, viewer) for m in page]
        catat_akses(request, LIHAT, "balita.Anak", len(page.rows), f"Daftar anak Kelurahan {kel.nama}")
    context = {
        "form": form,
        "kel": kel,
        "periode": periode,
        "now": now,
        "prev": prev,
        "perubahan": Perubahan(now.stunting, prev.stunting if prev.ada_data else None),
        "lokus": kel.is_lokus(periode.tahun),
        "target": selectors.target_of(periode.tahun),
        "trend_json": charts.trend_plotly(charts.trend_series(trend_rows)) if trend_rows else None,
        "page": page,
        "can_list": can_list,
        "can_see_names": access_for(request.user).can_see_personal_data,
        "hanya_stunting": hanya_stunting,
        "query": _query(periode),
        "list_query": _query(periode, stunting="1" if hanya_stunting else ""),
    }
    return render_page(request, "laporan/kelurahan.html", context, "anak", when=request.GET.get("bagian") == "anak")


@role_required(*ALL_ROLES)
def export(request, tabel, fmt):
    if fmt not in ("xlsx", "csv"):
        raise Http404
    form, periode, kecamatan = _filters(request)
    kecamatan, puskesmas = _area(form, kecamatan)
    kecamatan_id, puskesmas_id = (kecamatan.pk if kecamatan else None), (puskesmas.pk if puskesmas else None)
    wilayah = _area_name(request, kecamatan, puskesmas)
    if tabel in LEVELS:
        dasbor = selectors.dashboard(request.user, periode, kecamatan_id, puskesmas_id)
        if tabel not in _levels(kecamatan, puskesmas) or not dasbor.whole(tabel):
            raise Http404("Tabel ini hanya untuk wilayah yang utuh di lingkup Anda.")
        rows = selectors.sort_rows(getattr(dasbor, tabel), request.GET.get("sort", ""))
        return exports.response(tables.area_table(tabel, rows, periode, wilayah), fmt)
    if tabel == "tren":
        rows = selectors.trend(request.user, periode.tahun, kecamatan_id, include_thin=True, puskesmas_id=puskesmas_id)
        return exports.response(tables.trend_table(rows, periode.tahun, wilayah), fmt)
    raise Http404("Tabel tidak dikenal.")


@role_required(*CHILD_READERS)
def export_children(request, pk, fmt):
    kel = selectors.kelurahan_for(request.user, pk)
    if kel is None or fmt not in ("xlsx", "csv"):
        raise Http404
    _, periode, _ = _filters(request, with_kecamatan=False)
    measurements = selectors.children_latest(request.user, kel, periode, request.GET.get("stunting") == "1")
    viewer = access_for(request.user)
    rows = [selectors.child_row(m, viewer) for m in measurements]
    catat_akses(request, UNDUH, "balita.Anak", len(rows), f"Daftar anak Kelurahan {kel.nama} ({fmt.upper()})")
    return exports.response(tables.children_table(rows, kel, periode), fmt)
