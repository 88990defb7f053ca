"""Named people for one-window services: shegong (the 全科受理 clerk of the first
community), shuji (its secretary), dangyuan (a resident of that community, on the
phone), wangge (its grid worker), jiedao (the first street), bumen (城市管理局),
jiedao2 (the second street), quadmin (the district)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from jiceng.core.models import Assignment
from jiceng.onewindow.models import ServiceItem


@pytest.fixture
def community(people):
    return Assignment.objects.get(user=people["shegong"]).place


@pytest.fixture
def item():
    """居住证明 is not enough: 最低生活保障申请 has four materials, handled by the street."""
    return ServiceItem.objects.get(code="YC002")


@pytest.fixture
def items():
    return {i.code: i for i in ServiceItem.objects.all()}


@pytest.fixture
def jpeg():
    def make(name="photo.jpg"):
        buffer = io.BytesIO()
        Image.new("RGB", (30, 20), "green").save(buffer, "JPEG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

    return make
