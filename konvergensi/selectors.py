"""Reads of konvergensi for its pages and for other apps (laporan builds the Sekda dashboard and
the PDF evaluation pack from `actions_progress`, `indicator_results`, `readiness_summary`,
`opd_overview` and `plan_overview`; their returned keys are a contract — add keys, never rename).

Every function that takes `user` reads through `for_user(user)` (tpps.roles); system callers
(background PDF builds, commands) pass `tpps.roles.SYSTEM`, which reads everything.
Numbers are Decimal or int (never float); percentages are rounded to one or two decimals.
"""

import datetime
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Prefetch, Q, Sum
from django.utils import timezone

from balita import asi as breastfeeding
from balita import figures as nutrition_figures
from ibuhamil import selectors as pregnancy_figures
from konvergensi.models import (
    AksiTahunan,
    Bukti,
    Capaian,
    HitungOtomatis,
    Indikator,
    KeluaranAksi,
    RembukStunting,
    RencanaKegiatan,
    StatusAksi,
    StatusVerifikasi,
    TahunPenilaian,
    TargetIndikator,
    Verifikasi,
)
from konvergensi.rules import (
    PERIODE_TERBARU_DULU,
    WARNA,
    Arah,
    Periode,
    StatusCapaian,
    kesiapan_persen,
    rata_rata,
    status_aksi,
    status_capaian,
)
from sasaran import selectors as sasaran_figures
from tpps import periods
from tpps.models import LokusKelurahan, Opd
from tpps.roles import SYSTEM

# State of one expected output, from the best verification state among its evidence.
KELUARAN_STATE = {
    "diterima": ("Diterima", "green"),
    "menunggu": ("Menunggu verifikasi", "blue"),
    "perlu_revisi": ("Perlu revisi", "red"),
    "belum": ("Belum diunggah", "grey"),
}
STATUS_AKSI_WARNA = {StatusAksi.BELUM_MULAI: "red", StatusAksi.BERJALAN: "amber", StatusAksi.SELESAI: "green"}


# --- years ------------------------------------------------------------------------------------

def years() -> list[int]:
    """Opened reporting years, newest first."""
    return list(TahunPenilaian.objects.values_list("tahun", flat=True))


def default_year(today: datetime.date | None = None) -> int:
    """The assessment year: the performance year the city defends before the province next, the
    default of every year selector (the pack, the boards, the recommendations).

    The oldest opened year (not after this calendar year) whose assessment date is still to come:
    in November 2026 with the 2025 panel in January 2027, 2025 — not the calendar year. Once its
    panel is past (or with no date set), the newest opened year not after this calendar year; with
    no opened year, this calendar year.
    """
    today = today or timezone.localdate()
    info = list(TahunPenilaian.objects.filter(tahun__lte=today.year).values_list("tahun", "tanggal_penilaian"))
    upcoming = sorted(year for year, tanggal in info if tanggal is not None and tanggal >= today)
    if upcoming:
        return upcoming[0]
    current = sorted((year for year, _ in info), reverse=True)
    if current:
        return current[0]
    opened = years()
    return opened[-1] if opened else today.year


def year_info(tahun: int) -> TahunPenilaian | None:
    return TahunPenilaian.objects.filter(tahun=tahun).first()


def days_until(tanggal: datetime.date | None, today: datetime.date | None = None) -> int | None:
    """Days from today to the date (negative once passed), None without a date."""
    if tanggal is None:
        return None
    return (tanggal - (today or timezone.localdate())).days


def lokus_kelurahan(tahun: int):
    """The year's priority kelurahan (shared with tpps), in Kemendagri code order."""
    return LokusKelurahan.objects.filter(tahun=tahun).select_related("kelurahan__kecamatan").order_by("kelurahan__kode")


# --- actions and evidence ---------------------------------------------------------------------

def _bukti_dict(bukti: Bukti) -> dict:
    return {
        "id": bukti.id,
        "judul": bukti.judul,
        "keluaran": bukti.keluaran.nama if bukti.keluaran_id else None,
        "keluaran_id": bukti.keluaran_id,
        "opd": bukti.opd.singkatan if bukti.opd_id else None,
        "status": bukti.status,
        "status_label": bukti.get_status_display(),
        "warna": bukti.warna,
        "komentar": bukti.komentar,
        "nama_berkas": bukti.nama_berkas,
        "jenis": bukti.jenis,
        "ukuran": bukti.ukuran,
        "sha256": bukti.sha256,
        "diunggah_oleh": str(bukti.diunggah_oleh) if bukti.diunggah_oleh_id else None,
        "diunggah_pada": bukti.diunggah_pada,
        "diverifikasi_oleh": str(bukti.diverifikasi_oleh) if bukti.diverifikasi_oleh_id else None,
        "diverifikasi_pada": bukti.diverifikasi_pada,
    }


