"""Reads of rekomendasi for pages, the readiness page, the dashboard and the PDF pack.

Every read takes the user and goes through `for_user` (tpps.roles); the pack and commands pass
`tpps.roles.SYSTEM`. Figures come from the read models only: indicator capaian from konvergensi's
`indicator_results` (itself reading balita's figures for computed indicators), the app's own
measures from `rekomendasi.measures`. Row keys are stable for other apps (laporan):

recommendation rows: id, tahun, jenis, jenis_label, judul, uraian, sumber, opd (short names),
status ("belum"/"berjalan"/"selesai"), status_label, warna, kurang (what is missing, Indonesian),
tindak_lanjut (count), terakhir (latest follow-up dict or None), follow_ups (list, newest first:
opd, uraian, tanggal, hasil, tuntas), indikator (names), kegiatan (names), lanjutan_dari_id
(the same recommendation at the previous assessment, or None).
innovation rows: id, nama, opd, mulai, sasaran_label, sumber_anggaran_label, uraian, perubahan,
mitra [(unsur_label, nama, peran)], indikator (name or None), tren (indicator trend, see below).
"""

from collections import defaultdict

from konvergensi import selectors as konvergensi_selectors
from konvergensi.models import Bukti, StatusVerifikasi
from rekomendasi import measures, rules
from rekomendasi.models import (
    BuktiRekomendasi,
    IndikatorRekomendasi,
    Inovasi,
    KegiatanRekomendasi,
    OpdRekomendasi,
    Rekomendasi,
    TindakLanjut,
)
from tpps.models import Opd
from tpps.roles import FOLLOW_UP, access_for


def _jejak(rows) -> dict:
    """{recommendation id: rules.Jejak} for `rows`, in a fixed number of queries."""
    ids = [r.id for r in rows]
    jejak = {i: rules.Jejak() for i in ids}
    opd_names = dict(Opd.objects.values_list("id", "singkatan"))
    for rek_id, opd_id in OpdRekomendasi.objects.filter(rekomendasi_id__in=ids).values_list("rekomendasi_id", "opd_id"):
        jejak[rek_id].opd[opd_id] = opd_names[opd_id]
    for rek_id, opd_id, tuntas, berkas in TindakLanjut.objects.filter(rekomendasi_id__in=ids).values_list(
            "rekomendasi_id", "opd_id", "tuntas", "berkas"):
        j = jejak[rek_id]
        j.tindak_lanjut += 1
        if tuntas:
            j.opd_tuntas.add(opd_id)
        if berkas:
            j.berkas_tindak_lanjut += 1
    for rek_id, realisasi in KegiatanRekomendasi.objects.filter(rekomendasi_id__in=ids).values_list(
            "rekomendasi_id", "kegiatan__realisasi"):
        jejak[rek_id].kegiatan += 1
        jejak[rek_id].kegiatan_terealisasi += realisasi > 0
    for rek_id, state in BuktiRekomendasi.objects.filter(rekomendasi_id__in=ids).values_list("rekomendasi_id", "bukti__status"):
        jejak[rek_id].bukti += 1
        jejak[rek_id].bukti_diterima += state == StatusVerifikasi.DITERIMA
    return jejak


def _follow_ups(ids) -> dict:
    found = defaultdict(list)
    for t in TindakLanjut.objects.filter(rekomendasi_id__in=ids).select_related("opd").order_by("-tanggal", "-id"):
        found[t.rekomendasi_id].append({
            "id": t.id, "opd": t.opd.singkatan, "opd_id": t.opd_id, "uraian": t.uraian, "tanggal": t.tanggal,
            "hasil": t.hasil, "tuntas": t.tuntas, "berkas": bool(t.berkas), "nama_berkas": t.nama_berkas,
        })
    return found


def _names(through, field, ids) -> dict:
    found = defaultdict(list)
    for rek_id, name in through.objects.filter(rekomendasi_id__in=ids).values_list("rekomendasi_id", f"{field}__nama"):
        found[rek_id].append(name)
    return found


