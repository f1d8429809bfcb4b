"""Reads of the management area (Admin only, so the whole city: the views are guarded by
`role_required(Role.ADMIN)` and the lists need no narrower scope)."""

from django.db.models import Count, Prefetch, Q

from tpps.models import Kelurahan, LokusKelurahan, Opd, Penugasan, Posyandu, User

ASSIGNMENTS = Prefetch("penugasan", queryset=Penugasan.objects.select_related("opd", "puskesmas", "kelurahan").order_by("peran", "id"))


def users(*, q: str = "", peran: str = "", status: str = ""):
    """Users by name, searchable by username or name, filtered by role and active flag."""
    rows = User.objects.prefetch_related(ASSIGNMENTS).order_by("username")
    for word in q.split():
        rows = rows.filter(Q(username__icontains=word) | Q(first_name__icontains=word) | Q(last_name__icontains=word))
    if peran == "tanpa":
        rows = rows.filter(penugasan__isnull=True)
    elif peran:
        rows = rows.filter(penugasan__peran=peran).distinct()
    if status == "aktif":
        rows = rows.filter(is_active=True)
    elif status == "nonaktif":
        rows = rows.filter(is_active=False)
    return rows


def assignments(user):
    return user.penugasan.select_related("opd", "puskesmas", "kelurahan").order_by("peran", "id")


def posyandu(*, kelurahan_id: int | None = None, q: str = "", status: str = ""):
    rows = Posyandu.objects.select_related("kelurahan__kecamatan")
    if kelurahan_id:
        rows = rows.filter(kelurahan_id=kelurahan_id)
    for word in q.split():
        rows = rows.filter(Q(nama__icontains=word) | Q(kelurahan__nama__icontains=word))
    if status == "aktif":
        rows = rows.filter(aktif=True)
    elif status == "nonaktif":
        rows = rows.filter(aktif=False)
    return rows.order_by("kelurahan__nama", "nama")


def kelurahan_choices():
    return Kelurahan.objects.select_related("kecamatan").order_by("nama")


def lokus_years() -> list[int]:
    return sorted(set(LokusKelurahan.objects.values_list("tahun", flat=True)), reverse=True)


def lokus_of(tahun: int):
    return LokusKelurahan.objects.filter(tahun=tahun).select_related("kelurahan__kecamatan").order_by("kelurahan__nama")


def opd_list():
    return Opd.objects.annotate(jumlah_pengguna=Count("penugasan__user", distinct=True)).order_by("singkatan")
