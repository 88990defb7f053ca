"""The compound chart and its A3 poster: thin views over sheet.build_sheet."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from jiceng.core.scope import permission_required

from .sheet import build_sheet, compound_for


def _sheet_for(request, ref):
    """The chart of the compound ref names, or 404 (missing and out of scope alike)."""
    compound = compound_for(request.user, ref)
    if compound is None:
        raise Http404
    return build_sheet(request.user, compound)


@permission_required("places.view")
def sheet(request, ref):
    """One compound on the offline map, with its buildings, people and partners."""
    sheet = _sheet_for(request, ref)
    return render(
        request,
        "atlas/sheet.html",
        {"sheet": sheet, "totals": sheet.totals, "features": sheet.features()},
    )


@permission_required("places.view")
def poster(request, ref):
    """The wall poster: A3, the map and legends, no navigation, no names of key
    populations (only the counts of the ordinary categories go on a wall)."""
    sheet = _sheet_for(request, ref)
    return render(
        request,
        "atlas/poster.html",
        {
            "sheet": sheet,
            "totals": sheet.totals,
            "features": sheet.features(wall=True),
            "wall_figures": [k for k in sheet.key_populations if k.sensitivity == 1],
            "printed_on": timezone.localdate(),
        },
    )
