"""One helper decides partial vs full page, so one view serves both."""

from django.core.paginator import Paginator
from django.shortcuts import render

PAGE_SIZE = 25


def render_page(request, template, context, *, partial=None, status=200):
    """Render the partial for htmx requests that target a fragment, else the page."""
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.boosted and htmx.target:
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)


def paginate(request, queryset, per_page=PAGE_SIZE):
    """Return a page of queryset; an invalid page number falls back to the nearest page."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
