"""Figures as the dashboards print them."""

from django import template

register = template.Library()


@register.filter
def figure(value):
    """1234 → "1,234"; 98.5 → "98.5"; None → "—"."""
    if value is None or value == "":
        return "—"
    value = float(value)
    if value % 1:
        return f"{value:,.1f}"
    return f"{value:,.0f}"


@register.filter
def change(value):
    """The change against last month without its sign (the arrow shows it)."""
    if value is None:
        return "—"
    return figure(abs(value))
