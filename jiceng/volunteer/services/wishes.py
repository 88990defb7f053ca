"""微心愿: collect → review/publish → claim (one or split) → fulfil with a photo →
confirm by the beneficiary or the grid worker; stale claims are released."""

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from jiceng.cases import photos
from jiceng.core import audit
from jiceng.core.errors import check_version
from jiceng.core.models import AuditAction
from jiceng.core.scope import (
    can,
    grants_for,
    require_in_scope,
    require_permission,
    require_place_in_scope,
)
from jiceng.notices.models import NoticeKind
from jiceng.notices.services import notify
from jiceng.places.models import Place, PlaceKind

from ..errors import Code
from ..models import (
    ClaimStatus,
    Team,
    Wish,
    WishCampaign,
    WishClaim,
    WishEvent,
    WishStatus,
)
from ..models.wishes import MAX_CLAIM_DAYS, MAX_SHARES
from . import points as ledger
from .common import MANAGE, bad_state, can_at, public_name, volunteer_of


def _event(wish, action, text):
    WishEvent.objects.create(wish=wish, action=action, text=text[:200])


@transaction.atomic
def collect_wish(
    *,
    actor,
    place,
    title,
    category,
    alias,
    consent,
    story="",
    beneficiary=None,
    estimated_cost=0,
    shares=1,
    claim_days=14,
):
    """A grid worker or building lead records a resident's wish."""
    if not can_at(actor, place, "volunteer.collect", MANAGE):
        raise PermissionDenied("该地点不在您的征集范围内")
    if beneficiary is not None and not can(actor, beneficiary):
        raise PermissionDenied("心愿人不在您的服务范围内")
    if not title.strip():
        raise ValidationError({"title": "请填写心愿内容"})
    if not 1 <= int(shares) <= MAX_SHARES:
        raise ValidationError({"shares": f"可分份数为1至{MAX_SHARES}"})
    if claim_days and not 1 <= int(claim_days) <= MAX_CLAIM_DAYS:
        raise ValidationError({"claim_days": f"完成期限为1至{MAX_CLAIM_DAYS}天"})
    wish = Wish.objects.create(
        place=place,
        title=title.strip(),
        story=story.strip(),
        category=category,
        alias=alias.strip() or "居民",
        consent=bool(consent),
        beneficiary=beneficiary,
        estimated_cost=estimated_cost or 0,
        shares=shares,
        claim_days=claim_days or 14,
        collected_by=actor,
        campaign=campaign_for(place, timezone.localdate()),
    )
    _event(wish, "collect", "网格员入户征集心愿")
    audit.record(actor=actor, action=AuditAction.CREATE, target=wish)
    require_in_scope(wish, actor, "view")
    return wish


@transaction.atomic
def start_campaign(
    *,
    actor,
    community,
    year,
    collect_from,
    collect_until,
    fulfil_until,
    title="",
    hotline="",
    description="",
):
    """年度“微心愿”征集: a community's yearly campaign, with its collection period
    (at the start of the year), its fulfilment deadline and its 心愿热线."""
    require_place_in_scope(community, actor, MANAGE)
    if community.kind != PlaceKind.COMMUNITY:
        raise ValidationError({"community": "请选择社区"})
    if collect_from.year != int(year):
        raise ValidationError({"collect_from": "征集开始日期须在该年度内"})
    if collect_until < collect_from:
        raise ValidationError({"collect_until": "征集截止日期须不早于开始日期"})
    if fulfil_until < collect_until:
        raise ValidationError({"fulfil_until": "完成期限须不早于征集截止日期"})
    if WishCampaign.objects.filter(community=community, year=year).exists():
        raise ValidationError(
            {"year": f"{community.name}{year}年的微心愿征集已发起"},
            code=Code.DUPLICATE,
        )
    campaign = WishCampaign.objects.create(
        community=community,
        year=year,
        title=(title or "").strip() or f"{community.name}{year}年“微心愿”征集",
        collect_from=collect_from,
        collect_until=collect_until,
        fulfil_until=fulfil_until,
        hotline=(hotline or "").strip(),
        description=(description or "").strip(),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=campaign,
        changes={"year": int(year), "community": community.pk},
    )
    return campaign


def campaign_for(place, day):
    """The campaign of the place's community whose collection period holds day."""
    community = (
        place
        if place.kind == PlaceKind.COMMUNITY
        else Place.objects.filter(
            path__in=Place.lineage_paths(place.path), kind=PlaceKind.COMMUNITY
        ).first()
    )
    if community is None:
        return None
    return WishCampaign.objects.filter(
        community=community, collect_from__lte=day, collect_until__gte=day
    ).first()


def campaign_progress(campaign):
    """公开公示心愿完成进度: the campaign's wishes by stage (published ones only)."""
    wishes = Wish.objects.public().filter(campaign=campaign)
    total = wishes.count()
    done = wishes.filter(status=WishStatus.DONE).count()
    claimed = wishes.filter(
        status__in=(WishStatus.CLAIMED, WishStatus.FULFILLED)
    ).count()
    return {
        "total": total,
        "done": done,
        "claimed": claimed,
        "waiting": total - done - claimed,
        "percent": round(100 * done / total) if total else 0,
    }


