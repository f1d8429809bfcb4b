"""What the rekomendasi pages offer a user (buttons, form choices): booleans over the same scope
rules the services enforce (`for_user`, tpps.roles).

- Admin and Operator DP3AP2KB record recommendations, weak points and follow-up for any OPD,
  and every innovation.
- An OPD user records follow-up only on recommendations linked to its own OPD, on its own behalf,
  and registers its own OPD's innovations.
- Pimpinan reads everything; operator wilayah does not use this app.
"""

from rekomendasi.models import Inovasi, Rekomendasi
from tpps.roles import CHANGE, access_for


def can_record(user) -> bool:
    return Rekomendasi.objects.acts_on_all(user, CHANGE)


def opd_ids(user) -> frozenset:
    return access_for(user).opd_ids


def can_add_innovation(user) -> bool:
    return Inovasi.objects.acts_on_all(user, CHANGE) or bool(opd_ids(user))


def innovation_opds(user, opd_queryset):
    """The OPDs a user may register an innovation under."""
    return opd_queryset if Inovasi.objects.acts_on_all(user, CHANGE) else opd_queryset.filter(id__in=opd_ids(user))


def can_edit_innovation(user, inovasi) -> bool:
    return Inovasi.objects.acts_on_all(user, CHANGE) or inovasi.opd_id in opd_ids(user)


def can_delete_follow_up(user, tindak) -> bool:
    return Rekomendasi.objects.acts_on_all(user, CHANGE) or tindak.opd_id in opd_ids(user)
