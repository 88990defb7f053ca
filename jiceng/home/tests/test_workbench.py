"""Every demo role logs in to a workbench that shows only its own scope."""

import pytest

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
    html = client_for(username).get("/").content.decode()
    assert "工作台" in html and label in html


def test_menus_follow_permissions(client_for):
    grid_worker = client_for("wangge").get("/").content.decode()
    assert "居民" in grid_worker and "审计日志" not in grid_worker
    department = client_for("bumen").get("/").content.decode()
    assert "辖区网格" in department and 'href="/people/residents/"' not in department
    admin = client_for("quadmin").get("/").content.decode()
    assert "审计日志" in admin


def test_counts_shrink_with_scope(client_for):
    from jiceng.home.workbench import summary_cards
    from jiceng.people.models import Resident

    def residents(username):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username=username)
        return next(c.value for c in summary_cards(user) if c.label == "居民")

    total = Resident.objects.count()
    assert residents("quadmin") == total
    assert 0 < residents("wangge") < residents("shuji") < residents("jiedao") < total


def test_workbench_queries_are_bounded(client_for, django_assert_max_num_queries):
    client = client_for("quadmin")
    with django_assert_max_num_queries(25):
        client.get("/")
