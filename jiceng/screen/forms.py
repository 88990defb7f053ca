from django import forms

from jiceng.core.scope import place_path_allowed, place_prefixes
from jiceng.places.models import Place, PlaceKind

from .data import screen_places
from .services import LINK_PERMISSION, MAX_DAYS


class LinkForm(forms.Form):
    place = forms.ModelChoiceField(
        label="大屏区域", queryset=Place.objects.none(), empty_label=None
    )
    name = forms.CharField(label="名称", max_length=60, initial="街道指挥中心大屏")
    days = forms.IntegerField(
        label="有效期（天）",
        min_value=1,
        max_value=MAX_DAYS,
        initial=30,
        help_text="到期后链接自动失效；可随时停用。",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        manage = place_prefixes(user, LINK_PERMISSION)
        tops = [p for p in screen_places(user) if place_path_allowed(p.path, manage)]
        ids = [p.pk for p in tops]
        for top in tops:
            if top.kind == PlaceKind.DISTRICT:
                ids += list(
                    Place.objects.get_children(top)
                    .filter(kind=PlaceKind.STREET)
                    .values_list("pk", flat=True)
                )
        self.fields["place"].queryset = Place.objects.filter(pk__in=ids).order_by(
            "path"
        )