def _keluaran_state(statuses) -> str:
    statuses = set(statuses)
    for state in (StatusVerifikasi.DITERIMA, StatusVerifikasi.MENUNGGU, StatusVerifikasi.PERLU_REVISI):
        if state in statuses:
            return str(state)
    return "belum"


def _actions_queryset(tahun: int, user):
    bukti = Bukti.objects.select_related("keluaran", "opd", "diunggah_oleh", "diverifikasi_oleh").order_by("diunggah_pada", "id")
    return (
        AksiTahunan.objects.for_user(user)
        .filter(tahun=tahun)
        .select_related("aksi")
        .prefetch_related("opd", Prefetch("keluaran", KeluaranAksi.objects.order_by("urutan", "id")), Prefetch("bukti", bukti))
        .order_by("aksi__nomor")
    )


def _action_dict(tahunan: AksiTahunan) -> dict:
    opds = list(tahunan.opd.all())
    evidence = list(tahunan.bukti.all())
    by_output = defaultdict(list)
    for bukti in evidence:
        by_output[bukti.keluaran_id].append(bukti)
    outputs = []
    for keluaran in tahunan.keluaran.all():
        items = by_output.get(keluaran.id, [])
        state = _keluaran_state(b.status for b in items)
        outputs.append({
            "id": keluaran.id,
            "nama": keluaran.nama,
            "keterangan": keluaran.keterangan,
            "wajib": keluaran.wajib,
            "state": state,
            "state_label": KELUARAN_STATE[state][0],
            "warna": KELUARAN_STATE[state][1],
            "bukti": [_bukti_dict(b) for b in items],
        })
    required = [o for o in outputs if o["wajib"]]
    accepted = sum(1 for o in required if o["state"] == "diterima")
    uploaded = sum(1 for o in required if o["state"] != "belum")
    counts = {state: 0 for state in StatusVerifikasi.values}
    for bukti in evidence:
        counts[bukti.status] += 1
    counts["total"] = len(evidence)
    opd_names = [opd.singkatan for opd in opds]
    kesiapan = kesiapan_persen(accepted, len(required))
    status = status_aksi(tahunan.status, kesiapan)
    return {
        "id": tahunan.id,
        "tahun": tahunan.tahun,
        "nomor": tahunan.aksi.nomor,
        "nama": tahunan.aksi.nama,
        "keluaran_utama": tahunan.aksi.keluaran,
        "status": status,
        "status_label": StatusAksi(status).label,
        "status_warna": STATUS_AKSI_WARNA[status],
        "status_tercatat": tahunan.status,
        "opd": opd_names,
        "opd_ids": [opd.id for opd in opds],
        "rencana_mulai": tahunan.rencana_mulai,
        "rencana_selesai": tahunan.rencana_selesai,
        "realisasi_mulai": tahunan.realisasi_mulai,
        "realisasi_selesai": tahunan.realisasi_selesai,
        "narasi": tahunan.narasi,
        "keluaran": outputs,
        "keluaran_wajib": len(required),
        "keluaran_diunggah": uploaded,
        "keluaran_diterima": accepted,
        "kesiapan": kesiapan,
        "bukti_counts": counts,
        "bukti": [_bukti_dict(b) for b in evidence],
        "bukti_lain": [_bukti_dict(b) for b in by_output.get(None, [])],
        "kurang": [
            {"keluaran": o["nama"], "state": o["state"], "state_label": o["state_label"], "warna": o["warna"], "opd": opd_names}
            for o in required
            if o["state"] != "diterima"
        ],
    }


