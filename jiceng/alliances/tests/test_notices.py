"""The booker hears whether the venue's manager approved their booking."""

import pytest

from jiceng.alliances.services import venues as services
from jiceng.notices.models import NoticeKind, Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("approve", "word"), [(True, "已通过"), (False, "未通过")])
def test_the_booker_hears_the_decision(
    people, room, at, approve, word, django_capture_on_commit_callbacks
):
    # given shuji's booking of danwei's room
    booking = services.book_venue(
        actor=people["shuji"], venue=room, starts_at=at(9), ends_at=at(11), purpose="a"
    )
    # when danwei decides
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_booking(
            actor=people["danwei"], booking=booking, approve=approve, note="按时使用"
        )
    # then shuji is told, with a link to the booking; danwei is not
    notes = Notification.objects.filter(
        kind=NoticeKind.BOOKING_DECIDED, url=booking.get_absolute_url()
    )
    [note] = notes.filter(user=people["shuji"])
    assert word in note.message and room.name in note.message
    assert note.url == booking.get_absolute_url()
    assert not notes.filter(user=people["danwei"]).exists()
