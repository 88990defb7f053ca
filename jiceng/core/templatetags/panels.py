"""{% record_panels obj %}: the panels higher apps registered for obj's model."""

from django import template
from django.utils.safestring import mark_safe

from ..panels import render_record_panels

register = template.Library()


@register.simple_tag(takes_context=True)
def record_panels(context, record):
    request = context.get("request")
    if request is None:
        return ""
    return mark_safe("".join(render_record_panels(request, record)))  # noqa: S308
