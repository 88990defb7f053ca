"""矛盾纠纷排查化解: the mediation ledger (disputes, parties, sessions, agreement
or referral) and the periodic 排查 rounds per grid.

琐事不出网格、小事不出社区、大事不出街道: each dispute is taken up at a level and
may be passed up; the level where it was resolved is what the rates count.
Only mediators and the community (and the street and district above it) see
these records: a building lead, a property company or a resident do not, unless
they are the dispute's mediator.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jiceng.core.roles import Role
from jiceng.core.scope import Scope, ScopedQuerySet
from jiceng.places.models import Place

MEDIATION_ROLES = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.STREET_ADMIN,
        Role.COMMUNITY_SECRETARY,
        Role.COMMUNITY_STAFF,
        Role.GRID_WORKER,
    }
)


def mediation_grants_only(grant):
    """Only the community's side and the grid workers open mediation records."""
    return Q() if grant.role in MEDIATION_ROLES else None


class DisputeKind(models.TextChoices):
    NEIGHBOUR = "neighbour", _("邻里纠纷")
    PROPERTY = "property", _("物业纠纷")
    FAMILY = "family", _("婚姻家庭纠纷")
    LABOUR = "labour", _("劳动纠纷")
    LAND = "land", _("房屋土地纠纷")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    GRID = "grid", _("网格")
    COMMUNITY = "community", _("社区")
    STREET = "street", _("街道")


LEVEL_ORDER = [Level.GRID, Level.COMMUNITY, Level.STREET]


class MediatorKind(models.TextChoices):
    MEDIATOR = "mediator", _("人民调解员")
    GRID_WORKER = "grid_worker", _("网格员")
    POLICE = "police", _("社区民警")
    STAFF = "staff", _("社区干部")
    STREET = "street", _("街道综治中心")


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("调解中")
    AGREED = "agreed", _("调解成功")
    REFERRED = "referred", _("已移交")
    FAILED = "failed", _("调解不成")


class ReferredTo(models.TextChoices):
    JUSTICE = "justice", _("司法所")
    POLICE = "police", _("派出所")
    COURT = "court", _("人民法院")
    ARBITRATION = "arbitration", _("劳动仲裁")
    DEPARTMENT = "department", _("职能部门")


class ScreeningRound(models.Model):
    """One 排查 round of a grid: who went, when, how many households were visited."""

    grid = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("网格")
    )
    period_start = models.DateField(_("排查开始"))
    period_end = models.DateField(_("排查结束"))
    households_visited = models.PositiveIntegerField(_("走访户数"), default=0)
    note = models.TextField(_("排查情况"), blank=True, max_length=2000)
    conducted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    scope = Scope(place="grid", refine=mediation_grants_only)
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-period_end", "-pk"]
        verbose_name = _("矛盾纠纷排查")
        verbose_name_plural = _("矛盾纠纷排查")

    def __str__(self):
        return f"{self.grid} {self.period_start:%Y-%m-%d}～{self.period_end:%m-%d}"


class Dispute(models.Model):
    number = models.CharField(_("编号"), max_length=20, unique=True)
    community = models.ForeignKey(
        Place, on_delete=models.PROTECT, related_name="+", verbose_name=_("社区")
    )
    place = models.ForeignKey(
        Place,
        on_delete=models.PROTECT,
        related_name="disputes",
        verbose_name=_("发生地（网格）"),
    )
    kind = models.CharField(_("纠纷类型"), max_length=12, choices=DisputeKind.choices)
    summary = models.TextField(_("纠纷概况"), max_length=2000)
    screening = models.ForeignKey(
        ScreeningRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="disputes",
        verbose_name=_("排查发现"),
    )
    level = models.CharField(
        _("当前层级"), max_length=10, choices=Level.choices, default=Level.GRID
    )
    mediator_kind = models.CharField(
        _("调解人类型"), max_length=12, choices=MediatorKind.choices
    )
    mediator_name = models.CharField(_("调解人"), max_length=50)
    mediator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("调解人账号"),
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=DisputeStatus.choices,
        default=DisputeStatus.OPEN,
    )
    agreement = models.TextField(_("调解协议"), blank=True)
    referred_to = models.CharField(
        _("移交至"), max_length=12, choices=ReferredTo.choices, blank=True
    )
    resolved_level = models.CharField(
        _("化解层级"), max_length=10, choices=Level.choices, blank=True
    )
    reported_on = models.DateField(_("受理日期"))
    closed_on = models.DateField(_("结案日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    scope = Scope(
        place="place",
        refine=mediation_grants_only,
        self_field="mediator_user",
        owner_roles=frozenset(Role.values),
    )
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_on", "-pk"]
        verbose_name = _("矛盾纠纷")
        verbose_name_plural = _("矛盾纠纷")
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self):
        return f"{self.number} {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("deliberation:dispute_detail", args=[self.pk])


class Party(models.Model):
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="parties"
    )
    name = models.CharField(_("当事人"), max_length=50)
    role = models.CharField(_("身份"), max_length=20, default="当事人")
    address = models.CharField(_("住址"), max_length=100, blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name


class MediationSession(models.Model):
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("调解日期"))
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    mediator_name = models.CharField(_("调解人"), max_length=50)
    notes = models.TextField(_("调解经过"), max_length=2000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self):
        return f"{self.dispute_id} {self.held_on}"
