"""Demo smart dispatch and 未诉先办: the first model version, trained on the demo's
closed cases, one street with auto-dispatch switched on (off by default), and one
detection run over the demo's cases. Uses no random numbers."""

from jiceng.intelligence.models import (
    DetectionRun,
    DispatchCorrection,
    DispatchModel,
    ProactiveTask,
    StreetSetting,
)
from jiceng.intelligence.services import dispatch, hotspots
from jiceng.places.models import Place, PlaceKind


def seed_intelligence(district, *, seed, log=print):
    if district is None or DispatchModel.objects.exists():
        return
    row = dispatch.retrain(seed=seed)
    street = Place.objects.filter(kind=PlaceKind.STREET).order_by("path").first()
    if street is not None:
        StreetSetting.objects.get_or_create(
            street=street, defaults={"auto_dispatch": False, "threshold": 0.9}
        )
    created, _extended = hotspots.detect()
    trained = (
        f"派遣模型 v{row.version}（类别首选准确率 {row.category_top1:.0%}）"
        if row
        else "已结案件不足，派遣建议使用规则与关键词"
    )
    log(f"智能派遣：{trained}；未诉先办发现 {created} 项")


def purge_intelligence():
    ProactiveTask.objects.all().delete()
    DispatchCorrection.objects.all().delete()
    StreetSetting.objects.all().delete()
    DispatchModel.objects.all().delete()
    DetectionRun.objects.all().delete()
