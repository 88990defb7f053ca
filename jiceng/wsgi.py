"""WSGI entry point (gunicorn jiceng.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
application = get_wsgi_application()

from jiceng.gc_tuning import freeze_loaded_site  # noqa: E402 (after Django is set up)

freeze_loaded_site()
