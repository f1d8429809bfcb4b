"""Roles and what each may do where: the single place where access is decided.

One verb answers "which rows may this user act on": `Model.objects.for_user(user, action)`, with
action `VIEW` (default), `CHANGE` or `VERIFY` (and any a queryset adds, e.g. GENTING's ledger
`DISBURSE`). Every list, detail, export, HTMX fragment and service gets its rows through it;
`access_for(user)` computes a user's roles and areas once per request and is the only code that
reads role assignments. Querysets subclass one of:

- `ScopedQuerySet`: rows of the whole city; `city_roles[action]` act on every row, others on none.
- `AreaScopedQuerySet`: rows that belong to a kelurahan; an operator wilayah also acts on the rows
  of its own area for `area_actions` (view and change by default).
- `OpdScopedQuerySet`: rows owned by an OPD (konvergensi); every reader views them, an OPD user
  changes its own OPD's rows, Admin and Operator DP3AP2KB change and verify all.

`Model.objects.require(user, action, row, message)` raises PermissionDenied (Indonesian message)
when the row is not among `for_user(user, action)`; services call it so a new view cannot forget.

"Whole city" without a request user (commands, the PDF pack, the demo) is `SYSTEM`: pass it as the
user and it acts on everything, as Admin would. `actor(user)` turns it into None for "done by"
columns. There is no other spelling of "whole city" (no `user=None`, no `kelurahan_ids=None`).
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
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
# Roles that record on a nutrition case (kasus): the pathway by the area's health workers and the
# secretariat, interventions also by the OPD that gave them.
CASE_RECORDERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.WILAYAH, Role.OPD})
# Roles that record health screenings upstream of the toddler (sasaran: catin, remaja putri TTD):
# wilayah in its area; among OPD users only the health office (sasaran.models decides the rows).
HEALTH_RECORDERS = frozenset({Role.ADMIN, Role.OPERATOR, Role.WILAYAH, Role.OPD})
# Roles that read the audit trail (changes, and who read personal data).
AUDITORS = frozenset({Role.ADMIN})
# Roles that set the city's own settings (the officials who sign the evaluation pack).
SETTINGS_EDITORS = frozenset({Role.ADMIN})

VIEW, CHANGE, VERIFY = "view", "change", "verify"
# The OPD whose staff record health data (catin, remaja putri TTD, pregnancies) for the whole city.
OPD_KESEHATAN = "dinkes"
# GENTING's ledger: help disbursed to a family (the secretariat's job, not the area's).
DISBURSE = "disburse"
# rekomendasi: record follow-up on a recommendation (an OPD on those linked to its own OPD).
FOLLOW_UP = "follow_up"


@dataclass(frozen=True)
class Access:
    """What one user may do, computed once per request from their assignments."""

    roles: frozenset
    opd_ids: frozenset
    # Kelurahan ids reachable through wilayah assignments (puskesmas → its kelurahan).
    area_kelurahan_ids: frozenset
    # Codes of the OPDs of the user's OPD assignments (e.g. "dinkes").
    opd_kode: frozenset = frozenset()

    def has(self, *roles) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_anyone(self) -> bool:
        return bool(self.roles)

    @property
    def city_wide(self) -> bool:
        return self.has(*CITY_ROLES)

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
    def is_health_office(self) -> bool:
        """An OPD user of the health office (OPD_KESEHATAN): records health screenings and
        pregnancies for the whole city (HealthOfficeQuerySet)."""
        return self.has(Role.OPD) and OPD_KESEHATAN in self.opd_kode

    @property
    def can_record_health_data(self) -> bool:
        """May record health data upstream of the toddler (pregnancies, catin, TTD) in their scope:
        those who enter children's data, and the health office city-wide."""
        return self.has(*DATA_EDITORS) or self.is_health_office

    @property
    def can_see_personal_data(self) -> bool:
        """NIK, names and addresses: those who care for the children, not readers of reports."""
        return self.has(*DATA_EDITORS)


NO_ACCESS = Access(frozenset(), frozenset(), frozenset())


class _System:
    """The application itself acting without a request user: sees and changes the whole city."""

    is_authenticated = True
    is_active = True
    pk = id = None

    def __repr__(self):
        return "SYSTEM"


SYSTEM = _System()
SYSTEM_ACCESS = Access(frozenset({Role.ADMIN}), frozenset(), frozenset())


def actor(user):
    """The user to store in a "done by" column: None when the system acts."""
    return None if user is SYSTEM else user


