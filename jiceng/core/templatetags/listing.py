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
    """Return what the filter form's 筛选 button shows, after making blanks read 全部.

    A filter form's empty choice means "any", so Django's ``---------`` and a yes/no
    filter's 未知 both read 全部 here, for every filter form of every app.
    """
    active = 0
    for field in form.visible_fields():
        _label_blank_as_all(field.field)
        value = field.value()
        if value in (None, "", [], (), False, "unknown"):
            continue
        active += 1
    return {"active": active, "id": f"filters-{form.prefix or 'list'}"}


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
