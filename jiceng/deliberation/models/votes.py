"""Votes on a topic: the electorate fixed when the vote opens, one participation
per elector (the database refuses a second, however the requests race), and the
ballots — without the voter's identity when the ballot is secret.

Participation says who voted; Ballot says what was chosen. For a secret ballot the
two are written in one transaction but never linked: a ballot carries only its
choice, its area weight and a random receipt code, which the voter keeps and the
public result page lists, so anyone can recount and each voter can find their own
ballot without anyone else learning it.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..rules import Rule


class VoteUnit(models.TextChoices):
    HOUSEHOLD = "household", _("一户一票")
    PERSON = "person", _("一人一票")


class Channel(models.TextChoices):
    PHONE = "phone", _("手机投票")
    MEETING = "meeting", _("会上登记")


class PollStatus(models.TextChoices):
    OPEN = "open", _("投票中")
    CLOSED = "closed", _("已结束")


class Poll(models.Model):
    topic = models.OneToOneField(
        "Topic", on_delete=models.CASCADE, related_name="poll", verbose_name=_("议题")
    )
    meeting = models.ForeignKey(
        "Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="polls",
        verbose_name=_("会议"),
    )
    unit = models.CharField(_("计票单位"), max_length=10, choices=VoteUnit.choices)
    rule = models.CharField(_("表决规则"), max_length=16, choices=Rule.choices)
    # Participation needed for simple / two-thirds votes (业主大会 rules fix their own).
    quorum_numerator = models.PositiveSmallIntegerField(default=1)
    quorum_denominator = models.PositiveSmallIntegerField(default=2)
    quorum_strict = models.BooleanField(default=True)
    secret = models.BooleanField(_("无记名投票"), default=True)
    choices = models.JSONField(_("选项"))
    opens_at = models.DateTimeField(_("开始时间"))
    closes_at = models.DateTimeField(_("截止时间"))
    status = models.CharField(
        _("状态"), max_length=8, choices=PollStatus.choices, default=PollStatus.OPEN
    )
    electorate = models.PositiveIntegerField(_("应参加户（人）数"), default=0)
    electorate_area = models.DecimalField(
        _("应参加面积"), max_digits=14, decimal_places=2, default=Decimal(0)
    )
    result = models.JSONField(_("结果"), null=True, blank=True)
    passed = models.BooleanField(null=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")

    def __str__(self):
        return f"{self.topic} 表决"


class Elector(models.Model):
    """One household (or person) entitled to vote, fixed when the vote opens."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="electors")
    household = models.ForeignKey(
        "people.Household",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    resident = models.ForeignKey(
        "people.Resident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    area = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "household"], name="delib_elector_household_once"
            ),
            models.UniqueConstraint(
                fields=["poll", "resident"], name="delib_elector_resident_once"
            ),
        ]

    def __str__(self):
        return f"{self.poll_id}:{self.household_id or self.resident_id}"


class Participation(models.Model):
    """That an elector voted (not how): at most one per elector, by constraint."""

    poll = models.ForeignKey(
        Poll, on_delete=models.CASCADE, related_name="participations"
    )
    elector = models.ForeignKey(Elector, on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["poll", "elector"], name="delib_vote_once_per_elector"
            )
        ]

    def __str__(self):
        return f"{self.poll_id}:{self.elector_id}"


class Ballot(models.Model):
    """What was chosen; linked to its elector only when the ballot is open.

    A random key rather than a counter, so that a secret ballot's row cannot be
    matched to the participation written beside it by their order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(max_length=20)
    area = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))
    receipt = models.CharField(max_length=16, unique=True)
    elector = models.OneToOneField(
        Elector, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        # Covers the tally: one index-only GROUP BY, no visit to the table rows.
        indexes = [models.Index(fields=["poll", "choice", "area"])]

    def __str__(self):
        return self.receipt
