"""Reads of ibu hamil for pages, exports, the child's page in balita, the indicator catalogue, the
dashboard and the pack; every one scoped by `for_user`.

The figures, each defined once here (README "Ibu hamil"):
- pregnancies **in a period**: HPHT on or before its last day and `akhir` (the outcome, else HPL +
  14 days) on or after its first day;
- **KEK mendapat PMT**: of the KEK pregnancies in the period, those with a PMT course started by
  the period's end;
- **TTD ≥ 90** and **K6**: of the pregnancies that ended in a birth (live or still) in the period,
  those with at least 90 TTD tablets taken / at least six antenatal visits;
- **BBLR / PBLR**: of the live births in the period with a weight / length recorded.
Stable for other apps: `indicator_figures(user, mulai, akhir)`, `summary(user, tahun)`,
`child_page_sections(user, anak)`.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from balita import figures as balita_figures
from balita.models import Anak
from ibuhamil import rules
from ibuhamil.models import KeadaanLahir, Kehamilan, KunjunganAnc, PemberianPmt, Tautan
from tpps import masking
from tpps.models import Kelurahan, Posyandu
from tpps.periods import Periode
from tpps.roles import CHANGE, access_for

STATUS = {"hamil": "Hamil", "lewat_hpl": "Lewat HPL, persalinan belum dicatat", "bersalin": "Sudah bersalin"}
RISIKO_FILTER = {"ada": "Ada risiko 4 terlalu", "kek": "KEK", "anemia": "Anemia", **rules.RISIKO}


def _pct(part, whole):
    return round(100 * part / whole, 1) if whole else None


def pregnancies(user, *, q="", kelurahan=None, posyandu=None, status="", risiko="", tahun=None, today=None):
    today = today or timezone.localdate()
    rows = Kehamilan.objects.for_user(user).select_related("kelurahan", "posyandu")
    if kelurahan:
        rows = rows.filter(kelurahan_id=kelurahan)
    if posyandu:
        rows = rows.filter(posyandu_id=posyandu)
    if status == "bersalin":
        rows = rows.filter(tanggal_persalinan__isnull=False)
    elif status == "hamil":
        rows = rows.filter(tanggal_persalinan__isnull=True, akhir__gte=today)
    elif status == "lewat_hpl":
        rows = rows.filter(tanggal_persalinan__isnull=True, akhir__lt=today)
    if risiko == "ada":
        rows = rows.exclude(risiko=[])
    elif risiko == "kek":
        rows = rows.filter(kek=True)
    elif risiko == "anemia":
        rows = rows.filter(anemia=True)
    elif risiko in rules.RISIKO:
        rows = rows.filter(risiko__contains=[risiko])
    if tahun:
        rows = rows.filter(hpht__lte=datetime.date(tahun, 12, 31), akhir__gte=datetime.date(tahun, 1, 1))
    if q and access_for(user).can_see_personal_data:
        rows = rows.filter(Q(nama__icontains=q) | Q(nik=q) | Q(nama_bayi__icontains=q))
    return rows.order_by("-hpht", "id")


def status_of(kehamilan, today=None) -> str:
    today = today or timezone.localdate()
    if kehamilan.tanggal_persalinan:
        return "bersalin"
    return "hamil" if kehamilan.akhir >= today else "lewat_hpl"


def decorate(rows, user, today=None):
    """Rows of a page (a list) with `status`, `status_label` and the name/NIK as `user` may see them."""
    access = access_for(user)
    rows = list(rows)
    for row in rows:
        row.status = status_of(row, today)
        row.status_label = STATUS[row.status]
        row.nama_tampil = masking.name_for(access, row.nama)
        row.nik_tampil = masking.nik_for(access, row.nik)
    return rows


def pregnancy_for(user, pk):
    """One pregnancy the user may see (Kehamilan.DoesNotExist otherwise)."""
    row = Kehamilan.objects.for_user(user).select_related("kelurahan__kecamatan", "posyandu", "anak").get(pk=pk)
    return decorate([row], user)[0]


def can_change(user, kehamilan) -> bool:
    return Kehamilan.objects.for_user(user, CHANGE).filter(pk=kehamilan.pk).exists()


def visits(kehamilan):
    rows = list(KunjunganAnc.objects.filter(kehamilan=kehamilan).order_by("tanggal", "ke"))
    for visit in rows:
        visit.kehamilan = kehamilan
        visit.is_kek = rules.kek(visit.lila)
        visit.is_anemia = rules.anemia(visit.hb)
    return rows


def pmt_courses(kehamilan):
    return list(PemberianPmt.objects.filter(kehamilan=kehamilan).order_by("mulai", "id"))


def candidate_q(kehamilan) -> Q:
    """Stored children that may be this newborn: the baby's NIK, or born that day with that sex to
    a mother of that name (or NIK). The one rule for the automatic link and the review choices."""
    if not kehamilan.tanggal_persalinan:
        return Q(pk__in=[])
    born = Q(tanggal_lahir=kehamilan.tanggal_persalinan, jenis_kelamin=kehamilan.jenis_kelamin_bayi)
    query = born & Q(nama_ibu__iexact=kehamilan.nama.strip())
    if kehamilan.nik:
        query |= born & Q(nik_ibu=kehamilan.nik)
    if kehamilan.nik_bayi:
        query |= Q(nik=kehamilan.nik_bayi)
    return query


def newborn_candidates(user, kehamilan):
    """The stored children an officer may pick for a newborn held for review (those in reach)."""
    return list(Anak.objects.for_user(user).filter(candidate_q(kehamilan)).select_related("kelurahan").order_by("id"))


def area_choices(user):
    return {
        "kelurahan": Kelurahan.objects.for_user(user).order_by("nama"),
        "posyandu": Posyandu.objects.for_user(user).filter(aktif=True).select_related("kelurahan")
        .order_by("kelurahan__nama", "nama"),
    }


# --- Figures ---------------------------------------------------------------------------------------


def in_period(rows, mulai: datetime.date, akhir: datetime.date):
    return rows.filter(hpht__lte=akhir, akhir__gte=mulai)


def births_in(rows, mulai, akhir):
    """Pregnancies that ended in a birth (live or still, not a miscarriage) in the period."""
    return rows.filter(tanggal_persalinan__range=(mulai, akhir),
                       keadaan_lahir__in=(KeadaanLahir.HIDUP, KeadaanLahir.MATI))


def indicator_figures(user, mulai: datetime.date, akhir: datetime.date) -> dict:
    """{"kek_pmt"|"ttd90"|"k6": (numerator, denominator)} for the period, each only when its
    denominator is not zero (no data: the code is absent)."""
    rows = Kehamilan.objects.for_user(user)
    course = PemberianPmt.objects.filter(kehamilan=OuterRef("pk"), mulai__lte=akhir)
    kek = in_period(rows, mulai, akhir).filter(kek=True).aggregate(
        n=Count("id"), n_pmt=Count("id", filter=Q(Exists(course))))
    born = births_in(rows, mulai, akhir).aggregate(
        n=Count("id"), n_ttd=Count("id", filter=Q(ttd__gte=rules.TTD_MINIMAL)),
        n_k6=Count("id", filter=Q(kunjungan__gte=rules.KUNJUNGAN_LENGKAP)))
    result = {}
    if kek["n"]:
        result["kek_pmt"] = (kek["n_pmt"], kek["n"])
    if born["n"]:
        result["ttd90"] = (born["n_ttd"], born["n"])
        result["k6"] = (born["n_k6"], born["n"])
    return result


def summary(user, tahun: int) -> dict:
    """The overview, the dashboard card and the pack: pregnancies of the year (in period), with
    KEK, anaemia and 4-terlalu risk; births of the year with BBLR, PBLR; the three indicators."""
    mulai, akhir = datetime.date(tahun, 1, 1), datetime.date(tahun, 12, 31)
    rows = Kehamilan.objects.for_user(user)
    year = in_period(rows, mulai, akhir).aggregate(
        n=Count("id"), n_kek=Count("id", filter=Q(kek=True)), n_lila=Count("id", filter=Q(kek__isnull=False)),
        n_anemia=Count("id", filter=Q(anemia=True)), n_hb=Count("id", filter=Q(anemia__isnull=False)),
        n_risiko=Count("id", filter=~Q(risiko=[])))
    live = rows.filter(tanggal_persalinan__range=(mulai, akhir), keadaan_lahir=KeadaanLahir.HIDUP).aggregate(
        n=Count("id"), n_berat=Count("id", filter=Q(berat_lahir__isnull=False)),
        n_bblr=Count("id", filter=Q(berat_lahir__lt=rules.BBLR_GRAM)),
        n_panjang=Count("id", filter=Q(panjang_lahir__isnull=False)),
        n_pblr=Count("id", filter=Q(panjang_lahir__lt=rules.PBLR_CM)),
        n_tertaut=Count("id", filter=Q(tautan=Tautan.TERTAUT)), n_tinjau=Count("id", filter=Q(tautan=Tautan.TINJAU)))
    figures = indicator_figures(user, mulai, akhir)
    indikator = [
        {"kode": kode, "nama": nama, "pembilang": figures[kode][0], "penyebut": figures[kode][1],
         "persen": _pct(*figures[kode]), "target": target}
        for kode, nama, target in INDIKATOR if kode in figures
    ]
    return {
        "tahun": tahun, "kehamilan": year["n"], "kek": year["n_kek"], "diukur_lila": year["n_lila"],
        "persen_kek": _pct(year["n_kek"], year["n_lila"]), "anemia": year["n_anemia"], "diperiksa_hb": year["n_hb"],
        "persen_anemia": _pct(year["n_anemia"], year["n_hb"]), "risiko": year["n_risiko"],
        "persen_risiko": _pct(year["n_risiko"], year["n"]),
        "lahir_hidup": live["n"], "bblr": live["n_bblr"], "ditimbang": live["n_berat"],
        "persen_bblr": _pct(live["n_bblr"], live["n_berat"]), "pblr": live["n_pblr"], "diukur_panjang": live["n_panjang"],
        "persen_pblr": _pct(live["n_pblr"], live["n_panjang"]), "tertaut": live["n_tertaut"], "tinjau": live["n_tinjau"],
        "indikator": indikator, "kosong": not year["n"] and not live["n"],
    }


# (code, name, national target 2024 in %), Perpres 72/2021 / RAN PASTI (DOMAIN.md).
INDIKATOR = [
    ("kek_pmt", "Ibu hamil KEK yang mendapat tambahan asupan gizi (PMT)", 90),
    ("ttd90", "Ibu hamil yang mengonsumsi minimal 90 tablet TTD selama kehamilan", 80),
    ("k6", "Ibu bersalin dengan kunjungan antenatal lengkap (K6)", None),
]


def years(user) -> list[int]:
    found = Kehamilan.objects.for_user(user).dates("hpht", "year")
    years = {d.year for d in found} | {d.year for d in Kehamilan.objects.for_user(user).dates("akhir", "year")}
    return sorted(years, reverse=True)


def stunting_by_birth(user, tahun: int) -> dict:
    """The stunting figures of toddlers split by BBLR and PBLR, from balita's read model (the
    prevalence's own children and rule) for the latest month of `tahun` that the dashboard would
    open on; {} without measurements."""
    periode = balita_figures.default_period(user, tahun) or Periode("tahun", tahun, 1)
    split = balita_figures.stunting_by_birth(user, periode)
    if not any(group["tbu_valid"] for group in split["bblr"]):
        return {}
    return {"periode": periode, **split}


# --- The child's page in balita (balita's hook) ----------------------------------------------------


def child_page_sections(user, anak) -> list[dict]:
    """The pregnancy and birth that produced this child, for balita's child page."""
    rows = list(Kehamilan.objects.for_user(user).filter(anak=anak).select_related("kelurahan"))
    if not rows:
        return []
    kehamilan = decorate(rows, user)[0]
    return [{"template": "ibuhamil/_anak.html",
             "context": {"kehamilan": kehamilan, "kunjungan": visits(kehamilan)}}]
