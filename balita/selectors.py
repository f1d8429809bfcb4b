"""Reads over children and measurements for pages, exports and other apps.

Other apps (konvergensi, genting, laporan) read balita only through these functions.
"""

import datetime

from django.db.models import Count, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Lower, Trim
from django.utils import timezone

from balita import figures
from balita.growth import categories
from balita.importers import eppgbm
from balita.models import Anak, ImporBatch, Pengukuran, TinjauanIdentitas
from tpps import ages, masking
from tpps.formatting import BULAN
from tpps.models import Kecamatan, Kelurahan, LokusKelurahan, Posyandu
from tpps.periods import Periode
from tpps.roles import access_for


# --- Pages and exports (always scoped through for_user) ----------------------------------------

AGE_GROUPS = {
    "0-5": ("0–5 bulan", 0, 6),
    "6-11": ("6–11 bulan", 6, 12),
    "12-23": ("12–23 bulan", 12, 24),
    "24-59": ("24–59 bulan", 24, 60),
    "60+": ("60 bulan ke atas", 60, None),
}
# The register's default (umur=""): the under-fives, as every figure counts them; "semua" = every age.
SEMUA_UMUR = "semua"
SORTS = {
    "nama": ("nama", "id"),
    "-nama": ("-nama", "-id"),
    "lahir": ("tanggal_lahir", "nama"),
    "-lahir": ("-tanggal_lahir", "nama"),
    "kelurahan": ("kelurahan__nama", "nama"),
    "-kelurahan": ("-kelurahan__nama", "nama"),
    "ukur": (F("terakhir_tanggal").asc(nulls_first=True), "nama"),
    "-ukur": (F("terakhir_tanggal").desc(nulls_last=True), "nama"),
    "zs": (F("terakhir_zs_tbu").asc(nulls_last=True), "nama"),
    "-zs": (F("terakhir_zs_tbu").desc(nulls_last=True), "nama"),
}
LATEST_FIELDS = {
    "terakhir_tanggal": "tanggal",
    "terakhir_berat": "berat",
    "terakhir_tinggi": "tinggi",
    "terakhir_zs_tbu": "zs_tbu",
    "terakhir_kategori_tbu": "kategori_tbu",
    "terakhir_kategori_bbu": "kategori_bbu",
    "terakhir_kategori_bbtb": "kategori_bbtb",
    "terakhir_flag_tbu": "flag_tbu",
}


def with_latest(children):
    """Annotate each child with its latest measurement's date, size, TB/U z-score and categories."""
    latest = Pengukuran.objects.filter(anak=OuterRef("pk")).order_by("-tanggal")
    return children.annotate(**{name: Subquery(latest.values(field)[:1]) for name, field in LATEST_FIELDS.items()})


def children_register(user, *, q: str = "", kecamatan=None, kelurahan=None, posyandu=None, kategori: str = "",
                      umur: str = "", sort: str = "nama", today: datetime.date | None = None):
    """The register of children the user may see, filtered and sorted. Searching by name or NIK is
    only for roles that may see personal data (others could probe names through it). By default
    (umur="") only the under-fives (under 60 WHO months today); umur="semua" lists every age."""
    today = today or timezone.localdate()
    children = with_latest(Anak.objects.for_user(user).select_related("kelurahan__kecamatan", "posyandu"))
    q = (q or "").strip()
    if q and access_for(user).can_see_personal_data:
        digits = q.replace(" ", "")
        if digits.isdigit():
            children = children.filter(Q(nik__startswith=digits) | Q(nik__contains=digits) | Q(nik_ibu__startswith=digits))
        else:
            for word in q.split():
                children = children.filter(Q(nama__icontains=word) | Q(nama_ibu__icontains=word))
    if kecamatan:
        children = children.filter(kelurahan__kecamatan_id=kecamatan)
    if kelurahan:
        children = children.filter(kelurahan_id=kelurahan)
    if posyandu:
        children = children.filter(posyandu_id=posyandu)
    if kategori == "belum":
        children = children.filter(terakhir_tanggal__isnull=True)
    elif kategori == "stunting":
        # The figures' rule: a WHO-flagged TB/U is no category (balita.figures.valid_q).
        children = children.filter(figures.valid_q("tbu", prefix="terakhir_"),
                                   terakhir_kategori_tbu__in=categories.STUNTED)
    elif kategori in dict(categories.TBU):
        children = children.filter(figures.valid_q("tbu", prefix="terakhir_"), terakhir_kategori_tbu=kategori)
    if not umur:
        children = children.filter(tanggal_lahir__gt=ages.latest_birth_for_age(today, 60))
    elif umur in AGE_GROUPS:
        _, low, high = AGE_GROUPS[umur]
        # WHO months (tpps.ages), as the growth chart and the z-scores count them.
        children = children.filter(tanggal_lahir__lte=ages.latest_birth_for_age(today, low))
        if high is not None:
            children = children.filter(tanggal_lahir__gt=ages.latest_birth_for_age(today, high))
    return children.order_by(*SORTS.get(sort, SORTS["nama"]))