@transaction.atomic
def review_wish(*, actor, wish, publish, note="", version=None):
    """The community publishes the wish on the wall, or declines it."""
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    check_version(wish, version)
    require_in_scope(wish, actor, "manage")
    if wish.status != WishStatus.COLLECTED:
        raise bad_state(f"心愿当前为“{wish.get_status_display()}”")
    if publish and not wish.consent:
        raise ValidationError(
            "心愿人未同意公开，不能发布到心愿墙", code=Code.NO_CONSENT
        )
    if not publish and not (note or "").strip():
        raise ValidationError({"note": "不通过时请填写原因"})
    wish.status = WishStatus.PUBLISHED if publish else WishStatus.REJECTED
    wish.reviewed_by = actor
    if publish:
        wish.published_at = timezone.now()
    wish.version += 1
    wish.save()
    _event(
        wish,
        "publish" if publish else "reject",
        "社区审核通过，发布到心愿墙" if publish else "审核未通过",
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=wish,
        changes={"status": wish.status},
    )
    require_in_scope(wish, actor, "manage")
    return wish


def unit_of(actor):
    """The unit the actor acts for (a unit_org grant), if any."""
    for grant in grants_for(actor):
        if grant.unit_id and grant.allows("volunteer.join"):
            from jiceng.people.models import Unit

            return Unit.objects.get(pk=grant.unit_id)
    return None


@transaction.atomic
def claim_wish(*, actor, wish, as_unit=False, team=None, now=None):
    """Claim a published wish (or one share of a split wish) as oneself, one's unit
    or a team one leads."""
    require_permission(actor, "volunteer.join")
    now = now or timezone.now()
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    if wish.status not in (WishStatus.PUBLISHED, WishStatus.CLAIMED):
        raise bad_state("该心愿当前不能认领")
    active = wish.claims.filter(status=ClaimStatus.ACTIVE)
    if (
        active.count() + wish.claims.filter(status=ClaimStatus.FULFILLED).count()
        >= wish.shares
    ):
        raise ValidationError("该心愿已被认领完", code=Code.FULL)
    claim = WishClaim(
        wish=wish, claimed_by=actor, due_at=now + timedelta(days=wish.claim_days)
    )
    if as_unit:
        unit = unit_of(actor)
        if unit is None:
            raise PermissionDenied("您不是单位党组织管理员")
        claim.unit, claim.claimant_name = unit, unit.name
        mine = active.filter(unit=unit)
    elif team is not None:
        volunteer = volunteer_of(actor)
        if team.leader_id != volunteer.pk:
            raise PermissionDenied("只有队长可以代表服务队认领")
        claim.team, claim.claimant_name = team, team.name
        mine = active.filter(team=team)
    else:
        volunteer = volunteer_of(actor)
        claim.volunteer, claim.claimant_name = volunteer, public_name(volunteer)
        mine = active.filter(volunteer=volunteer)
    if mine.exists():
        raise ValidationError("您已认领该心愿", code=Code.DUPLICATE)
    claim.save()
    if (
        active.count() + wish.claims.filter(status=ClaimStatus.FULFILLED).count()
        >= wish.shares
    ):
        wish.status = WishStatus.CLAIMED
    wish.version += 1
    wish.save()
    share = f"（{wish.shares}份之一）" if wish.shares > 1 else ""
    _event(wish, "claim", f"{claim.claimant_name}认领{share}")
    audit.record(actor=actor, action=AuditAction.CREATE, target=claim)
    require_in_scope(claim, actor, "view")
    _tell_wisher(wish, actor, "已被认领，认领人将尽快帮您实现", NoticeKind.WISH_CLAIMED)
    return claim


def _tell(users, message, url, kind, actor):
    transaction.on_commit(lambda: notify(users, message, url, kind=kind, exclude=actor))


def _tell_wisher(wish, actor, text, kind):
    """The resident the wish is for hears of it when they have an account; the link
    is the public wall page (their own wish as everyone sees it) when published."""
    if wish.beneficiary_id is None:
        return
    user = wish.beneficiary.user if wish.beneficiary.user_id else None
    if user is None:
        return
    url = reverse("volunteer:wall_detail", args=[wish.pk]) if wish.is_public else ""
    _tell([user], f"您的微心愿“{wish.title[:20]}”{text}", url, kind, actor)


def owns_claim(actor, claim):
    """Whether the claim is the actor's own or their unit's."""
    if claim.claimed_by_id == actor.pk:
        return True
    return bool(claim.unit_id) and any(
        g.unit_id == claim.unit_id for g in grants_for(actor)
    )


