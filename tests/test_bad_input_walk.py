"""Bad input never makes a server error (issue 13, item 8): every URL pattern, as anonymous and as
each role, with every query parameter a view reads set to a NUL byte, huge and negative numbers,
impossible dates and very long text answers below 500 (GET, and POST for the roles that enter
most data); a NUL byte anywhere is a 400 page in Bahasa Indonesia (tpps.middleware); a login name
too long for django-axes is a form error.

The parameter names are read from the code (request.GET.get("…"), int_param(…, "…") and the
fields of every form class), so a new filter is fuzzed without being listed here. Values go all
at once per request (one request per kind of bad value), and a role walks only the pages it may
open (the others answer 403 first, see tests/test_url_walk.py), to keep the walk under a minute."""

import inspect
import re
from pathlib import Path

import pytest
from django import forms as django_forms
from django.urls import reverse

from balita import forms as balita_forms
from genting import forms as genting_forms
from ibuhamil import forms as ibuhamil_forms
from kasus import forms as kasus_forms
from sasaran import forms as sasaran_forms
from konvergensi import forms as konvergensi_forms
from laporan import forms as laporan_forms
from rekomendasi import forms as rekomendasi_forms
from tests.test_url_walk import NOT_POSTED, all_patterns, is_ours, sample_url
from tpps import forms as tpps_forms
from tpps.roles import access_for

ROOT = Path(__file__).resolve().parents[1]
APPS = ("tpps", "balita", "konvergensi", "genting", "rekomendasi", "laporan", "kasus", "panduan", "sasaran", "ibuhamil")
READ = re.compile(r'(?:GET|POST|params|data)\.get(?:list)?\(\s*"(\w+)"|int_param\(\s*\w+,\s*"(\w+)"')
# Names every list and filter page reads, beyond what the regex and the forms find.
COMMON = {"q", "hal", "page", "tahun", "periode", "bulan", "status", "jenis", "opd", "model", "sort",
          "kelurahan", "kecamatan", "posyandu", "puskesmas", "user", "dari", "sampai"}

BAD_VALUES = {
    "huge_negative": "-99999999999999999999",  # past every integer column, and negative
    "bad_date": "2025-02-31",
    "long": "x" * 5000,
}
POSTED = ("huge_negative", "long")  # what forms must refuse before the database does
NUL_VALUES = {"nul": "\x00", "nul_inside": "abc\x00def"}


def parameter_names() -> list[str]:
    names = set(COMMON)
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "/migrations/" not in path.as_posix():
                names |= {a or b for a, b in READ.findall(path.read_text())}
    for module in (balita_forms, genting_forms, ibuhamil_forms, kasus_forms, konvergensi_forms, laporan_forms,
                   rekomendasi_forms, sasaran_forms, tpps_forms):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, django_forms.BaseForm) and cls.__module__ == module.__name__:
                names |= set(cls.base_fields)
    return sorted(names - {"csrfmiddlewaretoken", "next"})


@pytest.fixture(scope="module")
def patterns():
    return all_patterns()


def urls(patterns, users):
    return [(name, callback, sample_url(name, arguments, users)) for name, callback, arguments in patterns]


def test_the_names_come_from_the_code():
    names = parameter_names()
    assert {"q", "status", "jenis", "opd", "model", "tahun", "hal", "kelurahan"} <= set(names)
    assert len(names) > 40


def may_use(role_roles, callback, name, role):
    if name.startswith("admin:"):
        return role == "admin"  # the management site sends everyone else to its login
    allowed = getattr(callback, "allowed_roles", None)
    # Views refusing the role answer 403 before reading any parameter (tests/test_url_walk.py).
    return allowed is None or bool(role_roles & allowed)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["admin", "operator", "opd", "wilayah", "pimpinan", "outsider"])
def test_bad_parameters_never_make_a_server_error(client, users, role, patterns):
    """GET with every parameter bad on each page the role may open; POST too for the admin, who
    may use every form (the forms are the same for the other roles)."""
    names = parameter_names()
    held = access_for(users[role]).roles
    failures = []
    client.raise_request_exception = False  # collect every failure of the walk, then report them
    client.force_login(users[role])
    for name, callback, url in urls(patterns, users):
        if not may_use(held, callback, name, role):
            continue
        post = role == "admin" and is_ours(callback) and name not in NOT_POSTED
        for kind, value in BAD_VALUES.items():
            data = {n: value for n in names}
            for method in ("get", "post") if post and kind in POSTED else ("get",):
                client.force_login(users[role])  # a post may have changed the session
                status = getattr(client, method)(url, data).status_code
                if status >= 500:
                    failures.append(f"{method.upper()} {name} {kind} -> {status}")
    assert not failures, f"{role}: " + "; ".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_a_nul_byte_anywhere_is_400_on_every_page(client, users, role, patterns):
    names = parameter_names()
    if role != "anonymous":
        client.force_login(users[role])
    for name, callback, url in urls(patterns, users):
        for kind, value in NUL_VALUES.items():
            response = client.get(url, {n: value for n in names})
            assert response.status_code == 400, f"{role} GET {name} {kind}: {response.status_code}"
    response = client.post(reverse("login"), {"username": "a\x00", "password": "x"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_the_reported_nul_urls_answer_400_in_indonesian(client_for, users):
    client = client_for(users["admin"])
    for url in ("/balita/?q=%00", "/balita/ekspor.xlsx?q=%00", "/genting/keluarga/?q=%00",
                "/genting/keluarga/?status=%00", "/genting/orang-tua-asuh/?q=%00",
                "/genting/orang-tua-asuh/?jenis=%00", "/genting/penyaluran/?jenis=%00",
                "/konvergensi/indikator/?opd=%00", "/konvergensi/rencana/?opd=%00", "/audit/?model=%00"):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "karakter yang tidak diizinkan" in response.content.decode(), url


@pytest.mark.django_db
def test_a_nul_in_a_posted_form_is_400(client_for, users):
    response = client_for(users["admin"]).post(reverse("genting:donasi_create"), {"nama_donatur": "a\x00b"})
    assert response.status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("length", [151, 256, 5000])
def test_a_login_name_too_long_is_a_form_error_not_a_crash(client, users, length):
    response = client.post(reverse("login"), {"username": "a" * length, "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
    assert response.context["form"].errors["username"] == ["Nama pengguna paling banyak 150 karakter."]


@pytest.mark.django_db
def test_login_still_works(client, users):
    users["operator"].set_password("rahasia-123")
    users["operator"].save()
    response = client.post(reverse("login"), {"username": users["operator"].username, "password": "rahasia-123"})
    assert response.status_code == 302
