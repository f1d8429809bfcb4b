"""Roles and what each may see: the single place where access is decided.

Every list, detail, export and HTMX endpoint gets its rows through a queryset's `for_user()`
(see `AreaScopedQuerySet`) and its permission through `access_for(user)`; views never filter by
role themselves.
"""

from dataclasses import dataclass

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    OPERATOR = "operator", "Operator DP3AP2KB"
    OPD = "opd", "OPD"
    WILAYAH = "wilayah", "Operator wilayah"
    PIMPINAN = "pimpinan", "Pimpinan"


ALL_ROLES = frozenset(Role.values)
# Roles that see the whole city.
CITY_ROLES = frozenset({Role.ADMIN, Role.OPERATOR, Role.PIMPINAN})
# Roles that change data about children and families (wilayah only in its own area); the same
# roles see names, NIK and addresses.
DATA_EDITORS = frozenset({Role.ADMIN, Role.OPERATOR, Role.WILAYAH})
# The named role sets below are the only spellings of a set of roles: views use them in
# `@role_required(...)`, never a local tuple, so one name never means two sets.
# Admin and Operator DP3AP2KB (the TPPS secretariat): change city-wide records (ledger, ranking,
# convergence plans) and verify.
CITY_EDITORS = frozenset({Role.ADMIN, Role.OPERATOR})
# Roles that see children and families: wilayah in its own area, Pimpinan with names masked.
CHILD_READERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.WILAYAH, Role.PIMPINAN})
# Roles that read city-wide aggregates (convergence actions, indicators, dashboards) without names.
AGGREGATE_READERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.OPD, Role.PIMPINAN})
# Roles that open pages changing convergence data (an OPD then only its own objects).
CONVERGENCE_EDITORS = frozenset({Role.ADMIN, Role.OPERATOR, Role.OPD})


@dataclass(frozen=True)
class Access:
    """What one user may do, computed once per request from their assignments."""

    roles: frozenset
    opd_ids: frozenset
    # Kelurahan ids reachable through wilayah assignments (puskesmas → its kelurahan).
    area_kelurahan_ids: frozenset

    def has(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_anyone(self) -> bool:
        return bool(self.roles)

    @property
    def city_wide(self) -> bool:
        return self.has(*CITY_ROLES)

    @property
    def kelurahan_ids(self):
        """None for the whole city, else the set of kelurahan ids the user may see."""
        return None if self.city_wide else self.area_kelurahan_ids

    @property
    def can_manage_users(self) -> bool:
        return self.has(Role.ADMIN)

    @property
    def can_edit_area_data(self) -> bool:
        """May enter children, measurements and families (in their scope)."""
        return self.has(*DATA_EDITORS)

    @property
    def can_verify(self) -> bool:
        """DP3AP2KB verifies evidence and data for the whole city."""
        return self.has(*CITY_EDITORS)

    @property
    def can_see_personal_data(self) -> bool:
        """NIK, names and addresses: those who care for the children, not readers of reports."""
        return self.has(*DATA_EDITORS)

    def sees_kelurahan(self, kelurahan_id) -> bool:
        ids = self.kelurahan_ids
        return ids is None or kelurahan_id in ids


NO_ACCESS = Access(frozenset(), frozenset(), frozenset())


class _System:
    """The acting 'user' of the evaluation pack, commands and konvergensi's computed capaian:
    reads the whole city as Pimpinan does (every area, no personal data)."""

    is_authenticated = True
    is_active = True
    pk = None
    _tpps_access = Access(frozenset({Role.PIMPINAN}), frozenset(), frozenset())

    def __repr__(self):
        return "SYSTEM"


SYSTEM = _System()


def access_for(user) -> Access:
    """The user's access, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_tpps_access", None)
    if cached is not None:
        return cached
    from tpps.models import Penugasan  # models import this module

    roles, opd_ids, kelurahan_ids = set(), set(), set()
    for assignment in Penugasan.objects.filter(user=user).prefetch_related("puskesmas__kelurahan"):
        roles.add(assignment.peran)
        if assignment.opd_id:
            opd_ids.add(assignment.opd_id)
        if assignment.kelurahan_id:
            kelurahan_ids.add(assignment.kelurahan_id)
        if assignment.puskesmas_id:
            kelurahan_ids.update(k.id for k in assignment.puskesmas.kelurahan.all())
    access = Access(frozenset(roles), frozenset(opd_ids), frozenset(kelurahan_ids))
    user._tpps_access = access
    return access


class AreaScopedQuerySet(models.QuerySet):
    """Rows that belong to a kelurahan; `for_user` keeps those the user may see.

    Subclasses name the lookup to the kelurahan (`area_lookup`) and which roles see every row
    (`city_roles`); roles with no place in either see nothing.
    """

    area_lookup = "kelurahan"
    city_roles = CITY_ROLES
    area_roles = frozenset({Role.WILAYAH})

    def for_user(self, user):
        access = access_for(user)
        if access.has(*self.city_roles):
            return self.all()
        if access.has(*self.area_roles) and access.area_kelurahan_ids:
            return self.filter(**{f"{self.area_lookup}__in": access.area_kelurahan_ids})
        return self.none()
