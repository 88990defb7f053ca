"""共建协议 through each step of its lifecycle, with commitments counted once from
the lists that already record the work."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jiceng.alliances.models import (
    Agreement,
    AgreementStatus,
    CommitmentKind,
    Evaluation,
)
from jiceng.alliances.services import agreements as services
from jiceng.core.models import AuditEntry
from jiceng.volunteer.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(people, community, unit):
    today = timezone.localdate()
    return services.draft_agreement(
        actor=people["shuji"],
        place=community,
        unit=unit,
        title="测试共建协议",
        starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=355),
    )


def _sign(people, agreement):
    return services.sign_agreement(
        actor=people["shuji"],
        agreement=agreement,
        place_signatory="书记",
        unit_signatory="单位书记",
        signed_on=timezone.localdate(),
    )


def test_a_draft_without_commitments_cannot_be_signed(people, draft):
    with pytest.raises(ValidationError):
        _sign(people, draft)


def test_sign_then_perform_then_expire_and_evaluate(people, draft):
    commitment = services.add_commitment(
        actor=people["shuji"],
        agreement=draft,
        kind=CommitmentKind.SERVICE,
        title="义诊",
        quantity=Decimal(4),
    )
    signed = _sign(people, draft)
    # the term has begun: signing puts it in force at once
    assert signed.status == AgreementStatus.ACTIVE
    with pytest.raises(ValidationError):  # commitments are fixed once in force
        services.add_commitment(
            actor=people["shuji"],
            agreement=signed,
            kind=CommitmentKind.SERVICE,
            title="x",
            quantity=1,
        )
    with pytest.raises(ValidationError):  # not yet at its end
        services.expire_agreement(actor=people["shuji"], agreement=signed)
    services.record_done(actor=people["shuji"], commitment=commitment, quantity=2)
    expired = services.expire_agreement(
        actor=people["shuji"], agreement=signed, today=signed.ends_on
    )
    assert expired.status == AgreementStatus.EXPIRED
    commitment.refresh_from_db()
    assert services.suggested_evaluation(commitment) == Evaluation.PARTLY
    services.evaluate_commitment(
        actor=people["shuji"], commitment=commitment, evaluation=Evaluation.PARTLY
    )
    commitment.refresh_from_db()
    assert commitment.evaluation == Evaluation.PARTLY
    assert (
        AuditEntry.objects.filter(
            target_type="alliances.agreement", target_id=str(draft.pk)
        ).count()
        >= 3
    )


def test_a_future_term_is_signed_then_started(people, community, unit):
    today = timezone.localdate()
    agreement = services.draft_agreement(
        actor=people["shuji"],
        place=community,
        unit=unit,
        title="下一期",
        starts_on=today + timedelta(days=5),
        ends_on=today + timedelta(days=370),
    )
    services.add_commitment(
        actor=people["shuji"],
        agreement=agreement,
        kind=CommitmentKind.RESOURCE,
        title="场地",
        quantity=3,
    )
    assert _sign(people, agreement).status == AgreementStatus.SIGNED
    started = services.start_performance(actor=people["shuji"], agreement=agreement)
    assert started.status == AgreementStatus.ACTIVE


def test_renewal_copies_the_commitments_into_a_new_draft(people, draft):
    services.add_commitment(
        actor=people["shuji"],
        agreement=draft,
        kind=CommitmentKind.SERVICE,
        title="义诊",
        quantity=4,
    )
    _sign(people, draft)
    renewal = services.renew_agreement(
        actor=people["shuji"],
        agreement=draft,
        starts_on=draft.ends_on,
        ends_on=draft.ends_on + timedelta(days=365),
    )
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.RENEWED
    assert renewal.status == AgreementStatus.DRAFT and renewal.renewed_from == draft
    assert list(renewal.commitments.values_list("title", flat=True)) == ["义诊"]


def test_termination_needs_a_reason(people, draft):
    services.add_commitment(
        actor=people["shuji"],
        agreement=draft,
        kind=CommitmentKind.SERVICE,
        title="义诊",
        quantity=4,
    )
    _sign(people, draft)
    with pytest.raises(ValidationError):
        services.terminate_agreement(actor=people["shuji"], agreement=draft, reason="")
    ended = services.terminate_agreement(
        actor=people["shuji"], agreement=draft, reason="单位搬迁"
    )
    assert ended.status == AgreementStatus.TERMINATED


def test_a_commitment_linked_to_a_project_counts_the_projects_progress(
    people, draft, community
):
    project = Project.objects.filter(community=community).first()
    commitment = services.add_commitment(
        actor=people["shuji"],
        agreement=draft,
        kind=CommitmentKind.PROJECT,
        title="认领项目",
        quantity=1,
        project=project,
    )
    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.DONE)
    commitment.refresh_from_db()
    assert services.achieved(commitment) == 1
    with pytest.raises(ValidationError):  # counted from the project, not by hand
        services.record_done(actor=people["shuji"], commitment=commitment, quantity=1)


def test_the_demo_has_an_agreement_expiring_soon(client_for):
    assert Agreement.objects.expiring().count() >= 1
    response = client_for("shuji").get("/alliances/agreements/?expiring=true")
    assert response.status_code == 200
    assert response.context["expiring"]


def test_agreements_api_lists_items_and_count(api_for):
    body = api_for("danwei").get("/api/v1/agreements/").json()
    assert body["count"] == len(body["items"]) >= 1
    detail = api_for("danwei").get(f"/api/v1/agreements/{body['items'][0]['id']}")
    assert detail.status_code == 200 and "commitments" in detail.json()


def test_the_daily_command_expires_agreements_past_their_end(people, draft):
    from io import StringIO

    from django.core.management import call_command

    services.add_commitment(
        actor=people["shuji"],
        agreement=draft,
        kind=CommitmentKind.SERVICE,
        title="义诊",
        quantity=4,
    )
    _sign(people, draft)
    yesterday = timezone.localdate() - timedelta(days=1)
    Agreement.objects.filter(pk=draft.pk).update(
        starts_on=yesterday - timedelta(days=365), ends_on=yesterday
    )
    out = StringIO()
    call_command("expire_agreements", stdout=out)
    draft.refresh_from_db()
    assert draft.status == AgreementStatus.EXPIRED
    assert "已到期" in out.getvalue()
