"""Writes of tata laksana gizi, one atomic function per event: a pathway step (or an event such
as pindah or meninggal) and an intervention. Opening cases and their measured outcomes are not
here: kasus/derive.py writes those from the measurements. The audit trail is written by database
triggers; these functions name the event through pghistory.context."""

import datetime

import pghistory
from django.db import transaction
from django.utils import timezone

from kasus import policy, rules
from kasus.models import CLOSES, HasilLangkah, Intervensi, JenisIntervensi, Kasus, Langkah, Masalah
from tpps.errors import UserError, full_clean
from tpps.roles import actor


class KasusError(UserError):
    """A problem with a case entry the user can fix."""


def _check_date(tanggal: datetime.date, kasus: Kasus, field: str):
    if tanggal > timezone.localdate():
        raise KasusError("Tanggal tidak boleh melewati hari ini.", field)
    if tanggal < kasus.tanggal_buka:
        raise KasusError(f"Tanggal sebelum kasus dibuka ({kasus.tanggal_buka:%d/%m/%Y}).", field)


@transaction.atomic
def record_step(kasus: Kasus, *, tahap: str, tanggal: datetime.date, hasil: str, catatan: str = "", user) -> Langkah:
    """A step of the pathway on an open case. "Bukan stunting" (a doctor's diagnosis), pindah and
    meninggal close the case with that outcome; it is not counted as recovered."""
    policy.check_step(user, kasus)
    kasus = Kasus.objects.select_for_update().get(pk=kasus.pk)
    if kasus.hasil:
        raise KasusError(f"Kasus sudah ditutup ({kasus.get_hasil_display().lower()}).")
    _check_date(tanggal, kasus, "tanggal")
    if hasil == HasilLangkah.BUKAN_STUNTING and kasus.masalah != Masalah.STUNTING:
        raise KasusError("Diagnosis \u201cbukan stunting\u201d hanya untuk kasus stunting.", "hasil")
    step = Langkah(kasus=kasus, tahap=tahap, tanggal=tanggal, hasil=hasil, catatan=catatan.strip(),
                   dicatat_oleh=actor(user))
    full_clean(step)
    if hasil in (HasilLangkah.PINDAH, HasilLangkah.MENINGGAL) and kasus.tanggal_ukur_terakhir \
            and tanggal < kasus.tanggal_ukur_terakhir:
        raise KasusError("Anak masih diukur sesudah tanggal ini; periksa tanggalnya.", "tanggal")
    with pghistory.context(peristiwa="langkah_kasus", kasus=kasus.pk):
        step.save()
        if hasil in CLOSES:
            kasus.hasil, kasus.tanggal_tutup = CLOSES[hasil], tanggal
            kasus.save(update_fields=["hasil", "tanggal_tutup"])
    return step


def default_course_days(kasus: Kasus) -> int:
    return rules.LAMA_PMT_HARI[kasus.masalah]


@transaction.atomic
def record_intervention(kasus: Kasus, *, jenis: str, opd, mulai: datetime.date, lama_hari=None, hari_dimakan=None,
                        catatan: str = "", user) -> Intervensi:
    """What a giver gave: checked against who the user is (kasus.policy). PMT lokal without a
    typed length gets the juknis length for the case's problem (kasus.rules.LAMA_PMT_HARI)."""
    policy.check_intervention(user, kasus, opd.pk if opd else None)
    _check_date(mulai, kasus, "mulai")
    if kasus.tanggal_tutup and mulai > kasus.tanggal_tutup:
        raise KasusError(f"Kasus ditutup {kasus.tanggal_tutup:%d/%m/%Y}; intervensi sesudahnya tidak dicatat di sini.",
                         "mulai")
    if jenis == JenisIntervensi.PMT_LOKAL and not lama_hari:
        lama_hari = default_course_days(kasus)
    row = Intervensi(kasus=kasus, jenis=jenis, opd=opd, mulai=mulai, lama_hari=lama_hari, hari_dimakan=hari_dimakan,
                     catatan=catatan.strip(), dicatat_oleh=actor(user))
    full_clean(row)
    with pghistory.context(peristiwa="intervensi_kasus", kasus=kasus.pk):
        row.save()
    return row

