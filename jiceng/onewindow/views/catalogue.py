"""The service catalogue: list, detail, and the district admin's editor."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from jiceng.core.forms import add_service_errors
from jiceng.core.htmx import paginate, query_without_page, render_page
from jiceng.core.scope import can, get_visible_or_404, permission_required
from jiceng.places.models import Place, PlaceKind

from .. import services
from ..filters import ItemFilter
from ..forms import ItemForm, MaterialFormSet, places_for
from ..models import Level, ServiceItem
from .common import flags

LEVEL_OF_KIND = {
    PlaceKind.COMMUNITY: Level.COMMUNITY,
    PlaceKind.STREET: Level.STREET,
}


def my_level(user):
    """The handling level of the user's own places (community, street), if one."""
    kinds = set(
        places_for(user, "onewindow.handle", [PlaceKind.COMMUNITY, PlaceKind.STREET])
        .values_list("kind", flat=True)
        .distinct()[:5]
    )
    for kind in (PlaceKind.COMMUNITY, PlaceKind.STREET):
        if kind in kinds:
            return LEVEL_OF_KIND[kind]
    return None


@permission_required("onewindow.view")
def item_list(request):
    rows = ServiceItem.objects.visible_to(request.user).select_related(
        "department", "refused_proof"
    )
    filters = ItemFilter(request.GET, queryset=rows)
    return render_page(
        request,
        "onewindow/item_list.html",
        {
            "page": paginate(request, filters.qs, per_page=50),
            "filters": filters,
            "query": query_without_page(request),
            "my_level": my_level(request.user),
            **flags(request.user),
        },
        partial="onewindow/partials/item_table.html",
    )


@permission_required("onewindow.view")
def item_detail(request, pk):
    item = get_visible_or_404(
        ServiceItem.objects.select_related("department", "refused_proof"),
        request.user,
        pk=pk,
    )
    return render(
        request,
        "onewindow/item_detail.html",
        {
            "item": item,
            "materials": item.materials.all(),
            "can_edit": can(request.user, item, "configure"),
            **flags(request.user),
        },
    )


def _materials(formset):
    return [
        {k: v for k, v in f.cleaned_data.items()}
        for f in formset
        if f.cleaned_data.get("name")
    ]


@permission_required("onewindow.configure")
def item_edit(request, pk=None):
    item = (
        get_visible_or_404(ServiceItem.objects, request.user, "configure", pk=pk)
        if pk
        else None
    )
    initial = {}
    material_initial = []
    if item is not None:
        initial = {f: getattr(item, f) for f in services.catalogue.ITEM_FIELDS}
        initial.update(code=item.code, version=item.version)
        material_initial = [
            {
                "name": m.name,
                "form": m.form,
                "copies": m.copies,
                "electronic_ok": m.electronic_ok,
                "required": m.required,
                "note": m.note,
            }
            for m in item.materials.all()
        ]
    form = ItemForm(request.POST or None, initial=initial, user=request.user)
    formset = MaterialFormSet(
        request.POST or None, initial=material_initial, prefix="m"
    )
    if item is not None:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = dict(form.cleaned_data)
        code = data.pop("code")
        version = data.pop("version")
        try:
            if item is None:
                district = (
                    places_for(
                        request.user, "onewindow.configure", [PlaceKind.DISTRICT]
                    ).first()
                    or Place.objects.filter(kind=PlaceKind.DISTRICT).first()
                )
                item = services.create_item(
                    actor=request.user,
                    district=district,
                    code=code,
                    materials=_materials(formset),
                    **data,
                )
            else:
                services.update_item(
                    actor=request.user, item=item, version=version, **data
                )
                services.set_materials(
                    actor=request.user, item=item, materials=_materials(formset)
                )
        except (ValidationError, PermissionDenied) as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "事项已保存")
            return redirect(item)
    return render(
        request,
        "onewindow/item_form.html",
        {"form": form, "formset": formset, "item": item},
        status=400 if form.errors or formset.total_error_count() else 200,
    )
