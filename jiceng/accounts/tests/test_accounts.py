"""Accounts for the people the platform serves: a community opens them from the
registry, one by one or in a batch, or by an invitation a person registers with on
the phone; the community approves; the person keeps their contact details right;
gig workers report through their own channel."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, override_settings
from openpyxl import load_workbook

from jiceng.accounts import services
from jiceng.accounts.models import (
    Invitation,
    MemberAccount,
    Registration,
    RegistrationStatus,
)
from jiceng.accounts.signals import SESSION_KEY
from jiceng.cases.models import Category, Channel
from jiceng.core.models import AuditEntry
from jiceng.core.roles import Role
from jiceng.core.scope import path_prefix
from jiceng.people.models import GigWorker, Resident
from jiceng.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def community_of(user):
    return user.assignments.get(active=True).place


def free_resident(community, n=0):
    return (
        Resident.objects.filter(
            path_prefix(community.path, "place__path"), user__isnull=True
        )
        .exclude(id_number_index=None)
        .exclude(pk__in=Registration.objects.values("resident_id"))
        .order_by("pk")[n]
    )


def audits(target_type, action=None):
    rows = AuditEntry.objects.filter(target_type=target_type)
    return rows.filter(action=action) if action else rows


def register(invitation, resident, username="xinzhuce", **overrides):
    data = {
        "code": invitation.code,
        "name": resident.name,
        "id_number": resident.id_number,
        "phone": "13912345678",
        "username": username,
        "password": "Xinmima2026ok",
        **overrides,
    }
    return services.register(**data)


@pytest.fixture
def invitation(people):
    shegong = people["shegong"]
    return services.create_invitation(
        actor=shegong, community=community_of(shegong), title="测试邀请"
    )


def test_a_community_worker_opens_a_residents_account_from_the_registry(
    people, client_for
):
    # given a resident of 社工's community without an account
    shegong = people["shegong"]
    resident = free_resident(community_of(shegong))
    client = client_for("shegong")
    page = client.get(f"/people/residents/{resident.pk}/")
    assert "开通账号" in page.content.decode()
    # when the worker opens it from the resident page
    response = client.post(
        f"/accounts/open/resident/{resident.pk}/", {"username": "kaitong1"}
    )
    # then the account exists, linked to the resident, with the member role
    assert response.status_code == 302
    user = get_user_model().objects.get(username="kaitong1")
    resident.refresh_from_db()
    assert resident.user == user
    assert user.assignments.filter(role=Role.MEMBER, active=True).exists()
    assert MemberAccount.objects.get(user=user).must_change_password
    # and the initial password is shown once
    listing = client.get("/accounts/")
    assert 'data-testid="new-password"' in listing.content.decode()
    assert 'data-testid="new-password"' not in client.get("/accounts/").content.decode()
    assert audits("core.user", "create").filter(target_id=str(user.pk)).exists()


def test_a_party_members_account_links_the_member_through_the_resident(
    people, client_for
):
    shegong = people["shegong"]
    from jiceng.party.models import PartyMember

    member = PartyMember.objects.filter(
        path_prefix(community_of(shegong).path, "resident__place__path"),
        resident__user__isnull=True,
    ).first()
    response = client_for("shegong").post(
        f"/accounts/open/member/{member.pk}/", {"username": "dangyuan-new"}
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(username="dangyuan-new")
    assert user.resident.party_member == member


def test_a_resident_outside_the_community_cannot_be_given_an_account(people):
    # given a resident of another street
    wangge2 = people["wangge2"]
    outside = free_resident(Place.objects.get_parent(community_of(wangge2)))
    # when 社工 tries, then it is refused and nothing is created
    with pytest.raises(PermissionDenied):
        services.open_account(actor=people["shegong"], resident=outside)
    outside.refresh_from_db()
    assert outside.user_id is None


def test_the_initial_password_must_be_changed_at_first_login(people):
    resident = free_resident(community_of(people["shegong"]))
    account, password = services.open_account(
        actor=people["shegong"], resident=resident, username="chudeng"
    )
    client = Client()
    response = client.post("/login/", {"username": "chudeng", "password": password})
    assert response.status_code == 302
    # every page leads to the password page first
    assert "/accounts/password/" in client.get("/volunteer/me/")["Location"]
    response = client.post(
        "/accounts/password/",
        {"new_password1": "Wodemima2026x", "new_password2": "Wodemima2026x"},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert not account.must_change_password
    assert SESSION_KEY not in client.session
    assert client.get("/accounts/me/").status_code == 200


def test_self_registration_waits_for_the_community_then_opens(people, invitation):
    # given a resident of the community scanning the invitation
    resident = free_resident(invitation.community)
    client = Client()
    url = invitation.get_register_url()
    assert client.get(url).status_code == 200
    # when they register with name, ID number, phone and password
    response = client.post(
        url,
        {
            "name": resident.name,
            "id_number": resident.id_number,
            "phone": "13912345678",
            "username": "saoma1",
            "password": "Xinmima2026ok",
            "password2": "Xinmima2026ok",
        },
    )
    # then it waits, the account cannot log in yet
    assert "待社区审核" in response.content.decode()
    registration = Registration.objects.get(username="saoma1")
    assert registration.status == RegistrationStatus.PENDING
    assert registration.resident == resident
    assert registration.phone_mask == "139****5678"
    assert not registration.user.is_active
    assert not logs_in("saoma1", "Xinmima2026ok")
    invitation.refresh_from_db()
    assert invitation.uses == 1
    # when the community approves it
    staff = client_for_user(people["shegong"])
    response = staff.post(
        f"/accounts/registrations/{registration.pk}/",
        {"decision": "approve", "version": registration.version},
    )
    assert response.status_code == 302
    # then the account opens, linked to the resident, and can log in
    resident.refresh_from_db()
    assert resident.user.username == "saoma1"
    assert logs_in("saoma1", "Xinmima2026ok")
    assert audits("accounts.registration", "update").filter(
        target_id=str(registration.pk)
    )


def logs_in(username, password):
    response = Client().post("/login/", {"username": username, "password": password})
    return response.status_code == 302


def client_for_user(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_refusal_needs_a_reason_and_removes_the_waiting_account(people, invitation):
    registration = register(invitation, free_resident(invitation.community))
    with pytest.raises(ValidationError):
        services.refuse_registration(
            actor=people["shegong"], registration=registration, reason=""
        )
    services.refuse_registration(
        actor=people["shegong"], registration=registration, reason="非本人手机号"
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REFUSED
    assert registration.reason == "非本人手机号"
    assert not get_user_model().objects.filter(username="xinzhuce").exists()


def test_an_approval_against_a_stale_version_is_a_conflict(people, invitation):
    registration = register(invitation, free_resident(invitation.community))
    with pytest.raises(ValidationError, match="已被他人更新"):
        services.approve_registration(
            actor=people["shegong"], registration=registration, version=7
        )


def test_a_name_and_id_not_in_the_registry_is_refused_and_counted(invitation):
    resident = free_resident(invitation.community)
    before = Registration.objects.count()
    with pytest.raises(ValidationError, match="未在本社区登记"):
        register(invitation, resident, name="查无此人")
    assert Registration.objects.count() == before
    assert audits("accounts.invitation", "login_failed").exists()


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_misses_lock_the_registration_like_the_login(invitation):
    resident = free_resident(invitation.community)
    for _ in range(3):
        with pytest.raises(ValidationError, match="未在本社区登记"):
            register(invitation, resident, name="查无此人")
    # even the right name is refused while locked
    with pytest.raises(ValidationError, match="次数过多"):
        register(invitation, resident)


def test_a_weak_password_is_refused_and_the_form_keeps_what_was_typed(invitation):
    resident = free_resident(invitation.community)
    before = Registration.objects.count()
    response = Client().post(
        invitation.get_register_url(),
        {
            "name": resident.name,
            "id_number": resident.id_number,
            "phone": "13912345678",
            "username": "ruomima",
            "password": "12345678",
            "password2": "12345678",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "密码" in body and resident.name in body
    assert Registration.objects.count() == before


def test_a_disabled_invitation_cannot_be_used(people, invitation):
    services.set_invitation_active(
        actor=people["shegong"], invitation=invitation, active=False
    )
    with pytest.raises(ValidationError, match="邀请码无效"):
        register(invitation, free_resident(invitation.community))
    assert audits("accounts.invitation", "update").exists()


def test_the_printable_invitation_shows_the_qr_code_of_its_register_page(
    people, client_for, invitation
):
    response = client_for("shegong").get(invitation.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and invitation.code in body
    assert f"http://testserver{invitation.get_register_url()}" in body


def test_a_community_only_sees_and_approves_its_own_registrations(
    people, client_for, invitation
):
    registration = register(invitation, free_resident(invitation.community))
    # another street's administrator does not see it and cannot approve it
    other = client_for("jiedao2")
    assert other.get(registration.get_absolute_url()).status_code == 404
    assert (
        registration.name not in other.get("/accounts/registrations/").content.decode()
    )
    with pytest.raises(Registration.DoesNotExist):
        Registration.objects.visible_to(people["jiedao2"], "manage").get(
            pk=registration.pk
        )
    with pytest.raises(PermissionDenied):
        services.approve_registration(
            actor=people["jiedao2"], registration=registration
        )
    # members, grid workers and units are refused the queue
    for username in ("dangyuan", "wangge", "danwei"):
        assert client_for(username).get("/accounts/registrations/").status_code == 403


def test_a_batch_opens_accounts_with_an_xlsx_of_initial_passwords(people, client_for):
    shegong = people["shegong"]
    community = community_of(shegong)
    grid = Place.objects.get_children(community).filter(kind=PlaceKind.GRID).first()
    client = client_for("shegong")
    # given the resident list filtered to a search that finds a few people
    resident = free_resident(grid)
    query = f"source=residents&place={grid.pk}&q={resident.name}"
    page = client.get(f"/accounts/batch/?{query}")
    assert page.status_code == 200
    count = page.context["count"]
    assert count >= 1
    # when the batch is opened with initial passwords
    response = client.post(f"/accounts/batch/?{query}", {"mode": "passwords"})
    # then an xlsx lists each with their login and initial password
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)][2:]
    assert len(rows) == count
    assert rows[0][0] == resident.name
    user = get_user_model().objects.get(username=rows[0][2])
    assert user.check_password(rows[0][3])
    assert user.member_account.must_change_password
    assert audits("accounts.batch").exists()


def test_a_batch_of_invitation_codes_gives_personal_codes(people):
    shegong = people["shegong"]
    residents = Resident.objects.filter(
        path_prefix(community_of(shegong).path, "place__path"), user__isnull=True
    ).order_by("pk")[:3]
    rows = services.open_accounts_in_batch(
        actor=shegong, residents=residents, with_codes=True
    )
    assert len(rows) == 3
    code = rows[0][3]
    invitation = Invitation.objects.get(code=code)
    assert invitation.resident == rows[0][0] and invitation.max_uses == 1
    # the code is the named person's only: someone else's ID does not match
    with pytest.raises(ValidationError):
        register(invitation, rows[1][0])


def test_a_resident_corrects_their_own_phone_which_stays_encrypted(people, client_for):
    dangyuan = people["dangyuan"]
    client = client_for("dangyuan")
    assert "/accounts/me/" in client.get("/account/").content.decode()
    assert client.get("/accounts/me/").status_code == 200
    response = client.post("/accounts/me/", {"phone": "13700001111"})
    assert response.status_code == 302
    resident = Resident.objects.get(user=dangyuan)
    assert resident.phone == "13700001111"
    assert resident.phone_mask == "137****1111"
    row = audits("people.resident", "update").filter(target_id=str(resident.pk)).get()
    assert row.changes["phone"] == ["***", "***"]
    assert "13700001111" not in str(row.changes)
    # a bad number is refused, keeping what was typed
    response = client.post("/accounts/me/", {"phone": "12345"})
    assert response.status_code == 400
    assert "12345" in response.content.decode()


def test_a_gig_worker_registers_and_reports_through_their_channel(people):
    # given a gig worker who reported to 社工's community
    shegong = people["shegong"]
    community = community_of(shegong)
    worker = GigWorker.objects.filter(community=community).first()
    if worker is None:
        worker = GigWorker.objects.create(
            name="骑手甲",
            id_number="110101199001011237",
            phone="13600001111",
            occupation="rider",
            community=community,
            reported_on="2026-01-01",
        )
    invitation = services.create_invitation(
        actor=shegong, community=community, audience="gig"
    )
    registration = services.register(
        code=invitation.code,
        name=worker.name,
        id_number=worker.id_number,
        phone="13600002222",
        username="qishou",
        password="Qishou2026pass",
    )
    services.approve_registration(actor=shegong, registration=registration)
    user = get_user_model().objects.get(username="qishou")
    assert user.member_account.gig_worker == worker
    # when they report a hazard on the H5 page
    client = client_for_user(user)
    assert client.get("/accounts/gig/").status_code == 200
    category = Category.objects.reportable().first()
    grid = Place.objects.get_children(community).filter(kind=PlaceKind.GRID).first()
    response = client.post(
        "/accounts/gig/",
        {
            "kind": "hazard",
            "category": category.pk,
            "description": "路口井盖松动，电动车经过有危险",
            "grid": grid.pk,
        },
    )
    assert response.status_code == 302
    # then it is a case of the 新就业群体 channel, counted in their record
    cases = services.service_record(worker)
    assert cases.count() == 1
    case = cases.get()
    assert case.channel == Channel.GIG and case.description.startswith("【安全隐患】")
    record = client_for_user(shegong).get(f"/accounts/workers/{worker.pk}/record/")
    assert record.status_code == 200
    assert case.number in record.content.decode()


def test_someone_without_a_gig_worker_record_has_no_gig_channel(client_for):
    assert client_for("dangyuan").get("/accounts/gig/").status_code == 403