def actions_progress(year: int, *, user) -> list[dict]:
    """The eight actions of a year, in order, each as a dict:

    nomor, nama, keluaran_utama, status ("belum_mulai"/"berjalan"/"selesai"; "selesai" only at
    100 % readiness, `rules.status_aksi`), status_label, status_warna, status_tercatat (as recorded), opd (list of OPD short names), opd_ids, rencana_/realisasi_ mulai/selesai,
    narasi, kesiapan (readiness %: required outputs with accepted evidence ÷ required outputs,
    one decimal, None without required outputs), keluaran_wajib, keluaran_diunggah,
    keluaran_diterima, bukti_counts {"menunggu", "diterima", "perlu_revisi", "total"},
    bukti (every evidence item: id, judul, keluaran, opd, status, status_label, komentar,
    nama_berkas, jenis, ukuran, sha256, diunggah_oleh, diunggah_pada, diverifikasi_oleh,
    diverifikasi_pada), keluaran (each expected output with its state and evidence) and
    kurang (required outputs without accepted evidence, with the responsible OPDs).
    """
    return [_action_dict(tahunan) for tahunan in _actions_queryset(year, user)]


def action_detail(aksi_tahunan: AksiTahunan, user) -> dict:
    """One action's dict as in `actions_progress`, reloaded with its evidence."""
    return _action_dict(_actions_queryset(aksi_tahunan.tahun, user).get(pk=aksi_tahunan.pk))


def evidence_history(aksi_tahunan: AksiTahunan) -> dict:
    """{bukti id: [Verifikasi, newest first]} for the action's evidence."""
    history = defaultdict(list)
    for row in Verifikasi.objects.filter(bukti__aksi_tahunan=aksi_tahunan).select_related("oleh"):
        history[row.bukti_id].append(row)
    return history


def verification_queue(user, tahun: int | None = None, status: str = StatusVerifikasi.MENUNGGU):
    """Evidence awaiting (or in) a verification state, oldest upload first, for verifiers."""
    queryset = Bukti.objects.for_user(user, "verify").select_related(
        "aksi_tahunan__aksi", "keluaran", "opd", "diunggah_oleh", "diverifikasi_oleh"
    )
    if tahun:
        queryset = queryset.filter(aksi_tahunan__tahun=tahun)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("diunggah_pada", "id")


def verification_counts(user, tahun: int | None = None) -> dict:
    queryset = Bukti.objects.for_user(user, "verify")
    if tahun:
        queryset = queryset.filter(aksi_tahunan__tahun=tahun)
    counts = dict(queryset.values_list("status").annotate(n=Count("id")).order_by())
    return {state: counts.get(state, 0) for state in StatusVerifikasi.values}


def readiness_summary(year: int, today: datetime.date | None = None, *, user) -> dict:
    """Headline readiness of a year for the assessment:

    tahun, tanggal_penilaian (date or None), sisa_hari (days to it, negative once passed),
    kesiapan (mean of the eight actions' readiness %, one decimal: every action weighs the
    same, as in the provincial scoring), aksi {"selesai", "berjalan", "belum_mulai"},
    keluaran_wajib, keluaran_diterima, bukti {"menunggu", "diterima", "perlu_revisi", "total"},
    indikator {status code: count} for the year's freshest period of each indicator.
    """
    actions = actions_progress(year, user=user)
    info = year_info(year)
    bukti = {state: sum(a["bukti_counts"][state] for a in actions) for state in [*StatusVerifikasi.values, "total"]}
    indikator = {state: 0 for state in StatusCapaian.values}
    for row in indicator_results(year, user=user):
        indikator[row["status"]] += 1
    return {
        "tahun": year,
        "tanggal_penilaian": info.tanggal_penilaian if info else None,
        "sisa_hari": days_until(info.tanggal_penilaian if info else None, today),
        "kesiapan": rata_rata(a["kesiapan"] for a in actions),
        "aksi": {state: sum(1 for a in actions if a["status"] == state) for state in StatusAksi.values},
        "keluaran_wajib": sum(a["keluaran_wajib"] for a in actions),
        "keluaran_diterima": sum(a["keluaran_diterima"] for a in actions),
        "bukti": bukti,
        "indikator": indikator,
    }


# --- indicators -------------------------------------------------------------------------------

def _quantize(value, places="0.01"):
    return None if value is None else Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def computed_figures(tahun: int, periode: str) -> dict:
    """Capaian we compute from the balita app for one period, when it has measurements:
    {HitungOtomatis code: {"nilai", "pembilang", "penyebut"}}; missing codes mean "no data".
    The city's figures from balita's read model: the same numbers as the dashboard's."""
    angka = nutrition_figures.figures(SYSTEM, periods.parse(periode, tahun))
    result = {}
    if angka.tbu_valid:
        result[HitungOtomatis.PREVALENSI_STUNTING] = {
            "nilai": _quantize(angka.prevalensi),
            "pembilang": angka.stunting,
            "penyebut": angka.tbu_valid,
        }
    if angka.diukur and angka.sasaran:
        result[HitungOtomatis.BALITA_DIPANTAU] = {
            "nilai": _quantize(angka.cakupan),
            "pembilang": angka.diukur,
            "penyebut": angka.sasaran,
        }
    result.update(_upstream_figures(periods.parse(periode, tahun)))
    return result


