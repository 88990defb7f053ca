"""Every profile users see — the demo included — answers 403, 404 and 500 with the
Chinese pages; Django's debug pages (with the URL map) only when a developer asks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from jiceng import urls as site_urls

ROOT = Path(__file__).resolve().parents[2]


def _debug_in(env_name, **extra):
    """DEBUG as the settings of a profile read it, in a fresh interpreter."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DJANGO_DEBUG", "JICENG_DEBUG")
    }
    env.update(JICENG_ENV=env_name, DJANGO_SETTINGS_MODULE="jiceng.settings", **extra)
    return subprocess.run(
        [sys.executable, "-c", "import jiceng.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def test_the_demo_profile_shows_no_debug_pages_unless_asked():
    assert _debug_in("demo") == "False"
    assert _debug_in("demo", JICENG_DEBUG="1") == "True"


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("boom")


urlpatterns = [
    path("forbidden/", _forbidden),
    path("broken/", _broken),
    *site_urls.urlpatterns,  # the pages' links (the base template) resolve
]


@pytest.mark.django_db
@override_settings(DEBUG=False, ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("url", "status", "words"),
    [
        ("/nowhere/", 404, "页面不存在"),
        ("/forbidden/", 403, "您没有执行此操作的权限"),
        ("/broken/", 500, "服务器处理请求时出错"),
    ],
)
def test_error_pages_are_chinese_without_the_url_map(url, status, words):
    client = Client(raise_request_exception=False)
    response = client.get(url)
    body = response.content.decode()
    assert response.status_code == status
    assert words in body and 'lang="zh' in body
    assert "URLconf" not in body and "Traceback" not in body


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_demo_account_meets_the_chinese_404(client_for):
    response = client_for("wangge").get("/cases/999999999/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
