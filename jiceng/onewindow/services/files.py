"""Uploaded materials: photos are checked and re-encoded as case photos are (no
EXIF); PDFs are checked by their signature; anything else is refused."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from jiceng.cases import photos

from ..errors import Code

MAX_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"


def prepare(upload):
    """Return (file, content type) ready to store; raise on a bad upload."""
    name = getattr(upload, "name", "文件") or "文件"
    size = getattr(upload, "size", 0) or 0
    if size > MAX_BYTES:
        raise ValidationError(f"“{name}”超过10MB", code=Code.FILE)
    if size == 0:
        raise ValidationError(f"“{name}”是空文件", code=Code.FILE)
    upload.seek(0)
    head = upload.read(len(PDF_MAGIC))
    upload.seek(0)
    if head == PDF_MAGIC:
        data = upload.read()
        return ContentFile(data, name="material.pdf"), "application/pdf"
    try:
        image, _thumb = photos.prepare(upload)
    except ValidationError as exc:
        raise ValidationError(
            f"“{name}”须为图片（JPEG/PNG/WEBP）或PDF文件，且不超过10MB",
            code=Code.FILE,
        ) from exc
    return image, "image/jpeg"
