"""Smart dispatch: suggestions for a case from the district's own closed cases.

Every entry point asks suggest_for_case / suggest_for_point: the case page, the
API, the suggest_dispatch command and intake's auto-dispatch. The model in use is
the newest accepted DispatchModel; with fewer than INTELLIGENCE_MIN_CASES closed
cases (or no accepted model) suggestions come from the routing rules and category
keywords instead, and say so. Routing rules always decide the handler where one
applies: a suggestion shows what the rule says.
"""

import pickle
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from jiceng.cases.models import Case, Category, RoutingRule
from jiceng.cases.services import grid_at, route
from jiceng.cases.services.assignment import grid_of
from jiceng.cases.workflow import Status
from jiceng.core import audit
from jiceng.core.models import AuditAction, Department
from jiceng.places.models import Place, PlaceKind

from .. import corpus, learning
from ..models import DispatchCorrection, DispatchModel, StreetSetting

CORRECTION_WEIGHT = 3.0  # a dispatcher's correction teaches three times as much


def min_cases():
    return getattr(settings, "INTELLIGENCE_MIN_CASES", 100)


@dataclass
class Suggestion:
    category: Category
    department: Department | None
    grid: Place | None
    confidence: float
    by_rule: bool = False
    explanation: list = field(default_factory=list)

    def as_json(self):
        return {
            "category_code": self.category.code,
            "category_name": self.category.name,
            "department": self.department.name if self.department else None,
            "grid": self.grid.name if self.grid else None,
            "confidence": round(self.confidence, 3),
        }

    @property
    def handler_label(self):
        if self.department:
            return self.department.name
        return f"{self.grid.name}（网格）" if self.grid else "—"


@dataclass
class Suggestions:
    items: list
    source: str  # "model" or "rules"
    version: int | None = None
    similar: list = field(default_factory=list)  # (case, score)

    @property
    def source_label(self):
        if self.source == "model":
            return f"模型 v{self.version}"
        return "规则与关键词（已结案件不足，尚未启用模型）"


# --- the model in use -------------------------------------------------------

_loaded = {}


def current_model():
    """(DispatchModel row, learning.Model) of the newest accepted version."""
    row = (
        DispatchModel.objects.filter(accepted=True)
        .defer("blob")
        .order_by("-version")
        .first()
    )
    if row is None:
        return None, None
    if row.version not in _loaded:
        blob = DispatchModel.objects.values_list("blob", flat=True).get(pk=row.pk)
        _loaded.clear()
        _loaded[row.version] = pickle.loads(bytes(blob))  # noqa: S301 (our own rows)
    return row, _loaded[row.version]


def handler_label(department_id, grid_id, codes):
    if department_id:
        return codes.get(department_id)
    return learning.GRID_HANDLER if grid_id else None


def sample(text, *, grid=None, compound=None, channel="", at=None):
    at = timezone.localtime(at) if at else timezone.localtime()
    return {
        "text": text,
        "grid": grid.code if grid else "",
        "compound": compound.code if compound else "",
        "channel": channel,
        "hour": at.hour,
        "weekday": at.weekday(),
    }


def training_cases():
    """Closed cases (not merged) with what finally handled them, oldest first."""
    codes = dict(Department.objects.values_list("pk", "code"))
    grids = {}
    rows = (
        Case.objects.filter(status=Status.CLOSED, merged_into__isnull=True)
        .values_list(
            "pk",
            "description",
            "category__code",
            "department_id",
            "grid_id",
            "place__path",
            "place__code",
            "place__kind",
            "compound__code",
            "channel",
            "created_at",
        )
        .order_by("created_at", "pk")
    )
    grid_codes = dict(
        Place.objects.filter(kind=PlaceKind.GRID).values_list("path", "code")
    )
    corrected = set(DispatchCorrection.objects.values_list("case_id", flat=True))
    result = []
    for (
        pk,
        text,
        code,
        dept,
        grid,
        path,
        place_code,
        kind,
        compound,
        channel,
        at,
    ) in rows:
        handler = handler_label(dept, grid, codes)
        if handler is None:
            continue
        if kind == PlaceKind.GRID:
            grid_code = place_code
        else:
            grid_code = grids.get(path) or next(
                (c for p, c in grid_codes.items() if path.startswith(p)), ""
            )
            grids[path] = grid_code
        local = timezone.localtime(at)
        result.append(
            (
                pk,
                {
                    "text": text,
                    "grid": grid_code,
                    "compound": compound or "",
                    "channel": channel,
                    "hour": local.hour,
                    "weekday": local.weekday(),
                },
                code,
                handler,
                CORRECTION_WEIGHT if pk in corrected else 1.0,
            )
        )
    return result


