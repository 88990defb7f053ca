"""Forms for creating, editing and moving places. Rules live in services."""

import json

from django import forms
from django.core.exceptions import ValidationError

from .models import Place
from .picker import PlacePicker, give_user
from .resolver import place_by_code


class GeoJSONField(forms.CharField):
    widget = forms.Textarea(
        attrs={"rows": 3, "placeholder": '{"type": "Polygon", "coordinates": [...]}'}
    )

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValidationError("不是有效的JSON") from exc

    def prepare_value(self, value):
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return value


class GeometryEditor(forms.Textarea):
    """The offline map editor (static/jiceng/place_editor.js) over a hidden field.

    The drawing is written into the field as GeoJSON text and posted with the
    form, so services.validate_geometry and the audit row stay the one path.
    draw: "polygon" for areas, "point" for buildings; reference_url: GeoJSON of
    the parent and its children (places:map_data), drawn for reference.
    """

    template_name = "places/widgets/geometry_editor.html"

    def __init__(self, *, draw="polygon", reference_url="", self_id=None):
        super().__init__(attrs={"hidden": True, "rows": 3})
        self.draw, self.reference_url, self.self_id = draw, reference_url, self_id

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(
            draw=self.draw, reference_url=self.reference_url, self_id=self.self_id
        )
        return context


# Kinds whose geometry is drawn as a point (the rest are outlines).
POINT_KINDS = {"building", "entrance", "dwelling"}


class PlaceForm(forms.ModelForm):
    geometry = GeoJSONField(label="空间范围", required=False)

    class Meta:
        model = Place
        fields = ["name", "code", "address", "lng", "lat", "geometry", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, kind=None, reference_url="", self_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kind is not None:
            self.fields["geometry"].widget = GeometryEditor(
                draw="point" if kind in POINT_KINDS else "polygon",
                reference_url=reference_url,
                self_id=self_id,
            )
            self.fields[
                "geometry"
            ].help_text = "在地图上绘制或修改范围（楼栋可标点）；灰色虚线为上级和同级范围，仅供参考"


class MoveForm(forms.Form):
    new_parent_code = forms.CharField(
        label="新上级",
        max_length=32,
        help_text="搜索或逐级选择要移入的上级地点；移动后本级及下级编码随新上级自动调整",
        widget=PlacePicker(permission="places.change"),
    )

    def __init__(self, *args, user, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["new_parent_code"].widget.kinds = tuple(kinds)
        give_user(self, user)

    def clean_new_parent_code(self):
        """Resolve the code among the places the user may change: a missing place
        and one out of reach get the same message."""
        code = self.cleaned_data["new_parent_code"].strip()
        self.cleaned_data["new_parent"] = place_by_code(
            self.user, code, permission="places.change"
        )
        return code