def _rows(queryset) -> list[dict]:
    rows = list(queryset)
    ids = [r.id for r in rows]
    jejak = _jejak(rows)
    follow = _follow_ups(ids)
    indikator = _names(IndikatorRekomendasi, "indikator", ids)
    kegiatan = _names(KegiatanRekomendasi, "kegiatan", ids)
    result = []
    for r in rows:
        j = jejak[r.id]
        state = rules.status(j)
        result.append({
            "id": r.id, "tahun": r.tahun, "jenis": r.jenis, "jenis_label": r.get_jenis_display(), "judul": r.judul,
            "uraian": r.uraian, "sumber": r.sumber, "urutan": r.urutan,
            "opd": sorted(j.opd.values()), "status": str(state), "status_label": state.label, "warna": rules.WARNA[state],
            "kurang": rules.kurang(j) if state != rules.Status.SELESAI else [],
            "tindak_lanjut": j.tindak_lanjut, "follow_ups": follow[r.id], "terakhir": (follow[r.id] or [None])[0],
            "indikator": indikator[r.id], "kegiatan": kegiatan[r.id], "angka_aplikasi": r.angka_aplikasi,
            "lanjutan_dari_id": r.lanjutan_dari_id,
            "_jejak": j,
        })
    return result


def recommendations(user, *, tahun=None, jenis=None, status=None) -> list[dict]:
    """Recommendations and weak points the user may see, newest assessment first."""
    # Recommendations before weak points within a year, in the assessment's own order.
    queryset = Rekomendasi.objects.for_user(user).order_by("-tahun", "-jenis", "urutan", "id")
    if tahun:
        queryset = queryset.filter(tahun=tahun)
    if jenis:
        queryset = queryset.filter(jenis=jenis)
    rows = _rows(queryset)
    return [r for r in rows if r["status"] == status] if status else rows


def years(user) -> list[int]:
    return sorted(set(Rekomendasi.objects.for_user(user).values_list("tahun", flat=True)), reverse=True)


def worst_first(rows) -> list[dict]:
    return sorted(rows, key=lambda r: rules.worst_first_key(r["status"], r["_jejak"], r["tahun"], r["urutan"]))


def open_worst_first(user, limit: int | None = None) -> list[dict]:
    """Recommendations not yet *selesai*, worst first (rekomendasi.rules)."""
    rows = worst_first([r for r in recommendations(user) if r["status"] != rules.Status.SELESAI])
    return rows[:limit] if limit else rows


def counts(rows) -> dict:
    return {state: sum(1 for r in rows if r["status"] == state) for state in rules.Status.values}


def for_assessment(user, tahun: int) -> dict:
    """What the panel of year `tahun` asks about: the recommendations of the assessments of
    `tahun` − 1 and `tahun` (a recommendation is answered at the next assessment), worst first,
    with their counts per status; and the register of innovations."""
    rows = worst_first([r for r in recommendations(user) if r["tahun"] in (tahun - 1, tahun)])
    return {"tahun": tahun, "rows": rows, "jumlah": counts(rows), "inovasi": innovations(user)}


def follow_up_opds(user, rekomendasi) -> list:
    """The linked OPDs on whose behalf `user` may record follow-up on `rekomendasi` ([] if none)."""
    if not Rekomendasi.objects.for_user(user, FOLLOW_UP).filter(pk=rekomendasi.pk).exists():
        return []
    linked = Opd.objects.filter(id__in=OpdRekomendasi.objects.filter(rekomendasi=rekomendasi).values("opd_id"))
    if Rekomendasi.objects.acts_on_all(user, FOLLOW_UP):
        return list(linked)
    return list(linked.filter(id__in=access_for(user).opd_ids))


