"""Who may read and change what in konvergensi: the one place these rules live.

- Admin and Operator DP3AP2KB (the TPPS secretariat) read and change everything and verify
  evidence.
- An OPD user reads everything in this app and changes only what belongs to its OPD(s): the
  evidence, status and narrative of the actions it is responsible for, its own indicators'
  achievements and its own planned activities.
- Pimpinan (Sekda) reads everything and changes nothing.
- Operator wilayah and users without a role do not use this app.

Rows come from `Model.objects.for_user(user, action)` (tpps.roles, the only scope rule) and the
services refuse what a user may not do. The `can_*` booleans below decide what a page offers
(buttons, form fields) for one object, from the same role sets, without a query per object.
"""

from konvergensi.models import StatusVerifikasi
from tpps.roles import AGGREGATE_READERS, CITY_EDITORS, Role, access_for


def can_read(user) -> bool:
    return access_for(user).has(*AGGREGATE_READERS)


def manages(user) -> bool:
    """Admin or Operator DP3AP2KB: every action, indicator, plan and verification."""
    return access_for(user).has(*CITY_EDITORS)


def user_opd_ids(user) -> frozenset:
    """The OPD ids the user acts for (empty unless they hold the OPD role)."""
    access = access_for(user)
    return access.opd_ids if access.has(Role.OPD) else frozenset()


# --- single objects --------------------------------------------------------------------------

def _action_opd_ids(aksi_tahunan) -> set:
    return {opd.id for opd in aksi_tahunan.opd.all()}


def can_edit_action(user, aksi_tahunan) -> bool:
    """Status, dates, narrative and evidence of one action in one year."""
    return manages(user) or bool(user_opd_ids(user) & _action_opd_ids(aksi_tahunan))


def can_upload_evidence(user, aksi_tahunan) -> bool:
    return can_edit_action(user, aksi_tahunan)


def uploadable_opds(user, aksi_tahunan):
    """The OPDs on whose behalf the user may upload evidence for this action."""
    opds = list(aksi_tahunan.opd.all())
    if manages(user):
        return opds
    mine = user_opd_ids(user)
    return [opd for opd in opds if opd.id in mine]


def can_set_action_opds(user) -> bool:
    """Choosing which OPDs answer for an action is the secretariat's job."""
    return manages(user)


def can_delete_evidence(user, bukti) -> bool:
    """Managers delete anything; an OPD deletes its own action's evidence until it is accepted."""
    if manages(user):
        return True
    return bukti.status != StatusVerifikasi.DITERIMA and can_edit_action(user, bukti.aksi_tahunan)


def can_verify(user) -> bool:
    """DP3AP2KB verifies evidence (Admin and Operator DP3AP2KB)."""
    return manages(user)


def can_enter_capaian(user, indikator) -> bool:
    """Achievements are entered by the indicator's responsible OPD (and the secretariat)."""
    return manages(user) or indikator.opd_id in user_opd_ids(user)


def can_add_kegiatan(user) -> bool:
    return manages(user) or bool(user_opd_ids(user))


def can_edit_kegiatan(user, kegiatan) -> bool:
    return manages(user) or kegiatan.opd_id in user_opd_ids(user)


def kegiatan_opd_choices(user, opd_queryset):
    """OPDs a user may file an activity under."""
    return opd_queryset if manages(user) else opd_queryset.filter(id__in=user_opd_ids(user))


def can_edit_rembuk(user, aksi_tahunan) -> bool:
    """The Rembuk Stunting record belongs to action 3: its OPDs and the secretariat."""
    return can_edit_action(user, aksi_tahunan)


def can_manage_year(user) -> bool:
    """Open a new year, set the assessment date."""
    return manages(user)
