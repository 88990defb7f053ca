"""Login, lockout, two-factor, session and security headers."""

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiceng.conftest import DEMO_PASSWORD
from jiceng.core.models import AuditAction, AuditEntry

pytestmark = pytest.mark.django_db


def post_login(client, username, password, **extra):
    return client.post("/login/", {"username": username, "password": password, **extra})


def test_anonymous_visitors_are_sent_to_login():
    response = Client().get("/people/residents/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_a_grid_worker_logs_in_and_lands_on_the_workbench():
    client = Client()
    response = post_login(client, "wangge", DEMO_PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    html = client.get("/").content.decode()
    assert "工作台" in html and "网格员" in html
    assert AuditEntry.objects.filter(
        actor_name="wangge", action=AuditAction.LOGIN
    ).exists()


def test_wrong_password_shows_a_chinese_error_and_keeps_the_username():
    response = post_login(Client(), "wangge", "wrong-password-1")
    html = response.content.decode()
    assert "账号或密码错误" in html
    assert 'value="wangge"' in html


def test_five_failures_lock_the_account_even_for_the_right_password():
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "shegong", "wrong-password-1")
    response = post_login(client, "shegong", DEMO_PASSWORD)
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert AuditEntry.objects.filter(
        action=AuditAction.LOCKOUT, target_repr="shegong"
    ).exists()
    assert (
        AuditEntry.objects.filter(
            action=AuditAction.LOGIN_FAILED, actor_name="shegong"
        ).count()
        >= settings.AXES_FAILURE_LIMIT
    )
    # another account from the same office is not locked
    assert post_login(Client(), "shuji", DEMO_PASSWORD).status_code == 302


def test_a_user_with_two_factor_needs_the_current_code(people):
    user = people["quadmin"]
    device = TOTPDevice.objects.create(user=user, name="验证器", confirmed=True)
    response = post_login(Client(), "quadmin", DEMO_PASSWORD)
    assert "动态验证码错误" in response.content.decode()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = post_login(
        Client(), "quadmin", DEMO_PASSWORD, otp_token=f"{totp.token():06d}"
    )
    assert response.status_code == 302


def test_sessions_expire_after_idle_time_and_renew_on_activity():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from jiceng import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_weak_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["12345678901", "abcdefghijk", "short1"]:
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_pages_carry_security_headers(client_for):
    response = client_for("wangge").get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_logout_needs_post_with_csrf():
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        __import__("django.contrib.auth", fromlist=["get_user_model"])
        .get_user_model()
        .objects.get(username="wangge")
    )
    assert client.post("/logout/").status_code == 403
    assert client.get("/logout/").status_code == 405