def indicator_trend(user, indikator_ids) -> dict:
    """{indicator id: [{tahun, capaian, target, satuan, status_label, warna, periode_label,
    dihitung}]} over the opened years, oldest first, from konvergensi's indicator_results (the
    indicator catalogue: computed indicators come from balita's read model there)."""
    wanted = set(indikator_ids)
    trend = defaultdict(list)
    if not wanted:
        return trend
    for tahun in sorted(konvergensi_selectors.years()):
        for row in konvergensi_selectors.indicator_results(tahun, user=user):
            if row["id"] in wanted:
                trend[row["id"]].append({
                    "tahun": tahun, "capaian": row["capaian"], "target": row["target"], "satuan": row["satuan"],
                    "status_label": row["status_label"], "warna": row["warna"], "periode_label": row["periode_label"],
                    "dihitung": row["dihitung"], "nama": row["nama"],
                })
    return trend


def measure(user, kode: str) -> dict | None:
    """The app's own figure for a recommendation (rekomendasi.measures) and its trend by year."""
    ukuran = measures.REGISTRY.get(kode)
    if ukuran is None:
        return None
    return {"kode": kode, "label": ukuran.label, "satuan": ukuran.satuan, "arah": ukuran.arah,
            "tren": measures.trend(kode, user, measures.years(user))}


def detail(user, rekomendasi) -> dict:
    """One recommendation with its links, follow-ups, indicator trends and measured figure."""
    row = _rows(Rekomendasi.objects.for_user(user).filter(pk=rekomendasi.pk))[0]
    indikator_ids = list(IndikatorRekomendasi.objects.filter(rekomendasi=rekomendasi).values_list("indikator_id", flat=True))
    trends = indicator_trend(user, indikator_ids)
    row["tren_indikator"] = [{"nama": rows[-1]["nama"], "tren": rows} for rows in trends.values() if rows]
    row["angka"] = measure(user, rekomendasi.angka_aplikasi) if rekomendasi.angka_aplikasi else None
    # Year over year: the chain of the same recommendation at earlier and later assessments.
    chain = Rekomendasi.objects.for_user(user)
    earlier, later = [], list(_rows(chain.filter(lanjutan_dari=rekomendasi)))
    previous = rekomendasi.lanjutan_dari_id
    while previous and len(earlier) < 10:
        found = _rows(chain.filter(pk=previous))
        if not found:
            break
        earlier.append(found[0])
        previous = found[0]["lanjutan_dari_id"]
    row["sebelumnya"], row["sesudahnya"] = earlier, later
    row["kegiatan_rinci"] = list(
        KegiatanRekomendasi.objects.filter(rekomendasi=rekomendasi).select_related("kegiatan__opd")
        .values("kegiatan__id", "kegiatan__nama", "kegiatan__tahun", "kegiatan__opd__singkatan", "kegiatan__pagu",
                "kegiatan__realisasi"))
    row["bukti_rinci"] = list(
        Bukti.objects.for_user(user).filter(id__in=BuktiRekomendasi.objects.filter(rekomendasi=rekomendasi).values("bukti_id"))
        .select_related("aksi_tahunan__aksi"))
    return row


def innovations(user, *, with_trend: bool = True) -> list[dict]:
    """The register of innovations, newest first, each with its partners and its indicator's trend."""
    rows = list(Inovasi.objects.for_user(user).select_related("opd", "indikator").prefetch_related("mitra"))
    trends = indicator_trend(user, [r.indikator_id for r in rows if r.indikator_id]) if with_trend else {}
    return [{
        "id": r.id, "nama": r.nama, "opd": r.opd.singkatan, "opd_id": r.opd_id, "mulai": r.mulai,
        "sasaran_label": r.get_sasaran_display(), "sumber_anggaran_label": r.get_sumber_anggaran_display(),
        "uraian": r.uraian, "perubahan": r.perubahan, "berkas": bool(r.berkas),
        "mitra": [(m.get_unsur_display(), m.nama, m.peran) for m in r.mitra.all()],
        "indikator": r.indikator.nama if r.indikator else None,
        "tren": trends.get(r.indikator_id, []) if r.indikator_id else [],
    } for r in rows]
