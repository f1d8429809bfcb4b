"""In real Chromium at 1366 px and on a phone (390 px): the "?" link is visible on a screen and
opens the guide at that screen's section, on the page of the user's own role; the menu leads to
the guide."""

import pytest

from tests.factories import PASSWORD


def login(page, url, username):
    page.context.clear_cookies()
    page.goto(url + "/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")


def in_viewport(page, selector):
    return page.evaluate(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return r.top >= 0 && r.top < window.innerHeight && r.left >= 0 && r.right <= window.innerWidth; }""",
        selector)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("width, height", [(1366, 900), (390, 844)])
def test_the_help_link_opens_the_screens_section(live_server, page, users, width, height):
    page.set_viewport_size({"width": width, "height": height})
    login(page, live_server.url, "u_puskesmas")
    for screen, anchor, heading in [("/balita/", "balita-register", "Register balita"),
                                    ("/kasus/tindak-lanjut/", "kasus-tindak-lanjut", "Tindak lanjut kasus gizi")]:
        page.goto(live_server.url + screen)
        assert heading in page.inner_text("h1")
        link = page.locator("a.bantuan")
        assert link.is_visible() and in_viewport(page, "a.bantuan"), f"{screen} at {width} px"
        link.click()
        page.wait_for_url(f"**/panduan/wilayah/#{anchor}")
        section = page.locator(f"#{anchor}")
        assert section.is_visible()
        assert page.evaluate("location.hash") == f"#{anchor}"
        assert in_viewport(page, f"#{anchor} h2"), f"#{anchor} not scrolled into view at {width} px"
        assert section.locator("h2").inner_text() in page.inner_text("nav.panduan-isi")
        assert "Panduan untuk Operator wilayah" in page.inner_text("h1")
    if width > 720:
        # Printed: the guide's text and pictures without the app's header, menu or print button.
        page.emulate_media(media="print")
        assert not page.locator("header.topbar").is_visible() and not page.locator("[data-cetak]").is_visible()
        assert page.locator("#balita-register img").is_visible() and page.locator("#masuk ol").is_visible()
        page.emulate_media(media="screen")
    # The menu's "Panduan" entry (behind ☰ Menu on a phone) opens the guide's index.
    if width < 720:
        page.click("label.nav-toggle-label")
    page.click("nav.mainnav >> text=Panduan")
    page.wait_for_url("**/panduan/")
    assert page.locator("a.tile:has-text('Operator wilayah') .badge").inner_text() == "peran Anda"
