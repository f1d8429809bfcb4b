"""Who may record what on a case: `check_*` raise PermissionDenied (Indonesian message), `can_*`
are the booleans pages use to decide what to offer. Rows come from `for_user` (tpps.roles)."""

from django.core.exceptions import PermissionDenied

from kasus.models import Intervensi, Kasus
from tpps.roles import CHANGE, Role, access_for


def check_step(user, kasus):
    """The pathway: the secretariat, and the operator wilayah of the child's area."""
    Kasus.objects.require(user, CHANGE, kasus, "Kasus ini di luar wilayah kerja Anda.")


def can_record_step(user, kasus) -> bool:
    return Kasus.objects.for_user(user, CHANGE).filter(pk=kasus.pk).exists()


def giver_choices(user):
    """The OPDs `user` may record an intervention for; None in the list means the area's own
    health workers and cadres (no OPD). Empty: may record none."""
    access = access_for(user)
    if Intervensi.objects.acts_on_all(user, CHANGE):
        return "all"
    choices = []
    if access.has(Role.OPD):
        choices.extend(sorted(access.opd_ids))
    if access.has(Role.WILAYAH):
        choices.append(None)
    return choices


def check_intervention(user, kasus, opd_id):
    """An OPD user records only its own OPD's interventions; an operator wilayah only the area's
    own (no OPD), on cases of its area; the secretariat any."""
    Kasus.objects.require(user, "view", kasus, "Kasus tidak ditemukan.")
    choices = giver_choices(user)
    if choices == "all":
        return
    if opd_id is not None and opd_id in choices:
        return
    if opd_id is None and None in choices and Kasus.objects.for_user(user, CHANGE).filter(pk=kasus.pk).exists():
        return
    raise PermissionDenied("Anda hanya dapat mencatat intervensi yang diberikan oleh OPD atau wilayah Anda sendiri.")


def can_record_intervention(user, kasus) -> bool:
    choices = giver_choices(user)
    if choices == "all":
        return True
    if any(c is not None for c in choices):
        return True
    return None in choices and Kasus.objects.for_user(user, CHANGE).filter(pk=kasus.pk).exists()
