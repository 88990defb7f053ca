"""Case photos: checked, re-encoded without EXIF (no reporter location leaks), thumbed."""

import io
import uuid

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import CaseError, field_error

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF", "MPO"}
LONG_EDGE = 2048
THUMB_EDGE = 320


def _bad(message):
    return field_error("photos", message, CaseError.PHOTO)


def prepare(upload):
    """Return (image, thumbnail) as JPEG files with no metadata; reject bad uploads."""
    name = getattr(upload, "name", "照片")
    if upload.size > MAX_BYTES:
        raise _bad(f"照片“{name}”超过10MB")
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            if probe.format not in ALLOWED_FORMATS:
                raise _bad(f"“{name}”不是支持的图片格式（JPEG/PNG/WEBP）")
            if probe.width * probe.height > MAX_PIXELS:
                raise _bad(f"照片“{name}”像素过大")
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as original:
            picture = ImageOps.exif_transpose(original).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        raise _bad(f"“{name}”不是有效的图片文件") from exc
    picture.thumbnail((LONG_EDGE, LONG_EDGE))
    thumb = picture.copy()
    thumb.thumbnail((THUMB_EDGE, THUMB_EDGE))
    return _jpeg(picture), _jpeg(thumb)


def _jpeg(picture):
    buffer = io.BytesIO()
    # A fresh image carries no EXIF unless given one: GPS and device data are gone.
    picture.save(buffer, "JPEG", quality=85, optimize=True)
    return ContentFile(buffer.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def attach(case, image, thumb, *, stage):
    from .models import CasePhoto

    photo = CasePhoto(case=case, stage=stage)
    photo.image.save(image.name, image, save=False)
    photo.thumbnail.save(thumb.name, thumb, save=False)
    photo.save()
    return photo
