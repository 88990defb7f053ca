"""Uploaded files (case photos, wish evidence) reach browsers only through signed links.

A page that may show a file signs its name when it renders; the link opens that
one file for LINK_DAYS and nothing else. Nothing under MEDIA_ROOT is served
directly, so encrypted import uploads and other people's photos stay private.
"""

import mimetypes

from django.core import signing
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.urls import reverse

SALT = "jiceng.media"
LINK_DAYS = 30
SERVED_FOLDERS = ("cases/", "volunteer/", "alliances/", "onewindow/", "party/")


def signed_url(file):
    """The link to an uploaded file (a FieldFile or a storage name); "" when empty."""
    name = getattr(file, "name", file) or ""
    if not name:
        return ""
    token = signing.TimestampSigner(salt=SALT).sign_object(name)
    return reverse("core:media", args=[token])


def serve(request, token):
    try:
        name = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=LINK_DAYS * 86400
        )
    except signing.BadSignature as exc:  # also covers expired links
        raise Http404 from exc
    if not isinstance(name, str) or not name.startswith(SERVED_FOLDERS):
        raise Http404
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Cache-Control"] = "private, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
