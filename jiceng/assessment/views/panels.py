"""What assessment adds to a place's page and to a resident's, unit's or party
organisation's own page: the honours awarded there."""

from django.urls import reverse

from jiceng.core.panels import register_record_panel
from jiceng.core.scope import has_permission
from jiceng.places.panels import register_panel

from ..models import Honour, HonourStatus


@register_panel("assessment/partials/place_honours.html", order=60)
def place_honours(user, place):
    honours = Honour.objects.visible_to(user).filter(
        place=place, status=HonourStatus.AWARDED
    )[:10]
    return {"honours": honours} if honours else None


def _record_honours(field):
    def context(user, record):
        honours = list(
            Honour.objects.visible_to(user).filter(
                status=HonourStatus.AWARDED, **{field: record}
            )[:10]
        )
        may_nominate = has_permission(user, "assessment.honours")
        if not honours and not may_nominate:
            return None
        return {
            "honours": honours,
            "nominate": f"{reverse('assessment:honour_new')}?{field}={record.pk}"
            if may_nominate
            else "",
        }

    return context


for _label, _field in (
    ("people.resident", "resident"),
    ("people.unit", "unit"),
    ("party.partyorg", "party_org"),
):
    register_record_panel(_label, "assessment/partials/record_honours.html", order=60)(
        _record_honours(_field)
    )
