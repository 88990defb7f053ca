"""微心愿 lifecycle, consent, split claims and the release of stale claims."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jiceng.volunteer import services
from jiceng.volunteer.models import (
    ClaimStatus,
    EntryKind,
    PointsEntry,
    WishClaim,
    WishStatus,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def wish(people, grid):
    return services.collect_wish(
        actor=people["wangge"],
        place=grid,
        title="想要一台助听器",
        category="health",
        alias="张爷爷",
        consent=True,
        story="老人听力下降，希望能听清孙子说话",
    )


def test_wish_lifecycle_to_confirmation_with_points(wish, people, member, jpeg):
    # given a wish the grid worker collected, reviewed and published by the community
    assert wish.status == WishStatus.COLLECTED
    services.review_wish(actor=people["shuji"], wish=wish, publish=True, version=0)
    # when the member claims and fulfils it with a photo
    claim = services.claim_wish(actor=member, wish=wish)
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED
    with pytest.raises(ValidationError):
        services.fulfil_claim(actor=member, claim=claim, note="已送达", photo=None)
    services.fulfil_claim(actor=member, claim=claim, note="已送达", photo=jpeg())
    wish.refresh_from_db()
    assert wish.status == WishStatus.FULFILLED
    # then the beneficiary confirms through the link, and the claimant earns points
    with pytest.raises(PermissionDenied):
        services.confirm_wish(wish=wish, token="wrong")
    services.confirm_wish(wish=wish, token=wish.confirm_token, feedback="谢谢")
    wish.refresh_from_db()
    assert wish.status == WishStatus.DONE
    assert PointsEntry.objects.filter(
        volunteer=claim.volunteer, kind=EntryKind.EARN, rule="wish_done"
    ).exists()
    texts = list(wish.events.values_list("text", flat=True))
    assert texts[0] == "网格员入户征集心愿" and "确认" in texts[-1]
    # the public progress never names the member in full
    assert claim.volunteer.name not in " ".join(texts) or len(claim.volunteer.name) == 1


def test_wish_without_consent_is_not_published(people, grid):
    wish = services.collect_wish(
        actor=people["wangge"],
        place=grid,
        title="需要轮椅",
        category="health",
        alias="李奶奶",
        consent=False,
    )
    with pytest.raises(ValidationError) as exc:
        services.review_wish(actor=people["shuji"], wish=wish, publish=True)
    assert exc.value.code == "no_consent"


def test_grid_worker_cannot_collect_in_another_street(people, other_grid):
    with pytest.raises(PermissionDenied):
        services.collect_wish(
            actor=people["wangge"],
            place=other_grid,
            title="x",
            category="other",
            alias="y",
            consent=True,
        )


def test_split_wish_takes_one_claimant_per_share(wish, people, member, unit):
    wish.shares = 2
    wish.save()
    services.review_wish(actor=people["shuji"], wish=wish, publish=True)
    services.claim_wish(actor=member, wish=wish)
    wish.refresh_from_db()
    assert wish.status == WishStatus.PUBLISHED  # one share still open
    services.claim_wish(actor=people["danwei"], wish=wish, as_unit=True)
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED
    with pytest.raises(ValidationError) as full:
        services.claim_wish(actor=member, wish=wish)
    assert full.value.code == "full"


def test_stale_claims_are_released(wish, people, member):
    services.review_wish(actor=people["shuji"], wish=wish, publish=True)
    claim = services.claim_wish(actor=member, wish=wish)
    # nothing is released before the deadline
    assert not WishClaim.objects.filter(status="released", pk=claim.pk).exists()
    services.release_stale_claims()
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.ACTIVE
    # after the deadline the claim is released and the wish reopens, once
    later = claim.due_at + timedelta(minutes=1)
    assert services.release_stale_claims(later) >= 1
    assert services.release_stale_claims(later) == 0
    claim.refresh_from_db()
    wish.refresh_from_db()
    assert claim.status == ClaimStatus.RELEASED
    assert wish.status == WishStatus.PUBLISHED
    assert "超期" in wish.events.last().text


def test_release_command_and_task(wish, people, member):
    from django.core.management import call_command

    services.review_wish(actor=people["shuji"], wish=wish, publish=True)
    claim = services.claim_wish(actor=member, wish=wish)
    type(claim).objects.filter(pk=claim.pk).update(
        due_at=timezone.now() - timedelta(days=1)
    )
    call_command("release_stale_wishes", verbosity=0)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.RELEASED
    from jiceng.volunteer.tasks import release_stale_claims_task

    assert release_stale_claims_task.call() == 0
