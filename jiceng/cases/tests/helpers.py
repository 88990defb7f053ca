"""Building blocks for the case tests: a photo with GPS EXIF, report, one step."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiceng.cases import services


def photo(name="灯.jpg", gps=True):
    image = Image.new("RGB", (64, 48), "red")
    buffer = io.BytesIO()
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (28.0, 52.0, 12.0)}  # GPSInfo
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def report(people, grid, category, **extra):
    return services.report_case(
        actor=people["wangge"],
        category=category,
        description="路灯不亮，晚上很黑",
        place=grid,
        **extra,
    )


def step(actor, case, name, **data):
    """Take a step by its name, as the step form and the API do."""
    case.refresh_from_db()
    return services.take_step(
        name, actor=actor, case=case, version=case.version, **data
    )


def work_through(people, case, grid, *, rating=None):
    """The usual loop in wangge's grid: the street accepts and dispatches to the grid,
    the worker handles and verifies, the street closes; the reporter may rate."""
    for name, actor, data in [
        ("accept", "jiedao", {}),
        ("dispatch", "jiedao", {"grid": grid}),
        ("handle", "wangge", {"note": "已处理"}),
        ("verify", "shuji", {}),
        ("close", "jiedao", {}),
    ]:
        step(people[actor], case, name, **data)
    if rating:
        case.refresh_from_db()
        services.rate_case(case=case, rating=rating)
    return case
