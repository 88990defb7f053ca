"""The public portal: every registered public section (jiceng.core.public) on one
phone page, narrowed to a district, street or community, each with a page of its
own; every page carries WeChat share tags and a QR code of its address."""

from functools import lru_cache

from django.http import Http404
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse

from jiceng.core.public import public_sections, section_by_slug
from jiceng.core.qr import qr_svg

from .picker import picker_for

ROOT_ITEMS = 4  # per section on the portal's front page
PAGE_ITEMS = 100  # on a section's own page
SHARE_IMAGE = "portal/share.png"
LEAD = (
    "心愿墙、为民办实事、红黑榜、议事公示、服务阵地和办事指南，随手拍报事与进度查询。"
)


@lru_cache(maxsize=512)
def share_qr(url):
    """The QR code of a page's share address; drawing one takes ~0.1 s, and the
    addresses are few (sections × places), so each is drawn once per process."""
    return qr_svg(url, box_size=6)


def _common(request, *, title, description, picker):
    place = picker.place
    # the canonical address: the page and its place, nothing else of the query
    place_query = f"?place={place.code}" if place else ""
    page_url = request.build_absolute_uri(request.path) + place_query
    return {
        "page_title": f"{title} · {picker.area}",
        "area": picker.area,
        "description": description,
        "share_image": request.build_absolute_uri(static(SHARE_IMAGE)),
        "page_url": page_url,
        "share_qr": share_qr(page_url),
        "places": picker.options,
        "whole": picker.whole,
        "place": place,
        "place_query": place_query,
        "notice": picker.notice,
    }


def _section_context(section, place, limit, place_query):
    items = section.items(place, limit=limit) if section.items else None
    return {
        "section": section,
        "items": items,
        "page": reverse("portal:section", args=[section.slug]) + place_query,
        "app_url": section.full_url(place),
        "links": [(label, reverse(name)) for label, name in section.links],
    }


def index(request):
    """居民服务: a few latest items of every public section."""
    picker = picker_for(request.GET.get("place"))
    place = picker.place
    context = _common(request, title="居民服务", description=LEAD, picker=picker)
    context["sections"] = [
        _section_context(s, place, ROOT_ITEMS, context["place_query"])
        for s in public_sections()
    ]
    context["all_sections"] = context["sections"]
    return render(request, "portal/index.html", context)


def section(request, slug):
    """One section's whole public list (up to PAGE_ITEMS), narrowed to a place."""
    found = section_by_slug(slug)
    if found is None:
        raise Http404("没有这个栏目")
    picker = picker_for(request.GET.get("place"))
    place = picker.place
    context = _common(
        request,
        title=found.title,
        description=found.description or LEAD,
        picker=picker,
    )
    context["current"] = _section_context(
        found, place, PAGE_ITEMS, context["place_query"]
    )
    context["limit"] = PAGE_ITEMS
    context["all_sections"] = [
        {
            "section": s,
            "page": reverse("portal:section", args=[s.slug]) + context["place_query"],
        }
        for s in public_sections()
    ]
    return render(request, "portal/section.html", context)
