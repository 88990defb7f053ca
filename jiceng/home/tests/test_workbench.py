"""Every demo role logs in to a workbench that shows only its own scope."""

import pytest

from jiceng.home.workbench import summary_cards
from jiceng.people.models import Resident

pytestmark = pytest.mark.django_db

ROLES = {
    "quadmin": "区级管理员",
    "jiedao": "街道管理员",
    "shuji": "社区书记",
    "shegong": "社区工作者",
    "wangge": "网格员",
    "loudong": "楼栋长",
    "danwei": "单位党组织",
    "bumen": "职能部门",
    "wuye": "物业公司",
    "dangyuan": "党员",
}


@pytest.mark.parametrize("username,label", ROLES.items())
def test_each_role_has_a_workbench(client_for, username, label):
    response = client_for(username).get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "工作台" in html and label in html


def workbench_html(client_for, username):
    response = client_for(username).get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_menus_follow_permissions(client_for):
    grid_worker = workbench_html(client_for, "wangge")
    assert "居民" in grid_worker and "审计日志" not in grid_worker
    department = workbench_html(client_for, "bumen")
    assert "辖区网格" in department and 'href="/people/residents/"' not in department
    assert 'href="/cases/kpi/"' in department
    admin = workbench_html(client_for, "quadmin")
    assert "审计日志" in admin


def test_counts_shrink_with_scope(people):
    def residents(username):
        cards = summary_cards(people[username])
        return next(c.value for c in cards if c.label == "居民")

    total = Resident.objects.count()
    assert residents("quadmin") == total
    assert 0 < residents("wangge") < residents("shuji") < residents("jiedao") < total


def test_workbench_queries_are_bounded(client_for, django_assert_max_num_queries):
    client = client_for("quadmin")
    with django_assert_max_num_queries(25):
        assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_workbench_counts_no_check_of_ones_own_handling(people):
    # given the grid worker's checks (核查 is for someone other than the handler)
    from jiceng.cases.models import Case
    from jiceng.cases.workflow import Status
    from jiceng.home.workbench import case_cards

    wangge = people["wangge"]
    checks = {c.label: c.value for c in case_cards(wangge)}
    # then 待核查 leaves out the cases wangge handled
    assert checks["待核查"] == (
        Case.objects.visible_to(wangge, "verify")
        .filter(status=Status.HANDLED)
        .exclude(handler=wangge)
        .count()
    )
