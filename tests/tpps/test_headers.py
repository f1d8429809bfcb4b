"""Headers every response carries: a Content-Security-Policy with no inline or evaluated script,
and no-store for anything a logged-in user receives (pages, exports). In Chromium, with the
policy in force, the chart pages draw, the handlers that used to be inline work, and the browser
reports no violation."""

import datetime

import pytest
from django.urls import reverse

from laporan.models import SurveiPrevalensi
from tests.balita.conftest import make_anak, measure
from tests.factories import PASSWORD, kelurahan, make_user
from tests.laporan.helpers import random_city, refresh_figures
from tpps.middleware import CONTENT_SECURITY_POLICY
from tpps.roles import Role


@pytest.mark.django_db
def test_logged_in_responses_are_not_stored_and_carry_the_policy(client_for, users):
    client = client_for(users["operator"])
    for url in (reverse("home"), reverse("balita:index"), reverse("balita:anak_export")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    anonymous = client.__class__().get(reverse("login"))
    assert anonymous["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_chart_pages_and_former_inline_handlers_work_under_the_policy(live_server, page):
    make_user("operator_csp", (Role.OPERATOR, {}))
    random_city(seed=5, children=30)
    refresh_figures()
    child = make_anak("Betet", nama="Citra Lestari", tanggal_lahir=datetime.date(2024, 1, 10))
    measure(child, datetime.date(2025, 3, 1), berat=9.0, tinggi=74.0, cara_ukur="terlentang")
    survey = SurveiPrevalensi.objects.create(tahun=2021, sumber="Survei uji 2021", prevalensi="17.6")
    violations = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text else None)
    page.on("pageerror", lambda error: violations.append(str(error)))

    page.goto(live_server.url + "/masuk/")
    page.fill("#id_username", "operator_csp")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("h1:has-text('Selamat datang')")

    page.goto(live_server.url + reverse("laporan:index"))
    page.wait_for_selector("#dasbor .chart[data-drawn] .main-svg")
    page.goto(live_server.url + reverse("balita:anak_detail", args=[child.pk]))
    page.wait_for_selector("#grafik-tbu .main-svg")

    # <select data-kirim-otomatis> (was onchange="this.form.submit()") on the kelurahan page.
    page.goto(live_server.url + reverse("laporan:kelurahan", args=[kelurahan("Betet").pk]))
    page.wait_for_selector("#id_tahun")
    page.select_option("#id_tahun", "2024")
    page.wait_for_url("**tahun=2024**")

    # <form data-konfirmasi> (was onsubmit="return confirm(…)"): dismissing keeps the row.
    page.goto(live_server.url + reverse("laporan:survei"))
    page.once("dialog", lambda dialog: dialog.dismiss())
    delete = f"form[data-konfirmasi][action='{reverse('laporan:survei_hapus', args=[survey.pk])}'] button"
    page.click(delete)
    page.wait_for_timeout(300)
    assert SurveiPrevalensi.objects.filter(pk=survey.pk).exists()
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.click(delete)
    assert not SurveiPrevalensi.objects.filter(pk=survey.pk).exists()
    assert violations == []