def _figure(part, whole) -> dict:
    return {"nilai": _quantize(100 * Decimal(part) / Decimal(whole)), "pembilang": part, "penyebut": whole}


def _upstream_figures(periode) -> dict:
    """The 1,000-day chain's national indicators we count ourselves, each only when the period has
    its data: ASI eksklusif (balita.asi, the survey's 24-hour recall), remaja putri minum TTD, catin
    diperiksa lengkap and unmet need of BKKBN's KRS families (sasaran.selectors)."""
    result = {}
    asi = breastfeeding.asi(SYSTEM, periode)
    if asi.diketahui:
        result[HitungOtomatis.ASI_EKSKLUSIF] = _figure(asi.asi, asi.diketahui)
    ttd = sasaran_figures.ttd_figures(SYSTEM, periode)
    if ttd.jumlah_siswi:
        result[HitungOtomatis.REMATRI_TTD] = _figure(ttd.minum_ttd, ttd.jumlah_siswi)
    catin = sasaran_figures.catin_figures(SYSTEM, periode)
    if catin.terdaftar:
        result[HitungOtomatis.CATIN_DIPERIKSA] = _figure(catin.diperiksa_lengkap, catin.terdaftar)
    krs = sasaran_figures.krs_figures(SYSTEM, periode.tahun)
    if krs.pus:
        result[HitungOtomatis.UNMET_NEED] = _figure(krs.unmet_need, krs.pus)
        # Pregnant women's indicators from ibuhamil's read model (ibuhamil.selectors), only when the
    # period has their denominator.
    pregnancy = pregnancy_figures.indicator_figures(SYSTEM, periode.mulai, periode.akhir)
    for kode, code in (("kek_pmt", HitungOtomatis.IBU_HAMIL_KEK_PMT), ("ttd90", HitungOtomatis.IBU_HAMIL_TTD90),
                       ("k6", HitungOtomatis.IBU_HAMIL_K6)):
        if kode in pregnancy:
            pembilang, penyebut = pregnancy[kode]
            result[code] = {"nilai": _quantize(Decimal(100) * pembilang / penyebut), "pembilang": pembilang,
                            "penyebut": penyebut}
    return result


def indicator_results(year: int, period: str | None = None, *, user, opd_id=None) -> list[dict]:
    """Active indicators with target, capaian and status for a year and period.

    `period` is "t1"…"t4" or "th" (the whole year); None takes each indicator's freshest
    period of the year (annual figure, else the latest quarter with a capaian). Each row:
    id, kode, nama, jenis, opd (short name), opd_id, opd_nama, satuan, arah ("naik"/"turun"),
    arah_label, sumber_data, target (Decimal or None), capaian (Decimal or None), pembilang,
    penyebut, periode (code or None), periode_label, status ("tercapai", "hampir", "belum",
    "tanpa_data", "tanpa_target"), status_label, warna ("green"/"amber"/"red"/"grey"),
    kendala, upaya, dihitung (True when computed from balita data), capaian_id.
    Status rule: see `konvergensi.rules` (within 10 % of the target is "hampir tercapai").
    """
    indicators = Indikator.objects.for_user(user).filter(aktif=True).select_related("opd").order_by("urutan", "kode")
    if opd_id is not None:
        indicators = indicators.filter(opd_id=opd_id)
    indicators = list(indicators)
    targets = dict(TargetIndikator.objects.filter(tahun=year, indikator__in=indicators).values_list("indikator_id", "nilai"))
    stored = defaultdict(dict)
    for capaian in Capaian.objects.filter(tahun=year, indikator__in=indicators):
        stored[capaian.indikator_id][capaian.periode] = capaian

    computed_cache = {}

    def computed(periode):
        if periode not in computed_cache:
            computed_cache[periode] = computed_figures(year, periode)
        return computed_cache[periode]

    rows = []
    for indikator in indicators:
        periods = [period] if period else PERIODE_TERBARU_DULU
        chosen, value, typed = None, None, None
        for periode in periods:
            typed = stored[indikator.id].get(periode)
            if indikator.hitung_otomatis:
                figure = computed(periode).get(indikator.hitung_otomatis)
                if figure:
                    chosen, value = periode, {**figure, "dihitung": True}
                    break
            if typed is not None and typed.nilai is not None:
                chosen = periode
                value = {"nilai": typed.nilai, "pembilang": typed.pembilang, "penyebut": typed.penyebut, "dihitung": False}
                break
        if chosen is None:
            typed = stored[indikator.id].get(period) if period else None
        target = targets.get(indikator.id)
        capaian = value["nilai"] if value else None
        status = status_capaian(capaian, target, indikator.arah)
        rows.append({
            "id": indikator.id,
            "kode": indikator.kode,
            "nama": indikator.nama,
            "jenis": indikator.jenis,
            "opd": indikator.opd.singkatan,
            "opd_id": indikator.opd_id,
            "opd_nama": indikator.opd.nama,
            "satuan": indikator.satuan,
            "arah": indikator.arah,
            "arah_label": Arah(indikator.arah).label,
            "sumber_data": indikator.sumber_data,
            "definisi_pembilang": indikator.definisi_pembilang,
            "definisi_penyebut": indikator.definisi_penyebut,
            "hitung_otomatis": indikator.hitung_otomatis,
            "target": target,
            "capaian": capaian,
            "pembilang": value["pembilang"] if value else None,
            "penyebut": value["penyebut"] if value else None,
            "periode": str(chosen) if chosen else None,
            "periode_label": Periode(chosen).label if chosen else None,
            "status": str(status),
            "status_label": status.label,
            "warna": WARNA[status],
            "kendala": typed.kendala if typed else "",
            "upaya": typed.upaya if typed else "",
            "dihitung": bool(value and value["dihitung"]),
            "capaian_id": typed.id if typed else None,
        })
    return rows


