"""Login, rate limiting, sessions and password change."""

from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD


def test_login_page_in_indonesian(client, db):
    page = client.get(reverse("login")).content.decode()
    assert "Kata sandi" in page and "Masuk" in page and "csrfmiddlewaretoken" in page


def test_wrong_password_then_right_password(client, users):
    bad = client.post(reverse("login"), {"username": "u_sekda", "password": "salah-sekali"})
    assert bad.status_code == 200 and "salah" in bad.content.decode()
    good = client.post(reverse("login"), {"username": "u_sekda", "password": PASSWORD})
    assert good.status_code == 302 and good["Location"] == reverse("home")


def test_login_is_rate_limited_after_five_failures(client, users):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "u_sekda", "password": "tebak-tebakan"})
    locked = client.post(reverse("login"), {"username": "u_sekda", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Terlalu banyak percobaan" in locked.content.decode()
    # Another user from the same address is not locked out.
    other = client.post(reverse("login"), {"username": "u_admin", "password": PASSWORD})
    assert other.status_code == 302


def test_sessions_expire(client, users):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    client.post(reverse("login"), {"username": "u_sekda", "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()


def test_password_change(client, users):
    client.post(reverse("login"), {"username": "u_sekda", "password": PASSWORD})
    weak = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert weak.status_code == 200  # rejected by the validators
    new = "kata-sandi-baru-yang-panjang"
    done = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert done.status_code == 302
    users["pimpinan"].refresh_from_db()
    assert users["pimpinan"].check_password(new)


def test_logout_needs_post_and_ends_the_session(client, users):
    client.post(reverse("login"), {"username": "u_sekda", "password": PASSWORD})
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_one_address_trying_many_usernames_is_refused(client, users, settings):
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    # One wrong attempt on each of many names never reaches the per-username limit …
    for i in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        response = client.post(reverse("login"), {"username": f"tebakan_{i}", "password": "salah"})
        assert response.status_code == 200
    # … but the address is refused now, even with a right password.
    locked = client.post(reverse("login"), {"username": "u_sekda", "password": PASSWORD})
    assert locked.status_code == 429 and "dari alamat jaringan ini" in locked.content.decode()
    # Another address still logs in.
    other = client.post(reverse("login"), {"username": "u_sekda", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