def filter_choices(user, kecamatan=None, kelurahan=None):
    """Options of the register's filters, within the user's scope."""
    kelurahan_qs = Kelurahan.objects.for_user(user).select_related("kecamatan").order_by("nama")
    kecamatan_ids = set(kelurahan_qs.values_list("kecamatan_id", flat=True))
    if kecamatan:
        kelurahan_qs = kelurahan_qs.filter(kecamatan_id=kecamatan)
    posyandu_qs = Posyandu.objects.for_user(user).select_related("kelurahan").order_by("kelurahan__nama", "nama")
    if kelurahan:
        posyandu_qs = posyandu_qs.filter(kelurahan_id=kelurahan)
    elif kecamatan:
        posyandu_qs = posyandu_qs.filter(kelurahan__kecamatan_id=kecamatan)
    return {
        "kecamatan": Kecamatan.objects.filter(id__in=kecamatan_ids).order_by("kode"),
        "kelurahan": kelurahan_qs,
        "posyandu": posyandu_qs,
    }


def child_for(user, pk):
    """One child the user may see, or Anak.DoesNotExist."""
    return Anak.objects.for_user(user).select_related("kelurahan__kecamatan", "posyandu").get(pk=pk)


def editable_children(user):
    """Children whose data the user may change (Admin/Operator: the city; Operator wilayah: its area)."""
    return Anak.objects.for_user(user, "change")


def measurements_of(child):
    return child.pengukuran.select_related("posyandu", "dicatat_oleh", "batch").order_by("-tanggal")


def possible_duplicates(child, user, limit: int = 10):
    """Other children (in the user's editable scope) that may be the same child: the same NIK, or the
    same birth date with the same name or the same mother's name."""
    same = Q(tanggal_lahir=child.tanggal_lahir) & (Q(nama__iexact=child.nama) | (
        Q(nama_ibu__iexact=child.nama_ibu) & ~Q(nama_ibu="")))
    if child.nik:
        same |= Q(nik=child.nik)
    return (Anak.objects.for_user(user, "change").filter(same).exclude(pk=child.pk)
            .select_related("kelurahan").annotate(jumlah_ukur=Count("pengukuran"))[:limit])


# --- Stunting register (figures from balita.figures, like every other screen) -------------------


