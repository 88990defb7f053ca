"""What the people list pages share: a filtered, scoped, paginated list."""

from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import has_permission
from jiceng.places.errors import PlaceError
from jiceng.places.models import Place

# Service errors about a typed place code belong to the form's code field.
PLACE_ERRORS = {PlaceError.NOT_FOUND: "place_code", PlaceError.WRONG_KIND: "place_code"}


def filtered_list(request, *, queryset, filterset_class, template, partial, extra=None):
    """Render a scoped queryset through its FilterSet, a page at a time."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    place = None
    if filterset.form.is_valid() and filterset.form.cleaned_data.get("place"):
        place = (
            Place.objects.visible_to(request.user)
            .filter(pk=filterset.form.cleaned_data["place"])
            .first()
        )
    context = {
        "filter": filterset,
        "page": paginate(request, filterset.qs),
        "query": query_without_page(request),
        "in_place": place,
        "can_reveal": has_permission(request.user, "people.reveal"),
        **(extra or {}),
    }
    return render_page(request, template, context, partial=partial)