def latest_period_with_data(year: int) -> str:
    """The freshest period of the year with any typed capaian ("th", then "t4" … "t1");
    "t1" when nothing is entered yet. The indicator table opens on it."""
    present = set(Capaian.objects.filter(tahun=year, nilai__isnull=False).values_list("periode", flat=True).distinct())
    return next((str(p) for p in PERIODE_TERBARU_DULU if p in present), str(Periode.T1))


def indicator_ready(row: dict) -> bool:
    """Ready to present: a capaian, and when the target is not met, its kendala and upaya."""
    if row["capaian"] is None:
        return False
    return row["status"] == StatusCapaian.TERCAPAI or bool(row["kendala"].strip() and row["upaya"].strip())


# --- OPDs -------------------------------------------------------------------------------------

def opd_overview(year: int, period: str | None = None, *, user, siap_saja: bool = False) -> list[dict]:
    """Every OPD with a part in the year (responsible for an action or owning an indicator),
    worst first. Each row: opd (Opd), kode, singkatan, nama, aksi (action numbers),
    keluaran_wajib, keluaran_diterima, keluaran_revisi, dokumen_persen (accepted required
    outputs of its actions, %), indikator, tercapai, hampir, belum, tanpa_data,
    indikator_siap (capaian entered, and kendala + upaya where the target is not met),
    indikator_persen, skor (mean of dokumen_persen and indikator_persen, whichever exist).
    Sorted by skor ascending, then most "belum tercapai" first, then name. `siap_saja`: only the
    OPDs ready to present (skor 100 %: every required output accepted, every indicator ready).
    """
    actions = actions_progress(year, user=user)
    results = indicator_results(year, period, user=user)
    rows = {}

    def row_for(opd_id):
        if opd_id not in rows:
            rows[opd_id] = {
                "aksi": [], "keluaran_wajib": 0, "keluaran_diterima": 0, "keluaran_revisi": 0,
                "indikator": 0, "tercapai": 0, "hampir": 0, "belum": 0, "tanpa_data": 0, "indikator_siap": 0,
            }
        return rows[opd_id]

    for action in actions:
        for opd_id in action["opd_ids"]:
            row = row_for(opd_id)
            row["aksi"].append(action["nomor"])
            row["keluaran_wajib"] += action["keluaran_wajib"]
            row["keluaran_diterima"] += action["keluaran_diterima"]
            row["keluaran_revisi"] += sum(1 for item in action["kurang"] if item["state"] == "perlu_revisi")
    for result in results:
        row = row_for(result["opd_id"])
        row["indikator"] += 1
        key = {"tercapai": "tercapai", "hampir": "hampir", "belum": "belum"}.get(result["status"], "tanpa_data")
        row[key] += 1
        row["indikator_siap"] += indicator_ready(result)
    opds = Opd.objects.in_bulk(rows.keys())
    overview = []
    for opd_id, row in rows.items():
        opd = opds[opd_id]
        row["dokumen_persen"] = kesiapan_persen(row["keluaran_diterima"], row["keluaran_wajib"])
        row["indikator_persen"] = kesiapan_persen(row["indikator_siap"], row["indikator"])
        row["skor"] = rata_rata([row["dokumen_persen"], row["indikator_persen"]])
        overview.append({"opd": opd, "kode": opd.kode, "singkatan": opd.singkatan, "nama": opd.nama, **row})
    if siap_saja:
        overview = [r for r in overview if r["skor"] is not None and r["skor"] >= 100]
    overview.sort(key=lambda r: (r["skor"] if r["skor"] is not None else 101, -r["belum"], r["singkatan"]))
    return overview


