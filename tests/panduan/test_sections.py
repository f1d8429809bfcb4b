"""The guide's map (panduan/sections.py) against the app: every screen with a page has a guide
section that the rendered guide holds, or is listed as having none with a reason; the "?" link of
each page leads there; every role page holds its sections and their screenshots."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from panduan.sections import ROLE_PAGES, SCREEN_SECTION, SECTIONS, WITHOUT_SECTION, guide_url, pages_with
from tests.test_url_walk import all_patterns, sample_url
from tpps.roles import Role, access_for

STATIC = Path(settings.BASE_DIR) / "static"
HELP_LINK = re.compile(r'<a class="bantuan" href="([^"]+)"')
ROLE_USERS = ("admin", "operator", "opd", "wilayah", "pimpinan")


def test_every_mapped_name_is_a_url_and_mapped_once():
    names = {name for name, _, _ in all_patterns()}
    mapped = [name for bagian in SECTIONS.values() for name in bagian.layar]
    assert len(mapped) == len(set(mapped)), "a screen is mapped to two sections"
    assert set(mapped) <= names, set(mapped) - names
    assert set(WITHOUT_SECTION) <= names and not set(WITHOUT_SECTION) & set(mapped)
    assert all(len(reason) > 10 for reason in WITHOUT_SECTION.values())


def test_every_section_is_on_a_role_page_with_its_template():
    templates = Path(__file__).resolve().parents[2] / "panduan" / "templates" / "panduan" / "bagian"
    for anchor in SECTIONS:
        assert pages_with(anchor), f"section {anchor} is on no role page"
        assert (templates / f"{anchor}.html").exists(), anchor
    for halaman in ROLE_PAGES.values():
        assert set(halaman.bagian) <= set(SECTIONS)


@pytest.mark.django_db
def test_every_page_has_a_guide_section_and_its_help_link_leads_there(client, users):
    """Walk every URL name as each role allowed to open it; an HTML page (200, a whole document)
    must be mapped to a section or listed in WITHOUT_SECTION; a mapped page shows the "?" link to
    the guide page of one of the user's roles when that page holds the section, and the guide page
    there holds the anchor."""
    guide_pages = {}
    pages_seen, unmapped = set(), set()
    for name, callback, arguments in all_patterns():
        if name.startswith("admin:"):
            continue  # the stock management site has its own templates, without our header
        allowed = getattr(callback, "allowed_roles", None)
        for key in ROLE_USERS:
            user = users[key]
            roles = access_for(user).roles
            if allowed is not None and not roles & allowed:
                continue
            client.force_login(user)
            response = client.get(sample_url(name, arguments, users))
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            body = response.content.decode()
            if "<html" not in body:
                continue  # an HTMX fragment, not a page
            pages_seen.add(name)
            if name in WITHOUT_SECTION:
                continue
            if name not in SCREEN_SECTION:
                unmapped.add(name)
                continue
            links = HELP_LINK.findall(body)
            assert links == [guide_url(name, roles)], f"{name} as {key}: {links}"
            path, anchor = links[0].split("#")
            role_page = path.strip("/").split("/")[-1]
            # The guide page of one of the user's roles is chosen whenever one holds the section.
            own = [r for r in pages_with(anchor) if r in roles]
            assert role_page == (own[0] if own else pages_with(anchor)[0]), f"{name} as {key} -> {role_page}"
            if path not in guide_pages:
                guide_pages[path] = client.get(path).content.decode()
            assert f'id="{anchor}"' in guide_pages[path], f"{path} lacks #{anchor}"
    assert not unmapped, f"pages without a guide section (map them in panduan/sections.py): {sorted(unmapped)}"
    # The walk really reached the app's pages, and the guide's pages have no link to themselves.
    assert {"home", "balita:index", "genting:donasi_create", "kasus:detail", "kelola:pengguna_list",
            "panduan:index", "panduan:peran"} <= pages_seen


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLE_PAGES))
def test_each_role_page_holds_its_sections_and_screenshots(client, users, role):
    client.force_login(users["outsider"])  # the guide has no personal data: any logged-in user reads it
    body = client.get(reverse("panduan:peran", args=[role])).content.decode()
    assert f"Panduan untuk {ROLE_PAGES[role].judul}" in body
    ids = re.findall(r'<section id="([^"]+)" class="panduan-bagian">', body)
    assert ids == list(ROLE_PAGES[role].bagian)
    for anchor in ids:
        bagian = SECTIONS[anchor]
        image = bagian.image_path(anchor)
        assert (f"/static/{image}" in body) == bagian.gambar, anchor
        if bagian.gambar:
            assert (STATIC / image).is_file(), f"missing screenshot {image} (make panduan-gambar)"
    assert 'data-cetak' in body  # printable


@pytest.mark.django_db
def test_the_index_lists_every_role_page_and_marks_the_users_own(client, users):
    client.force_login(users["wilayah"])
    body = client.get(reverse("panduan:index")).content.decode()
    for role, halaman in ROLE_PAGES.items():
        assert reverse("panduan:peran", args=[role]) in body and halaman.judul in body
    assert body.count('badge blue">peran Anda') == 1
    assert client.get(reverse("panduan:peran", args=["tidak-ada"])).status_code == 404


def test_the_help_link_prefers_the_users_own_role_page():
    assert guide_url("balita:index", {Role.WILAYAH}) == "/panduan/wilayah/#balita-register"
    assert guide_url("balita:index", {Role.ADMIN}) == "/panduan/operator/#balita-register"
    assert guide_url("konvergensi:indikator", {Role.OPD}) == "/panduan/opd/#konvergensi-indikator"
    assert guide_url("login", {Role.ADMIN}) is None
