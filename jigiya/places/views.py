from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jigiya.accounts.access import has_perm_at, require_perm_at, scope_paths
from jigiya.accounts.roles import Perm
from jigiya.core.views import form_page
from jigiya.places import forms, selectors, services
from jigiya.places.models import Asaco, HealthCenter, Place


def _breadcrumbs(request: HttpRequest, place: Place) -> list[tuple[Place, bool]]:
    """Every place above, and whether the user may open it (otherwise a name only)."""
    visible = scope_paths(request.user, Perm.PLACES_VIEW)
    return [
        (above, any(above.path.startswith(prefix) for prefix in visible))
        for above in selectors.place_ancestors(place=place)
    ]


@login_required
def place_list(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()
    context = {
        "roots": selectors.place_roots(user=request.user),
        "search": search,
        "results": selectors.place_list(user=request.user, search=search)[:50] if search else None,
    }
    return render(request, "places/place_list.html", context)


@login_required
def place_detail(request: HttpRequest, place_id: str) -> HttpResponse:
    place = selectors.place_get(user=request.user, place_id=place_id)
    context = {
        "place": place,
        "breadcrumbs": _breadcrumbs(request, place),
        "children": selectors.place_children(user=request.user, place=place),
        "health_centers": selectors.health_center_list(user=request.user, within=place)[:50],
        "can_manage": has_perm_at(request.user, Perm.PLACES_MANAGE, place.path),
    }
    return render(request, "places/place_detail.html", context)


@login_required
def place_create(request: HttpRequest, place_id: str) -> HttpResponse:
    parent = selectors.place_get(user=request.user, place_id=place_id)
    require_perm_at(request.user, Perm.PLACES_MANAGE, parent)
    form = forms.PlaceCreateForm(
        request.POST or None,
        health_centers=selectors.health_center_list(user=request.user),
    )
    return form_page(
        request,
        form,
        save=lambda data: services.place_create(actor=request.user, parent=parent, **data),
        template="places/place_form.html",
        context={"parent": parent, "title": _("New place in %(place)s") % {"place": parent}},
        done=lambda place: place.get_absolute_url(),
        message=_("Place created."),
    )


@login_required
def place_edit(request: HttpRequest, place_id: str) -> HttpResponse:
    place = selectors.place_get(user=request.user, place_id=place_id)
    require_perm_at(request.user, Perm.PLACES_MANAGE, place)
    form = forms.PlaceEditForm(
        request.POST or None,
        initial={
            "name": place.name,
            "code": place.code,
            "health_center": place.health_center_id,
            "is_active": place.is_active,
        },
        health_centers=selectors.health_center_list(user=request.user),
    )
    return form_page(
        request,
        form,
        save=lambda data: services.place_update(actor=request.user, place=place, **data),
        template="places/place_form.html",
        context={"place": place, "title": _("Change %(place)s") % {"place": place}},
        done=lambda place: place.get_absolute_url(),
        message=_("Changes saved."),
    )


@login_required
def place_move(request: HttpRequest, place_id: str) -> HttpResponse:
    place = selectors.place_get(user=request.user, place_id=place_id)
    require_perm_at(request.user, Perm.PLACES_MANAGE, place)
    form = forms.PlaceMoveForm(
        request.POST or None,
        places=selectors.place_list(user=request.user, perm=Perm.PLACES_MANAGE).exclude(
            kind="community"
        ),
    )
    return form_page(
        request,
        form,
        save=lambda data: services.place_move(actor=request.user, place=place, **data),
        template="places/place_form.html",
        context={"place": place, "title": _("Move %(place)s") % {"place": place}},
        done=lambda place: place.get_absolute_url(),
        message=_("Place moved."),
    )


@login_required
def health_center_detail(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = selectors.health_center_get(user=request.user, health_center_id=health_center_id)
    context = {
        "center": center,
        "asaco": getattr(center, "asaco", None),
        "breadcrumbs": [*_breadcrumbs(request, center.place), (center.place, True)],
        "can_manage": has_perm_at(request.user, Perm.PLACES_MANAGE, center.place.path),
        "can_manage_asaco": has_perm_at(request.user, Perm.ASACO_MANAGE, center.place.path),
    }
    return render(request, "places/health_center_detail.html", context)


@login_required
def health_center_create(request: HttpRequest, place_id: str) -> HttpResponse:
    place = selectors.place_get(user=request.user, place_id=place_id)
    require_perm_at(request.user, Perm.PLACES_MANAGE, place)
    return form_page(
        request,
        forms.HealthCenterForm(request.POST or None),
        save=lambda data: services.health_center_create(actor=request.user, place=place, **data),
        template="places/place_form.html",
        context={"place": place, "title": _("New health center in %(place)s") % {"place": place}},
        done=lambda center: center.get_absolute_url(),
        message=_("Health center created."),
    )


def _center_for(request: HttpRequest, health_center_id: str, perm: Perm) -> HealthCenter:
    center = selectors.health_center_get(user=request.user, health_center_id=health_center_id)
    require_perm_at(request.user, perm, center.place)
    return center


@login_required
def health_center_edit(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = _center_for(request, health_center_id, Perm.PLACES_MANAGE)
    initial = {field: getattr(center, field) for field in forms.HealthCenterForm.base_fields}
    return form_page(
        request,
        forms.HealthCenterForm(request.POST or None, initial=initial),
        save=lambda data: services.health_center_update(
            actor=request.user, health_center=center, **data
        ),
        template="places/place_form.html",
        context={"title": _("Change %(place)s") % {"place": center}},
        done=lambda center: center.get_absolute_url(),
        message=_("Changes saved."),
    )


@login_required
def asaco_edit(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = _center_for(request, health_center_id, Perm.ASACO_MANAGE)
    asaco = getattr(center, "asaco", None)
    initial = (
        {field: getattr(asaco, field) for field in forms.AsacoForm.base_fields} if asaco else {}
    )
    return form_page(
        request,
        forms.AsacoForm(request.POST or None, initial=initial),
        save=lambda data: services.asaco_save(actor=request.user, health_center=center, **data),
        template="places/place_form.html",
        context={"title": _("ASACO of %(place)s") % {"place": center}},
        done=lambda _asaco: center.get_absolute_url(),
        message=_("Changes saved."),
    )


def _asaco_of(center: HealthCenter) -> Asaco:
    asaco = getattr(center, "asaco", None)
    if asaco is None:
        raise Http404(_("This health center has no ASACO yet."))
    return asaco


@login_required
def board_member_add(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = _center_for(request, health_center_id, Perm.ASACO_MANAGE)
    asaco = _asaco_of(center)
    return form_page(
        request,
        forms.BoardMemberForm(request.POST or None),
        save=lambda data: services.board_member_add(actor=request.user, asaco=asaco, **data),
        template="places/place_form.html",
        context={"title": _("New board member of %(asaco)s") % {"asaco": asaco}},
        done=lambda _member: center.get_absolute_url(),
        message=_("Board member added."),
    )


@login_required
def board_member_end(request: HttpRequest, member_id: str) -> HttpResponse:
    member = selectors.board_member_get(user=request.user, member_id=member_id)
    center = member.asaco.health_center
    require_perm_at(request.user, Perm.ASACO_MANAGE, center.place)
    return form_page(
        request,
        forms.TermEndForm(request.POST or None),
        save=lambda data: services.board_member_end_term(actor=request.user, member=member, **data),
        template="places/place_form.html",
        context={"title": _("End the term of %(member)s") % {"member": member}},
        done=lambda _member: center.get_absolute_url(),
        message=_("Term ended."),
    )


@login_required
def assembly_add(request: HttpRequest, health_center_id: str) -> HttpResponse:
    center = _center_for(request, health_center_id, Perm.ASACO_MANAGE)
    asaco = _asaco_of(center)
    return form_page(
        request,
        forms.AssemblyForm(request.POST or None),
        save=lambda data: services.assembly_record(actor=request.user, asaco=asaco, **data),
        template="places/place_form.html",
        context={"title": _("New general assembly of %(asaco)s") % {"asaco": asaco}},
        done=lambda _assembly: center.get_absolute_url(),
        message=_("General assembly recorded."),
    )
