"""The categories communities track under 分类动态管理; administrators may edit them."""

from django.db import migrations

# code, name, sensitivity (1 一般, 2 敏感, 3 高度敏感), review days, description
CATEGORIES = [
    ("elderly_alone", "独居老人", 1, 30, "每月至少探访一次"),
    ("elderly_empty_nest", "空巢老人", 1, 90, ""),
    ("elderly_80", "高龄老人", 1, 180, "80周岁以上"),
    ("disabled", "残疾人", 1, 180, "持残疾人证"),
    ("subsistence", "低保户", 2, 180, "最低生活保障对象"),
    ("extreme_poverty", "特困人员", 2, 180, "特困供养对象"),
    ("veteran", "退役军人", 1, 365, ""),
    ("left_behind_child", "留守儿童", 2, 90, ""),
    ("unemployed", "失业人员", 1, 90, "就业困难人员"),
    ("community_correction", "社区矫正对象", 3, 30, "仅限有权限人员查看"),
    ("mental_disorder", "严重精神障碍患者", 3, 30, "仅限有权限人员查看"),
    ("released_prisoner", "刑满释放人员", 3, 90, "安置帮教对象"),
    ("drug_user", "社区戒毒康复人员", 3, 30, "仅限有权限人员查看"),
]


def seed(apps, schema_editor):
    KeyPopulation = apps.get_model("people", "KeyPopulation")
    for order, (code, name, level, days, description) in enumerate(CATEGORIES):
        KeyPopulation.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "sensitivity": level,
                "review_days": days,
                "description": description,
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0003_key_populations_and_workers")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