def paparan(year: int, opd: Opd, period: str | None = None, *, user) -> dict:
    """What an OPD presents to the provincial panel: its indicators (target, capaian, status,
    kendala, upaya) and the actions it answers for with what is still missing."""
    results = indicator_results(year, period, user=user, opd_id=opd.id)
    actions = [a for a in actions_progress(year, user=user) if opd.id in a["opd_ids"]]
    return {
        "opd": opd,
        "tahun": year,
        "periode": period,
        "indikator": results,
        "aksi": actions,
        "siap": sum(1 for r in results if indicator_ready(r)),
    }


# --- plan (action 2) --------------------------------------------------------------------------

def plan_overview(year: int, *, user, opd_id=None) -> dict:
    """The year's planned activities and their consistency with the planning documents:

    kegiatan (RencanaKegiatan list with opd, lokus and indikator prefetched),
    per_opd [{opd, singkatan, jumlah, pagu, realisasi, persen (realisation % of pagu, one
    decimal), tidak_rkpd}], total {"pagu", "realisasi", "persen", "jumlah"},
    tidak_rkpd (activities without an RKPD activity code), indikator_tanpa_kegiatan (active
    indicators no activity with a pagu above zero serves).
    """
    kegiatan = (
        RencanaKegiatan.objects.for_user(user)
        .filter(tahun=year)
        .select_related("opd")
        .prefetch_related("lokus", "indikator")
    )
    if opd_id:
        kegiatan = kegiatan.filter(opd_id=opd_id)
    kegiatan = list(kegiatan)
    per_opd = (
        RencanaKegiatan.objects.for_user(user)
        .filter(tahun=year)
        .values("opd_id", "opd__singkatan", "opd__nama")
        .annotate(
            jumlah=Count("id"),
            pagu_total=Sum("pagu"),
            realisasi_total=Sum("realisasi"),
            tidak_rkpd=Count("id", filter=Q(kode_kegiatan="")),
        )
        .order_by("opd__singkatan")
    )
    per_opd = [
        {
            "opd_id": row["opd_id"],
            "singkatan": row["opd__singkatan"],
            "nama": row["opd__nama"],
            "jumlah": row["jumlah"],
            "pagu": row["pagu_total"] or 0,
            "realisasi": row["realisasi_total"] or 0,
            "persen": round(100 * (row["realisasi_total"] or 0) / row["pagu_total"], 1) if row["pagu_total"] else None,
            "tidak_rkpd": row["tidak_rkpd"],
        }
        for row in per_opd
    ]
    pagu = sum(r["pagu"] for r in per_opd)
    realisasi = sum(r["realisasi"] for r in per_opd)
    served = RencanaKegiatan.objects.filter(tahun=year, pagu__gt=0).values("indikator")
    unserved = (
        Indikator.objects.for_user(user).filter(aktif=True).exclude(id__in=served.exclude(indikator=None)).select_related("opd")
    )
    everything = RencanaKegiatan.objects.for_user(user).filter(tahun=year)
    return {
        "kegiatan": kegiatan,
        "per_opd": per_opd,
        "total": {
            "jumlah": sum(r["jumlah"] for r in per_opd),
            "pagu": pagu,
            "realisasi": realisasi,
            "persen": round(100 * realisasi / pagu, 1) if pagu else None,
        },
        "tidak_rkpd": list(everything.filter(kode_kegiatan="").select_related("opd")),
        "indikator_tanpa_kegiatan": list(unserved),
    }


def rembuk(tahun: int):
    return RembukStunting.objects.filter(tahun=tahun).prefetch_related("penandatangan").first()
