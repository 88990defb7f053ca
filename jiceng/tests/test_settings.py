"""Settings read from the environment keep what the operator wrote."""

import json
import os
import subprocess
import sys

from django.conf import settings


def settings_under(database_url):
    """The database settings a fresh process builds from this DATABASE_URL."""
    script = (
        "import os, json; os.environ['DJANGO_SETTINGS_MODULE'] = 'jiceng.settings';"
        "from django.conf import settings;"
        "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    )
    found = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DATABASE_URL": database_url},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(found.stdout)


def test_a_postgres_url_keeps_its_own_options_beside_ours():
    options = settings_under(
        "postgres://u@db:5432/jiceng?options=-c%20search_path%3Ddistrict_a"
    )["options"]
    assert "-c search_path=district_a" in options
    assert "-c jit=off" in options
