"""What the dashboard and the pack read from konvergensi, genting, kasus, ibuhamil, rekomendasi and
sasaran (and balita's ASI read model), through their selectors only
(their documented contracts; an empty result shows as "belum ada data")."""

from django.urls import NoReverseMatch, reverse

from genting import selectors as genting_selectors
from ibuhamil import selectors as ibuhamil_selectors
from kasus import selectors as kasus_selectors
from konvergensi import selectors as konvergensi_selectors
from balita import asi as asi_figures
from rekomendasi import selectors as rekomendasi_selectors
from sasaran import selectors as sasaran_selectors


def link(name, *args, **kwargs):
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return None


def genting(tahun: int, user) -> dict:
    """GENTING totals of the year and families helped by report category (no personal data),
    over the kelurahan `user` sees (SYSTEM: the whole city)."""
    totals = genting_selectors.genting_totals(user, tahun)
    categories = genting_selectors.families_helped_by_category(user, tahun)
    empty = not any(totals.values()) and not any(c["keluarga"] for c in categories)
    return {"totals": totals, "kategori": categories, "kosong": empty}


def kasus(tahun: int, user, *, cohorts: bool = False) -> dict:
    """Tata laksana gizi over the cases `user` sees (kasus' contract: terbuka, terlambat,
    tidak_terukur, kohort with kasus/sembuh/persen_sembuh/median_hari/hilang/persen_hilang,
    per_masalah, as_of); with cohorts, also the year's cohorts by month and by puskesmas."""
    result = kasus_selectors.summary(user, tahun)
    if cohorts:
        result["per_bulan"] = kasus_selectors.cohorts(user, tahun, per="bulan", on=result["as_of"])
        result["per_puskesmas"] = kasus_selectors.cohorts(user, tahun, per="puskesmas", on=result["as_of"])
    result["kosong"] = not result["kohort"]["kasus"] and not result["terbuka"]
    return result


def ibuhamil(tahun: int, user, *, split: bool = False) -> dict:
    """Pregnant women over the pregnancies `user` sees (ibuhamil's contract: kehamilan, kek,
    persen_kek, anemia, persen_anemia, risiko, lahir_hidup, bblr, persen_bblr, pblr, persen_pblr,
    indikator, kosong); with split, also the stunting figures by BBLR/PBLR (balita's read model)."""
    result = ibuhamil_selectors.summary(user, tahun)
    if split:
        result["split"] = ibuhamil_selectors.stunting_by_birth(user, tahun)
    return result


def konvergensi_period(periode) -> str | None:
    """konvergensi reports indicators by quarter ("t1"…"t4") or year ("th"); for a month or a
    semester it takes each indicator's freshest period of the year (None)."""
    if periode is None:
        return None
    if periode.jenis == "triwulan":
        return f"t{periode.nomor}"
    return "th" if periode.jenis == "tahun" else None


def assessment_year() -> int:
    """The year every laporan year selector starts on: konvergensi's assessment year (the
    performance year defended before the province next), not the calendar year."""
    return konvergensi_selectors.default_year()


def readiness(tahun: int, user) -> dict:
    """The year's readiness for the assessment (konvergensi's contract: kesiapan, aksi by status,
    keluaran_wajib/diterima, bukti, indikator by status)."""
    return konvergensi_selectors.readiness_summary(tahun, user=user)


def actions(tahun: int, user) -> list:
    """The eight convergence actions (konvergensi's contract: nomor, nama, status, status_label,
    status_warna, kesiapan, keluaran_wajib/diterima, bukti, kurang, …) as `user` sees them (SYSTEM: all)."""
    return konvergensi_selectors.actions_progress(tahun, user=user)


def indicators(tahun: int, periode, user) -> list:
    """Indicators with target, capaian, status, warna, kendala and upaya by OPD."""
    return konvergensi_selectors.indicator_results(tahun, konvergensi_period(periode), user=user)


def indicator_colours(rows) -> list[tuple[str, str, int]]:
    """[(warna, label, count)] in the order green, amber, red, grey, for the dashboard badges."""
    labels = {"green": "tercapai", "amber": "hampir tercapai", "red": "belum tercapai", "grey": "tanpa data/target"}
    counts = {key: 0 for key in labels}
    for row in rows or []:
        counts[row.get("warna") if row.get("warna") in counts else "grey"] += 1
    return [(key, labels[key], counts[key]) for key in labels if counts[key]]


def open_recommendations(user, limit: int = 6) -> dict:
    """The province's recommendations not yet done, worst first (rekomendasi's contract: id,
    tahun, jenis_label, judul, opd, status, status_label, warna, kurang, terakhir), and how many
    are open in all."""
    rows = rekomendasi_selectors.open_worst_first(user)
    return {"rows": rows[:limit], "jumlah": len(rows)}


def recommendations_for_pack(tahun: int, user) -> dict:
    """What the assessment of `tahun` asks about (recommendations of `tahun` − 1 and `tahun`,
    worst first, with follow-ups and counts) and the innovations with their indicator's trend."""
    return rekomendasi_selectors.for_assessment(user, tahun)


def sasaran(periode, user, *, by_kelurahan: bool = False) -> dict:
    """Upstream targets over what `user` sees: ASI eksklusif (balita.asi: both indicators), catin,
    remaja putri TTD (for the period) and BKKBN's KRS families (the period's data year); with
    by_kelurahan, the same per kelurahan. No personal data."""
    result = {
        "asi": asi_figures.asi(user, periode),
        "catin": sasaran_selectors.catin_figures(user, periode),
        "ttd": sasaran_selectors.ttd_figures(user, periode),
        "krs": sasaran_selectors.krs_figures(user, periode.tahun),
        "tahun": periode.tahun,
    }
    result["kosong"] = not (result["asi"].ada_data or result["catin"].terdaftar or result["ttd"].jumlah_siswi
                            or result["krs"].keluarga)
    if by_kelurahan:
        asi_by = asi_figures.asi_by(user, periode, "kelurahan")
        catin_by = sasaran_selectors.catin_by(user, periode, "kelurahan")
        ttd_by = sasaran_selectors.ttd_by(user, periode, "kelurahan")
        krs_by = sasaran_selectors.krs_by(user, periode.tahun, "kelurahan")
        result["kelurahan"] = [
            {"nama": k.nama, "asi": asi_by.get(k.pk), "catin": catin_by.get(k.pk), "ttd": ttd_by.get(k.pk), "krs": krs_by.get(k.pk)}
            for k, _ in sasaran_selectors.kelurahan_rows(user, {key: None for key in
                                                               set(asi_by) | set(catin_by) | set(ttd_by) | set(krs_by)})
        ]
    return result