# --- training ---------------------------------------------------------------


@transaction.atomic
def retrain(*, actor=None, seed=0):
    """Train a new version on the closed cases outside the held-out fifth; keep it
    only if it beats the version in use on the held-out cases."""
    rows = training_cases()
    if len(rows) < min_cases():
        return None
    train = [r for r in rows if not learning.held_out(r[0])]
    test = [r for r in rows if learning.held_out(r[0])]
    if len({r[2] for r in train}) < 2 or len({r[3] for r in train}) < 2 or not test:
        return None
    model = learning.train(
        [r[1] for r in train],
        [r[2] for r in train],
        [r[3] for r in train],
        weights=[r[4] for r in train],
        keys=[r[0] for r in train],
        seed=seed,
    )
    return _judge(model, len(train), test, actor=actor)


def _judge(model, trained_on, test, *, actor=None):
    args = ([r[1] for r in test], [r[2] for r in test], [r[3] for r in test])
    scores = learning.evaluate(model, *args)
    previous_row, previous = current_model()
    previous_score = learning.evaluate(previous, *args).overall if previous else None
    accepted = previous_score is None or scores.overall > previous_score
    last = DispatchModel.objects.select_for_update().order_by("-version").first()
    row = DispatchModel.objects.create(
        version=(last.version + 1) if last else 1,
        trained_on=trained_on,
        held_out=scores.cases,
        category_top1=scores.category_top1,
        category_top3=scores.category_top3,
        handler_top1=scores.handler_top1,
        handler_top3=scores.handler_top3,
        previous_score=previous_score,
        accepted=accepted,
        note=(
            "首个版本"
            if previous is None
            else f"优于 v{previous_row.version}，已采用"
            if accepted
            else f"未超过 v{previous_row.version}（{previous_score:.3f}），不予采用"
        ),
        blob=pickle.dumps(model) if accepted else b"",
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=row,
        changes={"accepted": accepted, "score": round(scores.overall, 4)},
    )
    return row


# --- suggestions ------------------------------------------------------------


def keywords():
    """Category code → words, for the cold start: names, their big class, slang."""
    result = {}
    for category in Category.objects.reportable():
        words = [category.name, *corpus.TOPICS.get(category.code, ([],))[0]]
        result[category.code] = [w for w in words if len(w) >= 2]
    return result


def _categories(codes):
    return {
        c.code: c
        for c in Category.objects.filter(code__in=codes).select_related("parent")
    }


def _target(category, place, handler, departments):
    """Department and grid for a category at a place: the routing rule when one
    applies, else the learned handler."""
    grid = grid_of(place) if place is not None else None
    if place is not None:
        rule = route(Case(category=category, place=place))
        if rule is not None and (rule.department or grid):
            return rule.department, None if rule.department else grid, True
    if handler == learning.GRID_HANDLER:
        return None, grid, False
    return departments.get(handler), None, False