def stunting_register(user, periode: Periode, kelurahan=None) -> dict:
    """The register's table: by kelurahan (lokus of the year marked) or, within one kelurahan, by
    posyandu where the children are registered; each row {"id", "nama", "kecamatan", "lokus",
    "angka": Angka}, and the total."""
    if kelurahan:
        by_area = figures.figures_by(user, [periode], "posyandu", kelurahan=kelurahan)
        names = dict(Posyandu.objects.for_user(user).filter(kelurahan=kelurahan).values_list("id", "nama"))
        extra = {}
    else:
        by_area = figures.figures_by(user, [periode], "kelurahan")
        areas = list(figures.visible_kelurahan(user))
        names = {k.id: k.nama for k in areas}
        lokus = set(LokusKelurahan.objects.filter(tahun=periode.tahun, kelurahan_id__in=names)
                    .values_list("kelurahan_id", flat=True))
        extra = {k.id: {"kecamatan": k.kecamatan.nama, "lokus": k.id in lokus} for k in areas}
    counted = {key: angka for (_, key), angka in by_area.items()}
    rows = [
        {"id": key, "nama": names.get(key) or "(tanpa posyandu)", "angka": counted.get(key, figures.Angka()),
         **extra.get(key, {})}
        for key in set(names) | set(counted)
    ]
    rows.sort(key=lambda r: (r.get("kecamatan", ""), r["id"] is None, r["nama"]))
    return {"rows": rows, "total": figures.total(r["angka"] for r in rows)}


def stunted_children(user, periode: Periode, kelurahan=None, posyandu=None):
    """The register itself: children whose latest measurement in the period is pendek or sangat pendek."""
    rows = figures.children_behind(user, periode, kelurahan=kelurahan, posyandu=posyandu, only_stunted=True)
    return rows.order_by("anak__kelurahan__nama", "anak__posyandu__nama", "zs_tbu", "anak_id")


def monthly_totals(user, periode: Periode, kelurahan=None) -> list[dict]:
    """Month by month over the period's year and the year before: [{"periode", "label", "angka"}]."""
    return [
        {"periode": p, "label": f"{BULAN[p.nomor - 1][:3]} {p.tahun}", "angka": angka}
        for p, angka in figures.monthly(user, periode.tahun - 1, periode.tahun, kelurahan=kelurahan)
    ]


# --- Imports ----------------------------------------------------------------------------------


def import_batches(user):
    return ImporBatch.objects.for_user(user).select_related("diunggah_oleh")


def pending_imports(user) -> dict:
    """What waits for the user's decision on the import page: batches whose preview is ready
    ("menunggu") and, in them, the children held for identity review not yet decided."""
    waiting = import_batches(user).filter(status=ImporBatch.Status.MENUNGGU)
    reviews = TinjauanIdentitas.objects.filter(batch__in=waiting.values("pk"), keputusan="")
    return {"batch": waiting.count(), "tinjauan": reviews.count()}


def import_errors(batch):
    return batch.galat.order_by("baris", "id")


def identity_reviews(batch, user) -> list:
    """The children of a batch held for review, as `user` may see them: the file's child beside
    the stored child it collides with (named only if `user` may see that child)."""
    reviews = list(TinjauanIdentitas.objects.filter(batch=batch).select_related("anak__kelurahan", "kelurahan",
                                                                                 "diputuskan_oleh"))
    visible = set(Anak.objects.for_user(user, "view").filter(id__in=[r.anak_id for r in reviews])
                  .values_list("id", flat=True))
    access = access_for(user)
    for review in reviews:
        review.berkas = {"nama": masking.name_for(access, review.nama), "nik": masking.nik_for(access, review.nik),
                         "jenis_kelamin": review.jenis_kelamin, "tanggal_lahir": review.tanggal_lahir,
                         "nama_ibu": masking.name_for(access, review.nama_ibu), "kelurahan": review.kelurahan.nama}
        child = review.anak
        review.terdaftar = None if child.id not in visible else {
            "id": child.id, "nama": masking.name_for(access, child.nama), "nik": masking.nik_for(access, child.nik),
            "jenis_kelamin": child.jenis_kelamin, "tanggal_lahir": child.tanggal_lahir,
            "nama_ibu": masking.name_for(access, child.nama_ibu), "kelurahan": child.kelurahan.nama}
    return reviews


PERSONAL_CHANGE_LABELS = {"Nama", "Nama ibu"}


