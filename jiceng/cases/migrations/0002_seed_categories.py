"""Categories after CJ/T 214 (数字化城市管理信息系统 部件和事件), editable by admins.

Codes: BJ = 部件 (components), SJ = 事件 (events); two digits for the big class,
four for the small class. Time limits: respond in working hours, handle and
verify in working days; emergencies respond within the hour.
"""

from django.db import migrations

# big class code, name, [(small code, name, respond hours, handle days)]
COMPONENTS = [
    (
        "01",
        "公用设施",
        [
            ("0101", "上水井盖", 2, 2),
            ("0102", "污水井盖", 2, 2),
            ("0103", "雨水井盖", 2, 2),
            ("0105", "电力井盖", 2, 2),
            ("0110", "消防栓", 2, 3),
            ("0117", "路灯", 4, 3),
        ],
    ),
    (
        "02",
        "道路交通",
        [
            ("0201", "交通信号灯", 2, 2),
            ("0202", "交通标志牌", 4, 5),
            ("0205", "道路护栏", 4, 5),
            ("0210", "公交站亭", 4, 5),
            ("0212", "停车设施", 4, 5),
        ],
    ),
    (
        "03",
        "市容环境",
        [
            ("0301", "公共厕所", 4, 3),
            ("0303", "垃圾箱", 4, 2),
            ("0307", "户外广告设施", 4, 5),
        ],
    ),
    (
        "04",
        "园林绿化",
        [("0401", "古树名木", 4, 3), ("0402", "行道树", 4, 5), ("0404", "绿地", 4, 5)],
    ),
    ("05", "房屋土地", [("0501", "宣传栏", 4, 5), ("0503", "房屋外立面", 4, 5)]),
    ("06", "其他设施", [("0601", "健身设施", 4, 5), ("0602", "充电设施", 4, 5)]),
]
EVENTS = [
    (
        "01",
        "市容环境",
        [
            ("0101", "私搭乱建", 4, 5),
            ("0102", "暴露垃圾", 2, 1),
            ("0103", "积存垃圾渣土", 2, 1),
            ("0105", "道路不洁", 2, 1),
            ("0107", "乱涂乱画", 4, 3),
        ],
    ),
    (
        "02",
        "宣传广告",
        [("0201", "非法小广告", 4, 2), ("0202", "违规张贴悬挂广告", 4, 3)],
    ),
    (
        "03",
        "施工管理",
        [
            ("0301", "施工扰民", 2, 2),
            ("0302", "工地扬尘", 2, 2),
            ("0303", "道路遗撒", 2, 1),
        ],
    ),
    (
        "04",
        "突发事件",
        [
            ("0401", "路面塌陷", 1, 1),
            ("0402", "自来水管破裂", 1, 1),
            ("0406", "燃气泄漏", 1, 1),
        ],
    ),
    (
        "05",
        "街面秩序",
        [
            ("0501", "无照经营游商", 2, 2),
            ("0502", "占道经营", 2, 2),
            ("0505", "机动车乱停放", 2, 1),
            ("0506", "非机动车乱停放", 2, 1),
        ],
    ),
    (
        "06",
        "其他事件",
        [
            ("0601", "噪声扰民", 2, 2),
            ("0602", "邻里纠纷", 4, 5),
            ("0603", "物业服务问题", 4, 5),
        ],
    ),
]


def seed(apps, schema_editor):
    Category = apps.get_model("cases", "Category")
    for prefix, kind, tree in (
        ("BJ", "component", COMPONENTS),
        ("SJ", "event", EVENTS),
    ):
        for big_code, big_name, smalls in tree:
            big, _ = Category.objects.get_or_create(
                code=f"{prefix}{big_code}", defaults={"type": kind, "name": big_name}
            )
            for code, name, hours, days in smalls:
                Category.objects.get_or_create(
                    code=f"{prefix}{code}",
                    defaults={
                        "type": kind,
                        "name": name,
                        "parent": big,
                        "respond_hours": hours,
                        "handle_days": days,
                    },
                )


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
