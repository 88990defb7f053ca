"""QR codes as inline SVG (no image file, no outside service)."""

import io

import qrcode
import qrcode.image.svg
from django.utils.safestring import mark_safe


def qr_svg(url, *, box_size=12):
    """The QR code of url as an <svg> element, safe to put in a template."""
    image = qrcode.make(
        url, image_factory=qrcode.image.svg.SvgPathImage, box_size=box_size
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return mark_safe(buffer.getvalue().decode())  # noqa: S308 (our own generated SVG)
