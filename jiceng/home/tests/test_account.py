"""People look after their own account: password, API tokens and two-factor login;
each change is audited."""

import re

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from jiceng.conftest import DEMO_PASSWORD
from jiceng.core.models import ApiToken, AuditAction

pytestmark = pytest.mark.django_db


def test_people_change_their_own_password(client_for, people, audit_of):
    client = client_for("wangge")
    weak = client.post(
        "/account/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "abc",
            "new_password2": "abc",
        },
    )
    assert weak.status_code == 400 and "至少需要10位" in weak.content.decode()
    assert audit_of(people["wangge"], people["wangge"]) == []
    done = client.post(
        "/account/password/",
        {
            "old_password": DEMO_PASSWORD,
            "new_password1": "Grid2026worker",
            "new_password2": "Grid2026worker",
        },
    )
    assert done.status_code == 302
    people["wangge"].refresh_from_db()
    assert people["wangge"].check_password("Grid2026worker")
    assert audit_of(people["wangge"], people["wangge"]) == [{"password": "本人修改"}]
    assert client.get("/account/").status_code == 200  # still logged in


def test_a_token_is_shown_once_and_can_be_revoked(client_for, people, audit_of):
    # given a grid worker on their account page
    client = client_for("wangge")
    # when they create a token for a phone app
    created = client.post("/account/tokens/", {"name": "手机", "days": 30})
    # then the raw token is shown on the next page only, and it opens the API
    assert created.status_code == 302
    first, second = client.get("/account/"), client.get("/account/")
    assert first.status_code == second.status_code == 200
    raw = re.search(r'user-select-all">(jc_[^<]+)<', first.content.decode()).group(1)
    assert 'data-testid="new-token"' not in second.content.decode()
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/me").status_code == 200
    # when they revoke it
    token = ApiToken.objects.get(user=people["wangge"], name="手机")
    revoked = client.post(f"/account/tokens/{token.pk}/revoke/")
    # then the API refuses it, and both writes are audited
    assert revoked.status_code == 302
    assert api.get("/api/v1/me").status_code == 401
    assert audit_of(people["wangge"], people["wangge"], AuditAction.TOKEN) == [
        {"created": "手机", "prefix": token.prefix},
        {"revoked": "手机", "prefix": token.prefix},
    ]


def test_nobody_revokes_another_persons_token(client_for, people):
    client_for("wangge").post("/account/tokens/", {"name": "手机", "days": 30})
    token = ApiToken.objects.get(user=people["wangge"])
    response = client_for("shuji").post(f"/account/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert not token.revoked


def test_two_factor_enrolment_needs_a_valid_code(client_for, people, audit_of):
    # given a street administrator setting up an authenticator app
    client = client_for("jiedao")
    page = client.get("/account/totp/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    # when a wrong code is typed, nothing is enabled
    wrong = client.post("/account/totp/", {"token": "000000"})
    assert wrong.status_code == 200 and "不正确" in wrong.content.decode()
    assert audit_of(people["jiedao"], people["jiedao"]) == []
    # when the app's current code is typed
    device = TOTPDevice.objects.get(user=people["jiedao"])
    device.throttle_reset()  # django-otp slows retries after a failure; time has passed
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    response = client.post("/account/totp/", {"token": f"{totp.token():06d}"})
    # then two-factor login is on, and audited
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=people["jiedao"]).confirmed
    assert audit_of(people["jiedao"], people["jiedao"]) == [{"totp": "enabled"}]


def test_turning_two_factor_off_is_audited(client_for, people, audit_of):
    TOTPDevice.objects.create(user=people["jiedao"], name="验证器", confirmed=True)
    response = client_for("jiedao").post("/account/totp/disable/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=people["jiedao"]).exists()
    assert audit_of(people["jiedao"], people["jiedao"]) == [{"totp": "disabled"}]
