"""One helper decides partial vs full page, so one view serves both."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.functional import cached_property

from .pagination import pk_bounded

PAGE_SIZE = 25


def render_page(request, template, context, *, partial=None, status=200):
    """Render the partial for htmx requests that target a fragment, else the page."""
    htmx = getattr(request, "htmx", None)
    if partial and htmx and not htmx.boosted and htmx.target:
        return render(request, partial, context, status=status)
    return render(request, template, context, status=status)


class BoundedPaginator(Paginator):
    """Django's paginator; a list in id order is counted with its lowest and
    highest id, and its pages are read between them (core.pagination.pk_bounded)."""

    @cached_property
    def count(self):
        bounded = pk_bounded(self.object_list)
        if bounded is None:
            return super().count
        total, self.object_list = bounded
        return total


class IdFirstPaginator(BoundedPaginator):
    """Finds a page's ids first, then loads those rows with their joins.

    Sorting the whole filtered set with every selected column (and the joined
    ones) before LIMIT is what made a grid worker's open-case list slow down as
    the district grew; sorting ids read from an index stays cheap.
    """

    def _get_page(self, object_list, number, paginator):
        # object_list is the page's slice of the queryset (Paginator.page)
        ids = list(object_list.values_list("pk", flat=True))
        found = self.object_list.order_by().in_bulk(ids)
        return super()._get_page(
            [found[pk] for pk in ids if pk in found], number, paginator
        )


def paginate(request, queryset, per_page=PAGE_SIZE, *, ids_first=False):
    """Return a page of queryset; an invalid page number falls back to the nearest page.

    ids_first: for long, wide lists (see IdFirstPaginator).
    """
    paginator = (IdFirstPaginator if ids_first else BoundedPaginator)(
        queryset, per_page
    )
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
