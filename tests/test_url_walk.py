"""Walk every URL pattern as anonymous and as each role, so no view can forget permissions.

- Anonymous: every view except those marked login-not-required redirects to the login page.
- Each role: the answer is a page, a redirect, 400, 403, 404 or 405; never a server error
  (the test client re-raises exceptions, so a crash fails the walk).
- A view guarded by `role_required` answers 403 to every role it does not name.
- Our own views must be guarded by `role_required` unless listed in OPEN_TO_ALL_USERS.
"""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import url_samples

# Views every logged-in user may open (they show only the user's own things).
OPEN_TO_ALL_USERS = {"home", "logout", "password_change", "password_change_done", "panduan:index", "panduan:peran"}
NOT_POSTED = {"logout"}  # posting would end the session mid-walk
ALLOWED_STATUS = {200, 204, 302, 400, 403, 404, 405}
OUR_APPS = ("tpps", "balita", "konvergensi", "genting", "rekomendasi", "laporan", "kasus", "panduan", "sasaran", "ibuhamil")


def walk(resolver=None, namespace="", converters=None):
    """Yield (url name, view callback, {kwarg: converter}) for every named pattern."""
    resolver = resolver or get_resolver()
    converters = converters or {}
    for entry in resolver.url_patterns:
        entry_converters = {**converters, **getattr(entry.pattern, "converters", {})}
        regex_groups = {name: None for name in entry.pattern.regex.groupindex if name not in entry_converters}
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, ns, {**entry_converters, **regex_groups})
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback, {**entry_converters, **regex_groups}


def sample_url(name, arguments, users):
    if name in url_samples.BY_NAME:
        return reverse(name, kwargs=url_samples.BY_NAME[name](users))
    kwargs = {}
    for arg, converter in arguments.items():
        if arg in url_samples.BY_KWARG:
            value = url_samples.BY_KWARG[arg]
            kwargs[arg] = value(users) if callable(value) else value
        else:
            kwargs[arg] = url_samples.BY_CONVERTER[type(converter).__name__] if converter else "contoh"
    return reverse(name, kwargs=kwargs)


def is_ours(callback):
    return callback.__module__.split(".")[0] in OUR_APPS and not callback.__module__.startswith("django")


def all_patterns():
    url_samples.load_app_samples()
    return sorted(walk(), key=lambda item: item[0])


def test_walk_finds_the_app_patterns():
    names = {name for name, _, _ in all_patterns()}
    assert {"home", "login", "audit_log", "balita:index", "konvergensi:index", "genting:index", "laporan:index",
            "kelola:index", "kelola:pengguna_list", "kelola:posyandu_list"} <= names
    assert "admin:index" in names


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_everywhere(client, users):
    login_url = reverse(settings.LOGIN_URL)
    for name, callback, arguments in all_patterns():
        url = sample_url(name, arguments, users)
        response = client.get(url)
        if getattr(callback, "login_required", True) is False:
            assert response.status_code in {200, 302}, name
            continue
        assert response.status_code == 302, f"{name} {url} answered {response.status_code} to anonymous"
        # The management site sends to its own login URL first, which forwards to ours.
        final = client.get(url, follow=True).redirect_chain[-1][0]
        assert final.startswith(login_url), f"{name} redirects elsewhere: {final}"


def test_our_views_declare_who_may_use_them():
    for name, callback, _ in all_patterns():
        # The advanced management site ("admin:") is guarded as a whole by TppsAdminSite.
        if not is_ours(callback) or name in OPEN_TO_ALL_USERS or name.startswith("admin:"):
            continue
        if getattr(callback, "login_required", True) is False:
            continue
        assert hasattr(callback, "allowed_roles"), f"view {name} has no role_required guard"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "operator", "opd", "wilayah", "pimpinan", "outsider"])
def test_every_role_gets_an_answer_never_an_error(client, users, role):
    user = users[role]
    from tpps.roles import access_for

    held_roles = access_for(user).roles
    for name, callback, arguments in all_patterns():
        url = sample_url(name, arguments, users)
        for method in ("get", "post"):
            if method == "post" and (name in NOT_POSTED or not is_ours(callback)):
                continue
            client.force_login(user)
            response = getattr(client, method)(url)
            assert response.status_code in ALLOWED_STATUS, f"{role} {method.upper()} {url} -> {response.status_code}"
            allowed = getattr(callback, "allowed_roles", None)
            if allowed is not None and not (held_roles & allowed):
                assert response.status_code == 403, f"{role} may not use {name} but got {response.status_code}"
            if name.startswith("admin:") and role != "admin":
                # The advanced management site refuses other roles outright: no detour to a login
                # page that sends a logged-in user back (the old loop).
                assert response.status_code == 403, f"{role} on {name}: {response.status_code}"
            if name == "admin:index":
                assert (response.status_code == 200) == (role == "admin"), f"{role} on admin: {response.status_code}"

