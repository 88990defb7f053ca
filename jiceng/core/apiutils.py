"""Helpers shared by the apps' API routers."""


def filtered(filterset_class, params, queryset):
    """Apply the app's django-filter FilterSet to a scoped queryset with API params."""
    data = {k: v for k, v in params.dict().items() if v not in (None, "")}
    return filterset_class(data, queryset=queryset).qs