def change_preview(batch, user) -> list:
    """Per matched child what the import changes (old -> new), names and NIK masked for `user`."""
    access = access_for(user)

    def shown(label, value):
        if value == "(kosong)":
            return value
        if label in PERSONAL_CHANGE_LABELS:
            return masking.name_for(access, value)
        if label == "NIK":
            return masking.nik_for(access, value)
        if label in ("Alamat", "RT", "RW"):
            return masking.private_for(access, value)
        return value

    return [{"anak_id": c["anak_id"], "baris": c["baris"], "nama": masking.name_for(access, c["nama"]),
             "perubahan": [(label, shown(label, old), shown(label, new)) for label, old, new in c["perubahan"]]}
            for c in batch.perubahan_anak]


TEMPLATE_EXAMPLE = {
    "No": 1, "NIK": "3571034101240001", "Nama": "Aisyah Putri", "JK": "P", "Tgl Lahir": "01/01/2024",
    "BB Lahir": "3,1", "TB Lahir": "49", "Nama Ortu": "Siti Rahayu", "Prov": "JAWA TIMUR", "Kab/Kota": "KOTA KEDIRI",
    "Kec": "PESANTREN", "Pukesmas": "PESANTREN I", "Desa/Kel": "PESANTREN", "Posyandu": "Melati", "RT": "001",
    "RW": "002", "Alamat": "Jl. Mawar 1", "Usia Saat Ukur": "1 Tahun - 0 Bulan - 4 Hari",
    "Tanggal Pengukuran": "05/01/2025", "Berat": "8,9", "Tinggi": "73,5", "Cara Ukur": "Terlentang", "LiLA": "14,1",
}


def import_template() -> tuple[list, list]:
    """Headers (e-PPGBM's export, in its order) and one example row of the import template."""
    headers = eppgbm.TEMPLATE_HEADERS
    return headers, [[TEMPLATE_EXAMPLE.get(h, "") for h in headers]]


def latest_measurements(user, anak_ids) -> dict:
    """{child id: its latest measurement} for these children (those the user may see); for lists
    that show each child's last figures (e.g. kasus' visit list)."""
    if not anak_ids:
        return {}
    rows = (Pengukuran.objects.for_user(user).filter(anak_id__in=list(anak_ids))
            .order_by("anak_id", "-tanggal").distinct("anak_id"))
    return {row.anak_id: row for row in rows}


def _mother_key(field: str):
    """A mother's name with case, spaces and punctuation ignored, in SQL (as sasaran.importers.name_key)."""
    return Trim(Func(Lower(field), Value("[^0-9a-z]+"), Value(" "), Value("g"), function="regexp_replace"))


def children_by_mother(user, nik_ibu=(), nama_ibu_kelurahan=()):
    """Children the user may see whose mother's NIK is in `nik_ibu`, or whose mother's name (case,
    spaces and punctuation ignored) and kelurahan are one of the pairs `nama_ibu_kelurahan`
    ((name key, kelurahan id)): dicts id, nama, tanggal_lahir, nik_ibu, ibu_key, kelurahan_id.
    For other apps linking families to children (sasaran's KRS)."""
    rows = Anak.objects.for_user(user).annotate(ibu_key=_mother_key("nama_ibu"))
    match = Q(nik_ibu__in=[n for n in nik_ibu if n])
    for key, kelurahan_id in nama_ibu_kelurahan:
        if key:
            match |= Q(ibu_key=key, kelurahan_id=kelurahan_id)
    return rows.filter(match).values("id", "nama", "tanggal_lahir", "nik_ibu", "ibu_key", "kelurahan_id")


def mothers(user, per_kelurahan: int = 5) -> list:
    """(nama_ibu, nik_ibu, kelurahan_id) of up to `per_kelurahan` mothers of children in each
    kelurahan the user may see (demo data of other apps that link families to children)."""
    rows = (Anak.objects.for_user(user).exclude(nama_ibu="").order_by("kelurahan_id", "nama_ibu")
            .values_list("nama_ibu", "nik_ibu", "kelurahan_id").distinct())
    taken, result = {}, []
    for nama, nik, kelurahan_id in rows.iterator():
        if taken.get(kelurahan_id, 0) < per_kelurahan:
            taken[kelurahan_id] = taken.get(kelurahan_id, 0) + 1
            result.append((nama, nik, kelurahan_id))
    return result
