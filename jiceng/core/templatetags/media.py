from django import template

from jiceng.core.media import signed_url as sign

register = template.Library()


@register.filter
def signed_url(file):
    """{{ photo.thumbnail|signed_url }}: a signed link to an uploaded file."""
    return sign(file)