def suggest(text, *, place=None, compound=None, channel="", at=None, explain=False):
    """Top-3 suggestions for a report (text, and where it lies when known)."""
    row, model = current_model()
    departments = {d.code: d for d in Department.objects.all()}
    if model is None:
        return _cold_start(text, place, departments)
    grid = grid_of(place) if place is not None else None
    features = sample(text, grid=grid, compound=compound, channel=channel, at=at)
    x = model._matrix([features])  # one transform for the scores, reasons, neighbours
    picks = model.suggest([features], x=x)[0]
    categories = _categories([p.category for p in picks])
    items = []
    for pick in picks:
        category = categories.get(pick.category)
        if category is None:
            continue
        department, to_grid, by_rule = _target(
            category, place, pick.handler, departments
        )
        items.append(
            Suggestion(
                category,
                department,
                to_grid,
                pick.confidence,
                by_rule,
                model.explain(features, pick.category, x=x) if explain else [],
            )
        )
    similar = []
    if explain:
        found = model.similar(features, x=x)
        cases = Case.objects.in_bulk([key for key, _score in found])
        similar = [(cases[k], score) for k, score in found if k in cases]
    return Suggestions(items, "model", row.version, similar)


def _cold_start(text, place, departments):
    scored = learning.keyword_scores(text, keywords())[:3]
    total = sum(s for s, _c in scored) or 1
    categories = _categories([c for _s, c in scored])
    items = []
    for score, code in scored:
        department, grid, by_rule = _target(categories[code], place, None, departments)
        # keywords never claim more than an even chance
        items.append(
            Suggestion(categories[code], department, grid, 0.5 * score / total, by_rule)
        )
    return Suggestions(items, "rules")


def suggest_for_case(case, *, explain=True):
    return suggest(
        case.description,
        place=case.place,
        compound=case.compound,
        channel=case.channel,
        at=case.created_at,
        explain=explain,
    )


def suggest_for_point(text, lat=None, lng=None):
    place = grid_at(lng, lat) if lat is not None and lng is not None else None
    return suggest(text, place=place)


# --- auto-dispatch and corrections (cases.extensions hooks) -----------------


def street_setting(place):
    street = (
        place.ancestor_of_kind(PlaceKind.STREET)
        if place.kind != PlaceKind.STREET
        else place
    )
    if street is None:
        return None
    return StreetSetting.objects.filter(street=street, auto_dispatch=True).first()


def auto_dispatch(case):
    """(department, grid, note) when the street allows it, a model is in use, its
    top category is the one reported and its confidence reaches the threshold."""
    setting = street_setting(case.place)
    if setting is None:
        return None
    found = suggest_for_case(case, explain=False)
    if found.source != "model" or not found.items:
        return None
    top = found.items[0]
    if top.category.pk != case.category_id or top.confidence < setting.threshold:
        return None
    if top.department is None and top.grid is None:
        return None
    note = (
        f"按智能派遣建议自动派往{top.handler_label}"
        f"（模型 v{found.version}，置信度 {top.confidence:.0%}）"
    )
    return top.department, top.grid, note


def record_correction(case, actor, step):
    """A dispatch that differs from the top suggestion teaches the next model."""
    found = suggest_for_case(case, explain=False)
    if found.source != "model" or not found.items:
        return None
    top = found.items[0]
    same = top.department == case.department and (
        top.department is not None or top.grid == case.grid
    )
    if same:
        return None
    chosen = case.department.name if case.department else f"{case.grid.name}（网格）"
    correction = DispatchCorrection.objects.create(
        case=case,
        place=case.place,
        suggested=top.handler_label[:100],
        chosen=chosen[:100],
        actor=actor,
    )
    audit.record(
        actor=actor,
        action=AuditAction.CREATE,
        target=correction,
        changes={"suggested": correction.suggested, "chosen": correction.chosen},
    )
    return correction


def save_setting(*, actor, street, auto_dispatch, threshold):
    from django.core.exceptions import ValidationError

    if not 0.5 <= threshold <= 0.99:
        raise ValidationError("阈值须在0.5到0.99之间", code="threshold")
    setting, _created = StreetSetting.objects.update_or_create(
        street=street, defaults={"auto_dispatch": auto_dispatch, "threshold": threshold}
    )
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE,
        target=setting,
        changes={"auto_dispatch": auto_dispatch, "threshold": threshold},
    )
    return setting


def rules_count():
    return RoutingRule.objects.count()
