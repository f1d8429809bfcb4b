"""A real user logs in through Chromium, sees the home page, and logs out."""

import pytest

from tests.factories import PASSWORD, make_user
from tpps.roles import Role


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_login_home_logout(live_server, page):
    make_user("endang", (Role.WILAYAH, {"puskesmas": "Pesantren I"}))

    page.goto(live_server.url + "/")
    assert "/masuk/" in page.url  # anonymous visitors are sent to the login page

    page.fill("#id_username", "endang")
    page.fill("#id_password", "salah")
    page.keyboard.press("Enter")
    page.wait_for_selector(".msg-error")
    assert "salah" in page.inner_text(".msg-error")

    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")
    body = page.inner_text("main")
    assert "Operator wilayah" in body and "Puskesmas Pesantren I" in body
    assert page.locator("nav.mainnav a", has_text="Balita").count() == 1

    page.click("text=Keluar")
    page.wait_for_url("**/masuk/")
    page.goto(live_server.url + "/")
    assert "/masuk/" in page.url


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reference_data_is_restored_after_a_browser_test():
    # The browser test above flushed the database with Playwright's event loop running; the
    # areas of the data migrations must be back for the next transactional test (conftest.py).
    from tpps.models import Kelurahan, Opd

    assert Kelurahan.objects.count() == 46
    assert Opd.objects.exists()
