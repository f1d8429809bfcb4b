"""The evaluation pack: gather the year's figures for the whole city, draw SVG charts, render an
A4 PDF with WeasyPrint (HTML + CSS paged media: running headers, page numbers, a table of
contents by target-counter, table headers repeated across pages)."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from balita.quality import report as quality
from laporan import charts, narasi, ranking, selectors, sources
from tpps.periods import Periode
from tpps.roles import SYSTEM

SECTIONS = [
    ("ringkasan", "Ringkasan angka utama"),
    ("tren", "Tren prevalensi stunting"),
    ("wilayah", "Stunting per kecamatan dan puskesmas"),
    ("kelurahan", "Stunting per kelurahan"),
    ("aksi", "Delapan aksi konvergensi"),
    ("indikator", "Indikator dan capaian OPD"),
    ("genting", "GENTING — Gerakan Orang Tua Asuh Cegah Stunting"),
    ("peringkat", "Riwayat peringkat kinerja"),
    ("mutu", "Mutu data"),
    ("kasus", "Tata laksana gizi"),
    ("rekomendasi", "Tindak lanjut rekomendasi"),
    ("inovasi", "Inovasi daerah"),
    ("ibuhamil", "Ibu hamil dan bayi baru lahir"),
    ("sasaran", "Sasaran hulu: ASI eksklusif, catin, remaja putri, keluarga risiko stunting"),
]


# Unnumbered pages around the numbered chapters: the narrative before chapter 1, the signature
# page last. Chapters appended to SECTIONS (and to the template before its signature include) keep
# their numbers and stay before the signatures.
FRONT = [("narasi", "Ringkasan naratif")]
BACK = [("pengesahan", "Lembar pengesahan")]


def figures(tahun: int, progress=None, *, full: bool = False) -> dict:
    """The year's figures, city-wide, from the same selectors as the pages: what the narrative is
    written from (laporan/narasi.py) and what the pack's chapters print. `full` adds the case
    cohorts the pack's tables need."""
    step = progress or (lambda pct, text: None)
    step(10, "Menghitung angka utama")
    own = ranking.own_kab_kota()
    periode = Periode("tahun", tahun, 1)
    dasbor = selectors.dashboard(SYSTEM, periode)
    kota = str(own) if own else "Kota Kediri"
    data = {"tahun": tahun, "kota": kota, "own": own, "periode": periode, "d": dasbor}
    step(40, "Membaca aksi konvergensi dan indikator")
    data["aksi"] = sources.actions(tahun, SYSTEM)
    data["kesiapan"] = sources.readiness(tahun, SYSTEM)
    data["indikator"] = sources.indicators(tahun, periode, SYSTEM)
    step(50, "Membaca GENTING")
    data["genting"] = sources.genting(tahun, SYSTEM)
    step(52, "Membaca tata laksana gizi")
    data["kasus"] = sources.kasus(tahun, SYSTEM, cohorts=full)
    step(54, "Membaca tindak lanjut rekomendasi dan inovasi")
    data["rekomendasi"] = sources.recommendations_for_pack(tahun, SYSTEM)
    step(55, "Membaca sasaran hulu")
    data["sasaran"] = sources.sasaran(periode, SYSTEM, by_kelurahan=True)
    step(56, "Membaca data ibu hamil")
    data["ibuhamil"] = sources.ibuhamil(tahun, SYSTEM, split=True)
    return data


def gather(tahun: int, progress=None) -> dict:
    """Everything the pack shows for `tahun`: the figures, charts, ranking, data quality, the
    narrative (edited where the operator edited it) and the signatories."""
    step = progress or (lambda pct, text: None)
    data = figures(tahun, step, full=True)
    dasbor, kota, own, periode = data["d"], data["kota"], data["own"], data["periode"]
    city = SYSTEM
    latest = selectors.latest_period(city, tahun)
    trend_rows = selectors.trend(city, tahun)
    step(56, "Menggambar grafik")
    history = ranking.history(own.id if own else None)
    penilaian = ranking.assessment(history[-1]["tahun"]) if history else None
    table = ranking.table(penilaian, own.id if own else None) if penilaian else []
    data.update({
        "dibuat": timezone.localtime(),
        "sections": SECTIONS,
        "front": FRONT,
        "back": BACK,
        "latest": latest,
        "bulan": selectors.dashboard(city, latest) if latest else None,
        "trend": trend_rows,
        "trend_svg": charts.trend_svg(charts.trend_series(trend_rows)) if trend_rows else None,
        "kelurahan_svg": charts.area_svg(charts.area_series(dasbor.kelurahan), size=(7.2, 3.6))
        if any(r.sekarang.tbu_valid for r in dasbor.kelurahan) else None,
        "kelurahan_rows": selectors.sort_rows(dasbor.kelurahan, "-prevalensi"),
        # The city's total row, named as the city (Kota is also a kecamatan), its change by the rows' rule.
        "total_kota": selectors.Baris(key="kota", nama=f"Total {kota}",
                                      sekarang=dasbor.sekarang, sebelumnya=dasbor.lalu),
        "history": history,
        "history_svg": charts.ranking_svg(charts.ranking_series(history)) if history else None,
        "penilaian": penilaian,
        "posisi": ranking.position(table),
        "top": table[:10],
        "komponen": list(penilaian.komponen.all()) if penilaian else [],
    })
    data["kohort_kasus"] = [("Menurut bulan dibuka", data["kasus"].get("per_bulan")),
                            ("Menurut puskesmas", data["kasus"].get("per_puskesmas"))] if not data["kasus"]["kosong"] else []
    step(57, "Menilai mutu data")
    mutu = quality.report(SYSTEM, periode, "posyandu")
    data["mutu"] = {"kota": mutu.kota, "terburuk": quality.worst_posyandu(mutu), "temuan": len(mutu.temuan)}
    data["survei"] = selectors.survey_gap(SYSTEM, tahun, mutu=mutu.kota.skor)
    step(58, "Menyusun ringkasan naratif")
    data["narasi"] = selectors.narrative(SYSTEM, tahun, narasi.paragraphs(data))
    data["pengesahan"] = selectors.signatories(SYSTEM, kota)
    return data


def render_html(data: dict) -> str:
    return render_to_string("laporan/pdf/paket.html", data)


def render_pack(tahun: int, progress=None) -> tuple[bytes, int]:
    """(PDF bytes, number of pages) of the evaluation pack for `tahun`."""
    step = progress or (lambda pct, text: None)
    data = gather(tahun, step)
    step(60, "Menyusun halaman")
    html = render_html(data)
    step(70, "Membuat PDF")
    document = HTML(string=html, base_url=".").render()
    step(95, "Menyimpan berkas")
    return document.write_pdf(), len(document.pages)
