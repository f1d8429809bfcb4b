"""The management area in Chromium: from the menu to a user's page, a role added inline with
the keyboard (HTMX), no Content-Security-Policy violation on the way."""

import pytest

from tests.factories import PASSWORD, make_user
from tpps.models import User
from tpps.roles import Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_admin_adds_a_role_inline_with_the_keyboard(live_server, page):
    make_user("admin_kota", (Role.ADMIN, {}))
    make_user("bidan_betet")
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content-Security-Policy" in message.text else None)

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "admin_kota")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.click("nav.mainnav >> text=Pengelolaan")
    page.wait_for_selector("h1:has-text('Pengelolaan')")
    page.click(".subnav >> text=Pengguna")
    page.fill("#f-q", "bidan")
    page.wait_for_selector("#pengguna-rows a:has-text('bidan_betet')")
    page.click("#pengguna-rows a:has-text('bidan_betet')")
    page.wait_for_selector("text=Pengguna ini belum dapat membuka apa pun")

    page.focus("#id_penugasan-peran")
    page.select_option("#id_penugasan-peran", Role.WILAYAH)
    page.select_option("#id_penugasan-kelurahan", label="Betet")
    page.focus("#penugasan button.primary")
    page.keyboard.press("Enter")
    page.wait_for_selector("#penugasan td:has-text('Kelurahan Betet')")
    assert "<html" not in page.inner_html("#penugasan")
    assert User.objects.get(username="bidan_betet").penugasan.get().kelurahan.nama == "Betet"
    assert not violations, violations
