"""WSGI entry point (gunicorn jiceng.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiceng.settings")
application = get_wsgi_application()

# What loading made (modules, models, URL patterns: ~400k objects) lives as long as
# the process. Moved out of the collector's sight, it is no longer walked by each
# full collection: those paused a request 150–230 ms, now ~40 ms (docs/performance.md
# §6, "进程停顿"). Under gunicorn --preload this also runs before the fork.
get_resolver().url_patterns  # noqa: B018 (import every app's views now, not on a request)
gc.collect()
gc.freeze()
