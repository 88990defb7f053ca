"""Links only where the reader may follow them: the template side of core.scope.

{% load access %}
{% if member.resident|may_open:user %}<a href="…">居民档案</a>{% endif %}
{% if user|holds:"volunteer.view" %}…{% endif %}
{% if "workforce:step_ups"|opens_for:user %}<a href="{% url 'workforce:step_ups' %}">…{% endif %}
"""

from django import template
from django.urls import reverse

from jiceng.core.scope import can, has_permission, page_opens_for

register = template.Library()


@register.filter
def may_open(obj, user) -> bool:
    """Whether user may open obj's page: its model's Scope (the same answer as the
    page's get_visible_or_404); a model without a Scope has no scoped page."""
    if obj is None or getattr(obj, "pk", None) is None:
        return False
    if not hasattr(type(obj)._default_manager, "visible_to"):
        return getattr(user, "is_authenticated", False)
    return can(user, obj, "view")


@register.filter
def holds(user, permission: str) -> bool:
    """Whether user holds the permission anywhere (may open its pages at all)."""
    return has_permission(user, permission)


@register.filter
def opens_for(url_name: str, user) -> bool:
    """Whether user may open the page named url_name (no arguments): the permissions
    its view's @permission_required records, as the menu reads them."""
    return page_opens_for(user, reverse(url_name))
