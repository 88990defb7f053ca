"""Template tags behind the shared phone-ready list (includes/filter_form.html).

A list page includes the filter form and marks its table ``list-cards`` (see app.css):
on a phone the form folds behind a 筛选 button that counts the active filters, and each
row becomes a card.
"""

from django import forms, template

register = template.Library()

BLANK = "---------"
ALL = "全部"


@register.simple_tag
def filter_panel(form):
    """Split the filter form into its search box (always in view) and the filters
    behind 筛选, count the filters in use, and make blanks read 全部.

    The search box is the field named q (or any type=search input). A filter form's
    empty choice means "any", so Django's ``---------`` and a yes/no
    filter's 未知 both read 全部 here, for every filter form of every app.
    """
    search, others, active = [], [], 0
    for field in form.visible_fields():
        _label_blank_as_all(field.field)
        if (
            field.name == "q"
            or getattr(field.field.widget, "input_type", "") == "search"
        ):
            search.append(field)  # stays in view on a phone, not counted
            continue
        others.append(field)
        if field.value() not in (None, "", [], (), False, "unknown"):
            active += 1
    return {
        "search": search,
        "others": others,
        "active": active,
        "id": f"filters-{form.prefix or 'list'}",
    }


def _label_blank_as_all(field):
    widget = field.widget
    if isinstance(widget, forms.NullBooleanSelect):
        widget.choices = [("unknown", ALL), ("true", "是"), ("false", "否")]
        return
    if getattr(field, "empty_label", None) == BLANK:
        field.empty_label = ALL
        return
    choices = getattr(widget, "choices", None)
    if isinstance(choices, list | tuple) and choices and choices[0][0] == "":
        if choices[0][1] in (BLANK, "", None):
            widget.choices = [("", ALL), *choices[1:]]