@transaction.atomic
def fulfil_claim(*, actor, claim, note, photo, now=None):
    """The claimant reports the wish done, with a photo as evidence."""
    now = now or timezone.now()
    if photo is None:
        raise ValidationError("请上传心愿实现的照片", code=Code.NO_EVIDENCE)
    # the photo is re-encoded before the rows are locked
    image, thumb = photos.prepare(photo)
    claim = WishClaim.objects.select_for_update().get(pk=claim.pk)
    wish = Wish.objects.select_for_update().get(pk=claim.wish_id)
    if not owns_claim(actor, claim):
        raise PermissionDenied("只能反馈本人或本单位认领的心愿")
    if claim.status != ClaimStatus.ACTIVE:
        raise bad_state(f"该认领当前为“{claim.get_status_display()}”")
    claim.photo.save(image.name, image, save=False)
    claim.thumbnail.save(thumb.name, thumb, save=False)
    claim.status, claim.fulfilled_at = ClaimStatus.FULFILLED, now
    claim.note = (note or "").strip()[:300]
    claim.save()
    fulfilled = wish.claims.filter(status=ClaimStatus.FULFILLED).count()
    if fulfilled >= wish.shares:
        wish.status = WishStatus.FULFILLED
    wish.version += 1
    wish.save()
    _event(wish, "fulfil", f"{claim.claimant_name}已完成，等待心愿人确认")
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=claim,
        changes={"status": "fulfilled"},
    )
    require_in_scope(claim, actor, "view")
    if wish.status == WishStatus.FULFILLED:
        _tell_wisher(
            wish, actor, "已完成，请确认心愿是否实现", NoticeKind.WISH_FULFILLED
        )
        _tell(
            [wish.collected_by],
            f"微心愿“{wish.title[:20]}”已完成，请回访心愿人并确认",
            wish.get_absolute_url(),
            NoticeKind.WISH_FULFILLED,
            actor,
        )
    return claim


@transaction.atomic
def confirm_wish(*, wish, actor=None, token=None, name="", feedback=""):
    """The beneficiary (through the confirmation link the grid worker shows them) or
    the grid worker confirms the wish came true; claimants earn points."""
    wish = Wish.objects.select_for_update().get(pk=wish.pk)
    if token is not None:
        if token != wish.confirm_token:
            raise PermissionDenied("确认链接无效")
        who = (name or "").strip() or wish.alias
    else:
        if not may_confirm(actor, wish):
            raise PermissionDenied("只有心愿人或所在网格员可以确认")
        who = str(actor)
    if wish.status != WishStatus.FULFILLED:
        raise bad_state("心愿尚未全部完成，暂不能确认")
    wish.status, wish.done_at = WishStatus.DONE, timezone.now()
    wish.confirmed_by_name = who[:50]
    wish.feedback = (feedback or "").strip()[:300]
    wish.version += 1
    wish.save()
    _event(
        wish, "confirm", "心愿人确认心愿已实现" if token else "网格员回访确认心愿已实现"
    )
    for claim in wish.claims.filter(
        status=ClaimStatus.FULFILLED, volunteer__isnull=False
    ).select_related("volunteer"):
        ledger.award_rule(
            volunteer=claim.volunteer, code="wish_done", reason=wish.title
        )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=wish,
        changes={"status": "done", "by": "beneficiary" if token else "staff"},
    )
    if token is None:
        require_in_scope(wish, actor, "view")
    return wish


def may_confirm(actor, wish):
    """Whether the actor may confirm a wish came true on the beneficiary's behalf:
    the grid worker who collects there, or the community."""
    return actor is not None and (
        can(actor, wish, "collect") or can(actor, wish, "manage")
    )


@transaction.atomic
def withdraw_claim(*, actor, claim):
    claim = WishClaim.objects.select_for_update().get(pk=claim.pk)
    if not owns_claim(actor, claim):
        raise PermissionDenied("只能放弃本人或本单位的认领")
    if claim.status != ClaimStatus.ACTIVE:
        raise bad_state("该认领已结束")
    _release(
        claim,
        ClaimStatus.WITHDRAWN,
        f"{claim.claimant_name}放弃认领，心愿重新开放",
        actor=actor,
    )
    require_in_scope(claim, actor, "view")
    return claim


def _release(claim, status, text, *, actor=None):
    """End an active claim and reopen its wish; actor None is the nightly sweep."""
    wish = Wish.objects.select_for_update().get(pk=claim.wish_id)
    claim.status = status
    claim.save(update_fields=["status"])
    if wish.status == WishStatus.CLAIMED:
        wish.status = WishStatus.PUBLISHED
        wish.version += 1
        wish.save()
    _event(wish, "release", text)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=claim,
        changes={"status": status, "wish_status": wish.status},
    )


def release_stale_claims(now=None) -> int:
    """Claims not fulfilled by their deadline go back to the wall (idempotent)."""
    now = now or timezone.now()
    released = 0
    for pk in WishClaim.objects.filter(
        status=ClaimStatus.ACTIVE, due_at__lt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            claim = WishClaim.objects.select_for_update().get(pk=pk)
            if claim.status != ClaimStatus.ACTIVE or claim.due_at >= now:
                continue
            _release(claim, ClaimStatus.RELEASED, "认领超期未完成，心愿重新开放认领")
            released += 1
    return released


def teams_led_by(actor):
    volunteer = volunteer_of(actor, create=False)
    if volunteer is None:
        return Team.objects.none()
    return Team.objects.filter(leader=volunteer, active=True)