def access_for(user) -> Access:
    """The user's access, cached on the user object for the rest of the request."""
    if user is SYSTEM:
        return SYSTEM_ACCESS
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_tpps_access", None)
    if cached is not None:
        return cached
    roles, opd_ids, opd_kode, kelurahan_ids = set(), set(), set(), set()
    # Through the user's own relation: tpps.models imports this module, not the reverse.
    for assignment in user.penugasan.select_related("opd").prefetch_related("puskesmas__kelurahan"):
        roles.add(assignment.peran)
        if assignment.opd_id:
            opd_ids.add(assignment.opd_id)
            opd_kode.add(assignment.opd.kode)
        if assignment.kelurahan_id:
            kelurahan_ids.add(assignment.kelurahan_id)
        if assignment.puskesmas_id:
            kelurahan_ids.update(k.id for k in assignment.puskesmas.kelurahan.all())
    access = Access(frozenset(roles), frozenset(opd_ids), frozenset(kelurahan_ids), frozenset(opd_kode))
    user._tpps_access = access
    return access


class ScopedQuerySet(models.QuerySet):
    """Rows of the whole city: `city_roles[action]` act on every row, everyone else on none.

    Subclasses change `city_roles` (an unknown action is a programming error) and add rows a user
    owns through `own_rows`.
    """

    city_roles = {VIEW: CITY_ROLES, CHANGE: CITY_EDITORS, VERIFY: CITY_EDITORS}

    def for_user(self, user, action=VIEW):
        if action not in self.city_roles:
            raise ValueError(f"{self.model.__name__} has no action {action!r}")
        access = access_for(user)
        if access.has(*self.city_roles[action]):
            return self.all()
        return self.own_rows(user, access, action)

    def own_rows(self, user, access, action):
        """Rows a user without a city-wide right for `action` may still act on."""
        return self.none()

    def acts_on_all(self, user, action) -> bool:
        """Whether `user` acts on every row for `action` (e.g. may pick any owner for a new row)."""
        return access_for(user).has(*self.city_roles[action])

    def require(self, user, action, row, message):
        """Raise PermissionDenied(message) unless `row` is among `for_user(user, action)`."""
        if row is None or row.pk is None or not self.for_user(user, action).filter(pk=row.pk).exists():
            raise PermissionDenied(message)


class AreaScopedQuerySet(ScopedQuerySet):
    """Rows that belong to a kelurahan: an operator wilayah acts on its own area's rows.

    Subclasses name the lookup to the kelurahan (`area_lookup`) and the actions a wilayah
    operator may take in its area (`area_actions`).
    """

    area_lookup = "kelurahan"
    area_actions = frozenset({VIEW, CHANGE})

    def own_rows(self, user, access, action):
        if action in self.area_actions and access.has(Role.WILAYAH) and access.area_kelurahan_ids:
            return self.filter(**{f"{self.area_lookup}__in": access.area_kelurahan_ids})
        return self.none()

    def kelurahan_ids_for(self, user, action) -> set | None:
        """The kelurahan where `user` may act on rows for `action`, also rows not yet written (a
        form's choice of kelurahan): None for every kelurahan, else a set of ids (empty: none)."""
        if self.acts_on_all(user, action):
            return None
        access = access_for(user)
        if action in self.area_actions and access.has(Role.WILAYAH):
            return set(access.area_kelurahan_ids)
        return set()


class HealthOfficeQuerySet(AreaScopedQuerySet):
    """Rows of a kelurahan that the health office (OPD Dinkes, `Access.is_health_office`) also
    views and changes city-wide, besides the secretariat and the area's operator wilayah: health
    screenings upstream of the toddler (sasaran) and pregnancies (ibuhamil)."""

    health_office_actions = frozenset({VIEW, CHANGE})

    def own_rows(self, user, access, action):
        if action in self.health_office_actions and access.is_health_office:
            return self.all()
        return super().own_rows(user, access, action)

    def acts_on_all(self, user, action) -> bool:
        return super().acts_on_all(user, action) or (
            action in self.health_office_actions and access_for(user).is_health_office)


class OpdScopedQuerySet(ScopedQuerySet):
    """Rows of the convergence app: readers view all; an OPD user changes the rows of its own
    OPD(s) (`opd_lookup`, None when no OPD owns the rows); the secretariat changes and verifies."""

    city_roles = {VIEW: AGGREGATE_READERS, CHANGE: CITY_EDITORS, VERIFY: CITY_EDITORS}
    opd_lookup = "opd"

    def own_rows(self, user, access, action):
        if action != CHANGE or not self.opd_lookup or not access.has(Role.OPD) or not access.opd_ids:
            return self.none()
        # A subquery rather than distinct(): the lookup may cross a many-to-many.
        owned = self.model._default_manager.filter(**{f"{self.opd_lookup}__in": access.opd_ids})
        return self.filter(pk__in=owned.values("pk"))
