"""Settings for the test suite: the test profile, fast password hashing."""

import os

os.environ.setdefault("JICENG_ENV", "test")

from jiceng.settings import *  # noqa: F403

# Argon2 stays the production hasher; tests create many users and need speed.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
]

# Uploaded files go to a throwaway folder per test run.
import tempfile  # noqa: E402

MEDIA_ROOT = tempfile.mkdtemp(prefix="jiceng-test-media-")
