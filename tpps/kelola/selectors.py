"""Reads of the management area (Admin only, so the whole city: the views are guarded by
`role_required(Role.ADMIN)` and the lists need no narrower scope)."""

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone

from tpps.models import Kecamatan, Kelurahan, LokusKelurahan, Opd, PembukaanKunci, Penugasan, Posyandu, Puskesmas, User
from tpps.selectors import recent_failed_logins

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


def opd_list(*, q: str = ""):
    rows = Opd.objects.annotate(jumlah_pengguna=Count("penugasan__user", distinct=True)).order_by("singkatan")
    for word in q.split():
        rows = rows.filter(Q(singkatan__icontains=word) | Q(nama__icontains=word) | Q(kode__icontains=word))
    return rows


def kecamatan_list(*, q: str = ""):
    rows = Kecamatan.objects.annotate(jumlah_kelurahan=Count("kelurahan", distinct=True)).order_by("kode")
    for word in q.split():
        rows = rows.filter(Q(nama__icontains=word) | Q(kode__icontains=word))
    return rows


def kelurahan_list(*, q: str = "", kecamatan_id: int | None = None):
    rows = (Kelurahan.objects.select_related("kecamatan").prefetch_related("puskesmas")
            .annotate(jumlah_posyandu=Count("posyandu", distinct=True)).order_by("kode"))
    if kecamatan_id:
        rows = rows.filter(kecamatan_id=kecamatan_id)
    for word in q.split():
        rows = rows.filter(Q(nama__icontains=word) | Q(kode__icontains=word))
    return rows


def puskesmas_list(*, q: str = ""):
    rows = Puskesmas.objects.select_related("kecamatan").prefetch_related("kelurahan").order_by("nama")
    for word in q.split():
        rows = rows.filter(Q(nama__icontains=word) | Q(kelurahan__nama__icontains=word)).distinct()
    return rows


def kecamatan_choices():
    return Kecamatan.objects.order_by("kode")


# --- Login lockouts ---------------------------------------------------------------------------------

def _cooloff() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)


def failed_logins(*, q: str = ""):
    """django-axes's failed-login rows (one per username and address), newest first, each with
    `terkunci` (the pair has reached AXES_FAILURE_LIMIT within the cool-off) and `sampai` (when the
    lock ends by itself)."""
    rows = AccessAttempt.objects.order_by("-attempt_time")
    for word in q.split():
        rows = rows.filter(Q(username__icontains=word) | Q(ip_address__startswith=word))
    now, cooloff = timezone.now(), _cooloff()
    rows = list(rows[:500])
    for row in rows:
        row.sampai = row.attempt_time + cooloff
        row.terkunci = row.failures_since_start >= settings.AXES_FAILURE_LIMIT and row.sampai > now
    return rows


def locked_addresses():
    """Addresses refused whatever the username (tpps.views.address_locked_out's rule): failures
    within the cool-off summed per address, at least AXES_ADDRESS_FAILURE_LIMIT."""
    rows = (recent_failed_logins().values("ip_address")
            .annotate(gagal=Sum("failures_since_start"), terakhir=Max("attempt_time"),
                      nama=Count("username", distinct=True))
            .filter(gagal__gte=settings.AXES_ADDRESS_FAILURE_LIMIT).order_by("-terakhir"))
    return [{**row, "sampai": row["terakhir"] + _cooloff()} for row in rows]


def unlocks(limit: int = 20):
    return PembukaanKunci.objects.select_related("oleh")[:limit]
