"""Scope: who sees which rows, decided in one place (access_for + AreaScopedQuerySet)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.factories import kelurahan, make_posyandu, make_user
from tpps.models import Kelurahan, Penugasan, Posyandu
from tpps.roles import Role, access_for

PESANTREN_I = {"Pesantren", "Banaran", "Burengan", "Pakunden", "Singonegaran", "Tinalan"}


def test_city_roles_see_every_kelurahan(users):
    for role in ("admin", "operator", "pimpinan", "opd"):
        assert Kelurahan.objects.for_user(users[role]).count() == 46


def test_puskesmas_operator_sees_its_working_area_only(users):
    names = set(Kelurahan.objects.for_user(users["wilayah"]).values_list("nama", flat=True))
    assert names == PESANTREN_I


def test_outsider_and_anonymous_see_nothing(users):
    from django.contrib.auth.models import AnonymousUser

    assert Kelurahan.objects.for_user(users["outsider"]).count() == 0
    assert Kelurahan.objects.for_user(AnonymousUser()).count() == 0


def test_kelurahan_operator_and_several_assignments(db):
    betet = make_user("lurah_betet", (Role.WILAYAH, {"kelurahan": "Betet"}))
    make_posyandu("Betet", "Melati")
    make_posyandu("Semampir", "Mawar")
    assert [p.kelurahan.nama for p in Posyandu.objects.for_user(betet)] == ["Betet"]

    both = make_user("dua_peran", (Role.WILAYAH, {"kelurahan": "Betet"}), (Role.WILAYAH, {"kelurahan": "Semampir"}))
    assert set(Posyandu.objects.for_user(both).values_list("kelurahan__nama", flat=True)) == {"Betet", "Semampir"}

    promoted = make_user("naik", (Role.WILAYAH, {"kelurahan": "Betet"}), (Role.PIMPINAN, {}))
    assert Posyandu.objects.for_user(promoted).count() == 2


def test_access_flags_per_role(users):
    expectations = {
        # role: (personal data, edit area data, verify, manage users, city wide)
        "admin": (True, True, True, True, True),
        "operator": (True, True, True, False, True),
        "opd": (False, False, False, False, False),
        "wilayah": (True, True, False, False, False),
        "pimpinan": (False, False, False, False, True),
        "outsider": (False, False, False, False, False),
    }
    for role, expected in expectations.items():
        a = access_for(users[role])
        assert (a.can_see_personal_data, a.can_edit_area_data, a.can_verify, a.can_manage_users, a.city_wide) == expected, role


def test_inactive_user_has_no_access(users):
    user = users["admin"]
    user.is_active = False
    user.save()
    user.refresh_from_db()
    assert not access_for(user).is_anyone


def test_assignment_rules_in_python_and_in_the_database(users):
    user = users["outsider"]
    with pytest.raises(ValidationError):
        Penugasan(user=user, peran=Role.OPD).full_clean()
    with pytest.raises(ValidationError):
        Penugasan(user=user, peran=Role.WILAYAH).full_clean()
    with pytest.raises(ValidationError):
        Penugasan(user=user, peran=Role.ADMIN, kelurahan=kelurahan("Betet")).full_clean()
    with pytest.raises(IntegrityError):
        Penugasan.objects.create(user=user, peran=Role.WILAYAH)
